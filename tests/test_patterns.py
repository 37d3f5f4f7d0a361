"""Pattern matching over real spaCy parses with the packaged CAMEO verb dictionary."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from tidings.coding.patterns import PatternMatch, match_pattern, match_verb
from tidings.knowledge.verbs import VerbDictionary, default_verbs, parse_verb_file
from tidings.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def verbs() -> VerbDictionary:
    return default_verbs()


def _code(nlp: Language, verbs: VerbDictionary, text: str, word: str
          ) -> tuple[Token, PatternMatch | None]:
    """Parse ``text`` and match the token ``word`` the way the coder looks it up."""
    doc = nlp(text)
    tok = next(t for t in doc if t.text == word)
    entries = verbs.lookup(tok.lemma_.lower()) or verbs.lookup(tok.lower_)
    return tok, match_verb(tok, entries)


def _words(tok: Token, m: PatternMatch) -> list[str]:
    return [tok.doc[i].text for i in m.tokens]


def test_accuse_uses_verb_code(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "Somalia accused al-Shabaab of attacking a police post.",
                   "accused")
    assert m is not None and m.code == "112" and m.pattern is None
    assert m.entry.lemma == "accuse" and m.entry.block == "BLAME"
    assert _words(tok, m) == ["accused"]


def test_prepositional_phrase_pattern(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "Iran asked for humanitarian aid.", "asked")
    assert m is not None and m.code == "0233"
    assert m.pattern is not None and "(FOR {HUMANITARIAN AID})" in m.pattern.text
    assert _words(tok, m) == ["asked", "for", "humanitarian", "aid"]
    # the same pattern with an object in between
    tok, m = _code(nlp, verbs, "Russia asked the United Nations for humanitarian aid.", "asked")
    assert m is not None and m.code == "0233"


def test_phrase_needs_all_its_words(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "Iran asked for aid.", "asked")
    assert m is not None and m.code != "0233"
    assert m.pattern is not None and "{" not in m.pattern.text  # a one-word pattern
    _, m2 = _code(nlp, verbs, "Iran requested humanitarian aid.", "requested")
    assert m2 is not None and m2.code == "0233" and m2.pattern is not None
    assert "{HUMANITARIAN AID}" in m2.pattern.text


def test_multi_word_verb_with_particle(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "The army cordoned off the town.", "cordoned")
    assert m is not None and m.entry.lemma == "cordon off" and m.entry.block == "EXCLUDE"
    assert m.code == "170"
    assert "off" in _words(tok, m)


def test_phrasal_verb_preferred_to_bare_verb(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "The union called off the strike.", "called")
    assert m is not None and m.entry.lemma == "call off" and m.entry.block == "CANCEL"
    assert m.pattern is not None and "STRIKE" in m.pattern.text
    assert _words(tok, m) == ["called", "off", "strike"]
    # without the particle the bare verb "call" applies
    _, bare = _code(nlp, verbs, "The union called a strike.", "called")
    assert bare is not None and bare.entry.lemma == "call"


def test_synonym_set_and_plural(nlp: Language, verbs: VerbDictionary) -> None:
    for text in ("Rebels burned the village.", "Rebels burned three villages."):
        tok, m = _code(nlp, verbs, text, "burned")
        assert m is not None and m.code == "1712", text
        assert m.pattern is not None and "&TOWN" in m.pattern.text


def test_pre_verb_pattern_and_paired_code(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "The talks collapsed.", "collapsed")
    assert m is not None and m.pattern is not None and m.pattern.text.startswith("- TALKS *")
    assert (m.code, m.reciprocal) == ("164", "164")
    assert _words(tok, m) == ["talks", "collapsed"]


def test_longest_pattern_wins(nlp: Language, verbs: VerbDictionary) -> None:
    tok, m = _code(nlp, verbs, "Israel condemned the suicide bombing.", "condemned")
    assert m is not None and m.code == "111"
    assert m.pattern is not None and "{SUICIDE BOMBING}" in m.pattern.text


def test_null_pattern_means_no_event(nlp: Language) -> None:
    text = ("---  HALT  [160]  ---\nHALT\n- * SEARCH  [---]\n- * AID  [162]\n")
    vd = VerbDictionary.from_records([parse_verb_file("t.txt", text)])
    doc = nlp("Police halted the search.")
    m = match_verb(doc[1], vd.lookup(doc[1].lemma_))
    assert m is not None and m.code == "---" and m.pattern is not None
    doc = nlp("Germany halted aid to Rwanda.")
    m = match_verb(doc[1], vd.lookup(doc[1].lemma_))
    assert m is not None and m.code == "162"
    doc = nlp("Germany halted its operations.")
    m = match_verb(doc[1], vd.lookup(doc[1].lemma_))
    assert m is not None and (m.code, m.pattern) == ("160", None)


def test_match_pattern_and_missing_particle(nlp: Language) -> None:
    text = ("---  EXCLUDE  [170]  ---\n+CORDON_OFF\n- * (AROUND &TOWN)  [1723]\n"
            "&TOWN\n+TOWN\n")
    vd = VerbDictionary.from_records([parse_verb_file("t.txt", text)])
    doc = nlp("The army cordoned the town.")
    assert match_verb(doc[2], vd.lookup("cordon")) is None  # no "off": the entry does not apply
    # "&TOWN" is defined after the pattern: the pattern is ignored with a warning
    assert any("t.txt:3" in w for w in vd.warnings)
    vd2 = VerbDictionary.from_records([parse_verb_file(
        "t.txt", "&TOWN\n+TOWN\n\n---  EXCLUDE  [170]  ---\n+CORDON_OFF\n"
        "- * (AROUND &TOWN)  [1723]\n")])
    doc = nlp("Soldiers cordoned off the area around the town.")
    entry = vd2.lookup("cordon")[0]
    tok = doc[1]
    assert match_pattern(entry.patterns[0], tok) is not None
    m = match_verb(tok, [entry])
    assert m is not None and m.code == "1723"
