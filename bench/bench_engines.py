"""Engines compared in one run: local engine (1 and 2 processes), bare spaCy, Spark ``local[N]``.

All runs code the same synthetic PLOVER stories (written as JSON Lines files, so both engines
read them the same way) in this one process, one after the other, so their ratios are
meaningful on a noisy machine; absolute figures depend on the machine's load (recorded as the
load average before and after). Peak memory is sampled from /proc for every process this run
starts (resident set and proportional set size, which splits shared pages between processes).

    .venv/bin/python bench/bench_engines.py [--n 300] [--processes 2] [--skip-spark]

Writes ``bench/results/engines.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_throughput import ROOT, load_texts  # the same stories, read the same way


def write_inputs(texts: list[str], folder: Path, files: int = 4) -> list[str]:
    paths = []
    for k in range(files):
        p = folder / f"stories-{k}.jsonl"
        with p.open("w", encoding="utf-8") as fh:
            for i in range(k, len(texts), files):
                fh.write(json.dumps({"id": f"s{i}", "date": "2023-06-13",
                                     "text": texts[i]}) + "\n")
        paths.append(str(p))
    return paths


class MemorySampler:
    """Samples the resident and proportional set size of this process's descendants."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak: dict[int, dict[str, Any]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _descendants(root: int) -> list[int]:
        parent: dict[int, int] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat", encoding="utf-8") as fh:
                        stat = fh.read()
                    parent[int(d)] = int(stat[stat.rindex(")") + 2:].split()[1])
                except (OSError, ValueError):
                    continue
        out, todo = [], [root]
        while todo:
            p = todo.pop()
            kids = [c for c, pp in parent.items() if pp == p]
            out.extend(kids)
            todo.extend(kids)
        return out

    @staticmethod
    def _mem(pid: int) -> tuple[str, int, int]:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
            comm = fh.read().strip()
        rss = pss = 0
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
        return comm, rss, pss

    def sample(self) -> None:
        for pid in [os.getpid(), *self._descendants(os.getpid())]:
            try:
                comm, rss, pss = self._mem(pid)
            except (OSError, ValueError):
                continue
            rec = self.peak.setdefault(pid, {"comm": comm, "rss_kb": 0, "pss_kb": 0})
            rec["rss_kb"] = max(rec["rss_kb"], rss)
            rec["pss_kb"] = max(rec["pss_kb"], pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def summary(self, exclude: set[int]) -> dict[str, Any]:
        """Peak MB per kind of process started during the sampling (main process separate)."""
        out: dict[str, Any] = {}
        for pid, rec in self.peak.items():
            kind = ("main" if pid == os.getpid() else
                    "jvm" if rec["comm"] == "java" else "python_worker")
            if pid in exclude and kind != "main":
                continue
            cur = out.setdefault(kind, {"processes": 0, "peak_rss_mb": 0, "peak_pss_mb": 0})
            cur["processes"] += 1
            cur["peak_rss_mb"] = max(cur["peak_rss_mb"], round(rec["rss_kb"] / 1024))
            cur["peak_pss_mb"] = max(cur["peak_pss_mb"], round(rec["pss_kb"] / 1024))
        return out


def timed(label: str, fn: Callable[[], Any], n: int, words: int,
          results: dict[str, Any]) -> Any:
    before = set(MemorySampler._descendants(os.getpid()))
    with MemorySampler() as mem:
        t0 = time.perf_counter()
        value = fn()
        wall = time.perf_counter() - t0
        mem.sample()
    results[label] = {"wall_s": round(wall, 2), "articles_per_s": round(n / wall, 2),
                      "words_per_s": round(words / wall), "memory": mem.summary(before)}
    print(f"{label:28s} {wall:7.1f} s  {n / wall:6.2f} articles/s", file=sys.stderr, flush=True)
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "engines.json"))
    args = ap.parse_args()

    import spacy

    from tidings.engines.local import LocalEngine
    from tidings.nlp import DEFAULT_MODEL, load_nlp
    from tidings.pipeline import Pipeline

    p = args.processes
    texts = load_texts(args.n)
    words = sum(len(t.split()) for t in texts)
    runs: dict[str, Any] = {}
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="tidings-bench-"))
    inputs = write_inputs(texts, tmp)

    t0 = time.perf_counter()
    load_nlp()
    # the spaCy rows time the model as spaCy loads it (Tidings' own parse applies its
    # attribute ruler by lookup: see tidings.attribute_table)
    nlp = spacy.load(DEFAULT_MODEL)
    from tidings.model import Article

    Pipeline().process_batch([Article(id="w", date=dt.date(2023, 6, 13), text=texts[0])])
    startup = time.perf_counter() - t0

    timed("spacy_1", lambda: list(nlp.pipe(texts, batch_size=32)), len(texts), words, runs)
    timed(f"spacy_{p}", lambda: list(nlp.pipe(texts, batch_size=32, n_process=p)),
          len(texts), words, runs)
    local: dict[int, Any] = {}
    for procs in (1, p):
        local[procs] = timed(
            f"local_{procs}",
            lambda procs=procs: LocalEngine(processes=procs).run(
                inputs, tmp / f"local-{procs}", overwrite=True),
            len(texts), words, runs)

    spark_events = None
    if not args.skip_spark:
        from tidings.engines.spark import SparkEngine, spark_session

        t0 = time.perf_counter()
        spark = spark_session(f"local[{p}]")
        spark_start = time.perf_counter() - t0
        engine = SparkEngine(spark=spark)
        timed(f"spark_local{p}_cold", lambda: engine.run(inputs, tmp / "spark-cold"),
              len(texts), words, runs)
        rep = timed(f"spark_local{p}", lambda: engine.run(inputs, tmp / "spark"),
                    len(texts), words, runs)
        spark_events = rep.events
        runs[f"spark_local{p}"]["session_start_s"] = round(spark_start, 2)
        spark.stop()

    def rate(key: str) -> float:
        return float(runs[key]["articles_per_s"])

    ratios = {
        f"local_{p}_vs_local_1": round(rate(f"local_{p}") / rate("local_1"), 3),
        f"spacy_{p}_vs_spacy_1": round(rate(f"spacy_{p}") / rate("spacy_1"), 3),
        "local_1_vs_spacy_1": round(rate("local_1") / rate("spacy_1"), 3),
        f"local_{p}_vs_spacy_{p}": round(rate(f"local_{p}") / rate(f"spacy_{p}"), 3),
    }
    if spark_events is not None:
        ratios[f"spark_local{p}_vs_local_{p}"] = round(
            rate(f"spark_local{p}") / rate(f"local_{p}"), 3)
        ratios[f"spark_local{p}_cold_vs_local_{p}"] = round(
            rate(f"spark_local{p}_cold") / rate(f"local_{p}"), 3)
    report = {
        "texts": len(texts), "words": words, "processes": p, "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "model_and_knowledge_load_s": round(startup, 2),
        "events_local": local[p].events, "events_spark": spark_events,
        "runs": runs, "ratios": ratios,
        "hours_for_100k_articles": {
            f"local_{p}": round(100_000 / rate(f"local_{p}") / 3600, 2),
            **({f"spark_local{p}": round(100_000 / rate(f"spark_local{p}") / 3600, 2)}
               if spark_events is not None else {}),
            "local_1": round(100_000 / rate("local_1") / 3600, 2),
        },
        "note": "ratios come from one run; the machine is shared, so absolute rates vary "
                "with its load (see load_average_*)",
    }
    shutil.rmtree(tmp, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
