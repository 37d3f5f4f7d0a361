"""Throughput of the full pipeline against bare spaCy ``nlp.pipe`` on the same texts.

Both are measured in one run on the synthetic PLOVER stories, alternating block by block
(with one process), so the ratio is meaningful on a noisy machine. Bare spaCy is the model
as ``spacy.load`` gives it; Tidings' own parse (the same model, its attribute ruler applied
by lookup) is timed too. Peak memory is the maximum resident set size of this process
(and of worker processes when --processes > 1).

    .venv/bin/python bench/bench_throughput.py [--n 600] [--processes 1] [--rounds 2]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "synthetic_plover_stories.csv.gz"


def load_texts(n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [r["text"] for r in csv.DictReader(fh) if r.get("text")]
    return rows[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "throughput.json"))
    args = ap.parse_args()

    import datetime as dt

    import spacy
    from spacy.language import Language

    from tidings.model import Article
    from tidings.nlp import DEFAULT_MODEL, load_nlp
    from tidings.pipeline import Pipeline

    texts = load_texts(args.n)
    words = sum(len(t.split()) for t in texts)
    # bare spaCy: the model as spaCy loads it; Tidings parses with its own copy (the same
    # model, its attribute ruler applied by lookup: see tidings.attribute_table)
    stock = spacy.load(DEFAULT_MODEL)
    nlp = load_nlp()
    pipeline = Pipeline()
    articles = [Article(id=str(i), date=dt.date(2023, 6, 13), text=t) for i, t in enumerate(texts)]
    # warm up all three (model load, knowledge load)
    list(stock.pipe(texts[:20]))
    list(nlp.pipe(texts[:20]))
    list(pipeline.process(articles[:20]))

    # one process: the three alternate block by block (50 stories), so that the machine's
    # slow drifts in speed fall on all three alike; with a pool, whole runs alternate
    block = 50 if args.processes <= 1 else len(texts)
    spans = [(k, min(k + block, len(texts))) for k in range(0, len(texts), block)]

    def parse(model: Language, lo: int, hi: int) -> float:
        t0 = time.perf_counter()
        if args.processes > 1:
            list(model.pipe(texts[lo:hi], batch_size=32, n_process=args.processes))
        else:
            list(model.pipe(texts[lo:hi], batch_size=32))
        return time.perf_counter() - t0

    bare, parsed, full = [], [], []
    events = 0
    for _ in range(args.rounds):
        b = p = f = 0.0
        events = 0
        for lo, hi in spans:
            b += parse(stock, lo, hi)
            p += parse(nlp, lo, hi)
            t0 = time.perf_counter()
            results = list(pipeline.process(articles[lo:hi], processes=args.processes))
            f += time.perf_counter() - t0
            events += sum(len(r.events) for r in results if not isinstance(r, Exception))
        bare.append(b)
        parsed.append(p)
        full.append(f)
    bare_wps = words / min(bare)
    parse_wps = words / min(parsed)
    full_wps = words / min(full)
    ratios = sorted(b / f for b, f in zip(bare, full, strict=True))
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {
        "texts": len(texts), "words": words, "processes": args.processes,
        "bare_spacy_words_per_s": round(bare_wps), "tidings_words_per_s": round(full_wps),
        "ratio": round(full_wps / bare_wps, 3),
        # the same ratio round by round (each round alternates the two block by block)
        "ratio_by_round": [round(r, 3) for r in ratios],
        # Tidings' parsing alone, and the share of its time that the analysis after it takes
        "tidings_parse_words_per_s": round(parse_wps),
        "parse_speedup": round(parse_wps / bare_wps, 3),
        "analysis_share": round(1 - min(parsed) / min(full), 3),
        "tidings_articles_per_s": round(len(texts) / min(full), 2),
        "events": events,
        "peak_rss_mb_main": round(peak_self), "peak_rss_mb_worker": round(peak_children),
        "hours_for_100k_articles": round(100_000 / (len(texts) / min(full)) / 3600, 2),
    }
    print(json.dumps(report, indent=2))
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
