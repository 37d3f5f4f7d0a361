"""Casualty and crowd counts attached to an event trigger."""

from __future__ import annotations

import pytest
from spacy.language import Language

from tidings.counts import find_counts
from tidings.nlp import load_nlp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _counts(nlp: Language, text: str, trigger: str) -> dict[str, dict[str, object]]:
    doc = nlp(text)
    index = next(t.i for t in doc if t.text == trigger)
    out = find_counts(doc, index)
    for value in out.values():
        start, end = value["start"], value["end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert doc.text[start:end] == value["text"]
    return out


def test_killing_and_vague_wounded(nlp: Language) -> None:
    got = _counts(nlp, "Gunmen attacked a hotel in Mogadishu, killing three officers, "
                       "and dozens were wounded.", "attacked")
    assert got["dead"] == {"count": 3, "approximate": False, "text": "three officers",
                           "start": 46, "end": 60}
    assert got["injured"]["count"] == 24 and got["injured"]["approximate"] is True
    assert set(got) == {"dead", "injured"}


def test_crowd_size_and_non_casualty(nlp: Language) -> None:
    got = _counts(nlp, "Thousands of protesters marched through the capital on Sunday.", "marched")
    assert got == {"size": {"count": 2000, "approximate": True, "text": "Thousands of protesters",
                            "start": 0, "end": 23}}
    assert _counts(nlp, "About 100 remain in the building after the attack.", "attack") == {}


def test_digits_qualifiers_and_arrests(nlp: Language) -> None:
    got = _counts(nlp, "At least 5 people were killed when gunmen stormed the hotel.", "stormed")
    assert got["dead"]["count"] == 5 and got["dead"]["approximate"] is True
    got = _counts(nlp, "Police arrested 1,200 demonstrators in the capital.", "arrested")
    assert got["arrested"]["count"] == 1200 and got["arrested"]["approximate"] is False
    got = _counts(nlp, "Tens of thousands of people rallied in the capital.", "rallied")
    assert got["size"]["count"] == 20000


def test_other_sentences_and_dates_ignored(nlp: Language) -> None:
    text = "Troops shelled the town on 3 May. Five soldiers died in a separate incident."
    assert _counts(nlp, text, "shelled") == {}
    got = _counts(nlp, "The explosion left 14 dead and more than 40 injured.", "explosion")
    assert got["dead"]["count"] == 14 and got["injured"]["count"] == 40
