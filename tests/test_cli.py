"""The command line as users run it: real subprocesses, real files, exit codes and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIDINGS = [sys.executable, "-m", "tidings.cli"]
CONTRACT = {"event_id", "article_id", "report_date", "sentence", "trigger", "source", "target",
            "cameo", "plover", "modality", "date", "location", "explanation"}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TIDINGS, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def test_cli_code_prints_contract_events_for_the_guide_example() -> None:
    res = run("code", "examples/2023-06-13-kenya-somalia.txt")
    assert res.returncode == 0, res.stderr
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert events and all(CONTRACT <= set(e) for e in events)
    consult = [e for e in events if e["plover"]["type"] == "CONSULT"]
    assert consult and consult[0]["source"]["code"] == "KENGOV"
    assert consult[0]["target"]["code"] == "SOMGOV"
    assert consult[0]["date"]["start"] == "2023-06-12"
    assert consult[0]["location"]["name"] == "Nairobi"
    assault = [e for e in events if e["plover"]["type"] == "ASSAULT"]
    assert assault and assault[0]["counts"]["dead"]["count"] == 3
    assert assault[0]["date"]["start"] == "2023-06-05" and assault[0]["date"]["granularity"] == "week"


def test_cli_code_articles_format() -> None:
    res = run("code", "examples/2021-08-20-afghanistan.txt", "--format", "articles")
    assert res.returncode == 0, res.stderr
    (obj,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert set(obj) == {"article", "events", "quotes", "places", "times"}
    assert obj["article"]["date"] == "2021-08-20" and obj["article"]["title"]
    assert any(q["speaker"] and q["speaker"]["code"] == "USAGOV" for q in obj["quotes"])
    assert obj["places"] and obj["times"]


def test_cli_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (tmp_path / "nodate.txt").write_text("Kenya met Somalia in Nairobi.\n")
    (tmp_path / "news.jsonl").write_text(
        '{"id": "ok1", "date": "2022-01-05", "text": "Iran threatened to attack Israel."}\n'
        '{"id": "bad", "date": "2022-01-05", "text": \n')
    res = run("code", str(tmp_path))
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 4, res.stderr
    assert any("empty.txt" in ln and "empty" in ln for ln in lines)
    assert any("binary.txt" in ln for ln in lines)
    assert any("nodate.txt" in ln and "date" in ln for ln in lines)
    assert any("news.jsonl:2" in ln and "JSON" in ln for ln in lines)
    assert "Traceback" not in res.stderr
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert [e["article_id"] for e in events] == ["ok1"]


def test_cli_stdin_with_date_and_usage_errors() -> None:
    res = run("code", "-", "--date", "2023-06-13", stdin="Somalia accused Kenya of spying.\n")
    assert res.returncode == 0, res.stderr
    (ev,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert ev["report_date"] == "2023-06-13" and ev["plover"]["type"] == "ACCUSE"
    bad = run("code", "-", "--date", "13/06/2023", stdin="x")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_cli_eval_scores_a_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "g1", "date": "2020-01-01", "text": "Iran threatened to attack Israel.",
         "events": [{"plover": "THREATEN", "source": [{"country": "IRN", "sector": None}],
                     "target": [{"country": "ISR", "sector": None}]}]},
        {"id": "g2", "date": "2020-01-01", "text": "France condemned Russia.",
         "events": [{"cameo": "111", "source_code": "FRAGOV", "target_code": "RUS"}]},
    ]) + "\n")
    res = run("eval", str(gold), "--json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["kind"] == "events" and report["records"] == 2
    assert report["type"]["f1"] == 1.0 and report["triple"]["f1"] == 1.0


def test_cli_output_does_not_depend_on_hash_seed() -> None:
    """Resuming an ingest in a new process must code exactly as an uninterrupted run."""
    import os

    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([*TIDINGS, "code", "examples/"], capture_output=True, text=True,
                             cwd=ROOT, timeout=600, env=env)
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1] and outs[0].count("\n") > 10


def test_cli_governing_event_leaves_nested_date_place_and_counts() -> None:
    """'Somalia accused X of attacking … near Mandera last week, killing three officers': the
    accusation is today's, the attack is last week's near Mandera with three dead."""
    res = run("code", "examples/2023-06-13-kenya-somalia.txt")
    events = {e["plover"]["type"]: e for e in map(json.loads, res.stdout.splitlines())}
    accuse, assault = events["ACCUSE"], events["ASSAULT"]
    assert accuse["date"]["resolved_by"] == "report_date" and accuse["location"] is None
    assert accuse["counts"] == {}
    assert assault["location"]["name"] == "Mandera" and assault["location"]["country"] == "KEN"


def test_cli_ingest_with_a_pool_reports_bad_records_and_exits_1(tmp_path: Path) -> None:
    """Errors cross the process pool (they pickle) and set the exit code."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_text("")
    (src / "ok.txt").write_text((ROOT / "examples" / "2019-07-15-gulf-threats.txt").read_text())
    db = tmp_path / "t.duckdb"
    res = run("ingest", str(src), "--db", str(db), "-p", "2")
    assert res.returncode == 1, res.stderr
    assert "empty.txt: empty file" in res.stderr
    import tidings

    with tidings.open(str(db), read_only=True) as store:
        assert len(store.articles()) == 1 and len(store.events()) > 0


def test_cli_cluster_lays_the_store_out_newest_first(tmp_path: Path) -> None:
    from tidings.store import Store

    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.load_synthetic(600, seed=2)
        before = store.snapshot("events")
    res = run("cluster", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "600 events and 120 articles" in res.stdout
    with Store(db, read_only=True) as store:
        assert store.snapshot("events").equals(before)
        dates = [r[0] for r in store.con.execute(
            "SELECT event_date FROM events ORDER BY rowid").fetchall()]
        assert dates == sorted(dates, reverse=True)
    missing = run("cluster", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode != 0 and "no such store" in missing.stderr
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("not a database\n")
    refused = run("cluster", "--db", str(foreign))
    assert refused.returncode != 0 and "not a Tidings store" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert foreign.read_text() == "not a database\n"
