"""TopoJSON decoding and ring centroids shared by the build scripts (build-time only)."""

from __future__ import annotations

from typing import Any

Point = tuple[float, float]


def decode_arcs(topo: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat positions of every arc (undoing quantisation and delta coding)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out: list[list[Point]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    pts: list[Point] = []
    for i in indices:
        seg = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(seg[1:] if pts else seg)
    return pts


def polygons(geom: dict[str, Any], arcs: list[list[Point]]) -> list[list[list[Point]]]:
    """The rings of a Polygon or MultiPolygon geometry (first ring of each polygon outer)."""
    if geom["type"] == "Polygon":
        return [[ring(r, arcs) for r in geom["arcs"]]]
    if geom["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in poly] for poly in geom["arcs"]]
    return []


def area_centroid(pts: list[Point]) -> tuple[float, Point]:
    """(area, centroid) of a planar ring; a degenerate ring gives (0, its first point)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        f = x0 * y1 - x1 * y0
        a += f
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    if abs(a) < 1e-12:
        return 0.0, pts[0]
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))
