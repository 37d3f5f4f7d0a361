"""Rebuild the dashboard's offline world map from the npm package ``world-atlas``.

The dashboard draws its base layer from ``src/tidings/api/static/world-110m.json``: Natural Earth
1:110m country outlines (via ``world-atlas``, ISC licence; Natural Earth is public domain),
projected once here with the Natural Earth I projection into SVG path strings, with each
country's ISO 3166 alpha-3 code and a label point. The dashboard projects event coordinates with
the same formula (``static/app.js``, ``project``), so the two must change together.

Usage::

    python scripts/build_dashboard_assets.py                 # npm pack world-atlas@2.0.2
    python scripts/build_dashboard_assets.py --package DIR   # an unpacked package (or .tgz)
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pycountry
from topojson_geometry import Point, area_centroid, decode_arcs, polygons

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "tidings" / "api" / "static"
PACKAGE = "world-atlas@2.0.2"
WIDTH = 960.0
DROP = {"010"}  # Antarctica: no room on a dashboard map, no events to show there



def natural_earth(lon: float, lat: float) -> Point:
    """Natural Earth I projection (Šavrič et al. 2011), unit sphere, radians in."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def unwrap(ring_pts: list[Point]) -> list[Point]:
    """A ring that runs along the antimeridian (jumps of over 180 degrees) is moved onto its
    majority side, so it projects as one shape; what lies past the map edge is clipped."""
    jumps = any(abs(b[0] - a[0]) > 180 for a, b in zip(ring_pts, ring_pts[1:], strict=False))
    if not jumps:
        return ring_pts
    east = sum(1 for lon, _ in ring_pts if lon > 0) >= len(ring_pts) / 2
    if east:
        return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring_pts]
    return [(lon - 360 if lon > 0 else lon, lat) for lon, lat in ring_pts]


def iso3_of(numeric: str | None, name: str) -> str | None:
    if numeric:
        c = pycountry.countries.get(numeric=numeric.zfill(3))
        if c is not None:
            return str(c.alpha_3)
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


def build(topo: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topo)
    x_max, _ = natural_earth(180.0, 0.0)
    _, y_max = natural_earth(0.0, 90.0)
    _, y_min = natural_earth(0.0, -58.0)
    scale = WIDTH / (2 * x_max)
    height = (y_max - y_min) * scale

    def px(lon: float, lat: float) -> Point:
        x, y = natural_earth(lon, lat)
        return (x + x_max) * scale, (y_max - y) * scale

    countries: list[dict[str, Any]] = []
    for geom in topo["objects"]["countries"]["geometries"]:
        cid = geom.get("id")
        if cid in DROP:
            continue
        name = geom.get("properties", {}).get("name", "")
        parts: list[str] = []
        best: tuple[float, Point] = (-1.0, (0.0, 0.0))
        for poly in polygons(geom, arcs):
            for k, r in enumerate(poly):
                proj = [px(lon, lat) for lon, lat in unwrap(r)]
                if k == 0:
                    area, c = area_centroid(proj)
                    if area > best[0]:
                        best = (area, c)
                parts.append(_path(proj))
        if not parts:
            continue
        countries.append({
            "id": cid, "iso3": iso3_of(cid, name), "name": name, "d": "".join(parts),
            "c": [round(best[1][0], 1), round(best[1][1], 1)],
        })
    countries.sort(key=lambda c: c["name"])
    return {
        "source": f"{PACKAGE} countries-110m.json (Natural Earth 1:110m admin 0, v4.1.0)",
        "licence": "world-atlas: ISC, Copyright 2013-2019 Michael Bostock; "
                   "Natural Earth: public domain. See world-110m.LICENSE.txt.",
        "projection": {"name": "naturalEarth1", "scale": round(scale, 6),
                       "x_max": round(x_max, 9), "y_max": round(y_max, 9)},
        "width": WIDTH, "height": round(height, 1),
        "countries": countries,
    }


def _path(pts: list[Point]) -> str:
    out: list[str] = []
    last: tuple[float, float] | None = None
    for x, y in pts:
        p = (round(x, 1), round(y, 1))
        if p == last:
            continue
        out.append(f"{p[0]:g},{p[1]:g}")
        last = p
    return "M" + "L".join(out) + "Z"


def load_package(package: str | None, work: Path) -> Path:
    if package is None:
        subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(work)], check=True,
                       capture_output=True)
        package = str(next(work.glob("world-atlas-*.tgz")))
    p = Path(package)
    if p.is_file():
        with tarfile.open(p) as tar:
            tar.extractall(work, filter="data")
        p = work / "package"
    return p


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--package", help="unpacked world-atlas package folder or its .tgz")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkg = load_package(args.package, Path(tmp))
        topo = json.loads((pkg / "countries-110m.json").read_text(encoding="utf-8"))
        licence = (pkg / "LICENSE").read_text(encoding="utf-8")
    world = build(topo)
    STATIC.mkdir(parents=True, exist_ok=True)
    (STATIC / "world-110m.json").write_text(
        json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    (STATIC / "world-110m.LICENSE.txt").write_text(
        "world-110m.json is derived from the npm package " + PACKAGE + " (countries-110m.json),\n"
        "projected and converted to SVG paths by scripts/build_dashboard_assets.py.\n"
        "The outlines are Natural Earth data (public domain, naturalearthdata.com).\n\n"
        "world-atlas licence (ISC):\n\n" + licence, encoding="utf-8")
    print(f"{len(world['countries'])} countries -> {STATIC / 'world-110m.json'}")


if __name__ == "__main__":
    main()
