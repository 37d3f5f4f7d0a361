"""End to end with the real coder: ``ingest`` is idempotent, resumable after SIGKILL, and its
input errors are one line each; the result exports as GDELT."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tidings.exports import gdelt
from tidings.store import Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPUS = DATA / "corpus" / "synthetic_plover_stories.csv.gz"
RUNNER = ("import sys, click; from tidings.cli.store import register; "
          "g = click.Group(); register(g); g.main(sys.argv[1:])")
TABLES = ("articles", "events", "sentences", "quotes", "places", "times", "article_bands")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")]


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", RUNNER, *args]


# The same hash seed in every run: the comparison is about the store, and the coder's output
# must not vary with Python's string-hash randomisation between processes.
ENV = {**os.environ, "PYTHONHASHSEED": "0"}


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten short stories (one repeated under another id) and one bad record, as JSON Lines."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        df = pd.read_csv(fh, nrows=40)
    df = df[df["text"].str.len() < 1100].head(9)
    out = tmp_path_factory.mktemp("news") / "news.jsonl"
    lines = [json.dumps({"id": f"s{i}", "date": f"2024-05-{i + 1:02d}", "title": r.title,
                         "text": r.text, "url": f"https://site{i % 3}.example/{i}"})
             for i, r in enumerate(df.itertuples())]
    lines.insert(4, json.dumps({"id": "copy", "date": "2024-05-20", "text": df["text"].iloc[0],
                                "url": "https://mirror.example/1"}))
    lines.insert(6, '{"id": "broken", "date": "2024-05-21"')  # not valid JSON
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _snapshot(db: Path) -> dict[str, object]:
    with Store(db, read_only=True) as st:
        return {t: st.snapshot(t) for t in TABLES}


def test_ingest_rerun_and_kill_resume(news: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.duckdb"
    first = subprocess.run(_cmd("ingest", str(news), "--db", str(ref), "--batch-size", "2"),
                           capture_output=True, text=True, timeout=240, env=ENV)
    assert first.returncode == 1, first.stderr  # one bad record
    errors = [ln for ln in first.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and re.search(r"news\.jsonl:7\b", errors[0])
    reference = _snapshot(ref)
    with Store(ref, read_only=True) as st:
        arts = st.articles().set_index("article_id")
        assert len(arts) == 10 and arts.loc["copy", "duplicate_of"] == "s0"
        assert st.table_counts()["events"] > 0

    again = subprocess.run(_cmd("ingest", str(news), "--db", str(ref)),
                           capture_output=True, text=True, timeout=240, env=ENV)
    assert "0 articles added" in again.stderr and "10 already stored" not in again.stderr
    for table, snap in _snapshot(ref).items():
        assert snap.equals(reference[table]), table  # type: ignore[attr-defined]

    # Kill a run after at least two batches are committed, then run the same command again.
    db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(_cmd("ingest", str(news), "--db", str(db), "--batch-size", "2",
                                 "--progress"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 200
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline and proc.poll() is None:
        chunk = proc.stderr.read() or b""
        seen += chunk
        counts = [int(n) for n in re.findall(rb"(\d+) articles", seen)]
        if counts and max(counts) >= 5:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db, read_only=True) as st:
        partial = st.table_counts()["articles"]
    assert 2 <= partial < 10
    resumed = subprocess.run(_cmd("ingest", str(news), "--db", str(db), "--batch-size", "2"),
                             capture_output=True, text=True, timeout=240, env=ENV)
    assert resumed.returncode == 1
    assert f"{10 - partial} articles added" in resumed.stderr, (partial, resumed.stderr)
    for table, snap in _snapshot(db).items():
        assert snap.equals(reference[table]), table  # type: ignore[attr-defined]

    # The finished store exports as GDELT with root events aggregated across the copy.
    out = tmp_path / "g.export.tsv"
    done = subprocess.run(_cmd("export", "--db", str(db), "--format", "gdelt", "--out",
                               str(out)), capture_output=True, text=True, timeout=120, env=ENV)
    assert done.returncode == 0, done.stderr
    ev = pd.read_csv(out, sep="\t", header=None, names=list(gdelt.EVENT_COLUMNS))
    assert len(ev.columns) == 61 and (ev["NumArticles"] >= 1).all()
    assert (ev["NumArticles"] >= 2).any()  # events of s0 are also mentioned by its copy
