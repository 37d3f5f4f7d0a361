"""Scorer for time expressions against TimeML-style gold (MEANTIME format).

Each gold record: ``{"id", "date" (document creation time or null), "text", "timexes": [{start,
end, text, type, value}]}``. A gold expression is *found* when a predicted expression overlaps
its characters; the prediction matched to it is the overlapping one with the largest overlap
(Jaccard of character spans, then same type). Figures for DATE gold (the task's headline) and for
all types; precision counts predicted DATEs that overlap any gold expression.

Run: ``python -m tidings.evaluate_times ../shared/data/gold/meantime_dates.dev.jsonl``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.language import Language

from tidings.model import Time
from tidings.when import find_times


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _best(gold: dict[str, Any], preds: list[Time]) -> Time | None:
    best: tuple[float, int] | None = None
    choice: Time | None = None
    for p in preds:
        ov = _overlap(gold["start"], gold["end"], p.start, p.end)
        if ov <= 0:
            continue
        union = max(gold["end"], p.end) - min(gold["start"], p.start)
        key = (ov / union, 1 if p.type == gold.get("type") else 0)
        if best is None or key > best:
            best, choice = key, p
    return choice


def _parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def evaluate_times(records: Iterable[dict[str, Any]], nlp: Language, max_errors: int = 200,
                   window_sentences: int = 4) -> dict[str, Any]:
    """Score ``tidings.when.find_times`` on gold records; returns a dict of figures and errors.

    MEANTIME annotates only the opening sentences of each article, so precision is given both
    over the whole text and over the first ``window_sentences`` sentences (``*_precision_window``).
    """
    recs = list(records)
    docs = nlp.pipe([r["text"] for r in recs], batch_size=32)
    n_gold: Counter[str] = Counter()
    n_found: Counter[str] = Counter()
    n_correct: Counter[str] = Counter()
    pred_date = pred_date_hit = pred_all = pred_all_hit = 0
    win_date = win_date_hit = win_all = win_all_hit = 0
    errors: list[dict[str, Any]] = []
    for rec, doc in zip(recs, docs, strict=True):
        report = _parse_date(rec.get("date"))
        preds = find_times(doc, report)
        gold = rec.get("timexes") or []
        sents = list(doc.sents)
        window_end = sents[min(window_sentences, len(sents)) - 1].end_char if sents else 0
        for p in preds:
            hit = any(_overlap(g["start"], g["end"], p.start, p.end) > 0 for g in gold)
            inside = p.start < window_end
            pred_all += 1
            pred_all_hit += hit
            win_all += inside
            win_all_hit += hit and inside
            if p.type == "DATE":
                pred_date += 1
                pred_date_hit += hit
                win_date += inside
                win_date_hit += hit and inside
            if not hit and inside and len(errors) < max_errors:
                errors.append({"id": rec.get("id"), "kind": "spurious", "pred": p.text,
                               "value": p.value, "type": p.type})
        for g in gold:
            typ = g.get("type", "DATE")
            n_gold[typ] += 1
            best = _best(g, preds)
            ok = best is not None and best.value == g.get("value")
            if best is not None:
                n_found[typ] += 1
            if ok:
                n_correct[typ] += 1
            elif len(errors) < max_errors:
                errors.append({"id": rec.get("id"), "kind": "missed" if best is None else "value",
                               "gold": g.get("text"), "gold_value": g.get("value"),
                               "gold_type": typ, "date": rec.get("date"),
                               "pred": best.text if best else None,
                               "value": best.value if best else None,
                               "reason": best.reason if best else None})

    def share(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    tg, tf, tc = sum(n_gold.values()), sum(n_found.values()), sum(n_correct.values())
    return {
        "documents": len(recs),
        "gold_date": n_gold["DATE"],
        "date_found": share(n_found["DATE"], n_gold["DATE"]),
        "date_correct_value": share(n_correct["DATE"], n_gold["DATE"]),
        "date_value_given_found": share(n_correct["DATE"], n_found["DATE"]),
        "predicted_date": pred_date,
        "date_precision": share(pred_date_hit, pred_date),
        "predicted_date_window": win_date,
        "date_precision_window": share(win_date_hit, win_date),
        "gold_all": tg,
        "all_found": share(tf, tg),
        "all_correct_value": share(tc, tg),
        "predicted_all": pred_all,
        "all_precision": share(pred_all_hit, pred_all),
        "all_precision_window": share(win_all_hit, win_all),
        "by_type": {t: {"gold": n_gold[t], "found": n_found[t], "correct_value": n_correct[t]}
                    for t in sorted(n_gold)},
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: score a gold JSON Lines file and print the figures as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("gold", help="gold JSON Lines file (MEANTIME format)")
    ap.add_argument("--model", default=None, help="spaCy model (default: Tidings' default)")
    ap.add_argument("--errors", action="store_true", help="also print the errors")
    args = ap.parse_args(argv)
    from tidings.nlp import load_nlp

    nlp = load_nlp(args.model) if args.model else load_nlp()
    with open(args.gold, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    result = evaluate_times(records, nlp)
    if not args.errors:
        result.pop("errors")
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
