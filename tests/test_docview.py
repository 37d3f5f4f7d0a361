"""The per-document view the coder reads must say exactly what spaCy's Doc says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc

from tidings.docview import children, doc_view
from tidings.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "gold" / "plover_gsr.dev.jsonl"


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    if GOLD.exists():
        with GOLD.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for _, line in zip(range(40), fh, strict=False)]
    texts += ["", "sabre-rattling and anti - war talks", "Ex-President  Smith's   \"cross-border\" raid."]
    return list(load_nlp().pipe(texts))


def test_view_matches_the_doc_token_by_token(docs: list[Doc]) -> None:
    checked = 0
    for doc in docs:
        v = doc_view(doc)
        assert len(v.tokens) == len(doc)
        for tok in doc:
            i = tok.i
            assert v.tokens[i].i == i and v.tokens[i].text == tok.text
            assert v.lower[i] == tok.lower_
            assert v.lemma[i] == tok.lemma_.lower()
            assert v.pos[i] == tok.pos_
            assert v.dep[i] == tok.dep_
            assert v.head[i] == tok.head.i
            assert v.kids(i) == [c.i for c in tok.children]
            assert [c.i for c in children(tok)] == [c.i for c in tok.children]
            assert v.sentence_of(i) == (tok.sent.start, tok.sent.end)
            checked += 1
        assert [(s.start, s.end) for s in v.sents()] == [(s.start, s.end) for s in doc.sents]
        assert [(e.start, e.end, e.label_) for e in v.ents()] == [
            (e.start, e.end, e.label_) for e in doc.ents]
        assert [(c.start, c.end) for c in v.noun_chunks()] == [
            (c.start, c.end) for c in doc.noun_chunks]
    assert checked > 1000


def test_hyphenated_words_are_read_without_spaces(docs: list[Doc]) -> None:
    doc = next(d for d in docs if d.text.startswith("sabre"))
    v = doc_view(doc)
    ends = {v.hyphen_surface(t.i) for t in doc}
    assert "sabre-rattling" in ends
    assert "anti - war" not in ends  # spaced hyphens are separate words


def test_the_view_follows_the_document_asked_for(docs: list[Doc]) -> None:
    a, b = docs[0], docs[1]
    assert doc_view(a).doc is a
    assert doc_view(b).doc is b
    assert doc_view(a).doc is a and doc_view(a) is doc_view(a)
