"""Time expressions and event dates.

``find_times(doc, report_date)`` finds the time expressions of a parsed article and normalises
them against the report date (TimeML value, ISO first/last day, granularity); expressions that
cannot be normalised keep a null value and say why in ``reason``. ``event_date(...)`` dates one
event: the time expression attached to the event's clause, else the only date of its sentence,
else the report date (``resolved_by`` says which). See ``docs/times.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from tidings.model import EventDate, Time
from tidings.when.rules import Found, grammar, load_lexicon, scan

__all__ = ["event_date", "evaluate_times", "find_times", "load_lexicon", "to_time"]

_VERBAL = ("VERB", "AUX")


def to_time(doc: Doc, f: Found) -> Time:
    """The output record for one normalised expression."""
    return Time(
        start=f.start,
        end=f.end,
        text=f.text,
        type=f.type,
        value=f.value,
        start_date=f.sd.isoformat() if f.sd else None,
        end_date=f.ed.isoformat() if f.ed else None,
        granularity=f.gran,
        reason=f.reason,
    )


def find_times(doc: Doc, report_date: dt.date | None) -> list[Time]:
    """Time expressions of ``doc`` normalised against ``report_date`` (sorted by position).

    A range ("from 5 to 7 May", "Saturday and Sunday") gives its endpoints as DATEs and the whole
    range as a DURATION whose ``start_date``/``end_date`` cover it.
    """
    return [to_time(doc, f) for f in scan(doc, report_date, grammar())]


def _datable(t: Time) -> bool:
    if t.type in ("DATE", "TIME"):
        return True
    return t.type == "DURATION" and (t.start_date is not None or t.end_date is not None)


def _clause_verb(tok: Token) -> Token | None:
    cur = tok
    for _ in range(12):
        if cur.pos_ in _VERBAL:
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _attachment_steps(doc: Doc, t: Time, trig: Token, clause: Token | None) -> int | None:
    """Tree steps from the expression up to the event's trigger or clause verb; None: elsewhere."""
    sp = doc.char_span(t.start, t.end, alignment_mode="expand")
    if sp is None:
        return None
    if sp.start <= trig.i < sp.end:
        return 0
    cur = sp.root
    for steps in range(1, 12):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.i == trig.i:
            return steps
        if cur.pos_ in _VERBAL and not (sp.start <= cur.i < sp.end):
            return steps if clause is not None and cur.i == clause.i else None
    return None


def _outermost(t: Time, pool: list[Time]) -> Time:
    """The range that holds ``t`` (or ``t`` itself)."""
    best = t
    for o in pool:
        if o is not t and o.start <= t.start and t.end <= o.end and (o.end - o.start) > (
                best.end - best.start):
            best = o
    return best


def _from_time(t: Time, resolved_by: str) -> EventDate:
    return EventDate(start=t.start_date, end=t.end_date, granularity=t.granularity, text=t.text,
                     resolved_by=resolved_by)


def _span_days(t: Time) -> int:
    if t.start_date and t.end_date:
        return (dt.date.fromisoformat(t.end_date) - dt.date.fromisoformat(t.start_date)).days
    return 10**6


def event_date(doc: Doc, trigger_index: int, times: list[Time],
               report_date: dt.date | None) -> EventDate:
    """Date of the event whose trigger is token ``trigger_index``.

    1. ``"attached"``: a time expression in the trigger's subtree or hanging from the trigger's
       clause verb (``on Monday``, ``last week``, ``in 2019``); a part of a range gives the range.
    2. ``"sentence"``: else the only date-like expression of the sentence.
    3. ``"report_date"``: else the report date (``text`` is None).
    """
    trig = doc[trigger_index]
    sent = trig.sent
    pool = [t for t in times if _datable(t) and sent.start_char <= t.start < sent.end_char]
    clause = _clause_verb(trig)
    attached: list[tuple[int, int, Time]] = []
    for t in pool:
        steps = _attachment_steps(doc, t, trig, clause)
        if steps is not None:
            outer = _outermost(t, pool)
            attached.append((steps, _span_days(outer), outer))
    if attached:
        attached.sort(key=lambda a: (a[0], a[1], a[2].start))
        return _from_time(attached[0][2], "attached")
    tops = [t for t in pool if _outermost(t, pool) is t]
    if len(tops) == 1:
        return _from_time(tops[0], "sentence")
    day = report_date.isoformat() if report_date else None
    return EventDate(start=day, end=day, granularity="day" if day else None, text=None,
                     resolved_by="report_date")


def evaluate_times(records: Iterable[dict[str, Any]], nlp: Language) -> dict[str, Any]:
    """Score ``find_times`` on gold time expressions (see ``tidings.evaluate_times``)."""
    from tidings.evaluate_times import evaluate_times as _evaluate

    return _evaluate(records, nlp)
