"""PLOVER export: one JSON object per line, with the PLOVER manual's field names.

Fields: ``id``, ``date``, ``enddate``, ``actor`` and ``recipient`` (lists of entity objects:
``code``, ``sector``, ``entity_text``, ``identifier_text``), ``event`` (list), ``mode``,
``context``, ``event_loc`` (location object: ``extracted_place``, ``resolved_place``,
``geonameid``, ``lat``, ``lon``, ``province``, ``country``, ``country_code``, ``resolution``),
``event_text``, ``quad_code``, ``event_scale`` (Goldstein), ``link`` (root event shared by
mentions of the same event), ``text`` and ``text_info`` (sentence and offsets),
``cite_info`` (url, title, publication), ``dead``/``injured``/``arrested``/``size`` when coded,
``coder``, ``coded_date``. Tidings adds ``modality`` and ``article_id`` (PLOVER allows extra
named fields).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tidings import __version__
from tidings.exports import clean, country_name

_RESOLUTION = {"city": 4, "admin2": 3, "admin1": 2, "country": 1}


def _entity(row: dict[str, Any], side: str) -> list[dict[str, Any]]:
    code = clean(row.get(f"{side}_code"))
    text = clean(row.get(f"{side}_text"))
    if not code and not text:
        return []
    country = clean(row.get(f"{side}_country"))
    ent: dict[str, Any] = {"code": country or (code[:3] if code else None)}
    sector = clean(row.get(f"{side}_sector"))
    if sector:
        ent["sector"] = sector
    if text:
        ent["entity_text"] = text
    name = clean(row.get(f"{side}_name"))
    if name:
        ent["identifier_text"] = name
    if code:
        ent["cameo_code"] = code
    return [ent]


def _date(value: Any) -> str | None:
    value = clean(value)
    return value.isoformat() if isinstance(value, dt.date) else None


def record(row: dict[str, Any], coded_date: str) -> dict[str, Any]:
    """One PLOVER JSON record from an event-mention row."""
    rec: dict[str, Any] = {
        "id": row["event_id"],
        "date": _date(row.get("event_date")),
        "enddate": _date(row.get("date_end")),
        "actor": _entity(row, "source"),
        "recipient": _entity(row, "target"),
        "event": [row["plover_type"]] if clean(row.get("plover_type")) else [],
        "mode": [row["plover_mode"]] if clean(row.get("plover_mode")) else [],
        "context": list(clean(row.get("plover_contexts")) or []),
        "event_text": [row["trigger_text"]] if clean(row.get("trigger_text")) else [],
        "quad_code": clean(row.get("quad_class")),
        "event_scale": clean(row.get("goldstein")),
        "link": row.get("root_id"),
        "text": clean(row.get("sentence_text")),
        "text_info": {"sequence": clean(row.get("sentence_index")),
                      "start": clean(row.get("sentence_start")),
                      "end": clean(row.get("sentence_end"))},
        "cite_info": {k: v for k, v in {
            "url": clean(row.get("url")), "title": clean(row.get("title")),
            "publication": clean(row.get("outlet")),
            "coder": f"tidings {__version__}", "codebook": "plover"}.items() if v},
        "coder": f"tidings {__version__}",
        "coded_date": coded_date,
        "modality": clean(row.get("modality")),
        "article_id": row["article_id"],
    }
    loc_text = clean(row.get("location_text"))
    if loc_text or clean(row.get("location_country")):
        iso3 = clean(row.get("location_country"))
        feature = clean(row.get("location_feature"))
        rec["event_loc"] = {k: v for k, v in {
            "extracted_place": loc_text, "resolved_place": clean(row.get("location_name")),
            "geonameid": clean(row.get("location_geonameid")),
            "lat": clean(row.get("location_lat")), "lon": clean(row.get("location_lon")),
            "province": clean(row.get("location_admin1")),
            "country": country_name(iso3), "country_code": iso3,
            "resolution": _RESOLUTION.get(feature or ""),
        }.items() if v is not None}
    counts = clean(row.get("counts"))
    if isinstance(counts, str) and counts:
        try:
            for key, value in json.loads(counts).items():
                if key in ("dead", "injured", "arrested", "size") and value is not None:
                    rec[key] = value
        except (ValueError, AttributeError):
            pass
    return rec


def write(store: Any, out: Path, **filters: Any) -> list[Path]:
    """Write PLOVER JSON lines to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    coded = dt.date.today().isoformat()
    rows = store.mentions(as_="arrow", **filters).to_pylist()
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(record(row, coded), ensure_ascii=False, default=str) + "\n")
    return [out]
