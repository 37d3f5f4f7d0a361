"""Measure toponym finding and resolution on gold data (GeoVirus format).

Run: ``python -m tidings.evaluate_places ../shared/data/gold/geovirus_places.dev.jsonl``
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from tidings.where import find_places, haversine_km

WITHIN_KM = 161.0  # the standard threshold (100 miles)


def evaluate_places(records: Iterable[dict[str, Any]], nlp: Language) -> dict[str, Any]:
    """Score :func:`find_places` on gold toponyms (GeoVirus format: ``toponyms: [{start, end,
    text, lat, lon}]``).

    Returns the share of gold toponyms found (span overlap) and resolved within 161 km, the
    median and mean error in km over found toponyms with coordinates, and the precision of
    predicted places with coordinates (share that overlap a gold toponym).
    """
    records = list(records)
    n_gold = n_found = n_within = n_pred = n_pred_ok = 0
    errors: list[float] = []
    misses: list[dict[str, Any]] = []
    docs = nlp.pipe((r["text"] for r in records), batch_size=32)
    for rec, doc in zip(records, docs, strict=True):
        places = [p for p in find_places(doc) if p.lat is not None and p.lon is not None]
        gold = rec.get("toponyms") or []
        for p in places:
            n_pred += 1
            if any(p.start < g["end"] and g["start"] < p.end for g in gold):
                n_pred_ok += 1
        for g in gold:
            n_gold += 1
            hits = [p for p in places if p.start < g["end"] and g["start"] < p.end]
            if not hits:
                misses.append({"id": rec.get("id"), "text": g["text"], "why": "not found"})
                continue
            n_found += 1
            p = min(hits, key=lambda h: abs(h.start - g["start"]) + abs(h.end - g["end"]))
            assert p.lat is not None and p.lon is not None
            err = haversine_km(p.lat, p.lon, float(g["lat"]), float(g["lon"]))
            errors.append(err)
            if err <= WITHIN_KM:
                n_within += 1
            else:
                misses.append({"id": rec.get("id"), "text": g["text"], "why": "far",
                               "km": round(err), "resolved": f"{p.name} ({p.country})"})
    return {
        "articles": len(records),
        "gold_toponyms": n_gold,
        "found": n_found / n_gold if n_gold else 0.0,
        "within_161km": n_within / n_gold if n_gold else 0.0,
        "within_161km_of_found": n_within / n_found if n_found else 0.0,
        "median_error_km": statistics.median(errors) if errors else None,
        "mean_error_km": statistics.fmean(errors) if errors else None,
        "predicted": n_pred,
        "precision": n_pred_ok / n_pred if n_pred else 0.0,
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score tidings.where on gold toponyms.")
    parser.add_argument("gold", type=Path, help="JSON Lines with toponyms")
    parser.add_argument("--model", default=None, help="spaCy model (default: Tidings' own)")
    parser.add_argument("--misses", action="store_true", help="print the misses too")
    args = parser.parse_args(argv)
    from tidings.nlp import load_nlp

    nlp = load_nlp(args.model) if args.model else load_nlp()
    with args.gold.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    result = evaluate_places(records, nlp)
    misses = result.pop("misses")
    print(json.dumps(result, indent=2))
    if args.misses:
        for miss in misses:
            print(json.dumps(miss, ensure_ascii=False))


if __name__ == "__main__":
    main()
