"""Stored rows back into the output contract: ``Event.to_dict()`` and ``Quote.to_dict()`` shapes.

The API never invents field names for events or quotes: rows from the store are turned back into
the typed records of ``tidings.model`` and serialised with their own ``to_dict()``; extra context
(``root_id``, ``event_date``, article title, url and outlet) is added next to the contract fields.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tidings.model import (
    Actor,
    Cameo,
    Event,
    EventDate,
    Location,
    Plover,
    Quote,
    Sentence,
    Span,
    Speaker,
)


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _int(value: Any, default: int = -1) -> int:
    return int(value) if value is not None else default


def _actor(row: dict[str, Any], side: str) -> Actor | None:
    text, code = row.get(f"{side}_text"), row.get(f"{side}_code")
    if text is None and code is None:
        return None
    return Actor(text=text or "", code=code, country=row.get(f"{side}_country"),
                 sector=row.get(f"{side}_sector"), start=_int(row.get(f"{side}_start")),
                 end=_int(row.get(f"{side}_end")), name=row.get(f"{side}_name"))


def event_from_row(row: dict[str, Any]) -> Event:
    """The ``Event`` record a stored ``events`` row (plus ``sentence_text``) came from."""
    date = None
    if row.get("date_resolved_by") is not None or row.get("date_start") is not None:
        date = EventDate(start=_iso(row.get("date_start")), end=_iso(row.get("date_end")),
                         granularity=row.get("date_granularity"), text=row.get("date_text"),
                         resolved_by=row.get("date_resolved_by") or "")
    location = None
    if any(row.get(k) is not None for k in ("location_text", "location_country",
                                            "location_lat")):
        location = Location(
            text=row.get("location_text") or "", name=row.get("location_name"),
            geonameid=row.get("location_geonameid"), lat=row.get("location_lat"),
            lon=row.get("location_lon"), country=row.get("location_country"),
            admin1=row.get("location_admin1"), feature=row.get("location_feature"),
            resolved_by=row.get("location_resolved_by") or "",
            start=_int(row.get("location_start")), end=_int(row.get("location_end")))
    reported_by = None
    if row.get("reported_by_text") is not None or row.get("reported_by_code") is not None:
        code = row.get("reported_by_code")
        reported_by = Actor(text=row.get("reported_by_text") or "", code=code,
                            country=code[:3] if code else None, sector=None)
    source = _actor(row, "source") or Actor(text="", code=None, country=None, sector=None)
    return Event(
        event_id=row["event_id"],
        article_id=row["article_id"],
        report_date=_iso(row.get("report_date")),
        sentence=Sentence(index=_int(row.get("sentence_index")),
                          start=_int(row.get("sentence_start")),
                          end=_int(row.get("sentence_end")),
                          text=row.get("sentence_text") or ""),
        trigger=Span(text=row.get("trigger_text") or "", start=_int(row.get("trigger_start")),
                     end=_int(row.get("trigger_end"))),
        source=source,
        target=_actor(row, "target"),
        cameo=Cameo(code=row.get("cameo_code") or "", root=row.get("cameo_root") or "",
                    name=row.get("cameo_name") or "", goldstein=row.get("goldstein"),
                    quad_class=row.get("quad_class")),
        plover=Plover(type=row.get("plover_type") or "", mode=row.get("plover_mode"),
                      contexts=list(row.get("plover_contexts") or [])),
        modality=row.get("modality") or "asserted",
        date=date,
        location=location,
        explanation=_json(row.get("explanation")),
        reported_by=reported_by,
        counts=_json(row.get("counts")),
    )


def _actor_fields(text: str, code: str | None, country: str | None, sector: str | None,
                  start: int = -1, end: int = -1, name: str | None = None) -> dict[str, Any]:
    """``Actor.to_dict()`` of these values."""
    return {"text": text, "code": code, "country": country, "sector": sector, "start": start,
            "end": end, "name": name, "matched": []}


def _actor_dict(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    text, code = row.get(f"{side}_text"), row.get(f"{side}_code")
    if text is None and code is None:
        return None
    return _actor_fields(text or "", code, row.get(f"{side}_country"), row.get(f"{side}_sector"),
                         _int(row.get(f"{side}_start")), _int(row.get(f"{side}_end")),
                         row.get(f"{side}_name"))


def event_dict(row: dict[str, Any]) -> dict[str, Any]:
    """``Event.to_dict()`` of a stored row, plus ``root_id``, ``event_date`` and article info.

    Built straight from the row (pages serialise thousands of events); a test checks it equals
    ``event_from_row(row).to_dict()`` field for field."""
    g = row.get
    date: dict[str, Any] | None = None
    if g("date_resolved_by") is not None or g("date_start") is not None:
        date = {"start": _iso(g("date_start")), "end": _iso(g("date_end")),
                "granularity": g("date_granularity"), "text": g("date_text"),
                "resolved_by": g("date_resolved_by") or ""}
    location: dict[str, Any] | None = None
    if (g("location_text") is not None or g("location_country") is not None
            or g("location_lat") is not None):
        location = {"text": g("location_text") or "", "name": g("location_name"),
                    "geonameid": g("location_geonameid"), "lat": g("location_lat"),
                    "lon": g("location_lon"), "country": g("location_country"),
                    "admin1": g("location_admin1"), "feature": g("location_feature"),
                    "resolved_by": g("location_resolved_by") or "",
                    "start": _int(g("location_start")), "end": _int(g("location_end"))}
    reported_by: dict[str, Any] | None = None
    rb_text, rb_code = g("reported_by_text"), g("reported_by_code")
    if rb_text is not None or rb_code is not None:
        reported_by = _actor_fields(rb_text or "", rb_code, rb_code[:3] if rb_code else None,
                                    None)
    source = _actor_dict(row, "source") or _actor_fields("", None, None, None)
    out: dict[str, Any] = {
        "event_id": row["event_id"],
        "article_id": row["article_id"],
        "report_date": _iso(g("report_date")),
        "sentence": {"index": _int(g("sentence_index")), "start": _int(g("sentence_start")),
                     "end": _int(g("sentence_end")), "text": g("sentence_text") or ""},
        "trigger": {"text": g("trigger_text") or "", "start": _int(g("trigger_start")),
                    "end": _int(g("trigger_end"))},
        "source": source,
        "target": _actor_dict(row, "target"),
        "cameo": {"code": g("cameo_code") or "", "root": g("cameo_root") or "",
                  "name": g("cameo_name") or "", "goldstein": g("goldstein"),
                  "quad_class": g("quad_class")},
        "plover": {"type": g("plover_type") or "", "mode": g("plover_mode"),
                   "contexts": list(g("plover_contexts") or [])},
        "modality": g("modality") or "asserted",
        "date": date,
        "location": location,
        "explanation": _json(g("explanation")),
        "reported_by": reported_by,
        "counts": _json(g("counts")),
        "root_id": g("root_id"),
        "event_date": _iso(g("event_date")),
    }
    for key in ("title", "url", "outlet"):
        if key in row:
            out[key] = row[key]
    return out


def quote_dict(row: dict[str, Any]) -> dict[str, Any]:
    """``Quote.to_dict()`` of a stored ``quotes`` row, plus its article's id, date and title."""
    speaker = None
    if row.get("speaker_text") is not None:
        speaker = Speaker(text=row["speaker_text"], name=row.get("speaker_name"),
                          code=row.get("speaker_code"), country=row.get("speaker_country"),
                          sector=row.get("speaker_sector"),
                          start=_int(row.get("speaker_start")), end=_int(row.get("speaker_end")))
    quote = Quote(start=_int(row.get("start_char")), end=_int(row.get("end_char")),
                  text=row.get("text") or "", speaker=speaker, cue=row.get("cue"),
                  reason=row.get("reason"))
    out = quote.to_dict()
    out["article_id"] = row.get("article_id")
    out["quote_index"] = row.get("quote_index")
    out["article_date"] = _iso(row.get("article_date"))
    out["title"] = row.get("title")
    out["url"] = row.get("url")
    return out


def plain(value: Any) -> Any:
    """JSON-ready value: dates to ISO strings, NaN to None, numpy scalars to Python."""
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    return value
