"""``tidings eval``: score Tidings against gold files.

Gold files are JSON Lines in one neutral format (``{"id", "date", "title", "text", ...}``), and the
kind of a file is read from its records:

- ``events``: coded events, either PLOVER (``plover``, ``source[]``/``target[]`` with ISO3
  ``country`` and ``sector``) or CAMEO (``cameo``, ``source_code``, ``target_code``);
- ``timexes``: time expressions (scored by ``tidings.evaluate_times``);
- ``toponyms``: places (``tidings.evaluate_places``);
- ``quotes``: direct quotes and speakers (``tidings.evaluate_quotes``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tidings.errors import TidingsError
from tidings.knowledge.events import plover_of
from tidings.model import Actor, Article, Event
from tidings.nlp import DEFAULT_MODEL

#: Gold files record what happened or was announced; events the coder marks as negated or
#: hypothetical are reported with that modality and not scored as claims that it happened.
SCORED_MODALITIES = frozenset({"asserted", "reported", "future"})


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise TidingsError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
    return records


def gold_kind(records: list[dict[str, Any]]) -> str:
    for key in ("events", "timexes", "toponyms", "quotes"):
        if any(key in r for r in records):
            return key
    raise TidingsError("gold file has no 'events', 'timexes', 'toponyms' or 'quotes' field")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _gold_event_type(ev: dict[str, Any]) -> str | None:
    if ev.get("plover"):
        return str(ev["plover"]).upper()
    if ev.get("cameo"):
        return plover_of(str(ev["cameo"])).type
    return None


def _gold_countries(ev: dict[str, Any], side: str) -> list[str | None]:
    """Countries of one side of a gold event; [None] when the side is empty."""
    if isinstance(ev.get(side), list):
        vals: list[str | None] = [a.get("country") for a in ev[side] if isinstance(a, dict)]
        return vals or [None]
    code = ev.get(f"{side}_code")
    if code:
        from tidings.knowledge import country_of_code

        return [country_of_code(str(code))]
    return [None]


def _gold_actors(ev: dict[str, Any], side: str) -> list[tuple[str | None, str | None]]:
    """(country, sector) of each gold actor on one side; a CAMEO code is split."""
    code = ev.get(f"{side}_code")
    if code:
        from tidings.knowledge import split_code

        return [split_code(str(code))]
    if isinstance(ev.get(side), list):
        return [(a.get("country"), a.get("sector")) for a in ev[side] if isinstance(a, dict)]
    return []


def _actor_matches(actor: Actor, gold: list[tuple[str | None, str | None]]) -> bool:
    """Same country, and the same sector where the gold names one."""
    return any(actor.country == c and (s is None or actor.sector == s) for c, s in gold)


def _same_place(predicted: str, gold: str) -> bool:
    """Do two place mentions name the same place? One contains the other, ignoring case and
    words like "the town of" ("Rafah" / "town of Rafah")."""
    a, b = predicted.casefold().strip(), gold.casefold().strip()
    return bool(a) and bool(b) and (a in b or b in a)


def score_events(records: list[dict[str, Any]],
                 predicted: dict[str, list[Event]]) -> dict[str, Any]:
    """Type, triple and actor scores of predicted events against gold records."""
    gold_types: set[tuple[str, str]] = set()
    pred_types: set[tuple[str, str]] = set()
    gold_triples: set[tuple[str, str | None, str, str | None]] = set()
    pred_triples: set[tuple[str, str | None, str, str | None]] = set()
    gold_codes: set[tuple[str, str]] = set()
    pred_codes: set[tuple[str, str]] = set()
    src_ok = src_n = tgt_ok = tgt_n = code_ok = code_n = 0
    loc_n = loc_ok = loc_given = unloc_n = unloc_given = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for rec in records:
        rid = str(rec["id"])
        preds = [e for e in predicted.get(rid, []) if e.modality in SCORED_MODALITIES]
        for e in preds:
            pred_types.add((rid, e.plover.type))
            pred_triples.add((rid, e.source.country, e.plover.type,
                              e.target.country if e.target else None))
            pred_codes.add((rid, e.cameo.code))
        for gev in rec.get("events", []):
            gtype = _gold_event_type(gev)
            if gtype is None:
                continue
            gold_types.add((rid, gtype))
            if gev.get("cameo"):
                gold_codes.add((rid, str(gev["cameo"])))
            for s in _gold_countries(gev, "source"):
                for t in _gold_countries(gev, "target"):
                    gold_triples.add((rid, s, gtype, t))
            same = [e for e in preds if e.plover.type == gtype]
            if not same:
                confusion[(gtype, preds[0].plover.type if preds else "-")] += 1
                continue
            srcs = set(_gold_countries(gev, "source"))
            tgts = set(_gold_countries(gev, "target"))
            src_n += 1
            src_ok += any(e.source.country in srcs for e in same)
            if tgts != {None}:
                tgt_n += 1
                tgt_ok += any(e.target is not None and e.target.country in tgts for e in same)
            loc = gev.get("location")
            gold_loc = loc.get("text") if isinstance(loc, dict) else None
            if gold_loc:
                loc_n += 1
                loc_given += any(e.location is not None for e in same)
                loc_ok += any(e.location is not None and _same_place(e.location.text, gold_loc)
                              for e in same)
            else:
                unloc_n += 1
                unloc_given += any(e.location is not None for e in same)
            gold_actors = _gold_actors(gev, "source")
            if gold_actors:
                code_n += 1
                code_ok += any(_actor_matches(e.source, gold_actors) for e in same)
    out: dict[str, Any] = {
        "kind": "events",
        "records": len(records),
        "type": _prf(len(gold_types & pred_types), len(pred_types), len(gold_types)),
        "triple": _prf(len(gold_triples & pred_triples), len(pred_triples), len(gold_triples)),
        "actors": {
            "source_country_accuracy": round(src_ok / src_n, 4) if src_n else None,
            "target_country_accuracy": round(tgt_ok / tgt_n, 4) if tgt_n else None,
            "source_actor_accuracy": round(code_ok / code_n, 4) if code_n else None,
            "scored_sources": src_n, "scored_targets": tgt_n,
        },
        # events whose type was found: is the event placed where the gold says? (the gold
        # names a place for some events only; "unlocated" counts predictions for the others)
        "location": {
            "accuracy": round(loc_ok / loc_n, 4) if loc_n else None,
            "given": round(loc_given / loc_n, 4) if loc_n else None,
            "scored": loc_n,
            "placed_where_gold_has_none": round(unloc_given / unloc_n, 4) if unloc_n else None,
        },
        "missed_types": {f"{g}→{p}": n for (g, p), n in confusion.most_common(15)},
    }
    if gold_codes:
        out["cameo_code"] = _prf(len(gold_codes & pred_codes), len(pred_codes), len(gold_codes))
    return out


def evaluate_events(records: list[dict[str, Any]], model: str = DEFAULT_MODEL, *,
                    learned_fallback: bool = False
                    ) -> tuple[dict[str, Any], dict[str, list[Event]]]:
    from tidings.pipeline import Pipeline

    pipeline = Pipeline(model, learned_fallback=learned_fallback)
    articles = []
    for rec in records:
        date = dt.date.fromisoformat(rec["date"]) if rec.get("date") else None
        articles.append(Article(id=str(rec["id"]), date=date, text=rec["text"],
                                title=rec.get("title")))
    predicted: dict[str, list[Event]] = {}
    for res in pipeline.process(articles):
        if not isinstance(res, Exception):
            predicted[res.article.id] = res.events
    return score_events(records, predicted), predicted


def evaluate_file(path: str | Path, *, model: str | None = None,
                  learned_fallback: bool = False) -> dict[str, Any]:
    """Score one gold file; the result says which kind it was and the figures."""
    records = load_gold(path)
    kind = gold_kind(records)
    model = model or DEFAULT_MODEL
    if kind == "events":
        report, _ = evaluate_events(records, model, learned_fallback=learned_fallback)
        report["learned_fallback"] = learned_fallback
    else:
        from tidings.nlp import load_nlp

        nlp = load_nlp(model)
        if kind == "timexes":
            from tidings.evaluate_times import evaluate_times

            report = {"kind": "times", **evaluate_times(records, nlp)}
        elif kind == "toponyms":
            from tidings.evaluate_places import evaluate_places

            report = {"kind": "places", **evaluate_places(records, nlp)}
        else:
            from tidings.evaluate_quotes import evaluate_quotes
            from tidings.pipeline import speaker_resolver

            report = {"kind": "quotes", **evaluate_quotes(records, nlp, speaker_resolver())}
    report["file"] = str(path)
    report["model"] = model
    return report


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def format_report(report: dict[str, Any]) -> str:
    """A readable summary of a report."""
    lines = [f"{report['file']} ({report['kind']}, model {report['model']})"]

    def walk(prefix: str, obj: dict[str, Any]) -> Iterable[str]:
        for k, v in obj.items():
            if k in {"file", "kind", "model"}:
                continue
            if isinstance(v, dict):
                yield from walk(f"{prefix}{k}.", v)
            elif isinstance(v, list):
                yield f"  {prefix}{k}: {len(v)} (listed with --json)"
            else:
                yield f"  {prefix}{k}: {_fmt(v)}"

    lines.extend(walk("", report))
    return "\n".join(lines)
