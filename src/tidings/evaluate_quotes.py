"""Score ``find_quotes`` against gold quotes.

Gold records: ``{"id", "date", "title", "text", "quotes": [{"start", "end", "text", "speaker":
{"text", "start", "end"} | null}]}`` with character offsets into ``text``.

* detection: a gold quote is found when a predicted quote overlaps it (recall); a predicted quote
  is right when it overlaps a gold quote (precision);
* attribution: a found gold quote has the right speaker when the predicted speaker span overlaps
  the gold speaker span, or names the same person (same last word of the mention or of the
  canonical name); a gold quote with no speaker is right when the prediction has none.

Command line: ``python -m tidings.evaluate_quotes gold/quotes.dev.jsonl [--errors]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from tidings.model import Quote
from tidings.quotes import SpeakerResolver, _last_word, find_quotes


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _same_speaker(pred: Quote, gold: dict[str, Any] | None) -> bool:
    sp = pred.speaker
    if gold is None:
        return sp is None
    if sp is None:
        return False
    if _overlap(sp.start, sp.end, int(gold["start"]), int(gold["end"])) > 0:
        return True
    want = _last_word(str(gold["text"]))
    return want in {_last_word(sp.text), _last_word(sp.name or "")}


def evaluate_quotes(records: Iterable[dict[str, Any]], nlp: Language,
                    resolve: SpeakerResolver | None = None) -> dict[str, Any]:
    """Quote detection recall/precision and speaker accuracy of ``find_quotes`` on gold records."""
    n_gold = n_pred = found = right_pred = right_speaker = articles = 0
    errors: list[dict[str, Any]] = []
    for rec in records:
        articles += 1
        text = str(rec["text"])
        preds = find_quotes(nlp(text), resolve)
        golds: list[dict[str, Any]] = list(rec.get("quotes") or [])
        n_gold += len(golds)
        n_pred += len(preds)
        for p in preds:
            if any(_overlap(p.start, p.end, int(g["start"]), int(g["end"])) for g in golds):
                right_pred += 1
            else:
                errors.append({"id": rec.get("id"), "kind": "spurious", "quote": p.text[:80]})
        for g in golds:
            g0, g1 = int(g["start"]), int(g["end"])
            matches = [p for p in preds if _overlap(p.start, p.end, g0, g1)]
            if not matches:
                errors.append({"id": rec.get("id"), "kind": "missed", "quote": g["text"][:80]})
                continue
            found += 1
            best = max(matches, key=lambda p: _overlap(p.start, p.end, g0, g1))
            if _same_speaker(best, g.get("speaker")):
                right_speaker += 1
            else:
                gs = g.get("speaker")
                errors.append({
                    "id": rec.get("id"), "kind": "speaker", "quote": g["text"][:80],
                    "gold": gs["text"] if gs else None,
                    "predicted": best.speaker.text if best.speaker else None,
                    "reason": best.reason})
    recall = found / n_gold if n_gold else 0.0
    precision = right_pred / n_pred if n_pred else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "articles": articles,
        "gold_quotes": n_gold,
        "predicted_quotes": n_pred,
        "found": found,
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(right_speaker / found, 4) if found else 0.0,
        "found_with_right_speaker": round(right_speaker / n_gold, 4) if n_gold else 0.0,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the scores for a gold file as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--errors", action="store_true", help="list missed/spurious/misattributed")
    ap.add_argument("--model", default=None, help="spaCy model (default: the Tidings model)")
    args = ap.parse_args(argv)
    from tidings.nlp import DEFAULT_MODEL, load_nlp

    nlp = load_nlp(args.model or DEFAULT_MODEL)
    with args.gold.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    scores = evaluate_quotes(records, nlp)
    if not args.errors:
        scores.pop("errors")
    json.dump(scores, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
