"""GDELT 2.0 export: the 61-column Event table and the 16-column Mentions table.

One Event row per root event (mentions with the same date, source, target and CAMEO code), with
NumMentions / NumSources / NumArticles as GDELT defines them; one Mentions row per coded sentence.
Tab-separated, no header (as GDELT ships them) unless ``header=True``. Unknown values are empty;
AvgTone and MentionDocTone are empty because Tidings does not score tone. Actor geography is
not resolved (Geo_Type 0). ActionGeo_FeatureID holds the GeoNames id. GlobalEventID is a stable
number derived from the root id; the Mentions ``Extras`` field carries the Tidings event id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tidings.exports import clean, country_fips, country_name, split_actor_code
from tidings.store.dedup import root_number

EVENT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

MENTION_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)

# GDELT geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
_FEATURE_TYPE = {"country": 1, "admin1": 5, "admin2": 5, "city": 4}


def _fmt(value: Any) -> str:
    value = clean(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return " ".join(str(value).split())


def _fraction_date(d: dt.date) -> float:
    return round(d.year + (d.month * 30 + d.day) / 365.0, 4)


def _actor(prefix: str, row: dict[str, Any], side: str) -> dict[str, Any]:
    code = clean(row.get(f"{side}_code"))
    name = clean(row.get(f"{side}_name")) or clean(row.get(f"{side}_text"))
    parts = split_actor_code(code, clean(row.get(f"{side}_country")))
    out: dict[str, Any] = {f"{prefix}Code": code, f"{prefix}Name": name.upper() if name else None}
    out.update({f"{prefix}{k}": v for k, v in parts.items()})
    return out


def action_geo(row: dict[str, Any]) -> dict[str, Any]:
    """ActionGeo_* fields from an event's location."""
    iso3 = clean(row.get("location_country"))
    name = clean(row.get("location_name")) or clean(row.get("location_text"))
    feature = clean(row.get("location_feature"))
    if not iso3 and not name:
        return {"ActionGeo_Type": 0}
    fips = country_fips(iso3)
    geo_type = _FEATURE_TYPE.get(feature or "", 4 if name else 1)
    if iso3 == "USA" and geo_type in (4, 5):
        geo_type = 3 if geo_type == 4 else 2
    admin1 = clean(row.get("location_admin1"))
    full = [p for p in (name if geo_type != 1 else None, admin1 if geo_type in (3, 4) else None,
                        country_name(iso3)) if p]
    seen: list[str] = []
    for p in full:
        if str(p) not in seen:
            seen.append(str(p))
    return {
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": ", ".join(seen) or name,
        "ActionGeo_CountryCode": fips,
        "ActionGeo_ADM1Code": (f"{fips}{admin1}" if fips and admin1 and len(str(admin1)) <= 3
                               else fips),
        "ActionGeo_ADM2Code": None,
        "ActionGeo_Lat": clean(row.get("location_lat")),
        "ActionGeo_Long": clean(row.get("location_lon")),
        "ActionGeo_FeatureID": clean(row.get("location_geonameid")),
    }


def event_record(row: dict[str, Any]) -> dict[str, Any]:
    """One GDELT Event row (a dict keyed by ``EVENT_COLUMNS``) from a root-event row."""
    d = clean(row.get("event_date"))
    code = clean(row.get("cameo_code")) or ""
    rec: dict[str, Any] = {
        "GlobalEventID": root_number(row["root_id"]),
        "Day": d, "MonthYear": d.strftime("%Y%m") if d else None,
        "Year": d.year if d else None, "FractionDate": _fraction_date(d) if d else None,
        **_actor("Actor1", row, "source"), **_actor("Actor2", row, "target"),
        "IsRootEvent": bool(clean(row.get("is_root_event"))),
        "EventCode": code, "EventBaseCode": code[:3] or None,
        "EventRootCode": clean(row.get("cameo_root")) or code[:2] or None,
        "QuadClass": clean(row.get("quad_class")), "GoldsteinScale": clean(row.get("goldstein")),
        "NumMentions": row.get("num_mentions"), "NumSources": row.get("num_sources"),
        "NumArticles": row.get("num_articles"), "AvgTone": None,
        "Actor1Geo_Type": 0, "Actor2Geo_Type": 0,
        **action_geo(row),
        "DATEADDED": clean(row.get("ingested_at")),
        "SOURCEURL": clean(row.get("url")) or row.get("article_id"),
    }
    return rec


def _confidence(explanation: Any) -> int | None:
    try:
        data = json.loads(explanation) if isinstance(explanation, str) else explanation
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("confidence"), int | float):
        c = float(data["confidence"])
        return round(c * 100) if c <= 1 else round(c)
    return None


def mention_record(row: dict[str, Any], event_time: Any) -> dict[str, Any]:
    """One GDELT Mentions row from an event-mention row."""
    article_date = clean(row.get("article_date")) or clean(row.get("report_date"))
    mention_time = (dt.datetime.combine(article_date, dt.time()) if article_date
                    else clean(row.get("ingested_at")))

    def offset(key: str) -> int:
        v = clean(row.get(key))
        return int(v) if v is not None and int(v) >= 0 else -1

    return {
        "GlobalEventID": root_number(row["root_id"]),
        "EventTimeDate": event_time, "MentionTimeDate": mention_time, "MentionType": 1,
        "MentionSourceName": clean(row.get("outlet")),
        "MentionIdentifier": clean(row.get("url")) or row.get("article_id"),
        "SentenceID": int(row["sentence_index"]) + 1
        if clean(row.get("sentence_index")) is not None else None,
        "Actor1CharOffset": offset("source_start"),
        "Actor2CharOffset": offset("target_start") if clean(row.get("target_code")) else -1,
        "ActionCharOffset": offset("trigger_start"), "InRawText": 1,
        "Confidence": _confidence(row.get("explanation")),
        "MentionDocLen": clean(row.get("text_len")), "MentionDocTone": None,
        "MentionDocTranslationInfo": None,
        "Extras": f"<TidingsEventID>{row['event_id']}</TidingsEventID>",
    }


def _write_tsv(path: Path, columns: Sequence[str], records: Iterable[dict[str, Any]],
               header: bool) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        if header:
            fh.write("\t".join(columns) + "\n")
        for rec in records:
            fh.write("\t".join(_fmt(rec.get(c)) for c in columns) + "\n")


def mentions_path(out: Path) -> Path:
    """The companion Mentions file next to an Event file: ``x.export.tsv`` → ``x.mentions.tsv``."""
    name = out.name
    if ".export." in name:
        return out.with_name(name.replace(".export.", ".mentions.", 1))
    return out.with_name(f"{out.stem}.mentions{out.suffix or '.tsv'}")


def write(store: Any, out: Path, *, header: bool = False, **filters: Any) -> list[Path]:
    """Write the Event file to ``out`` and the Mentions file beside it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    roots = store.roots(as_="arrow", **filters).to_pylist()
    event_time = {r["root_id"]: clean(r.get("ingested_at")) for r in roots}
    _write_tsv(out, EVENT_COLUMNS, (event_record(r) for r in roots), header)
    mentions = store.mentions(as_="arrow", **filters).to_pylist()
    mpath = mentions_path(out)
    _write_tsv(mpath, MENTION_COLUMNS,
               (mention_record(m, event_time.get(m["root_id"])) for m in mentions), header)
    return [out, mpath]
