"""ICEWS export: the 20 columns of an ICEWS coded-event file, one row per event mention.

Tab-separated with ICEWS's header. ``Event ID`` is the Tidings event id and ``Story ID`` the
article id (ICEWS uses numbers; ids here stay traceable to the store). ``Intensity`` is the
Goldstein score, ``Event Text`` the CAMEO code's name; sectors are readable names from the CAMEO
actor-code tables; ``Country`` is where the event happened.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tidings.exports import clean, country_name, sector_names

COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)


def _actor_name(row: dict[str, Any], side: str) -> str | None:
    name = clean(row.get(f"{side}_name")) or clean(row.get(f"{side}_text"))
    return str(name) if name else None


def record(row: dict[str, Any]) -> dict[str, Any]:
    """One ICEWS row (keyed by ``COLUMNS``) from an event-mention row."""
    d = clean(row.get("event_date"))
    feature = clean(row.get("location_feature"))
    place = clean(row.get("location_name")) or clean(row.get("location_text"))
    return {
        "Event ID": row["event_id"],
        "Event Date": d.isoformat() if isinstance(d, dt.date) else None,
        "Source Name": _actor_name(row, "source"),
        "Source Sectors": sector_names(clean(row.get("source_code")),
                                       clean(row.get("source_sector"))),
        "Source Country": country_name(clean(row.get("source_country"))),
        "Event Text": clean(row.get("cameo_name")),
        "CAMEO Code": clean(row.get("cameo_code")),
        "Intensity": clean(row.get("goldstein")),
        "Target Name": _actor_name(row, "target"),
        "Target Sectors": sector_names(clean(row.get("target_code")),
                                       clean(row.get("target_sector"))),
        "Target Country": country_name(clean(row.get("target_country"))),
        "Story ID": row["article_id"],
        "Sentence Number": int(row["sentence_index"]) + 1
        if clean(row.get("sentence_index")) is not None else None,
        "Publisher": clean(row.get("outlet")),
        "City": place if feature == "city" else None,
        "District": place if feature == "admin2" else None,
        "Province": (place if feature == "admin1" else clean(row.get("location_admin1"))),
        "Country": country_name(clean(row.get("location_country"))),
        "Latitude": clean(row.get("location_lat")),
        "Longitude": clean(row.get("location_lon")),
    }


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def write(store: Any, out: Path, **filters: Any) -> list[Path]:
    """Write the ICEWS file (with header) to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = store.mentions(as_="arrow", **filters).to_pylist()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            rec = record(row)
            fh.write("\t".join(_fmt(rec[c]) for c in COLUMNS) + "\n")
    return [out]
