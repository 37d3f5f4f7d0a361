"""API load benchmark: a bounded run against ``tidings serve`` over a 1,000,000-event store.

Builds a synthetic store (``Store.load_synthetic``; or reuses ``--db``), starts the API with
uvicorn in its own process on a free loopback port, and sends ``--requests`` requests from
``--clients`` concurrent clients. Most requests are filtered event pages (random actor, dyad,
type, country and date filters, and the page after each first page through its cursor); the rest
are event details, series, actor search, map and network aggregates. Reports p50/p95 latency per
kind and overall and the error count as JSON (target: no errors, p95 under 300 ms for filtered
event pages) and writes ``bench/results/api.json``.

    .venv/bin/python bench/bench_api.py [--events 1000000] [--requests 2000] [--clients 8]
                                        [--db /tmp/synth.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
ACTORS = ["USA", "USAGOV", "AFG", "RUS", "RUSMIL", "UKR", "CHN", "IRN", "ISR", "TUR", "FRA",
          "IGOUNO", "IND", "PAK", "SDN", "MEX", "BRA", "EGY"]
TYPES = ["CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "DEMAND", "DISAPPROVE", "REJECT",
         "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT"]
COUNTRIES = ["USA", "AFG", "RUS", "UKR", "SYR", "ISR", "IRQ", "NGA", "COL", "VEN"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _filters(rng: random.Random) -> dict[str, str]:
    f: dict[str, str] = {}
    pick = rng.random()
    if pick < 0.3:
        f["actor"] = rng.choice(ACTORS)
    elif pick < 0.5:
        f["dyad"] = f"{rng.choice(ACTORS)}:{rng.choice(ACTORS)}"
    elif pick < 0.65:
        f["country"] = rng.choice(COUNTRIES)
    if rng.random() < 0.4:
        f["type"] = rng.choice(TYPES)
    if rng.random() < 0.4:
        year = rng.randint(2015, 2024)
        f["since"] = f"{year}-01-01"
        f["until"] = f"{year + rng.randint(0, 2)}-12-31"
    return f


def _plan(n: int, seed: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, path, params) for each request; 'next' pages take the cursor at run time."""
    rng = random.Random(seed)
    plan: list[tuple[str, str, dict[str, Any]]] = []
    while len(plan) < n:
        r = rng.random()
        f = _filters(rng)
        if r < 0.70:
            plan.append(("events", "/api/events", {**f, "limit": 50}))
        elif r < 0.78:
            plan.append(("detail", "/api/events/{id}", {}))
        elif r < 0.86:
            plan.append(("series", "/api/series", {**f, "measure": "quad", "by": "month"}))
        elif r < 0.90:
            plan.append(("actors", "/api/actors", {"q": rng.choice(ACTORS)[:2]}))
        elif r < 0.95:
            plan.append(("map", "/api/map", f))
        else:
            plan.append(("network", "/api/network", f))
    return plan[:n]


def run_load(base: str, n_requests: int, clients: int, seed: int) -> dict[str, Any]:
    plan = _plan(n_requests, seed)
    lock = threading.Lock()
    it = iter(plan)
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    ids: list[str] = []
    done = [0]

    def record(kind: str, ms: float) -> None:
        with lock:
            times.setdefault(kind, []).append(ms)
            done[0] += 1

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    item = next(it, None)
                    known = ids[-1] if ids else "e00000000001"
                if item is None:
                    return
                kind, path, params = item
                if kind == "detail":
                    path = f"/api/events/{known}"
                t0 = time.perf_counter()
                try:
                    r = client.get(path, params=params)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{kind}: {type(exc).__name__}")
                    continue
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    with lock:
                        errors.append(f"{kind} {r.status_code}: {r.text[:200]}")
                    continue
                record(kind, ms)
                if kind == "events":
                    body = r.json()
                    with lock:
                        ids.extend(e["event_id"] for e in body["events"][:1])
                    if body.get("next_cursor"):
                        # The next page of the same query counts as one of the run's requests.
                        with lock:
                            nxt = next(it, None)
                        if nxt is None:
                            return
                        t0 = time.perf_counter()
                        r2 = client.get("/api/events",
                                        params={**params, "cursor": body["next_cursor"]})
                        ms2 = (time.perf_counter() - t0) * 1000
                        if r2.status_code != 200:
                            with lock:
                                errors.append(f"events-next {r2.status_code}: {r2.text[:200]}")
                        else:
                            record("events", ms2)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start

    def summary(values: list[float]) -> dict[str, float | int]:
        values = sorted(values)
        if not values:
            return {"n": 0}
        return {"n": len(values), "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1),
                "max_ms": round(values[-1], 1)}

    everything = [v for vs in times.values() for v in vs]
    return {"requests": done[0] + len(errors), "errors": len(errors),
            "error_samples": errors[:5], "wall_seconds": round(wall, 2),
            "requests_per_second": round((done[0] + len(errors)) / wall, 1),
            "overall": summary(everything),
            "by_kind": {k: summary(v) for k, v in sorted(times.items())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--db", help="existing store to serve (else a synthetic one is built)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "api.json"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "synthetic.duckdb"
        build_s = 0.0
        if not db.exists():
            t0 = time.perf_counter()
            with Store(db) as store:
                store.load_synthetic(args.events)
                store.cluster_events()  # the read layout a served archive would use
            build_s = time.perf_counter() - t0
        with Store(db, read_only=True) as store:
            n_events = store.table_counts()["events"]
        port = _free_port()
        code = ("import sys, uvicorn; from tidings.api import create_app; "
                "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), "
                "log_level='warning')")
        proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the API server did not start")
                time.sleep(0.2)
            httpx.get(base + "/api/events", params={"limit": 50}, timeout=60)  # warm up
            load_start = os.getloadavg()
            load = run_load(base, args.requests, args.clients, args.seed)
            load_end = os.getloadavg()
        finally:
            proc.terminate()
            proc.wait(timeout=20)

    pages = load["by_kind"].get("events", {})
    result = {
        "benchmark": "api",
        "store_events": n_events,
        "synthetic_build_seconds": round(build_s, 1),
        "clients": args.clients,
        **load,
        "target": {"errors": 0, "events_p95_ms": 300},
        "meets_target": load["errors"] == 0 and pages.get("p95_ms", 1e9) <= 300,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    # 1/5/15-minute load averages when the run started and ended (other jobs
                    # share the machine; this run's own server and clients count too).
                    "load_average": {"start": [round(x, 2) for x in load_start],
                                     "end": [round(x, 2) for x in load_end]}},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
