"""Exports: GDELT 2.0 (61 + 16 columns), ICEWS (20), PLOVER JSON, Parquet by month, CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

from test_store import story_a, story_b
from tidings.exports import export, gdelt, icews, split_actor_code
from tidings.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("exp") / "e.duckdb"
    st = Store(path)
    st.write_batch([story_a("a1", url="https://one.example/a1"), story_b("b1")])
    st.write_batch([story_a("a2", url="https://two.example/a2")])  # a copy: mentions, not roots
    yield st
    st.close()


def test_gdelt_columns_and_round_trip(store: Store, tmp_path: Path) -> None:
    files = export(store, "gdelt", tmp_path / "20240301.export.CSV")
    assert [f.name for f in files] == ["20240301.export.CSV", "20240301.mentions.CSV"]
    assert len(gdelt.EVENT_COLUMNS) == 61 and len(gdelt.MENTION_COLUMNS) == 16
    ev = pd.read_csv(files[0], sep="\t", header=None, names=list(gdelt.EVENT_COLUMNS),
                     dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str})
    raw_lines = files[0].read_text().splitlines()
    assert all(line.count("\t") == 60 for line in raw_lines)
    assert len(ev) == 5  # 5 root events; the copy's 3 events are extra mentions
    row = ev[ev["EventCode"] == "190"].iloc[0]
    assert row["Day"] == 20240229 and row["MonthYear"] == 202402 and row["Year"] == 2024
    assert row["Actor1Code"] == "RUSMIL" and row["Actor1CountryCode"] == "RUS"
    assert row["Actor1Type1Code"] == "MIL" and row["Actor2Code"] == "UKR"
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"]) == (2, 2, 2)
    assert row["GoldsteinScale"] == -10 and row["QuadClass"] == 4
    assert row["EventBaseCode"] == "190" and row["EventRootCode"] == "19"
    assert row["ActionGeo_CountryCode"] == "UP"  # FIPS code for Ukraine
    assert row["ActionGeo_Type"] == 4 and row["ActionGeo_FullName"].startswith("Kyiv")
    assert row["ActionGeo_FeatureID"] == 703448
    un = ev[ev["Actor1Code"] == "IGOUNO"].iloc[0]
    assert un["Actor1KnownGroupCode"] == "UNO" and un["Actor1Type1Code"] == "IGO"
    assert pd.isna(un["Actor1CountryCode"])
    assert set(ev["IsRootEvent"]) <= {0, 1}

    men = pd.read_csv(files[1], sep="\t", header=None, names=list(gdelt.MENTION_COLUMNS))
    assert len(men) == 8
    assert set(men["GlobalEventID"]) == set(ev["GlobalEventID"])
    m = men[men["MentionIdentifier"] == "https://two.example/a2"]
    assert len(m) == 3 and set(m["MentionSourceName"]) == {"two.example"}
    assert set(m["SentenceID"]) == {1, 2, 3}
    assert (m["Confidence"] == 80).all()
    assert (m["ActionCharOffset"] > 0).sum() == 3


def test_gdelt_header_option(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ev.tsv"
    gdelt.write(store, out, header=True, actor="USA")
    df = pd.read_csv(out, sep="\t")
    assert list(df.columns) == list(gdelt.EVENT_COLUMNS)
    assert set(df["Actor1Code"]) == {"USAGOV"}
    assert (tmp_path / "ev.mentions.tsv").exists()


def test_icews_columns(store: Store, tmp_path: Path) -> None:
    (out,) = export(store, "icews", tmp_path / "events.tab")
    df = pd.read_csv(out, sep="\t", dtype={"CAMEO Code": str})
    assert list(df.columns) == list(icews.COLUMNS) and len(df.columns) == 20
    assert len(df) == 8
    row = df[(df["CAMEO Code"] == "040") & (df["Story ID"] == "a1")].iloc[0]
    assert row["Source Name"] == "Antony Blinken" and row["Source Country"] == "United States"
    assert row["Source Sectors"] == "Government" and row["Target Country"] == "Afghanistan"
    assert row["Intensity"] == 1.0 and row["Sentence Number"] == 1
    assert row["City"] == "Kabul" and row["Country"] == "Afghanistan"
    assert row["Publisher"] == "one.example"


def test_plover_fields(store: Store, tmp_path: Path) -> None:
    (out,) = export(store, "plover", tmp_path / "events.jsonl", type="ASSAULT")
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(recs) == 2
    r = recs[0]
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc",
                "event_text", "quad_code", "event_scale", "link", "text", "text_info",
                "cite_info", "coder", "coded_date"):
        assert key in r
    assert r["event"] == ["ASSAULT"] and r["date"] == "2024-02-29"
    assert r["actor"][0]["code"] == "RUS" and r["actor"][0]["sector"] == "MIL"
    assert r["event_loc"]["country_code"] == "UKR" and r["event_loc"]["geonameid"] == 703448
    assert r["text"].startswith("Russian forces attacked")
    assert recs[0]["link"] == recs[1]["link"]  # two mentions of one root event


def test_parquet_by_month_round_trip(store: Store, tmp_path: Path) -> None:
    files = export(store, "parquet", tmp_path / "pq")
    months = sorted({f.parent.name for f in files})
    assert months == ["month=2024-02", "month=2024-04"]
    table = ds.dataset(tmp_path / "pq", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 8
    df = table.to_pandas()
    assert set(df.loc[df["cameo_code"] == "111", "month"]) == {"2024-02", "2024-04"}
    assert sorted(df["event_id"]) == sorted(store.events()["event_id"])
    with pytest.raises(Exception, match="not an empty directory"):
        export(store, "parquet", tmp_path / "pq")


def test_csv_round_trip(store: Store, tmp_path: Path) -> None:
    (out,) = export(store, "csv", tmp_path / "e.csv", cameo="04")
    df = pd.read_csv(out, dtype={"cameo_code": str})
    assert len(df) == 3 and set(df["cameo_code"]) == {"040", "042"}
    assert "sentence_text" in df.columns and "explanation" in df.columns


@pytest.mark.parametrize(("code", "expected"), [
    ("USAGOV", {"CountryCode": "USA", "Type1Code": "GOV"}),
    ("IGOUNO", {"KnownGroupCode": "UNO", "Type1Code": "IGO", "CountryCode": None}),
    ("IRQMOSSHI", {"CountryCode": "IRQ", "Religion1Code": "MOS", "Religion2Code": "SHI"}),
    ("NGOUSAHRI", {"CountryCode": "USA", "Type1Code": "NGO", "Type2Code": "HRI"}),
    ("AFGGOVMIL", {"CountryCode": "AFG", "Type1Code": "GOV", "Type2Code": "MIL"}),
    ("COP", {"CountryCode": None, "Type1Code": "COP"}),
])
def test_split_actor_code(code: str, expected: dict[str, str | None]) -> None:
    got = split_actor_code(code)
    for key, value in expected.items():
        assert got[key] == value, key
