"""Grammar and normalisation of English time expressions.

The word lists live in ``lexicon.json`` (next to this file); this module turns them into
precompiled regular expressions, scans the text of a parsed ``Doc`` with them, and normalises
each match against the report date to a TimeML value and a span of ISO days. The syntax of the
``Doc`` is used only to decide past or future for expressions without a year (weekdays, months,
"May 5") and to reject names ("Theresa May", "Ruby Tuesday").
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from tidings.nlp import doc_text

LEXICON_PATH = Path(__file__).with_name("lexicon.json")

NEEDS_REPORT_DATE = "needs a report date"
IMPOSSIBLE_DATE = "impossible date"
ANAPHORIC = "relative to another time in the text (anaphoric)"
FISCAL = "fiscal year: its first and last day depend on the organisation"


@functools.lru_cache(maxsize=1)
def load_lexicon(path: str | None = None) -> dict[str, Any]:
    """Load the word lists and settings used by the time grammar."""
    with open(path or LEXICON_PATH, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


# --------------------------------------------------------------------------- calendar helpers


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    """(year, month) shifted by ``k`` months."""
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def month_last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lo = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lo) // 451
    month, day = divmod(h + lo - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --------------------------------------------------------------------------- intermediate record


@dataclass
class Found:
    """A normalised time expression before it becomes a ``tidings.model.Time``."""

    start: int
    end: int
    type: str
    value: str | None
    sd: dt.date | None = None
    ed: dt.date | None = None
    gran: str | None = None
    reason: str | None = None
    rule: str = ""
    explicit_year: bool = True
    regrade: Callable[[int], Found] | None = None  # the same expression resolved in a given year
    clock: str | None = None  # "T18:00Z": a clock time still to be anchored to a day
    part: bool = False  # an endpoint nested inside a range
    text: str = ""
    # resolved against an earlier time of the text (see ``_resolve_anchored``): ("years", -1)
    # shifts the anchor by whole years, ("to_year", 2007) moves it to a year, ("Y", n) / ("M", n)
    # / ("W", n) / ("D", n) move it by n units ("two days later")
    anchor: tuple[str, int] | None = None
    anchor_gran: str | None = None  # the granularity the anchor must have (None: any period)
    anchor_scope: int = -1  # sentences back where the anchor may be (0: its own; -1: any)
    fallback: Found | None = None  # the value when no anchor is found


def _null(start: int, end: int, typ: str, reason: str, rule: str) -> Found:
    return Found(start, end, typ, None, None, None, None, reason, rule)


def day_found(start: int, end: int, day: dt.date, rule: str) -> Found:
    return Found(start, end, "DATE", day.isoformat(), day, day, "day", rule=rule)


def week_found(start: int, end: int, any_day: dt.date, rule: str) -> Found:
    mon = week_monday(any_day)
    iso = mon.isocalendar()
    return Found(start, end, "DATE", f"{iso[0]}-W{iso[1]:02d}", mon, mon + dt.timedelta(days=6),
                 "week", rule=rule)


def weekend_found(start: int, end: int, any_day: dt.date, rule: str) -> Found:
    mon = week_monday(any_day)
    iso = mon.isocalendar()
    sat = mon + dt.timedelta(days=5)
    return Found(start, end, "DATE", f"{iso[0]}-W{iso[1]:02d}-WE", sat, sat + dt.timedelta(days=1),
                 "weekend", rule=rule)


def month_found(start: int, end: int, year: int, month: int, rule: str) -> Found:
    return Found(start, end, "DATE", f"{year:04d}-{month:02d}", dt.date(year, month, 1),
                 month_last(year, month), "month", rule=rule)


def quarter_found(start: int, end: int, year: int, q: int, rule: str) -> Found:
    first = dt.date(year, 3 * q - 2, 1)
    return Found(start, end, "DATE", f"{year:04d}-Q{q}", first, month_last(year, 3 * q), "quarter",
                 rule=rule)


def half_found(start: int, end: int, year: int, h: int, rule: str) -> Found:
    return Found(start, end, "DATE", f"{year:04d}-H{h}", dt.date(year, 6 * h - 5, 1),
                 month_last(year, 6 * h), "half", rule=rule)


def fiscal_found(start: int, end: int, year: int, suffix: str, gran: str) -> Found:
    """A fiscal year or a part of one ("FY2008", "FY2008-Q1"): no dates, they depend on the body."""
    return Found(start, end, "DATE", f"FY{year:04d}{suffix}", None, None, gran, reason=FISCAL,
                 rule="fiscal")


def year_found(start: int, end: int, year: int, rule: str) -> Found:
    return Found(start, end, "DATE", f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31),
                 "year", rule=rule)


def decade_found(start: int, end: int, first_year: int, rule: str) -> Found:
    d = first_year // 10
    return Found(start, end, "DATE", f"{d:03d}", dt.date(d * 10, 1, 1), dt.date(d * 10 + 9, 12, 31),
                 "decade", rule=rule)


def century_found(start: int, end: int, first_year: int, rule: str) -> Found:
    c = first_year // 100
    return Found(start, end, "DATE", f"{c:02d}", dt.date(max(c * 100, 1), 1, 1),
                 dt.date(c * 100 + 99, 12, 31), "century", rule=rule)


def narrow(f: Found, frac: tuple[float, float] | None) -> Found:
    """Keep the value, narrow ``start_date``/``end_date`` to a part (early/mid/late...)."""
    if frac is None or f.sd is None or f.ed is None:
        return f
    n = (f.ed - f.sd).days + 1
    lo = f.sd + dt.timedelta(days=int(n * frac[0]))
    hi = f.sd + dt.timedelta(days=max(int(n * frac[1]) - 1, int(n * frac[0])))
    return replace(f, sd=lo, ed=min(hi, f.ed))


def fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# --------------------------------------------------------------------------- regex building


def alt(words: Iterable[str]) -> str:
    """Alternation of phrases, longest first; spaces match any whitespace, ' matches ’ too."""
    parts = []
    for w in sorted(set(words), key=lambda s: (-len(s), s)):
        p = re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]")
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


