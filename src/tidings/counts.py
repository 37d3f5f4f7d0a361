"""Casualty and crowd counts attached to an event: PLOVER ``dead``, ``injured``, ``arrested``, ``size``.

``find_counts(doc, trigger_index)`` looks only at the sentence of the event trigger. A number
counts as a casualty figure when it is syntactically tied to a casualty word of that sentence
(``killing three officers``, ``dozens were wounded``, ``five people dead``, ``the death toll rose
to 31``); it counts as the event's size when it quantifies participants (protesters, people,
troops...) tied to the trigger itself (``thousands of protesters marched``). Other numbers
(``about 100 remain``) are not returned.

Conventions: vague plurals count as the smallest plural (dozens = 24, hundreds = 200,
thousands = 2,000, tens of thousands = 20,000) with ``approximate: true``; a qualifier
(``about``, ``nearly``, ``more than``, ``at least``...) also makes a count approximate. Knowledge
lives in ``knowledge/data/counts.json``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from tidings.docview import doc_view

DATA_FILE = Path(__file__).resolve().parent / "knowledge" / "data" / "counts.json"
CATEGORIES = ("dead", "injured", "arrested", "size")
_SKIP_ENTS = ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY")
_DIGITS = re.compile(r"^\d[\d,]*(\.\d+)?$")


@dataclass(frozen=True)
class CountKnowledge:
    casualty_verbs: dict[str, str]
    casualty_adjectives: dict[str, str]
    casualty_nouns: dict[str, str]
    participant_nouns: frozenset[str]
    number_words: dict[str, float]
    vague_numbers: dict[str, int]
    qualifiers: tuple[tuple[str, ...], ...]


@functools.lru_cache(maxsize=4)
def load_knowledge(path: str | None = None) -> CountKnowledge:
    """Load the casualty and number knowledge (the packaged file unless ``path`` is given)."""
    raw: dict[str, Any] = json.loads(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    quals = sorted((tuple(q.lower().split()) for q in raw.get("qualifiers", [])),
                   key=len, reverse=True)
    return CountKnowledge(
        casualty_verbs={k.lower(): v for k, v in raw.get("casualty_verbs", {}).items()},
        casualty_adjectives={k.lower(): v for k, v in raw.get("casualty_adjectives", {}).items()},
        casualty_nouns={k.lower(): v for k, v in raw.get("casualty_nouns", {}).items()},
        participant_nouns=frozenset(w.lower() for w in raw.get("participant_nouns", [])),
        number_words={k.lower(): float(v) for k, v in raw.get("number_words", {}).items()},
        vague_numbers={k.lower(): int(v) for k, v in raw.get("vague_numbers", {}).items()},
        qualifiers=tuple(quals),
    )


@dataclass
class _Number:
    start: int  # token index of the first token (qualifier included)
    end: int  # token index after the number words
    value: int
    approximate: bool
    anchor: Token  # the token that carries the number's syntactic role
    noun: Token | None  # the counted noun ("officers", "protesters"), when there is one


def _word_value(words: list[str], kn: CountKnowledge) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        w = w.lower()
        if w in ("-", "and", "a"):
            continue
        if _DIGITS.match(w):
            current += float(w.replace(",", ""))
            seen = True
            continue
        n = kn.number_words.get(w)
        if n is None:
            return None
        seen = True
        if n == 100:
            current = max(current, 1) * 100
        elif n >= 1000:
            total += max(current, 1) * n
            current = 0
        else:
            current += n
    return total + current if seen else None


def _is_numberish(t: Token, kn: CountKnowledge) -> bool:
    low = t.lower_
    return bool(_DIGITS.match(low)) or low in kn.number_words or low in kn.vague_numbers


def _numbers(sent: Span, kn: CountKnowledge) -> list[_Number]:
    doc = sent.doc
    out: list[_Number] = []
    lower = doc_view(doc).lower
    numberish = [bool(_DIGITS.match(low)) or low in kn.number_words or low in kn.vague_numbers
                 for low in lower[sent.start:sent.end]]
    i = sent.start
    while i < sent.end:
        if not numberish[i - sent.start] or doc[i].ent_type_ in _SKIP_ENTS:
            i += 1
            continue
        j = i
        while j + 1 < sent.end and (
                _is_numberish(doc[j + 1], kn)
                or (doc[j + 1].text == "-" and j + 2 < sent.end and _is_numberish(doc[j + 2], kn))
                or (doc[j + 1].lower_ == "of" and j + 2 < sent.end
                    and doc[j + 2].lower_ in kn.vague_numbers and doc[j].lower_ in kn.vague_numbers
                    or doc[j + 1].lower_ == "of" and doc[j].lower_ in ("tens",)
                    and j + 2 < sent.end and doc[j + 2].lower_ in kn.vague_numbers)):
            j += 1 if doc[j + 1].text not in ("-", "of") else 2
        words = [doc[k].lower_ for k in range(i, j + 1)]
        start = i
        if start > sent.start and doc[start - 1].lower_ == "a":
            start -= 1
        phrase = " ".join(words)
        approximate = False
        value: float | None
        if phrase in kn.vague_numbers:
            value, approximate = kn.vague_numbers[phrase], True
        elif words[-1] in kn.vague_numbers and len(words) == 1:
            value, approximate = kn.vague_numbers[words[-1]], True
        else:
            value = _word_value(words, kn)
        if value is None or value <= 0:
            i = j + 1
            continue
        for qual in kn.qualifiers:
            a = start - len(qual)
            if a >= sent.start and tuple(doc[k].lower_ for k in range(a, start)) == qual:
                start, approximate = a, True
                break
        last = doc[j]
        anchor = last
        noun: Token | None = None
        if last.dep_ in ("nummod", "quantmod", "compound", "amod") and last.head.pos_ in (
                "NOUN", "PROPN") and last.head.i > last.i:
            noun = anchor = last.head
        elif last.pos_ in ("NOUN", "NUM"):
            pobj = [g for c in last.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"]
            if pobj:
                noun = pobj[0]
        out.append(_Number(start, j + 1, int(round(value)), approximate, anchor, noun))
        i = j + 1
    return out


def _casualty_of_verb(anchor: Token, kn: CountKnowledge) -> str | None:
    head = anchor.head
    cat = kn.casualty_verbs.get(head.lemma_.lower())
    if cat is None or head.pos_ not in ("VERB", "AUX") and not head.tag_.startswith("VB"):
        return None
    if anchor.dep_ in ("dobj", "nsubjpass", "obj"):
        return cat
    if anchor.dep_ == "nsubj" and head.tag_ == "VBN" and any(
            c.dep_ == "auxpass" for c in head.children):
        return cat
    if anchor.dep_ == "nsubj" and not any(c.dep_ in ("dobj", "obj") for c in head.children) \
            and head.lemma_.lower() in ("die", "perish", "drown"):
        return cat
    return None


def _category(num: _Number, kn: CountKnowledge) -> str | None:
    anchor = num.anchor
    if anchor.dep_ == "nummod" and anchor.head.lower_ in kn.casualty_adjectives:
        return kn.casualty_adjectives[anchor.head.lower_]  # "left 14 dead"
    cat = _casualty_of_verb(anchor, kn)
    if cat:
        return cat
    for tok in (anchor, num.noun):
        if tok is None:
            continue
        for c in tok.children:  # "three people killed", "five dead"
            low = c.lower_
            if c.dep_ in ("acl", "amod", "relcl", "oprd", "appos") and (
                    low in kn.casualty_adjectives
                    or (c.tag_ == "VBN" and c.lemma_.lower() in kn.casualty_verbs)):
                return kn.casualty_adjectives.get(low) or kn.casualty_verbs[c.lemma_.lower()]
        noun_cat = kn.casualty_nouns.get(tok.lemma_.lower())  # "31 deaths"
        if noun_cat and tok is num.anchor and tok.i >= num.end - 1:
            return noun_cat
    head = anchor.head
    if head.lower_ in kn.casualty_adjectives and anchor.dep_ in ("nsubj", "npadvmod"):
        return kn.casualty_adjectives[head.lower_]  # "five were dead", "5 dead"
    for c in anchor.children:
        if c.lower_ in kn.casualty_adjectives and c.pos_ == "ADJ":
            return kn.casualty_adjectives[c.lower_]
    # "the death toll rose to 31", "the number of dead is 31"
    gov = anchor.head
    if anchor.dep_ == "pobj":
        gov = gov.head
    if anchor.dep_ in ("pobj", "attr", "dobj", "npadvmod", "nsubj") and gov.pos_ in ("VERB", "AUX"):
        for c in gov.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i != anchor.i:
                words = [c.lemma_.lower()] + [g.lemma_.lower() for g in c.children]
                for w in words:
                    if w in kn.casualty_nouns:
                        return kn.casualty_nouns[w]
                    if w in kn.casualty_adjectives:
                        return kn.casualty_adjectives[w]
    return None


def _tied_to(tok: Token, trigger: Token, steps: int = 2) -> bool:
    t = tok
    for _ in range(steps):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.i == trigger.i:
            return True
    return False


def _is_size(num: _Number, trigger: Token, kn: CountKnowledge) -> bool:
    noun = num.noun
    if noun is not None and noun.lemma_.lower() not in kn.participant_nouns \
            and noun.lower_ not in kn.participant_nouns:
        return False
    if noun is None and not (num.anchor.dep_ == "nsubj" and num.anchor.head.i == trigger.i):
        return False
    return _tied_to(num.anchor, trigger) or (noun is not None and _tied_to(noun, trigger, 3))


def find_counts(doc: Doc, trigger_index: int) -> dict[str, dict[str, Any]]:
    """Counts tied to the event at ``doc[trigger_index]``: ``{"dead": {"count", "approximate",
    "text", "start", "end"}, ...}`` with keys among ``dead``, ``injured``, ``arrested``, ``size``."""
    if not 0 <= trigger_index < len(doc):
        return {}
    kn = load_knowledge()
    trigger = doc[trigger_index]
    out: dict[str, dict[str, Any]] = {}
    for num in _numbers(trigger.sent, kn):
        cat = _category(num, kn)
        if cat is None and _is_size(num, trigger, kn):
            cat = "size"
        if cat is None or cat in out:
            continue
        last = num.end
        if num.noun is not None and num.noun.i >= num.end and num.noun.i - num.end < 6:
            last = num.noun.i + 1
        span = doc[num.start:last]
        out[cat] = {"count": num.value, "approximate": num.approximate, "text": span.text,
                    "start": span.start_char, "end": span.end_char}
    return out
