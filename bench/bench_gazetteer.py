"""Gazetteer benchmark: load time and memory of the packaged gazetteer (targets: < 2 s, < 300 MB).

Each round loads the gazetteer in a fresh Python process (so nothing is cached) and reports:

* ``load_s``: wall time of ``tidings.gazetteer.load_gazetteer()`` alone (imports excluded);
* ``load_mb``: growth of the process's peak resident memory across the load;
* ``first_lookups_s``: time of the first 1,000 name look-ups (entries are parsed on first use).

Prints the figures as JSON and writes them to ``bench/results/gazetteer.json``.

    .venv/bin/python bench/bench_gazetteer.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
TARGET_MB = 300.0

# Run in the child process: the figures of one cold load.
_CHILD = r"""
import json, resource, sys, time
import tidings.gazetteer as g

def rss_mb():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024

before = rss_mb()
t0 = time.perf_counter()
gaz = g.load_gazetteer()
load_s = time.perf_counter() - t0
names = ["Paris", "Springfield", "Mandera", "Kabul", "New South Wales", "Darfur", "Lagos",
         "San Juan", "Victoria", "Georgia"] * 100
t1 = time.perf_counter()
hits = sum(len(gaz.lookup(n)) for n in names)
lookups_s = time.perf_counter() - t1
print(json.dumps({"load_s": load_s, "load_mb": rss_mb() - before, "entries": len(gaz),
                  "first_lookups_s": lookups_s, "hits": hits}))
"""


def one_round() -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD], check=True, capture_output=True,
                         text=True, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds = [one_round() for _ in range(args.rounds)]
    load_s = statistics.median(r["load_s"] for r in rounds)
    load_mb = statistics.median(r["load_mb"] for r in rounds)
    result = {
        "entries": int(rounds[0]["entries"]),
        "rounds": args.rounds,
        "load_s_median": round(load_s, 3),
        "load_s_max": round(max(r["load_s"] for r in rounds), 3),
        "load_mb_median": round(load_mb, 1),
        "first_1000_lookups_s_median": round(
            statistics.median(r["first_lookups_s"] for r in rounds), 4),
        "load_time_vs_target": round(load_s / TARGET_S, 3),
        "memory_vs_target": round(load_mb / TARGET_MB, 3),
        "meets_targets": load_s < TARGET_S and load_mb < TARGET_MB,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "gazetteer.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
