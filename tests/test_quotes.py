"""Quotes: marks, cues, speakers, pronouns, robustness, and the score on the gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Span

from tidings.evaluate_quotes import evaluate_quotes
from tidings.model import Actor
from tidings.nlp import load_nlp
from tidings.quotes import find_quotes

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold" / "quotes.dev.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _speaker(nlp: Language, text: str) -> list[tuple[str, str | None]]:
    doc = nlp(text)
    out = []
    for q in find_quotes(doc):
        assert doc.text[q.start:q.end] == q.text
        out.append((q.text, q.speaker.text if q.speaker else None))
    return out


def test_speaker_after_with_inversion_and_split(nlp: Language) -> None:
    text = ('"We will not give up," said John Smith, the interior minister. '
            '"Nobody can stop this country."')
    got = _speaker(nlp, text)
    assert got == [("We will not give up", "John Smith"),
                   ("Nobody can stop this country.", "John Smith")]


def test_curly_marks_speaker_before_and_pronoun(nlp: Language) -> None:
    text = ("Canadian Foreign Minister Melanie Joly spoke on Friday. Joly said, “All ministers agree "
            "with the proposal.” She added, “The ball is now in Russia's court.”")
    doc = nlp(text)
    quotes = find_quotes(doc)
    assert [q.text for q in quotes] == ["All ministers agree with the proposal.",
                                        "The ball is now in Russia's court."]
    second = quotes[1].speaker
    assert second is not None and second.text.endswith("Joly")
    assert second.name == "Melanie Joly"
    assert doc.text[second.start:second.end] == second.text
    assert quotes[1].cue == "added"


def test_role_speaker_told_reporters_and_according_to(nlp: Language) -> None:
    got = _speaker(nlp, '"The talks were useful and frank," a State Department spokesperson '
                        'told reporters on Monday.')
    assert got == [("The talks were useful and frank", "a State Department spokesperson")]
    doc = nlp('According to the Interior Ministry, "the situation is under control."')
    q = find_quotes(doc)[0]
    assert q.speaker is not None and q.speaker.text == "the Interior Ministry"
    assert q.cue == "According to"


def test_passive_cue_gives_the_agent(nlp: Language) -> None:
    got = _speaker(nlp, 'The new phone was praised by Jobs as "the biggest leap we have taken."')
    assert got == [("the biggest leap we have taken.", "Jobs")]


def test_scare_quotes_and_terms_skipped(nlp: Language) -> None:
    text = ('The so-called "death grip" is a problem. Critics mocked the "farce" online. '
            'The ship carries "security officials" to the port.')
    assert find_quotes(nlp(text)) == []


def test_no_speaker_sets_reason(nlp: Language) -> None:
    doc = nlp('The square was full. "Freedom for all people of this land now." '
              "The crowd left.")
    quotes = find_quotes(doc)
    assert len(quotes) == 1
    assert quotes[0].speaker is None and quotes[0].reason


def test_unbalanced_marks_do_not_swallow_the_article(nlp: Language) -> None:
    body = " ".join(f"Sentence number {i} describes the weather in the valley." for i in range(30))
    text = f'The mayor said, "We are ready for the storm. {body}'
    doc = nlp(text)
    quotes = find_quotes(doc)
    assert len(quotes) == 1
    assert quotes[0].end - quotes[0].start < 200
    # paragraphs cap an unclosed quote; the next paragraph's quote keeps its own speaker
    text2 = ('"We will rebuild the bridge and the school,\n\n'
             'The minister said the works start soon. "It will take a year," he said.')
    quotes2 = find_quotes(nlp(text2))
    assert all("\n" not in q.text for q in quotes2)
    assert quotes2[-1].text == "It will take a year"


def test_nested_and_odd_marks_never_raise(nlp: Language) -> None:
    texts = ['He said: "They told us \'no\' twice," and left.', '"""', "“ ” ‘ ’ ' \"",
             'She said "' + "word " * 3000, "’Twas a test, he said’s."]
    for t in texts:
        for q in find_quotes(nlp(t)):
            assert 0 <= q.start <= q.end <= len(t)


