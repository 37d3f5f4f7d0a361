"""Store benchmark: write share of ingest time, and query speed on a 1,000,000-event store.

(a) Codes ``--articles`` stories from the shared corpus with the real pipeline and writes them
    to a fresh store; reports the share of wall time spent in store writes (target ≤ 10%).
(b) Generates a synthetic store of ``--events`` events with SQL (not through the coder) and
    times a monthly dyad series and a filtered query (target < 1 s each) and the file size per
    event (target < 300 bytes).

Prints the figures as JSON and writes them to ``bench/results/store.json``.

    .venv/bin/python bench/bench_store.py [--articles 40] [--events 1000000] [--skip-ingest]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from tidings.errors import InputError
from tidings.model import Article
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "synthetic_plover_stories.csv.gz"


def bench_ingest(n_articles: int, tmp: Path) -> dict[str, object]:
    from tidings.pipeline import Pipeline

    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        df = pd.read_csv(fh, nrows=n_articles)
    articles = [Article(id=f"b{i}", date=dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
                        text=str(r.text), title=str(r.title), url=f"https://s{i % 7}.example/{i}",
                        source=f"bench:{i}") for i, r in enumerate(df.itertuples())]
    pipeline = Pipeline()
    pipeline.process_batch(list[Article | InputError](articles[:1]))  # load before timing
    with Store(tmp / "ingest.duckdb") as store:
        t0 = time.perf_counter()
        report = store.ingest(pipeline.process(store.skip_stored(articles)), batch_size=32)
        wall = time.perf_counter() - t0
    return {
        "articles": report.articles, "events": report.events,
        "wall_s": round(wall, 3), "store_write_s": round(report.store_seconds, 3),
        "store_share": round(report.store_seconds / wall, 4) if wall else None,
        "articles_per_s": round(report.articles / wall, 2) if wall else None,
    }


def _time(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_synthetic(n_events: int, tmp: Path) -> dict[str, object]:
    path = tmp / "synthetic.duckdb"
    t0 = time.perf_counter()
    with Store(path) as store:
        store.load_synthetic(n_events)
    gen_s = time.perf_counter() - t0
    size = path.stat().st_size + (Path(f"{path}.wal").stat().st_size
                                  if Path(f"{path}.wal").exists() else 0)
    with Store(path, read_only=True) as store:
        counts = store.table_counts()
        series_s = _time(lambda: store.series("USA:AFG", by="month", measure="goldstein"))
        series_rows = len(store.series("USA:AFG", by="month", measure="goldstein"))
        query_s = _time(lambda: store.events(actor="RUS", cameo="19", since="2019-01-01",
                                             until="2020-12-31", limit=1000))
        query_rows = len(store.events(actor="RUS", cameo="19", since="2019-01-01",
                                      until="2020-12-31", limit=1000))
        country_s = _time(lambda: store.events(country="UKR", type="ASSAULT", limit=100))
        stats_s = _time(lambda: store.stats(), repeat=1)
    return {
        "events": counts["events"], "articles": counts["articles"],
        "generate_s": round(gen_s, 2),
        "file_bytes": size, "bytes_per_event": round(size / max(1, counts["events"]), 1),
        "series_monthly_dyad_s": round(series_s, 3), "series_rows": series_rows,
        "filtered_query_s": round(query_s, 3), "filtered_query_rows": query_rows,
        "country_type_query_s": round(country_s, 3),
        "stats_s": round(stats_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    out: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "targets": {"store_share_max": 0.10, "query_max_s": 1.0, "bytes_per_event_max": 300},
    }
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if not args.skip_ingest and CORPUS.exists():
            out["ingest"] = bench_ingest(args.articles, tmp)
        out["synthetic"] = bench_synthetic(args.events, tmp)
    text = json.dumps(out, indent=2)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "store.json").write_text(text + "\n", encoding="utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()
