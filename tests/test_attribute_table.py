"""The attribute table gives every token the attributes spaCy's attribute ruler gives it."""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tidings.attribute_table import AttributeTable, use_attribute_table
from tidings.nlp import DEFAULT_MODEL, load_nlp

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

# informal English that the model's few multi-token and pattern rules are for
INFORMAL = [
    "I ain't gonna go, y'all. Let's go, c'mon! There is a cat and there're dogs.",
    "We gotta win. Y all ain t ready. It aint so, nothin' doing.",
    "Did they? He does, she did, and they'd have had it done.",
    "\u00a0 \u2003 x  \n\n spaced\tout ",
    "",
]


def _signature(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i),
             t.ent_type_) for t in doc]


def _texts() -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with gzip.open(SHARED / "corpus" / "synthetic_plover_stories.csv.gz", "rt",
                   encoding="utf-8") as fh:
        stories = [r["text"] for _, r in zip(range(40), csv.DictReader(fh), strict=False)]
    with open(SHARED / "gold" / "plover_gsr.dev.jsonl", encoding="utf-8") as fh:
        sentences = [json.loads(line)["text"] for line in fh][:60]
    return stories + sentences + INFORMAL


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(DEFAULT_MODEL)


def test_tidings_pipeline_gives_the_same_token_attributes_as_spacys(stock: Language) -> None:
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    assert nlp.pipe_names == stock.pipe_names
    texts = _texts()
    ours = [_signature(d) for d in nlp.pipe(texts)]
    theirs = [_signature(d) for d in stock.pipe(texts)]
    assert sum(len(s) for s in ours) > 10_000
    assert ours == theirs


def test_rules_added_later_and_rules_with_operators_apply(stock: Language) -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    assert use_attribute_table(nlp)
    assert not use_attribute_table(nlp)  # already a table
    table = nlp.get_pipe("attribute_ruler")
    assert isinstance(table, AttributeTable)
    doc = nlp("The envoy flew to Doha.")  # compiles the table
    assert doc[1].lemma_ == "envoy"
    # after the first document: a one-token rule, and one with an operator for the Matcher
    table.add([[{"LOWER": "envoy"}]], {"LEMMA": "diplomat"})
    table.add([[{"LOWER": "flew"}, {"LOWER": "to", "OP": "?"}, {"LOWER": "doha"}]],
              {"LEMMA": "qatar"}, index=-1)
    doc = nlp("The envoy flew to Doha.")
    assert (doc[1].lemma_, doc[4].lemma_) == ("diplomat", "qatar")
    doc = nlp("The envoy flew Doha.")
    assert doc[3].lemma_ == "qatar"


def test_a_pipeline_without_an_attribute_ruler_is_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not use_attribute_table(nlp)
    assert nlp.pipe_names == []