class Grammar:
    """Compiled patterns for one lexicon."""

    def __init__(self, lex: dict[str, Any]) -> None:
        self.lex = lex
        self.months: dict[str, int] = lex["months"]
        self.weekdays: dict[str, int] = lex["weekdays"]
        self.numbers: dict[str, float] = lex["number_words"]
        self.units: dict[str, list[Any]] = lex["duration_units"]
        self.rel: dict[str, int] = lex["relative_words"]
        self.mods: dict[str, list[float]] = lex["boundary_modifiers"]
        self.ordinals: dict[str, int] = lex["ordinals"]
        tense = lex["tense"]
        self.future_aux = set(tense["future_aux"])
        self.modal_aux = set(tense["modal_aux"])
        self.past_aux = set(tense["past_aux"])
        self.perfect_aux = set(tense["perfect_aux"])
        self.present_be = set(tense["present_be"])
        self.future_cues = set(tense["future_cue_lemmas"])
        self.reporting = set(tense["reporting_lemmas"])
        self.prep_direction: dict[str, str] = {
            k: v for k, v in tense.get("preposition_direction", {}).items() if not k.startswith("_")}
        self.result_nouns = set(lex["period_result_nouns"])
        self.comparison_nouns: dict[str, str | None] = lex["comparison_period_nouns"]
        self.offset_words: dict[str, int] = lex["anchored_offset_words"]
        self.half_ordinals: dict[str, int] = lex["half_ordinals"]
        self.ana_rel: dict[str, int] = lex["anaphoric_relative_words"]
        self.limits: dict[str, int] = lex["limits"]
        self.vague = set(lex["vague_quantities"])

        I = re.IGNORECASE  # noqa: E741
        mon = alt(self.months)
        month_full = alt(k for k in self.months if k not in lex["month_abbreviations_need_context"])
        wd = alt(self.weekdays)
        day = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
        year = r"(?:1\d{3}|20\d{2})"
        tens = alt(lex["tens_words"])
        ones = alt(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
        num = (rf"(?:{tens}[\s-]{ones}|{alt(self.numbers)}|\d+(?:\.\d+)?)"
               r"(?:\s+and\s+an?\s+half)?")
        units = alt(self.units)
        vague = alt(self.vague)
        rel = alt(self.rel)
        relunits = alt(lex["relative_units"])
        modwords = alt(k for k in self.mods if k not in ("beginning", "start", "middle", "end",
                                                           "close", "turn", "first half",
                                                           "second half"))
        boundary = alt(k for k in self.mods if k not in ("early", "mid", "late"))
        mod = (rf"(?P<mod>(?:{modwords})[\s-]+|(?:the\s+)?(?:very\s+)?(?:{boundary})\s+of\s+"
               r"(?:the\s+)?)?")
        pod = alt(lex["parts_of_day"])
        seasons = alt(lex["seasons"])
        fiscal = alt(lex["fiscal_words"])
        # the year a quarter or half belongs to: "of 2022", "of last year", "of fiscal 2008",
        # "of the financial year"
        period_year = (rf"(?:\s+(?:of\s+)?(?:(?P<y>{year})|(?:the\s+)?(?P<rely>this|last|next|"
                       rf"current|previous|coming)\s+year|(?:the\s+)?(?P<fis>{fiscal})\s+"
                       rf"(?:year(?:\s+(?P<fy1>{year}))?|(?P<fy2>{year})|['’](?P<fy3>\d{{2}}))"
                       rf"|(?P<they>the\s+year)(?!\s*-)))?")
        ords = alt(k for k in self.ordinals)
        conn = r"(?P<conn>-|–|—|to|and|through|thru|until|till)"
        def tz(n: str) -> str:
            return (rf"(?:\s*(?P<par{n}>\()?(?P<tz{n}>UTC|GMT|Z)\b"
                    rf"(?:\s*(?P<off{n}>[+−-]\s*\d{{1,2}}(?::?\d{{2}})?))?(?(par{n})\)))?")

        end = r"(?![\w-])"
        self.conn_re = re.compile(r"^\s*(?:-|–|—|to|and|through|thru|until|till)\s*$", I)
        self.pre_re = re.compile(r"\b(from|between)\s+$", I)
        self.number_re = re.compile(rf"^{num}$", I)

        rules: list[tuple[str, str, int]] = [
            ("iso", r"\b(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)"
                    r"(?:T(?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?\b", 0),
            ("numeric", r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])", 0),
            ("mdy", rf"\b(?:(?P<pre>from|between)\s+)?(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?"
                    rf"(?P<mon>{mon})(?:\.(?=\s*\d))?\s+(?P<d>{day})"
                    rf"(?:\s*{conn}\s*(?P<d2>{day}))?(?:,?\s+(?P<y>{year}))?(?![\w:])", I),
            ("dmy", rf"\b(?:(?P<pre>from|between)\s+)?(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?"
                    rf"(?P<d>{day})(?:\s*{conn}\s*(?:the\s+)?(?P<d2>{day}))?(?:\s+of)?\s+"
                    rf"(?P<mon>{mon})(?:\.(?=\s*\d))?(?:,?\s+(?P<y>{year}))?{end}", I),
            ("month_year", rf"\b{mod}(?P<mon>{mon})\.?,?\s+(?:of\s+)?(?P<y>{year}){end}", I),
            ("fiscal", rf"\b(?:the\s+)?{mod}(?:(?P<rel>{rel})\s+|(?P<y1>{year})\s+)?"
                       rf"(?:{fiscal})\s+year(?:\s+(?P<y2>{year}))?{end}"
                       rf"|\bFY\s?(?P<y3>{year}|\d{{2}})\b"
                       rf"|\b(?:{fiscal})\s+(?:(?P<y4>{year})|['’](?P<y5>\d{{2}}))(?![\w%-]|[.,/]\d)",
             I),
            ("year_range", rf"(?<![\w$£€.,#/-])(?P<y1>{year})\s?[-–/]\s?(?P<y2>{year}|\d{{2}})"
                           r"(?![\w%]|[.,/-]\d)", 0),
            ("decade", rf"\b{mod}(?:the\s+)?(?:(?P<dmod>early|mid|late)[\s-]+)?"
                       rf"(?:(?P<dec>1\d{{2}}0|20\d0)|['’](?P<dd>\d)0)['’]?s\b", I),
            ("century", rf"\b{mod}(?:the\s+)?(?P<ord>{ords}|\d{{1,2}}(?:st|nd|rd|th))[\s-]+"
                        r"century\b", I),
            ("quarter", rf"\b(?:the\s+)?(?:(?P<fis0>{fiscal})\s+)?(?P<ord>first|second|third|"
                        rf"fourth|1st|2nd|3rd|4th|last|final)[\s-]+(?:(?P<fis1>{fiscal})\s+)?"
                        rf"quarter{period_year}{end}"
                        rf"|\bQ(?P<q>[1-4])(?:\s+(?P<qy>{year}))?\b", I),
            ("month_quarter", rf"\b(?:the\s+)?(?P<m1>{month_full})\s*(?:-|–|—|to|through)\s*"
                              rf"(?P<m2>{month_full})\s+quarter(?:\s+of\s+(?P<y>{year}))?{end}", I),
            ("year_half", rf"\b(?:the\s+)?(?:(?P<fis0>{fiscal})\s+)?(?P<ord>"
                          rf"{alt(self.half_ordinals)})[\s-]+half{period_year}{end}"
                          rf"|\bH(?P<q>[12])\s+(?P<qy>{year})\b", I),
            ("same_period", rf"\b(?:the\s+)?(?:(?P<ago>{alt(lex['year_ago_words'])})[\s-]+"
                            rf"|(?P<same>{alt(lex['same_period_words'])})\s+)"
                            rf"(?P<unit>{alt(self.comparison_nouns)})"
                            rf"(?:\s+(?:of\s+|in\s+)?(?:(?P<back>{alt(lex['year_back_phrases'])})"
                            rf"|(?P<y>{year})))?{end}", I),
            ("offset", rf"\b(?:(?P<approx>{alt(lex['duration_approximators'])})\s+)?"
                       rf"(?P<n>{num})\s+(?P<unit>{units})s?\s+"
                       rf"(?P<dir>{alt(self.offset_words)})"
                       rf"(?P<than>\s+than\s+{alt(lex['plan_comparison'])})?(?![\w-])", I),
            ("period_end", rf"\b(?:(?P<rel>{rel})\s+)?(?P<w>{alt(lex['period_end_words'])})"
                           r"(?![\w-])", I),
            ("ago", rf"\b(?:(?P<approx>{alt(lex['duration_approximators'])})\s+)?"
                    rf"(?:(?P<n>{num})|(?P<vague>{vague}))\s+(?P<unit>{units})s?\s+"
                    r"(?P<dir>ago|from\s+now|hence)\b", I),
            ("rel_unit", rf"\b{mod}(?:(?P<el>earlier|later)\s+)?(?:(?P<the>the)\s+)?"
                         rf"(?P<rel>{alt(set(self.rel) | set(self.ana_rel))})\s+"
                         rf"(?P<unit>{relunits}){end}", I),
            ("the_unit", rf"\b(?P<mod>(?:the\s+)?(?:very\s+)?(?:{boundary}|rest|remainder)\s+of)"
                         r"\s+the\s+(?P<unit>week|month|year|decade|century)\b", I),
            ("el_in", r"\b(?P<el>earlier|later)\s+in\s+the\s+(?P<unit>week|month|year)\b", I),
            ("weekend", rf"\b(?:(?P<rel>{rel}|the)\s+)weekend\b", I),
            ("anaphoric", rf"\b(?:the\s+)?(?P<a>{alt(lex['anaphoric_words'])})\s+"
                          rf"(?P<unit>{alt(lex['anaphoric_units'])})\b"
                          r"|\bthe\s+(?P<unit2>day|night|week|month|year)\s+(?P<ba>before|after)\b"
                          r"(?!\s+(?:yesterday|tomorrow))",
             I),
            ("duration", rf"\b(?:(?P<approx>{alt(lex['duration_approximators'])})\s+)?"
                         rf"(?:the\s+(?P<rel>past|last|next|coming|previous|first|following)\s+)?"
                         rf"(?:(?P<n>{num})|(?P<vague>{vague}))[\s-]+(?P<unit>{units})(?P<pl>s)?"
                         r"(?P<long>-long)?(?![\w-])", I),
            ("half", rf"\bhalf\s+an?\s+(?P<unit>{units})\b", I),
            ("plural_unit", rf"\b(?:(?:for|over|in|within)\s+)(?P<span>(?:the\s+)?(?:past\s+)?"
                            rf"(?P<unit>{units})s)\b(?!\s+(?:ago|later|earlier))"
                            rf"|\b(?P<unit2>{units})s-long\b", I),
            ("indefinite", rf"\b{alt(lex['indefinite_periods'])}\b", I),
            ("set_every", rf"\b(?:every|each)\s+(?:(?P<other>other|single)\s+)?(?:(?P<n>{num})\s+)?"
                          rf"(?:(?P<wd>{wd})|(?P<unit>{units}|morning|afternoon|evening|weekend))"
                          r"(?:s)?\b", I),
            ("set_adv", rf"\b(?P<adv>{alt(lex['set_adverbs'])})\b", I),
            ("set_rate", rf"(?:\d|\b{alt(lex['set_rate_quantities'])})\S*\s+"
                         rf"(?P<span>(?:a|an|per|each)\s+(?P<unit>{units}))\b", I),
            ("set_wd", rf"\b(?P<wd>{wd})s\b", I),
            ("deictic", rf"\b(?P<w>{alt(lex['deictic'])})(?:\s+(?P<pod>{pod}))?(?![\w-])", I),
            ("holiday", rf"\b(?P<h>{alt(lex['holidays'])})(?:,?\s+(?P<y>{year}))?\b", I),
            ("season", rf"\b{mod}(?:(?P<rel>{rel})\s+)?(?P<s>{seasons})"
                       rf"(?:\s+(?:of\s+)?(?P<y>{year}))?\b", I),
            ("clock", rf"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*"
                      rf"(?P<ap>[ap]\.\s?m\.|[ap]m\b){tz('')}"
                      rf"|\b(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?!\d|:\d){tz('2')}"
                      r"|\b(?P<noon>noon|midday|midnight)\b", I),
            ("weekday", rf"\b(?:(?P<rel>{rel})\s+)?(?P<wd>{wd})(?:\s+(?P<pod>{pod}))?"
                        r"(?:,?\s+(?:of\s+)?(?P<wk>last|next|this)\s+week)?\b", I),
            # "on the 15th": a day of the report's month or a neighbouring one
            ("ordinal_day", r"(?<=\bon\s)the\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b", I),
            ("month", rf"\b{mod}(?:(?P<rel>{rel})\s+)?(?P<mon>{month_full})\b", I),
            ("year", rf"(?<![\w$£€.,#/-]){mod}(?P<y>{year})(?![\w%]|[.,/-]\d|\s?%)", I),
        ]
        self.rules: list[tuple[str, re.Pattern[str]]] = [
            (name, re.compile(pattern, flags)) for name, pattern, flags in rules
        ]
        # Each rule is tried only near its anchor words ("#" = any digit): scanning a whole
        # article with every rule would cost more than the rest of the module together.
        self.anchors = self._anchors(lex)
        self.word_re = re.compile(r"[a-z]+|\d+", re.IGNORECASE)
        self.month_ctx = set(lex["month_context_words"])
        self.ambiguous_months = set(lex["ambiguous_month_words"])
        self.name_labels = set(lex["name_entity_labels"])
        self.non_year_labels = set(lex["non_year_entity_labels"])
        self.year_ctx = set(lex["year_context_words"])
        self.season_ctx = set(lex["season_context_words"])
        self.holiday_ctx = set(lex["holiday_context_words"])
        self.clock_ctx = set(lex["clock_context_words"])
        self.article_before = set(lex["article_number_context"]["before"])
        self.article_after = set(lex["article_number_context"]["after"])

    def _anchors(self, lex: dict[str, Any]) -> dict[str, set[str]]:
        def last_words(phrases: Iterable[str]) -> set[str]:
            return {re.findall(r"[a-z]+", p.lower())[-1] for p in phrases}

        digit = "#"
        units = set(self.units) | {u + "s" for u in self.units} | {"centuries"}
        months = set(self.months)
        weekdays = set(self.weekdays)
        rel_units = set(lex["relative_units"])
        return {
            "iso": {digit}, "numeric": {digit}, "mdy": months, "dmy": months,
            "month_year": months, "fiscal": set(lex["fiscal_words"]) | {"fy"},
            "year_range": {digit}, "decade": {digit}, "century": {"century"},
            "quarter": {"quarter", "q"}, "month_quarter": {"quarter"},
            "year_half": {"half", "h"}, "same_period": set(self.comparison_nouns),
            "offset": set(self.offset_words),
            "period_end": last_words(lex["period_end_words"]), "ago": {"ago", "now", "hence"}, "rel_unit": rel_units,
            "the_unit": rel_units, "el_in": {"earlier", "later"}, "weekend": {"weekend"},
            "anaphoric": set(lex["anaphoric_units"]) | rel_units | {"day"},
            "duration": units, "half": {"half"}, "plural_unit": units,
            "indefinite": last_words(lex["indefinite_periods"]), "set_every": {"every", "each"},
            "set_adv": set(lex["set_adverbs"]), "set_rate": units,
            "set_wd": {w + "s" for w in weekdays}, "deictic": last_words(lex["deictic"]),
            "holiday": last_words(lex["holidays"]), "season": set(lex["seasons"]),
            "clock": {digit, "noon", "midday", "midnight"}, "weekday": weekdays,
            "ordinal_day": {digit},
            "month": months, "year": {digit},
        }

    def number(self, text: str) -> float | None:
        """Value of a number phrase ("two", "twenty-five", "18", "two and a half")."""
        t = re.sub(r"\s+", " ", text.lower().strip())
        half = 0.0
        m = re.search(r" and an? half$", t)
        if m:
            half = 0.5
            t = t[: m.start()]
        if t in self.numbers:
            return float(self.numbers[t]) + half
        m2 = re.fullmatch(r"(\w+)[ -](\w+)", t)
        if m2 and m2.group(1) in self.numbers and m2.group(2) in self.numbers:
            return float(self.numbers[m2.group(1)] + self.numbers[m2.group(2)]) + half
        try:
            return float(t) + half
        except ValueError:
            return None


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar(load_lexicon())