def test_resolver_fills_codes(nlp: Language) -> None:
    def resolve(span: Span) -> Actor | None:
        if "Rubio" in span.text:
            return Actor(text=span.text, code="USAGOV", country="USA", sector="GOV")
        return None

    doc = nlp('"There is reason to be optimistic," Secretary of State Marco Rubio told reporters.')
    sp = find_quotes(doc, resolve)[0].speaker
    assert sp is not None and (sp.code, sp.country, sp.sector) == ("USAGOV", "USA", "GOV")
    sp2 = find_quotes(doc)[0].speaker
    assert sp2 is not None and sp2.code is None


def test_gold_file_offsets_and_scores(nlp: Language) -> None:
    records = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    n = 0
    for r in records:
        for q in r["quotes"]:
            n += 1
            assert r["text"][q["start"]:q["end"]] == q["text"]
            if q["speaker"]:
                s = q["speaker"]
                assert r["text"][s["start"]:s["end"]] == s["text"]
    assert n >= 60
    scores = evaluate_quotes(records, nlp)
    assert scores["gold_quotes"] == n
    assert scores["recall"] >= 0.9
    assert scores["speaker_accuracy"] >= 0.85


# -- hard-wrapped plain text: a single line break is not a paragraph break -------------------

WRAPPED = (
    "Peru's health minister Rosa Quispe visited flooded towns near Piura on Friday with\n"
    "army engineers and aid workers. Ecuador blamed the regional water authority for opening the\n"
    "dams too late, officials in Quito said. \"We will rebuild every bridge that the river took\n"
    "from these families before the rains return,\" Quispe told local radio.\n"
    "The mayor of Piura, Jorge Salas, said at a news conference on Saturday that \"the water\n"
    "has gone down but the damage will take months to repair.\"\n"
)


def test_hard_wrapped_quote_keeps_its_words_and_speaker(nlp: Language) -> None:
    doc = nlp(WRAPPED)
    quotes = find_quotes(doc)
    assert [q.text for q in quotes] == [
        "We will rebuild every bridge that the river took\nfrom these families before the rains"
        " return",
        "the water\nhas gone down but the damage will take months to repair.",
    ]
    for q in quotes:
        assert WRAPPED[q.start:q.end] == q.text
    first, second = (q.speaker for q in quotes)
    assert first is not None and first.text == "Quispe"
    assert quotes[0].cue is not None and quotes[0].cue.startswith("told")
    # the cue is on the line before the quote: the frame reaches over the wrapped line break
    assert second is not None and second.text.startswith("The mayor of Piura")
    assert quotes[1].cue == "said"


def test_machine_wrapped_quote_over_a_full_line_ending_a_sentence(nlp: Language) -> None:
    # a line that ends a sentence but has no room for the next word was wrapped, not ended
    text = (  # wrapped at 79 columns
        "The agriculture minister of Ghana, Kwame Mensah, spoke to farmers in Accra on\n"
        "Tuesday. \"Farmers have lost their harvest to the floods in the north this year.\n"
        "They need seed and credit now, not next season,\" Mensah told reporters.\n"
        "He gave no figures for the cost of the programme, which donors are expected to\n"
        "share.\n"
    )
    quotes = find_quotes(nlp(text))
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text == ("Farmers have lost their harvest to the floods in the north this year.\n"
                      "They need seed and credit now, not next season")
    assert q.speaker is not None and q.speaker.text == "Mensah"


def test_one_paragraph_per_line_keeps_paragraphs_apart(nlp: Language) -> None:
    text = (
        "Drought talks open in Nairobi\n"
        "Kenya's water minister, Grace Wanjiru, opened the regional drought meeting on Monday. "
        "\"We are asking every donor to pay what it promised last year,\n"
        "Ethiopian officials said the new pipeline to the border towns would be finished in "
        "March. \"Our engineers are already on the site,\" said Abebe Tesfaye, a deputy "
        "minister.\n"
        "Somalia's delegation asked for more time. \"The rains failed again in the south.\n"
        "Aid groups said food prices had doubled in the region since January.\n"
    )
    quotes = find_quotes(nlp(text))
    assert all("\n" not in q.text for q in quotes)
    by_text = {q.text: q for q in quotes}
    left_open = "We are asking every donor to pay what it promised last year"
    assert left_open in by_text
    tesfaye = by_text["Our engineers are already on the site"].speaker
    assert tesfaye is not None and tesfaye.text == "Abebe Tesfaye"
    assert "The rains failed again in the south." in by_text
