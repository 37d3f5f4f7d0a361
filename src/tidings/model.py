"""Typed records that flow through Tidings.

``Article`` → (spaCy ``Doc``) → mentions (``Actor``, ``Time``, ``Place``, ``Quote``) → ``Event`` →
``ArticleResult``. Every record turns into plain JSON with ``to_dict()``; the field names are the
output contract (see README "Output"): fields may be added, never renamed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "negated", "future", "hypothetical", "reported"]
MODALITIES: tuple[str, ...] = ("asserted", "negated", "future", "hypothetical", "reported")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: ``to_dict()`` gives the JSON-ready form of a dataclass record."""

    def to_dict(self) -> dict[str, Any]:
        out = _plain(self)
        assert isinstance(out, dict)
        return out


@dataclass
class Article(Record):
    """One news article as read from a file, a JSON line or a CSV row."""

    id: str
    date: dt.date | None
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None  # where it was read from: "path" or "path:line"

    @staticmethod
    def make_id(date: dt.date | None, text: str) -> str:
        """Stable id from the report date and the text (used when the input has no id)."""
        h = hashlib.sha1(f"{date.isoformat() if date else ''}\n{text}".encode()).hexdigest()
        return h[:16]


@dataclass
class Sentence(Record):
    index: int
    start: int
    end: int
    text: str


@dataclass
class Span(Record):
    text: str
    start: int
    end: int


@dataclass
class Actor(Record):
    """An actor mention coded with the knowledge base as of the report date."""

    text: str
    code: str | None  # CAMEO actor code, e.g. "USAGOV", "AFGREB", "IGOUNO"
    country: str | None  # ISO 3166 alpha-3 ("IGO" for international organisations)
    sector: str | None  # "GOV", "MIL", "COP", "REB", ...
    start: int = -1
    end: int = -1
    name: str | None = None  # canonical name of a person or organisation, when known
    matched: list[str] = field(default_factory=list)  # dictionary entries that produced the code


@dataclass
class Cameo(Record):
    code: str
    root: str
    name: str
    goldstein: float | None
    quad_class: int | None


@dataclass
class Plover(Record):
    type: str
    mode: str | None
    contexts: list[str] = field(default_factory=list)


@dataclass
class EventDate(Record):
    start: str | None
    end: str | None
    granularity: str | None  # "day", "week", "month", "year"
    text: str | None
    resolved_by: str  # "attached", "sentence", "report_date"


@dataclass
class Place(Record):
    start: int
    end: int
    text: str
    name: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str | None  # "city", "country", "admin1", "admin2", ...
    reason: str | None = None  # why fields are null, when they are


@dataclass
class Location(Record):
    text: str
    name: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str | None
    resolved_by: str  # "attached", "dateline", ...
    start: int = -1
    end: int = -1


@dataclass
class Time(Record):
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None  # TimeML value: 2021-10-09, 2021-W40, 2021-08, P3D
    start_date: str | None
    end_date: str | None
    granularity: str | None
    reason: str | None = None


@dataclass
class Speaker(Record):
    text: str
    name: str | None
    code: str | None
    country: str | None
    sector: str | None
    start: int
    end: int


@dataclass
class Quote(Record):
    start: int
    end: int
    text: str
    speaker: Speaker | None
    cue: str | None
    reason: str | None = None  # why the speaker is null


@dataclass
class Event(Record):
    event_id: str
    article_id: str
    report_date: str | None
    sentence: Sentence
    trigger: Span
    source: Actor
    target: Actor | None
    cameo: Cameo
    plover: Plover
    modality: str
    date: EventDate | None
    location: Location | None
    explanation: dict[str, Any]
    reported_by: Actor | None = None
    counts: dict[str, Any] = field(default_factory=dict)  # dead, injured, arrested, size

    @staticmethod
    def make_id(article_id: str, sentence_index: int, trigger_start: int, source: str | None,
                target: str | None, cameo: str) -> str:
        """Stable id: the same article coded twice gives the same ids."""
        key = f"{article_id}|{sentence_index}|{trigger_start}|{source}|{target}|{cameo}"
        return hashlib.sha1(key.encode()).hexdigest()[:20]


@dataclass
class ArticleResult(Record):
    article: Article
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "article": {"id": a.id, "date": a.date.isoformat() if a.date else None,
                        "title": a.title, "source": a.source, "url": a.url},
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "places": [p.to_dict() for p in self.places],
            "times": [t.to_dict() for t in self.times],
        }