# --------------------------------------------------------------------------- scanning one Doc


class Scanner:
    """Finds and normalises the time expressions of one ``Doc``."""

    def __init__(self, doc: Doc, report: dt.date | None, g: Grammar, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc_text(doc) if text is None else text
        self.report = report
        self.g = g

    # ---- token helpers
    def span(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def prev_token(self, start: int) -> Token | None:
        sp = self.span(start, start + 1)
        if sp is None or sp.start == 0:
            return None
        return self.doc[sp.start - 1]

    def prev_word(self, start: int) -> str:
        tok = self.prev_token(start)
        return tok.lower_ if tok is not None else ""

    def next_word(self, end: int) -> str:
        sp = self.span(max(end - 1, 0), end)
        if sp is None or sp.end >= len(self.doc):
            return ""
        return self.doc[sp.end].lower_

    def in_name(self, start: int, end: int) -> bool:
        sp = self.span(start, end)
        return sp is not None and any(t.ent_type_ in self.g.name_labels for t in sp)

    # ---- tense of the governing verb
    def direction(self, start: int, end: int) -> str | None:
        """"past", "future", "present" or None, from the verb that governs the expression."""
        sp = self.span(start, end)
        if sp is None:
            return None
        cur = sp.root
        verb: Token | None = None
        for _ in range(10):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX") and not (sp.start <= cur.i < sp.end):
                verb = cur
                break
        if verb is None:
            root = sp.root.sent.root
            if root.pos_ in ("VERB", "AUX") and not (sp.start <= root.i < sp.end):
                verb = root
        tense = self.verb_tense(verb, 0) if verb is not None else None
        root = sp.root
        if root.dep_ == "pobj" and root.head.dep_ == "prep":
            cue = self.g.prep_direction.get(root.head.lower_)
            # "since January" looks back whatever the tense; "until March" forward unless past
            if cue is not None and (cue == "past" or tense in (None, "present")):
                return cue
        return tense

    def verb_tense(self, v: Token, depth: int) -> str | None:
        g = self.g
        aux = [c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(a in g.future_aux for a in aux):
            return "past" if "have" in aux else "future"
        if any(a in g.modal_aux for a in aux):
            return "past" if "have" in aux else "future"
        if "to" in aux:
            head = v.head
            if head.i == v.i:
                return None
            if head.lemma_.lower() in g.future_cues or head.lower_ in g.future_cues:
                return "future"
            if head.pos_ in ("NOUN", "PROPN", "PRON"):
                return "future"
            if depth < 3 and head.pos_ in ("VERB", "AUX", "ADJ"):
                t = self.verb_tense(head, depth + 1)
                return t if t in ("future", "present") else None
            return None
        if "had" in aux or any(a in ("was", "were", "did") for a in aux):
            return "past"
        if v.tag_ == "VBN" and any(a in g.perfect_aux for a in aux):
            return "past"
        if any(a in g.present_be for a in aux):
            if v.lemma_.lower() in g.future_cues or v.tag_ == "VBG":
                return "future"
            return "present"
        if not aux and v.dep_ == "conj" and v.tag_ in ("VB", "VBG") and depth < 3:
            return self.verb_tense(v.head, depth + 1)
        if v.tag_ in ("VBD", "VBN"):
            return "past"
        if v.tag_ in ("VBZ", "VBP") and v.lemma_.lower() == "be" and any(
                c.dep_ in ("acomp", "attr") and c.lemma_.lower() in g.future_cues
                for c in v.children):
            return "future"  # "deliveries are due in October"
        if v.tag_ in ("VBZ", "VBP"):
            return "past" if v.lemma_.lower() in g.reporting else "present"
        return None

    # ---- resolution of partial dates
    def resolve_weekday(self, wd: int, rel: str | None, direction: str | None) -> dt.date:
        assert self.report is not None
        r = self.report
        if rel is not None:
            k = self.g.rel.get(rel, 0)
            if rel in ("this", "current"):
                return week_monday(r) + dt.timedelta(days=wd)
            if k < 0:
                return r - dt.timedelta(days=((r.weekday() - wd - 1) % 7) + 1)
            return r + dt.timedelta(days=((wd - r.weekday() - 1) % 7) + 1)
        if direction in ("future", "present"):
            return r + dt.timedelta(days=(wd - r.weekday()) % 7)
        return r - dt.timedelta(days=(r.weekday() - wd) % 7)

    def resolve_month(self, month: int, rel: str | None, direction: str | None) -> tuple[int, int]:
        assert self.report is not None
        ry, rm = self.report.year, self.report.month
        if rel is not None:
            k = self.g.rel.get(rel, 0)
            if k == 0:
                return ry, month
            if k < 0:
                return (ry, month) if month < rm else (ry - 1, month)
            return (ry, month) if month > rm else (ry + 1, month)
        if direction == "past":
            return (ry, month) if month <= rm else (ry - 1, month)
        if direction == "future":
            return (ry, month) if month >= rm else (ry + 1, month)
        # nearest month, ties to the past
        best = min((ry - 1, ry, ry + 1), key=lambda y: (abs((y * 12 + month) - (ry * 12 + rm)),
                                                         y > ry))
        return best, month

    def resolve_month_day(self, month: int, day: int, direction: str | None,
                          weekday: int | None) -> dt.date | None:
        assert self.report is not None
        r = self.report
        cands = []
        for y in range(r.year - 4, r.year + 5):
            try:
                cands.append(dt.date(y, month, day))
            except ValueError:
                pass
        if not cands:
            return None
        if weekday is not None:
            match = [c for c in cands if c.weekday() == weekday and abs((c - r).days) < 366]
            if match:
                return min(match, key=lambda c: abs((c - r).days))
        near = [c for c in cands if abs((c - r).days) <= 366]
        pool = near or cands
        if direction == "past":
            past = [c for c in pool if c <= r]
            if past:
                return max(past)
        if direction == "future":
            fut = [c for c in pool if c >= r]
            if fut:
                return min(fut)
        return min(pool, key=lambda c: (abs((c - r).days), c > r))

    def check_year(self, f: Found, past_ok: bool = False) -> Found:
        """Null the value of dates implausibly far from the report date."""
        if f.sd is None:
            return f
        if past_ok and self.report is not None and f.sd.year <= self.report.year:
            return f
        lim = self.g.limits
        y = f.sd.year
        reason = None
        if self.report is not None:
            if y > self.report.year + lim["max_years_future"]:
                reason = f"year {y} is more than {lim['max_years_future']} years after the report date"
            elif f.ed is not None and f.ed.year < self.report.year - lim["max_years_past"]:
                reason = f"year {y} is more than {lim['max_years_past']} years before the report date"
        if reason:
            return replace(f, value=None, sd=None, ed=None, gran=None, reason=reason)
        return f

    def mod_frac(self, m: re.Match[str]) -> tuple[float, float] | None:
        raw = m.groupdict().get("mod")
        if not raw:
            return None
        words = re.sub(r"[\s-]+", " ", raw.lower()).strip()
        for key, frac in sorted(self.g.mods.items(), key=lambda kv: -len(kv[0])):
            if key in words:
                return (frac[0], frac[1])
        if "rest" in words or "remainder" in words:
            return None
        return None

    # ---- rule handlers: each returns a list of Found (empty: not a time expression)
    def handle(self, name: str, m: re.Match[str]) -> list[Found]:
        fn: Callable[[re.Match[str]], list[Found]] = getattr(self, "h_" + name)
        return fn(m)

    def need_report(self, m: re.Match[str], typ: str = "DATE") -> list[Found]:
        return [_null(m.start(), m.end(), typ, NEEDS_REPORT_DATE, "")]

    def h_iso(self, m: re.Match[str]) -> list[Found]:
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return [_null(m.start(), m.end(), "DATE", IMPOSSIBLE_DATE, "iso")]
        f = day_found(m.start(), m.end(), day, "iso")
        if m["h"]:
            f = replace(f, type="TIME", value=f"{day.isoformat()}T{m['h']}:{m['mi']}",
                        gran="minute")
        return [f]

    def h_numeric(self, m: re.Match[str]) -> list[Found]:
        a, b, ys = int(m["a"]), int(m["b"]), m["y"]
        if len(ys) == 2:
            yy = int(ys)
            pivot = (self.report.year % 100 + 10) if self.report else 30
            year = 2000 + yy if yy <= pivot else 1900 + yy
        else:
            year = int(ys)
        month, day = (b, a) if a > 12 and b <= 12 else (a, b)
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return [_null(m.start(), m.end(), "DATE", IMPOSSIBLE_DATE, "numeric")]
        return [day_found(m.start(), m.end(), d, "numeric")]

    def _month_ok(self, word: str, start: int, end: int, strong: bool) -> bool:
        """A month word that is capitalised and not part of a name."""
        if not word[:1].isupper():
            return False
        if not strong and word.lower() in self.g.ambiguous_months:
            if self.prev_word(start) not in self.g.month_ctx:
                return False
        return not self.in_name(start, end)

    def h_mdy(self, m: re.Match[str]) -> list[Found]:
        return self._month_day(m, "mdy")

    def h_dmy(self, m: re.Match[str]) -> list[Found]:
        return self._month_day(m, "dmy")

    def _month_day(self, m: re.Match[str], rule: str) -> list[Found]:
        if not self._month_ok(m["mon"], m.start("mon"), m.end("mon"), True):
            return []
        month = self.g.months[m["mon"].lower()]
        d1 = int(re.sub(r"\D", "", m["d"]))
        d2 = int(re.sub(r"\D", "", m["d2"])) if m["d2"] else None
        wd = self.g.weekdays.get(m["wd"].lower()) if m["wd"] else None
        explicit = m["y"] is not None
        start = m.start("wd") if m["wd"] else (m.start("mon") if rule == "mdy" else m.start("d"))
        end = m.end()

        def at_year(year: int, s: int, e: int, day: int) -> Found:
            try:
                return self.check_year(day_found(s, e, dt.date(year, month, day), rule))
            except ValueError:
                return _null(s, e, "DATE", IMPOSSIBLE_DATE, rule)

        def one(s: int, e: int, day: int) -> Found:
            if explicit:
                return at_year(int(m["y"]), s, e, day)
            if calendar.monthrange(2000, month)[1] < day:
                return _null(s, e, "DATE", IMPOSSIBLE_DATE, rule)
            if self.report is None:
                return _null(s, e, "DATE", NEEDS_REPORT_DATE, rule)
            found = self.resolve_month_day(month, day, self.direction(s, e), wd if d2 is None
                                           else None)
            if found is None:
                return _null(s, e, "DATE", IMPOSSIBLE_DATE, rule)
            f = self.check_year(day_found(s, e, found, rule))
            return replace(f, explicit_year=False,
                           regrade=lambda y: at_year(y, s, e, day))

        if d2 is None:
            return [one(start, end, d1)]
        if rule == "mdy":
            s1, e1, s2, e2 = start, m.end("d"), m.start("d2"), end
        else:
            s1, e1, s2, e2 = start, m.end("d"), m.start("d2"), end
        p1, p2 = one(s1, e1, d1), one(s2, e2, d2)
        if p1.sd is not None and p2.sd is not None and p1.sd.year != p2.sd.year and p1.regrade:
            p1 = p1.regrade(p2.sd.year)
        out = [replace(p1, part=True), replace(p2, part=True)]
        conn = (m["conn"] or "").lower()
        consecutive = d2 == d1 + 1
        if (p1.sd and p2.sd and p1.sd < p2.sd and (conn != "and" or m["pre"] or consecutive)):
            rs = m.start("pre") if m["pre"] else start
            out.append(Found(rs, end, "DURATION", f"P{(p2.sd - p1.sd).days}D", p1.sd, p2.ed, "day",
                             rule="range"))
        return out

    def h_year_range(self, m: re.Match[str]) -> list[Found]:
        y1 = int(m["y1"])
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y1 // 100) * 100 + int(m["y2"])
        if y2 <= y1:
            return []
        p1 = self.check_year(year_found(m.start("y1"), m.end("y1"), y1, "year_range"))
        p2 = self.check_year(year_found(m.start("y2"), m.end("y2"), y2, "year_range"))
        out = [replace(p1, part=True), replace(p2, part=True)]
        if p1.sd is not None and p2.ed is not None:
            out.append(Found(m.start(), m.end(), "DURATION", f"P{y2 - y1}Y", p1.sd, p2.ed, "year",
                             rule="range"))
        return out

    def h_month_year(self, m: re.Match[str]) -> list[Found]:
        if not self._month_ok(m["mon"], m.start("mon"), m.end("mon"), True):
            return []
        f = month_found(m.start(), m.end(), int(m["y"]), self.g.months[m["mon"].lower()],
                        "month_year")
        return [self.check_year(narrow(f, self.mod_frac(m)))]

    def h_fiscal(self, m: re.Match[str]) -> list[Found]:
        year: int | None = None
        for key in ("y1", "y2", "y3", "y4", "y5"):
            if m[key]:
                y = int(m[key])
                year = y if y > 99 else 2000 + y
        if year is None:
            if self.report is None:
                return self.need_report(m)
            year = self.report.year + self.g.rel.get((m["rel"] or "this").lower(), 0)
        return [fiscal_found(m.start(), m.end(), year, "", "year")]

    def h_decade(self, m: re.Match[str]) -> list[Found]:
        if m["dec"]:
            first = int(m["dec"])
        else:
            if self.report is None:
                return self.need_report(m)
            first = (self.report.year // 100) * 100 + int(m["dd"]) * 10
            if first > self.report.year:
                first -= 100
        f = decade_found(m.start(), m.end(), first, "decade")
        frac = self.mod_frac(m)
        if m["dmod"]:
            lo, hi = self.g.mods[m["dmod"].lower()]
            frac = (lo, hi)
        return [self.check_year(narrow(f, frac), past_ok=True)]

    def h_century(self, m: re.Match[str]) -> list[Found]:
        o = m["ord"].lower().replace("-", " ")
        n = self.g.ordinals.get(o)
        if n is None:
            digits = re.sub(r"\D", "", o)
            n = int(digits) if digits else None
        if n is None or n < 1:
            return []
        f = century_found(m.start(), m.end(), (n - 1) * 100, "century")
        return [self.check_year(narrow(f, self.mod_frac(m)), past_ok=True)]

    def _result_cue(self, end: int) -> bool:
        """A period that qualifies a results noun ("third-quarter earnings") is over or under way."""
        return self.next_word(end) in self.g.result_nouns

    def _period_in_year(self, m: re.Match[str], make: Callable[[int], Found], suffix: str,
                        gran: str) -> list[Found]:
        """A quarter or half placed in its year: explicit ("of 2022"), relative ("of last year"),
        fiscal ("of fiscal 2008", "of the financial year"), else by the tense."""
        gd = m.groupdict()
        s, e = m.start(), m.end()
        fy = gd.get("fy1") or gd.get("fy2") or (("20" + gd["fy3"]) if gd.get("fy3") else None)
        if gd.get("fis") or gd.get("fis0") or gd.get("fis1"):
            if fy is None and gd.get("y"):
                fy = gd["y"]
            if fy is None:
                if self.report is None:
                    return self.need_report(m)
                rel = gd.get("rely")
                fy = str(self.report.year + (self.g.rel.get(rel.lower(), 0) if rel else 0))
            return [replace(fiscal_found(s, e, int(fy), suffix, gran), rule=gran)]
        if gd.get("y"):
            return [self.check_year(make(int(gd["y"])))]
        if self.report is None:
            return self.need_report(m)
        y = self.report.year
        if gd.get("rely"):
            return [make(y + self.g.rel.get(gd["rely"].lower(), 0))]
        if gd.get("they"):
            return [make(y)]
        direction = "past" if self._result_cue(e) else self.direction(s, e)
        f, r = make(y), self.report
        first, last = f.sd, f.ed
        assert first is not None and last is not None and r is not None
        if direction == "future" and last < r:
            return [make(y + 1)]
        if direction != "future" and first > r:
            return [make(y - 1)]
        return [f]

    def h_quarter(self, m: re.Match[str]) -> list[Found]:
        s, e = m.start(), m.end()
        if m["q"]:
            q = int(m["q"])
            if m["qy"]:
                return [self.check_year(quarter_found(s, e, int(m["qy"]), q, "quarter"))]
        else:
            o = m["ord"].lower()
            has_year = any(m[k] for k in ("y", "rely", "fis", "they"))
            if o in ("last", "final") and not has_year:
                if self.report is None:
                    return self.need_report(m)
                y, mo = add_months(self.report.year, self.report.month, -3)
                return [quarter_found(s, e, y, (mo - 1) // 3 + 1, "quarter")]
            q = 4 if o in ("last", "final") else {"first": 1, "second": 2, "third": 3, "fourth": 4,
                                                   "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[o]
        return self._period_in_year(m, lambda y: quarter_found(s, e, y, q, "quarter"), f"-Q{q}",
                                    "quarter")

    def h_month_quarter(self, m: re.Match[str]) -> list[Found]:
        """"the January-March quarter" is the first quarter (other month spans are ranges)."""
        if not (m["m1"][:1].isupper() and m["m2"][:1].isupper()):
            return []
        m1, m2 = self.g.months[m["m1"].lower()], self.g.months[m["m2"].lower()]
        if m1 % 3 != 1 or m2 != m1 + 2:
            return []
        s, e, q = m.start(), m.end(), (m1 + 2) // 3
        return self._period_in_year(m, lambda y: quarter_found(s, e, y, q, "quarter"), f"-Q{q}",
                                    "quarter")

    def h_year_half(self, m: re.Match[str]) -> list[Found]:
        """Halves of a year: "the first half of 2008" -> 2008-H1; "first-half profit"."""
        s, e = m.start(), m.end()
        if m["q"]:
            return [self.check_year(half_found(s, e, int(m["qy"]), int(m["q"]), "year_half"))]
        h = self.g.half_ordinals[m["ord"].lower()]
        has_year = any(m[k] for k in ("y", "rely", "fis", "fis0", "they"))
        if not has_year and not self._result_cue(e):
            return []  # "the first half" of a match, a film...
        return self._period_in_year(m, lambda y: half_found(s, e, y, h, "year_half"), f"-H{h}",
                                    "half")

    def h_same_period(self, m: re.Match[str]) -> list[Found]:
        """"the same period last year", "the year-ago quarter": an earlier period a year back."""
        s, e = m.start(), m.end()
        unit = m["unit"].lower()
        back = bool(m["ago"] or m["back"])
        if m["same"] and unit == "time" and not (back or m["y"]):
            return []  # "at the same time"
        f = _null(s, e, "DATE", ANAPHORIC, "same_period")
        fallback: Found | None = None
        if m["y"]:
            f.anchor = ("to_year", int(m["y"]))
            fallback = self.check_year(year_found(s, e, int(m["y"]), "same_period"))
        else:
            f.anchor = ("years", -1 if back else 0)
            if m["back"] and self.report is not None:
                fallback = year_found(s, e, self.report.year - 1, "same_period")
        f.anchor_gran = self.g.comparison_nouns[unit]
        f.fallback = fallback
        return [f]

    def h_offset(self, m: re.Match[str]) -> list[Found]:
        """"two days later", "a year earlier": a time counted from an earlier one of the text."""
        word = m["dir"].lower()
        if self.prev_word(m.start()) in ("the", "these", "those", "past", "last", "next", "first"):
            return []  # "in the two months before": a period, not a point
        if word in ("before", "after", "prior") and not m["than"] and not re.match(
                r"\s*(?:[.,;:!?)]|$)", self.text[m.end():m.end() + 3]):
            return []  # "two days before the vote": a duration and an event
        n = self.g.number(m["n"])
        unit = m["unit"].lower()
        code, is_time, mult = self.g.units[unit]
        if n is None or not float(n).is_integer() or is_time or n <= 0:
            return []
        s, e = m.start(), m.end()
        sign = self.g.offset_words[word]
        f = _null(s, e, "DATE", ANAPHORIC, "offset")
        # "three days later than planned" is the (delayed) time itself
        than = bool(m["than"]) or self.next_word(e) == "than"
        f.anchor = (code, 0 if than else sign * int(n) * mult)
        f.anchor_scope = 0 if sign < 0 else 1
        if sign < 0 and not than and self.report is not None:
            f.fallback = self.h_ago_value(s, e, int(n), unit)
        return [f]

    def h_period_end(self, m: re.Match[str]) -> list[Found]:
        """"by year-end", "at month-end": the last part of the current (or named) period."""
        if self.report is None:
            return self.need_report(m)
        w = re.sub(r"\s+", " ", m["w"].lower())
        unit = self.g.lex["period_end_words"][w]
        k = self.g.rel.get(re.sub(r"\s+", " ", m["rel"].lower()), 0) if m["rel"] else 0
        f = self._shift(unit, k, m.start(), m.end(), "period_end")
        return [narrow(f, (self.g.mods["end"][0], self.g.mods["end"][1]))]

    def _shift(self, unit: str, k: int, s: int, e: int, rule: str) -> Found:
        """The calendar ``unit`` (week, month...) ``k`` units from the one holding the report date."""
        assert self.report is not None
        r = self.report
        if unit == "week":
            return week_found(s, e, r + dt.timedelta(days=7 * k), rule)
        if unit == "weekend":
            return weekend_found(s, e, r + dt.timedelta(days=7 * k), rule)
        if unit == "month":
            y, mo = add_months(r.year, r.month, k)
            return month_found(s, e, y, mo, rule)
        if unit == "quarter":
            y, mo = add_months(r.year, r.month, 3 * k)
            return quarter_found(s, e, y, (mo - 1) // 3 + 1, rule)
        if unit == "decade":
            return decade_found(s, e, r.year + 10 * k, rule)
        if unit == "century":
            return century_found(s, e, r.year + 100 * k, rule)
        return year_found(s, e, r.year + k, rule)

    def _earlier_later(self, f: Found, el: str | None) -> Found:
        if not el or f.sd is None or f.ed is None or self.report is None:
            return f
        if el.lower() == "earlier":
            return replace(f, ed=max(min(self.report, f.ed), f.sd))
        return replace(f, sd=min(max(self.report, f.sd), f.ed))

    def h_rel_unit(self, m: re.Match[str]) -> list[Found]:
        if self.report is None:
            return self.need_report(m)
        rel = re.sub(r"\s+", " ", m["rel"].lower())
        unit = m["unit"].lower()
        if rel not in self.g.rel and not m["the"] and rel != "that":
            return []  # "same year" without "the"
        k = self.g.rel.get(rel, self.g.ana_rel.get(rel, 0))
        if rel in self.g.ana_rel and (m["the"] or rel == "that") and not (m["mod"] or m["el"]) \
                and unit in _UNIT_KIND:
            # "the previous year", "the following month", "that week": counted from a time of
            # the same sentence; alone, "the previous"/"the next" count from the report date
            f = _null(m.start(), m.end(), "DATE", ANAPHORIC, "rel_unit")
            f.anchor, f.gran = (_UNIT_KIND[unit][0], k * _UNIT_KIND[unit][1]), unit
            f.anchor_scope = 0 if rel in self.g.rel else 1
            if rel in self.g.rel:
                f.fallback = self._shift(unit, k, m.start(), m.end(), "rel_unit")
            return [f]
        if m["the"] and rel == "past" and not m["mod"]:
            u = self.g.units.get(unit)
            if u is None:
                return []
            return [self._anchored_duration(m.start(), m.end(), 1.0, unit, -1)]
        f = self._shift(unit, k, m.start(), m.end(), "rel_unit")
        f = narrow(f, self.mod_frac(m))
        if m["mod"] and re.search(r"rest|remainder", m["mod"], re.I):
            f = self._earlier_later(f, "later")
        return [self._earlier_later(f, m["el"])]

    def h_the_unit(self, m: re.Match[str]) -> list[Found]:
        if self.report is None:
            return self.need_report(m)
        f = self._shift(m["unit"].lower(), 0, m.start(), m.end(), "the_unit")
        if re.search(r"rest|remainder", m["mod"], re.I):
            return [self._earlier_later(f, "later")]
        return [narrow(f, self.mod_frac(m))]

    def h_el_in(self, m: re.Match[str]) -> list[Found]:
        if self.report is None:
            return self.need_report(m)
        f = self._shift(m["unit"].lower(), 0, m.start(), m.end(), "el_in")
        return [self._earlier_later(f, m["el"])]

    def h_weekend(self, m: re.Match[str]) -> list[Found]:
        if self.report is None:
            return self.need_report(m)
        rel = m["rel"].lower()
        if rel == "the":
            if self.prev_word(m.start()) not in ("over", "during", "at", "on", "for", "until",
                                                 "this", "by", "through", "throughout"):
                return []
            direction = self.direction(m.start(), m.end())
            r = self.report
            if direction == "future":
                k = 0 if r.weekday() <= 6 else 1
            else:
                k = 0 if r.weekday() >= 5 else -1
            return [weekend_found(m.start(), m.end(), r + dt.timedelta(days=7 * k), "weekend")]
        return [self._shift("weekend", self.g.rel.get(re.sub(r"\s+", " ", rel), 0), m.start(),
                            m.end(), "weekend")]

    def h_anaphoric(self, m: re.Match[str]) -> list[Found]:
        """"the next day", "the same morning", "the week before": counted from an earlier day."""
        f = _null(m.start(), m.end(), "DATE", ANAPHORIC, "anaphoric")
        if m["ba"]:
            unit = m["unit2"].lower()
            k = -1 if m["ba"].lower() == "before" else 1
        else:
            unit = m["unit"].lower()
            k = self.g.ana_rel.get(m["a"].lower(), 0)
        kind, mult = _UNIT_KIND.get(unit, ("D", 1))
        f.anchor, f.anchor_scope = (kind, k * mult), 1
        f.gran = "day" if kind == "D" else unit
        return [f]

    def _unit_code(self, unit: str, n: float) -> str:
        code, is_time, mult = self.g.units[unit.lower()]
        n = n * mult
        return ("PT" if is_time else "P") + fmt_num(n) + code

    def _anchored_duration(self, s: int, e: int, n: float, unit: str, sign: int) -> Found:
        value = self._unit_code(unit, n)
        f = Found(s, e, "DURATION", value, None, None, None, rule="duration")
        if self.report is None or not float(n).is_integer():
            return f
        other = self._offset(self.report, int(n), unit, sign)
        if other is None:
            return f
        if sign < 0:
            return replace(f, sd=other + dt.timedelta(days=1), ed=self.report, gran="day")
        return replace(f, sd=self.report, ed=other - dt.timedelta(days=1), gran="day")

    def _offset(self, day: dt.date, n: int, unit: str, sign: int) -> dt.date | None:
        code, is_time, mult = self.g.units[unit.lower()]
        if is_time:
            return day
        n = n * mult * sign
        try:
            if code == "D":
                return day + dt.timedelta(days=n)
            if code == "W":
                return day + dt.timedelta(days=7 * n)
            if code == "M":
                y, mo = add_months(day.year, day.month, n)
                return dt.date(y, mo, min(day.day, calendar.monthrange(y, mo)[1]))
            y = day.year + n
            return dt.date(y, day.month, min(day.day, calendar.monthrange(y, day.month)[1]))
        except (ValueError, OverflowError):
            return None

    def _article_ok(self, m: re.Match[str]) -> bool:
        """'a year' is a duration only next to words that make it one ("for a year", "a year ago")."""
        if m["n"] is None or m["n"].lower() not in ("a", "an"):
            return True
        if m["approx"] or m["rel"] or m["long"]:
            return True
        return (self.prev_word(m.start()) in self.g.article_before
                or self.next_word(m.end()) in self.g.article_after)

    def h_ago(self, m: re.Match[str]) -> list[Found]:
        if self.report is None:
            return self.need_report(m)
        if m["vague"]:
            ref = "PAST_REF" if m["dir"].lower() == "ago" else "FUTURE_REF"
            return [Found(m.start(), m.end(), "DATE", ref, None, None, None, rule="ago")]
        n = self.g.number(m["n"])
        sign = -1 if m["dir"].lower() == "ago" else 1
        unit = m["unit"].lower()
        if n is None or not float(n).is_integer():
            return [_null(m.start(), m.end(), "DATE", "fractional offset", "ago")]
        return [self.h_ago_value(m.start(), m.end(), int(n), unit, sign)]

    def h_ago_value(self, s: int, e: int, n: int, unit: str, sign: int = -1) -> Found:
        """``n`` units before (``sign`` -1) or after the report date, at the unit's granularity."""
        assert self.report is not None
        day = self._offset(self.report, n, unit, sign)
        if day is None:
            return _null(s, e, "DATE", IMPOSSIBLE_DATE, "ago")
        code = self.g.units[unit][0]
        if unit == "week" or unit == "fortnight":
            return week_found(s, e, day, "ago")
        if code == "M" and not self.g.units[unit][1]:
            return month_found(s, e, day.year, day.month, "ago")
        if code == "Y":
            mult = self.g.units[unit][2]
            if mult == 10:
                return self.check_year(decade_found(s, e, day.year, "ago"))
            if mult == 100:
                return self.check_year(century_found(s, e, day.year, "ago"))
            return self.check_year(year_found(s, e, day.year, "ago"))
        return day_found(s, e, day, "ago")

    def h_duration(self, m: re.Match[str]) -> list[Found]:
        nxt = self.text[m.end(): m.end() + 5].lower()
        if re.match(r"\s*old\b", nxt):
            return []
        unit = m["unit"].lower()
        s, e = m.start(), m.end()
        if m["vague"]:
            if not m["pl"]:
                return []
            code, is_time, _ = self.g.units[unit]
            return [Found(s, e, "DURATION", ("PT" if is_time else "P") + "X" + code, rule="duration")]
        if not self._article_ok(m):
            return []
        n = self.g.number(m["n"])
        if n is None or n <= 0 or n > 10000:
            return []
        rel = (m["rel"] or "").lower()
        if rel in ("past", "last", "previous"):
            return [self._anchored_duration(s, e, n, unit, -1)]
        if rel in ("next", "coming"):
            return [self._anchored_duration(s, e, n, unit, 1)]
        return [Found(s, e, "DURATION", self._unit_code(unit, n), rule="duration")]

    def h_half(self, m: re.Match[str]) -> list[Found]:
        return [Found(m.start(), m.end(), "DURATION", self._unit_code(m["unit"], 0.5),
                      rule="duration")]

    def h_plural_unit(self, m: re.Match[str]) -> list[Found]:
        unit = (m["unit"] or m["unit2"]).lower()
        code, is_time, _ = self.g.units[unit]
        s, e = (m.start("span"), m.end("span")) if m["span"] else (m.start(), m.end())
        return [Found(s, e, "DURATION", ("PT" if is_time else "P") + "X" + code, rule="duration")]

    def h_indefinite(self, m: re.Match[str]) -> list[Found]:
        return [Found(m.start(), m.end(), "DURATION", "PXD", rule="indefinite")]

    def h_set_every(self, m: re.Match[str]) -> list[Found]:
        s, e = m.start(), m.end()
        if m["wd"]:
            return [Found(s, e, "SET", f"XXXX-WXX-{self.g.weekdays[m['wd'].lower()] + 1}",
                          rule="set")]
        unit = m["unit"].lower()
        if unit in self.g.lex["parts_of_day"]:
            return [Found(s, e, "SET", f"XXXX-XX-XXT{self.g.lex['parts_of_day'][unit]}", rule="set")]
        if unit == "weekend":
            return [Found(s, e, "SET", "XXXX-WXX-WE", rule="set")]
        n = self.g.number(m["n"]) if m["n"] else 1.0
        if n is None:
            return []
        if m["other"] and m["other"].lower() == "other":
            n *= 2
        return [Found(s, e, "SET", self._unit_code(unit, n), rule="set")]

    def h_set_adv(self, m: re.Match[str]) -> list[Found]:
        return [Found(m.start(), m.end(), "SET", self.g.lex["set_adverbs"][m["adv"].lower()],
                      rule="set")]

    def h_set_rate(self, m: re.Match[str]) -> list[Found]:
        return [Found(m.start("span"), m.end("span"), "SET", self._unit_code(m["unit"], 1),
                      rule="set")]

    def h_set_wd(self, m: re.Match[str]) -> list[Found]:
        if not m["wd"][:1].isupper() or self.in_name(m.start(), m.end()):
            return []
        return [Found(m.start(), m.end(), "SET", f"XXXX-WXX-{self.g.weekdays[m['wd'].lower()] + 1}",
                      rule="set")]

    def h_deictic(self, m: re.Match[str]) -> list[Found]:
        w = re.sub(r"\s+", " ", m["w"].lower().replace("’", "'"))
        entry = self.g.lex["deictic"][w]
        s, e = m.start(), m.end()
        if "ref" in entry:
            if m["pod"]:
                e = m.end("w")
            f = Found(s, e, "DATE", entry["ref"], None, None, None, rule="deictic")
            if self.report is not None:
                if entry["ref"] == "PRESENT_REF":
                    f = replace(f, sd=self.report, ed=self.report, gran="day")
                elif entry["ref"] == "PAST_REF":
                    f = replace(f, ed=self.report)
                else:
                    f = replace(f, sd=self.report)
            return [f]
        part = entry.get("part")
        if m["pod"]:
            if w in ("today", "yesterday", "tomorrow"):
                part = self.g.lex["parts_of_day"][m["pod"].lower()]
            else:
                e = m.end("w")
        typ = "TIME" if part else "DATE"
        if self.report is None:
            return [_null(s, e, typ, NEEDS_REPORT_DATE, "deictic")]
        day = self.report + dt.timedelta(days=entry["days"])
        f = day_found(s, e, day, "deictic")
        if part:
            f = replace(f, type="TIME", value=f"{day.isoformat()}T{part}")
        return [f]

    def h_holiday(self, m: re.Match[str]) -> list[Found]:
        if not m["h"][:1].isupper():
            return []
        if not m["y"] and self.prev_word(m.start()) not in self.g.holiday_ctx:
            return []
        key = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
        entry = self.g.lex["holidays"][key]
        s, e = m.start(), m.end()

        def on(year: int) -> dt.date:
            if "easter" in entry:
                return easter(year) + dt.timedelta(days=entry["easter"])
            return dt.date(year, entry["month"], entry["day"])

        if m["y"]:
            return [self.check_year(day_found(s, e, on(int(m["y"])), "holiday"))]
        if self.report is None:
            return [_null(s, e, "DATE", NEEDS_REPORT_DATE, "holiday")]
        r = self.report
        cands = [on(y) for y in (r.year - 1, r.year, r.year + 1)]
        direction = self.direction(s, e)
        prev = self.prev_word(s)
        if prev == "last":
            direction = "past"
        elif prev == "next":
            direction = "future"
        if direction == "past":
            day = max(c for c in cands if c <= r)
        elif direction == "future":
            day = min(c for c in cands if c >= r)
        else:
            day = min(cands, key=lambda c: (abs((c - r).days), c > r))
        return [day_found(s, e, day, "holiday")]

    def h_season(self, m: re.Match[str]) -> list[Found]:
        s, e = m.start(), m.end()
        word = m["s"].lower()
        if not (m["rel"] or m["y"] or m["mod"]):
            if self.prev_word(s) != "the":
                return []
            tok = self.prev_token(s)
            before = self.prev_word(tok.idx) if tok is not None else ""
            if before not in self.g.season_ctx:
                return []
            s = tok.idx if tok is not None else s
        if word == "fall" and not (m["rel"] or m["y"]):
            return []
        code, first_month = self.g.lex["seasons"][word]
        if m["y"]:
            year = int(m["y"])
        else:
            if self.report is None:
                return [_null(s, e, "DATE", NEEDS_REPORT_DATE, "season")]
            r = self.report
            k = self.g.rel.get(re.sub(r"\s+", " ", m["rel"].lower()), 0) if m["rel"] else None
            spans = [(y, dt.date(y, first_month, 1), self._season_end(y, first_month))
                     for y in range(r.year - 2, r.year + 2)]
            direction = self.direction(s, e) if k is None else None
            if k is not None and k < 0:
                year = max(y for y, _a, z in spans if z < r)
            elif k is not None and k > 0:
                year = min(y for y, a, _z in spans if a > r)
            elif direction == "past":
                year = max(y for y, a, _z in spans if a <= r)
            elif direction == "future":
                year = min(y for y, _a, z in spans if z >= r)
            else:
                year = min(spans, key=lambda t: (0 if t[1] <= r <= t[2] else
                                                 min(abs((t[1] - r).days), abs((t[2] - r).days)),
                                                 t[0] > r.year))[0]
        sd = dt.date(year, first_month, 1)
        ed = self._season_end(year, first_month)
        f = Found(s, e, "DATE", f"{year:04d}-{code}", sd, ed, "season", rule="season")
        return [self.check_year(narrow(f, self.mod_frac(m)))]

    @staticmethod
    def _season_end(year: int, first_month: int) -> dt.date:
        y, mo = add_months(year, first_month, 2)
        return month_last(y, mo)

    def h_clock(self, m: re.Match[str]) -> list[Found]:
        s, e = m.start(), m.end()
        if m["noon"]:
            word = m["noon"].lower()
            clock = "T00:00" if word == "midnight" else "T12:00"
        else:
            h = int(m["h"] or m["h2"])
            mi = int(m["mi"] or m["mi2"] or 0)
            if m["ap"]:
                pm = m["ap"].lower().startswith("p")
                h = (h % 12) + (12 if pm else 0)
            tzw, off = m["tz"] or m["tz2"], m["off"] or m["off2"]
            if not m["ap"] and not tzw and self.prev_word(s) not in self.g.clock_ctx:
                return []
            clock = f"T{h:02d}:{mi:02d}"
            if tzw and not off:
                clock += self.g.lex["timezones"].get(tzw.lower(), "")
        return [Found(s, e, "TIME", None, None, None, "minute", rule="clock", clock=clock)]

    def h_weekday(self, m: re.Match[str]) -> list[Found]:
        if not m["wd"][:1].isupper() or self.in_name(m.start("wd"), m.end("wd")):
            return []
        prev = self.prev_token(m.start())
        if not m["rel"] and prev is not None and prev.tag_ == "NNP" and prev.text[:1].isupper() \
                and prev.lower_ not in self.g.months and prev.lower_ not in self.g.weekdays:
            return []  # part of a name ("Ruby Tuesday", "Super Tuesday")
        s, e = m.start(), m.end()
        typ = "TIME" if m["pod"] else "DATE"
        if self.report is None:
            return [_null(s, e, typ, NEEDS_REPORT_DATE, "weekday")]
        rel = re.sub(r"\s+", " ", m["rel"].lower()) if m["rel"] else None
        direction = None if rel else self.direction(s, e)
        wd = self.g.weekdays[m["wd"].lower()]
        if m["wk"] and not rel:  # "Tuesday last week": that week's Tuesday
            shift = {"last": -7, "next": 7, "this": 0}[m["wk"].lower()]
            day = week_monday(self.report) + dt.timedelta(days=shift + wd)
        else:
            day = self.resolve_weekday(wd, rel, direction)
        f = day_found(s, e, day, "weekday")
        if m["pod"]:
            f = replace(f, type="TIME",
                        value=f"{day.isoformat()}T{self.g.lex['parts_of_day'][m['pod'].lower()]}")
        return [f]

    def h_ordinal_day(self, m: re.Match[str]) -> list[Found]:
        """ "on the 15th": the 15th of the report's month, or of the month before or after when
        the governing verb's tense points there; not "on the 5th floor" or "the 3rd of May"
        (another rule)."""
        s, e = m.start(), m.end()
        sp = self.span(s, e)
        if sp is None or sp.end < len(self.doc) and self.doc[sp.end].pos_ in (
                "NOUN", "PROPN", "ADJ", "NUM"):
            return []
        if self.report is None:
            return [_null(s, e, "DATE", NEEDS_REPORT_DATE, "ordinal_day")]
        r = self.report
        d = int(m["d"])
        direction = self.direction(s, e)
        options = []
        for k in (-2, -1, 0, 1, 2):  # two months each way: some months have no 30th or 31st
            y, mo = add_months(r.year, r.month, k)
            if d <= month_last(y, mo).day:
                options.append(dt.date(y, mo, d))
        past = [o for o in options if o <= r]
        future = [o for o in options if o >= r]
        if direction == "past" and past:
            day = max(past)
        elif direction in ("future", "present") and future:  # "resume on the 2nd": the coming
            day = min(future)
        else:
            day = min(options, key=lambda o: (abs((o - r).days), o > r))
        return [replace(day_found(s, e, day, "ordinal_day"), explicit_year=False)]

    def h_month(self, m: re.Match[str]) -> list[Found]:
        strong = bool(m["rel"] or m["mod"])
        if not self._month_ok(m["mon"], m.start("mon"), m.end("mon"), strong):
            return []
        s, e = m.start(), m.end()
        if self.report is None:
            return [_null(s, e, "DATE", NEEDS_REPORT_DATE, "month")]
        rel = re.sub(r"\s+", " ", m["rel"].lower()) if m["rel"] else None
        direction = None if rel else self.direction(s, e)
        y, mo = self.resolve_month(self.g.months[m["mon"].lower()], rel, direction)
        f = month_found(s, e, y, mo, "month")
        f = narrow(f, self.mod_frac(m))
        return [replace(f, explicit_year=False)]

    def h_year(self, m: re.Match[str]) -> list[Found]:
        s, e = m.start(), m.end()
        ys, ye = m.start("y"), m.end("y")
        sp = self.span(ys, ye)
        if sp is None:
            return []
        tok = sp[0]
        prev = self.prev_word(ys)
        context = bool(m["mod"]) or prev in self.g.year_ctx
        if tok.ent_type_ in self.g.non_year_labels and not context:
            return []
        if not context:
            nxt = self.doc[sp.end] if sp.end < len(self.doc) else None
            if nxt is not None and (nxt.tag_ in ("NNS", "NNPS") or (
                    tok.ent_type_ != "DATE" and nxt.pos_ == "NOUN" and nxt.tag_ != "NN")):
                return []
        f = year_found(s, e, int(m["y"]), "year")
        return [self.check_year(narrow(f, self.mod_frac(m)))]


# --------------------------------------------------------------------------- whole-document scan


_BACK, _FORWARD = 80, 50  # characters tried before and after an anchor word


def scan(doc: Doc, report: dt.date | None, g: Grammar | None = None) -> list[Found]:
    """All time expressions of ``doc``, normalised, sorted by position (ranges after their parts)."""
    g = g or grammar()
    text = doc_text(doc)
    sc = Scanner(doc, report, g, text)
    words: dict[str, list[int]] = {}
    for w in g.word_re.finditer(text):
        key = "#" if w.group()[0].isdigit() else w.group().lower()
        words.setdefault(key, []).append(w.start())
    n = len(text)
    cands: list[tuple[int, int, int, str, re.Match[str]]] = []
    for prio, (name, rx) in enumerate(g.rules):
        hits = sorted(p for a in g.anchors[name] for p in words.get(a, ()))
        if not hits:
            continue
        windows: list[list[int]] = []
        for p in hits:
            lo, hi = max(0, p - _BACK), min(n, p + _FORWARD)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        for lo, hi in windows:
            for m in rx.finditer(text, lo, hi):
                if m.end() > m.start():
                    cands.append((m.start(), m.end(), prio, name, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    out: list[Found] = []
    for start, end, _prio, name, m in cands:
        if any(start < te and ts < end for ts, te in taken):
            continue
        found = sc.handle(name, m)
        if not found:
            continue
        for f in found:
            if not f.rule:
                f.rule = name
        taken.append((start, end))
        out.extend(found)
    out.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out = _join_ranges(sc, out)
    _resolve_anchored(sc, out)
    _anchor_clocks(sc, out)
    for f in out:
        f.text = text[f.start:f.end]
    return out


def _join_ranges(sc: Scanner, items: list[Found]) -> list[Found]:
    """Add a range (DURATION with start/end dates) for "X to Y", "from X to Y", "between X and Y"."""
    text = sc.text
    tops = [i for i, f in enumerate(items) if f.type == "DATE" and not f.part]
    extra: list[Found] = []
    for ia, ib in zip(tops, tops[1:], strict=False):
        a, b = items[ia], items[ib]
        if a.end > b.start or a.sd is None or b.sd is None or a.ed is None or b.ed is None:
            continue
        if a.gran != b.gran or a.gran is None:
            continue
        between = text[a.end:b.start]
        if not sc.g.conn_re.match(between):
            continue
        pre = sc.g.pre_re.search(text[max(0, a.start - 12):a.start])
        between_and = bool(pre and pre.group(1).lower() == "between")
        is_and = between.strip().lower() == "and" and not between_and
        if a.sd.year != b.sd.year and not a.explicit_year and b.explicit_year and a.regrade:
            fixed = a.regrade(b.sd.year)
            if fixed.sd is not None:
                items[ia] = a = replace(fixed, explicit_year=False)
        if (a.rule == b.rule == "weekday" and a.sd is not None and b.sd is not None
                and a.sd > b.sd and sc.report is not None):
            # "from Monday to Wednesday": put both ends in the same week
            week = dt.timedelta(days=7)
            if b.sd <= sc.report:
                na, nb = replace(a, sd=a.sd - week, ed=a.sd - week,
                                 value=_revalue(a.value, a.sd - week)), b
            else:
                na, nb = a, replace(b, sd=b.sd + week, ed=b.sd + week,
                                    value=_revalue(b.value, b.sd + week))
            assert na.sd is not None and nb.sd is not None
            if not is_and or (nb.sd - na.sd).days == 1:
                items[ia], items[ib] = a, b = na, nb
        if a.sd is None or b.sd is None or a.ed is None or b.ed is None or a.sd >= b.sd:
            continue
        if is_and and b.sd != a.ed + dt.timedelta(days=1):
            continue
        n = _units_between(a, b)
        start = a.start - (len(text[max(0, a.start - 12):a.start]) - pre.start()) if pre else a.start
        extra.append(Found(start, b.end, "DURATION", n, a.sd, b.ed, a.gran, rule="range"))
        a.part = b.part = True
    if extra:
        items = sorted(items + extra, key=lambda f: (f.start, -(f.end - f.start)))
    return items


_PERIOD_GRANS = ("quarter", "half", "month", "week", "season", "year")
# a calendar unit as a shift: (kind, how many of that kind)
_UNIT_KIND = {"day": ("D", 1), "night": ("D", 1), "morning": ("D", 1), "afternoon": ("D", 1),
              "evening": ("D", 1), "week": ("W", 1), "month": ("M", 1), "quarter": ("M", 3),
              "year": ("Y", 1), "decade": ("Y", 10), "century": ("Y", 100)}
_RANK = {"day": 0, "week": 1, "weekend": 1, "month": 2, "quarter": 3, "season": 3, "half": 4,
         "year": 5, "decade": 6, "century": 7}
# the granularities a shift by whole units of each kind keeps ("Y": any, "D": days only)
_SHIFTABLE = {"years": ("day", "week", "weekend", "month", "quarter", "half", "season", "year"),
              "to_year": ("day", "week", "weekend", "month", "quarter", "half", "season", "year"),
              "Y": ("day", "week", "weekend", "month", "quarter", "half", "season", "year"),
              "M": ("day", "month", "quarter", "half"), "W": ("day", "week", "weekend"),
              "D": ("day",)}


def _resolve_anchored(sc: Scanner, items: list[Found]) -> None:
    """Give "the same period last year", "two days later", "the next day"... their value from the
    time they count from.

    The anchor is the nearest earlier time of the text with a value, within ``anchor_scope``
    sentences ("a year earlier" looks only in its own sentence: alone it counts back from the
    report date). An expression with a granularity of its own ("the following year") takes an
    anchor at most that coarse and keeps its own granularity. Without an anchor, the expression
    keeps its fallback (counted from the report date) or stays null as anaphoric.
    """
    sent_starts: list[int] | None = None
    for i, f in enumerate(items):
        if f.anchor is None:
            continue
        kind, n = f.anchor
        counted = kind in ("Y", "M", "W", "D")
        floor = 0
        if f.anchor_scope >= 0:
            if sent_starts is None:
                sent_starts = [s.start_char for s in sc.doc.sents]
            k = max(0, sum(1 for st in sent_starts if st <= f.start) - 1 - f.anchor_scope)
            floor = sent_starts[k] if sent_starts else 0
        target = f.gran
        anchor: Found | None = None
        for g in reversed(items[:i]):
            if g.start < floor:
                break
            if g.anchor is not None or g.value is None or g.end > f.start:
                continue
            if g.type not in ("DATE", "TIME") or g.value.endswith("_REF") or g.gran is None:
                continue
            if counted:
                # the nearest time is the anchor; one coarser than the expression (a month
                # before "that day") leaves it unresolved
                if target is None or _RANK.get(g.gran, 9) <= _RANK.get(target, 9):
                    anchor = g
                break
            elif (g.gran == f.anchor_gran if f.anchor_gran else g.gran in _PERIOD_GRANS):
                anchor = g
                break
        moved = _shift_found(anchor, kind, n) if anchor is not None and anchor.gran in \
            _SHIFTABLE[kind] else None
        if moved is not None and target is not None and moved.gran != target:
            moved = _coarsen(moved, target)
        if moved is not None:
            items[i] = replace(moved, start=f.start, end=f.end, type="DATE", rule=f.rule,
                               part=f.part, anchor=None, fallback=None, reason=moved.reason)
        elif anchor is None and f.fallback is not None:
            items[i] = replace(f.fallback, start=f.start, end=f.end, rule=f.rule, anchor=None)
        else:
            items[i] = replace(f, anchor=None, fallback=None, gran=None)


def _coarsen(f: Found, gran: str) -> Found | None:
    """The ``gran`` period (week, month, quarter, year) that holds the first day of ``f``."""
    if f.value is not None and f.value.startswith("FY"):
        return replace(f, value=f.value[:6], gran="year") if gran == "year" else None
    if f.sd is None:
        return None
    d, s, e, rule = f.sd, f.start, f.end, f.rule
    if gran == "week":
        return week_found(s, e, d, rule)
    if gran == "month":
        return month_found(s, e, d.year, d.month, rule)
    if gran == "quarter":
        return quarter_found(s, e, d.year, (d.month + 2) // 3, rule)
    if gran == "year":
        return year_found(s, e, d.year, rule)
    if gran == "decade":
        return decade_found(s, e, d.year, rule)
    if gran == "century":
        return century_found(s, e, d.year, rule)
    if gran == "day":
        return day_found(s, e, d, rule) if f.sd == f.ed else None
    return None


def _shift_found(g: Found, kind: str, n: int) -> Found | None:
    """``g`` moved by ``n`` units of ``kind`` (or to year ``n``), keeping its granularity."""
    s, e, rule = g.start, g.end, g.rule
    if g.value is not None and g.value.startswith("FY"):
        fy = re.match(r"FY(\d{4})(.*)$", g.value)
        if fy is None or kind not in ("years", "to_year", "Y"):
            return None
        year = n if kind == "to_year" else int(fy.group(1)) + n
        return replace(g, value=f"FY{year:04d}{fy.group(2)}")
    if g.sd is None or g.ed is None:
        return None
    years = (n - g.sd.year) if kind == "to_year" else n if kind in ("years", "Y") else 0
    months = n if kind == "M" else 0
    days = n * 7 if kind == "W" else n if kind == "D" else 0
    try:
        if g.gran == "day":
            day = g.sd
            if years or months:
                y, mo = add_months(day.year + years, day.month, months)
                day = dt.date(y, mo, min(day.day, calendar.monthrange(y, mo)[1]))
            return day_found(s, e, day + dt.timedelta(days=days), rule)
        if g.gran in ("week", "weekend"):
            iso = g.sd.isocalendar()
            mon = (dt.date.fromisocalendar(iso[0] + years, iso[1], 1) if years else
                   week_monday(g.sd)) + dt.timedelta(days=days)
            make = week_found if g.gran == "week" else weekend_found
            return make(s, e, mon, rule)
        if g.gran == "month":
            y, mo = add_months(g.sd.year + years, g.sd.month, months)
            return month_found(s, e, y, mo, rule)
        year = g.sd.year + years
        if g.gran in ("quarter", "half"):
            year, mo = add_months(year, g.sd.month, months)
            if g.gran == "quarter":
                return quarter_found(s, e, year, (mo + 2) // 3, rule)
            return half_found(s, e, year, 1 if mo < 7 else 2, rule)
        if g.gran == "season" and g.value is not None:
            ed = g.ed.replace(year=g.ed.year + years)
            return replace(g, value=f"{year:04d}{g.value[4:]}", sd=g.sd.replace(year=year), ed=ed)
        if g.gran == "year":
            return year_found(s, e, year, rule)
    except ValueError:
        return None
    return None


def _revalue(value: str | None, day: dt.date) -> str:
    """A day value (possibly with a part of day, "2023-06-12TMO") moved to ``day``."""
    return day.isoformat() + (value[10:] if value else "")


def _units_between(a: Found, b: Found) -> str | None:
    assert a.sd is not None and b.sd is not None
    if a.gran == "day":
        return f"P{(b.sd - a.sd).days}D"
    if a.gran in ("week", "weekend"):
        return f"P{(b.sd - a.sd).days // 7}W"
    months = (b.sd.year - a.sd.year) * 12 + b.sd.month - a.sd.month
    if a.gran == "month":
        return f"P{months}M"
    if a.gran == "quarter":
        return f"P{months // 3}Q"
    if a.gran == "year":
        return f"P{b.sd.year - a.sd.year}Y"
    if a.gran == "decade":
        return f"P{(b.sd.year // 10 - a.sd.year // 10) * 10}Y"
    return None


def _anchor_clocks(sc: Scanner, items: list[Found]) -> None:
    """Give clock times ("at 18:00 UTC") the day of a day-level date before them in the sentence."""
    for i, f in enumerate(items):
        if f.clock is None:
            continue
        anchor: dt.date | None = None
        sp = sc.span(f.start, f.end)
        sent_start = sp.sent.start_char if sp is not None else 0
        for g in reversed(items[:i]):
            if g.start < sent_start:
                break
            if g.gran == "day" and g.sd is not None and g.sd == g.ed and g.type in ("DATE", "TIME"):
                anchor = g.sd
                break
        if anchor is None:
            anchor = sc.report
        if anchor is None:
            items[i] = replace(f, reason=NEEDS_REPORT_DATE, gran=None)
        else:
            items[i] = replace(f, value=anchor.isoformat() + f.clock, sd=anchor, ed=anchor)


__all__ = ["Found", "Grammar", "Scanner", "grammar", "load_lexicon", "scan"]
