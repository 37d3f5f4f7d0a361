"""Engines: the Spark engine (``local[2]``) writes the same rows as the local engine and the store.

One Spark session and one coding pass per engine for the whole module; the corpus is the
examples plus six Voice of America stories, one malformed JSON line and one empty file.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from tidings.engines import dataset
from tidings.engines.local import write_results
from tidings.errors import TidingsError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
VOA = SHARED / "corpus" / "voa_sample.jsonl"
FIELDS = {"date": "published"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for f in sorted((ROOT / "examples").glob("*.txt")):
        shutil.copy(f, d / f.name)
    lines = VOA.read_text(encoding="utf-8").splitlines()[:6]
    lines.insert(3, '{"id": "broken", "text": ')  # malformed JSON: an input error
    (d / "voa.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")  # another input error
    return d


@pytest.fixture(scope="module")
def local_results(corpus: Path) -> list[Any]:
    from tidings.pipeline import Pipeline
    from tidings.readers import read_paths

    return list(Pipeline().process(read_paths([str(corpus)], fields=FIELDS), processes=1))


@pytest.fixture(scope="module")
def local_dataset(local_results: list[Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "dataset"
    report = write_results(local_results, out)
    assert report.articles == 12 and report.errors == 2
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pip install 'tidings[spark]'")
    from tidings.engines.spark import find_java_home, spark_session

    if find_java_home() is None:
        pytest.skip("no Java runtime for Spark")
    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_run(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, Any, list[str]]:
    from tidings.engines.spark import SparkEngine

    out = tmp_path_factory.mktemp("spark") / "dataset"
    seen: list[str] = []
    report = SparkEngine(spark=spark).run([str(corpus)], str(out), fields=FIELDS,
                                         on_error=lambda e: seen.append(str(e)))
    return out, report, seen


def rows(root: Path, table: str) -> list[dict[str, Any]]:
    """All rows of one dataset table, sorted on every column."""
    glob = str(root / table / "**" / "*.parquet")
    hive = ", hive_partitioning = true" if table != "errors" else ""
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{glob}'{hive})")
    out = rel.to_arrow_table().to_pylist()
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def test_spark_events_equal_local_engine(spark_run: tuple[Path, Any, list[str]],
                                         local_dataset: Path) -> None:
    out, report, _ = spark_run
    spark_events, local_events = rows(out, "events"), rows(local_dataset, "events")
    assert len(local_events) > 20
    assert [r["event_id"] for r in spark_events] == [r["event_id"] for r in local_events]
    assert spark_events == local_events
    assert report.events == len(local_events) and report.articles == 12


@pytest.mark.parametrize("table", ["articles", "sentences", "quotes", "places", "times",
                                   "errors"])
def test_spark_other_tables_equal_local_engine(spark_run: tuple[Path, Any, list[str]],
                                               local_dataset: Path, table: str) -> None:
    out, _, _ = spark_run
    assert rows(out, table) == rows(local_dataset, table)


def test_spark_reports_input_errors_like_local(spark_run: tuple[Path, Any, list[str]],
                                               local_results: list[Any]) -> None:
    _, report, seen = spark_run
    local_errors = sorted(str(r) for r in local_results if isinstance(r, TidingsError))
    assert len(local_errors) == 2
    assert sorted(report.error_messages) == local_errors
    assert sorted(seen) == local_errors
    assert any("voa.jsonl:4: malformed JSON" in m for m in local_errors)


def test_spark_layout_and_commit(spark: Any, spark_run: tuple[Path, Any, list[str]]) -> None:
    out, report, _ = spark_run
    assert (out / dataset.SUCCESS).exists()
    manifest = json.loads((out / dataset.MANIFEST).read_text())
    assert manifest["engine"] == "spark" and manifest["rows"]["events"] == report.events
    months = sorted(p.name for p in (out / "events").iterdir() if p.is_dir())
    assert "report_month=2025-03" in months and "report_month=2021-08" in months
    assert not (out / "_coded").exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]
    # Spark SQL reads the dataset in place, with report_month as a partition column.
    march = spark.sql(f"SELECT count(*) AS n FROM parquet.`{out}/events` "
                      "WHERE report_month = '2025-03'").first()["n"]
    assert march == sum(1 for r in rows(out, "events") if r["report_month"] == "2025-03") > 0


def test_dataset_events_equal_store(local_results: list[Any], local_dataset: Path,
                                    tmp_path: Path) -> None:
    from tidings.store import Store

    with Store(tmp_path / "t.duckdb") as store:
        store.ingest(local_results)
        snap = store.snapshot("events").to_pylist()
        columns = list(snap[0])
    ds_rows = [{k: r[k] for k in columns} for r in rows(local_dataset, "events")]
    key = lambda r: r["event_id"]  # noqa: E731
    assert sorted(ds_rows, key=key) == sorted(snap, key=key)
    schema_cols = [f.name for f in dataset.table_schema("events", with_partition=False)]
    assert schema_cols == columns


def test_failed_spark_job_leaves_nothing(spark: Any, corpus: Path, tmp_path: Path) -> None:
    from tidings.engines.spark import SparkEngine

    out = tmp_path / "never"
    with pytest.raises(TidingsError):
        SparkEngine(spark=spark, model="no_such_spacy_model").run([str(corpus)], str(out),
                                                                  fields=FIELDS)
    assert list(tmp_path.iterdir()) == []


def test_query_dataset_cli_matches_store_filters(local_dataset: Path,
                                                 local_results: list[Any],
                                                 tmp_path: Path) -> None:
    from tidings.cli import cli
    from tidings.store import Store

    db = tmp_path / "q.duckdb"
    with Store(db) as store:
        store.ingest(local_results)
    runner = CliRunner()
    args = ["--format", "jsonl", "--actor", "USA"]
    from_ds = runner.invoke(cli, ["query", "--dataset", str(local_dataset), *args])
    from_db = runner.invoke(cli, ["query", "--db", str(db), *args])
    assert from_ds.exit_code == 0, from_ds.output
    got = [json.loads(line) for line in from_ds.output.splitlines()]
    want = [json.loads(line) for line in from_db.output.splitlines()]
    assert got and all(r["source_code"].startswith("USA") or
                       (r["target_code"] or "").startswith("USA") for r in got)
    assert got == want


def test_output_guards(local_dataset: Path, tmp_path: Path) -> None:
    with pytest.raises(TidingsError, match="exists"):
        dataset.check_output(local_dataset, overwrite=False)
    dataset.check_output(local_dataset, overwrite=True)  # a dataset may be replaced
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    with pytest.raises(TidingsError, match="not a Tidings dataset"):
        dataset.check_output(other, overwrite=True)
    with pytest.raises(TidingsError, match="_SUCCESS"):
        from tidings.store.db import open_dataset

        open_dataset(other)


def test_missing_pyspark_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from tidings.engines import spark as spark_engine

    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(TidingsError, match=r"pip install 'tidings\[spark\]'"):
        spark_engine.require_pyspark()
