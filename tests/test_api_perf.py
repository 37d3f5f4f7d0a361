"""The API's fast read path: clustered event layout, keyset pages by row id, per-thread cursors,
the aggregate cache and the fast record serialiser, checked against the Store's own answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tidings.api import create_app
from tidings.api.queries import Reader, TTLCache
from tidings.api.records import event_dict, event_from_row
from tidings.store import EventFilter, Store

N_EVENTS = 3000


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("perf") / "synthetic.duckdb"
    with Store(path) as store:
        store.load_synthetic(N_EVENTS, seed=3)
        store.cluster_events()
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with Store(db, read_only=True) as s:
        yield s


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def _walk(client: TestClient, params: dict[str, Any], limit: int = 70) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        q = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/events", params=q).json()
        out += body["events"]
        cursor = body["next_cursor"]
        if not cursor:
            return out


def test_cluster_events_keeps_rows_and_orders_them_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load_synthetic(800, seed=5)
        before = store.snapshot("events")
        before_articles = store.snapshot("articles")
        store.cluster_events()
        store.cluster_events()  # again: idempotent, same rows
        assert store.snapshot("events").equals(before)
        assert store.snapshot("articles").equals(before_articles)
        art_dates = [r[0] for r in store.con.execute(
            "SELECT date FROM articles ORDER BY rowid").fetchall()]
        assert art_dates == sorted(art_dates, reverse=True) and len(art_dates) == 160
        dates = [r[0] for r in store.con.execute(
            "SELECT event_date FROM events ORDER BY rowid").fetchall()]
        assert dates == sorted(dates, reverse=True) and len(dates) == 800
        indexes = {r[0] for r in store.con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'").fetchall()}
        assert "events_root_id" in indexes
    with Store(path, read_only=True) as ro, pytest.raises(Exception, match="writing"):
        ro.cluster_events()


@pytest.mark.parametrize("params", [
    {},
    {"actor": "USA"},
    {"dyad": "IRN:", "type": "assault"},
    {"country": "AFG", "since": "2017-01-01", "until": "2019-12-31"},
    {"source": "RUSMIL", "cameo": "1"},
])
def test_pages_match_the_store_in_order(client: TestClient, store: Store,
                                        params: dict[str, Any]) -> None:
    got = [e["event_id"] for e in _walk(client, params)]
    want = list(store.events(**params)["event_id"])
    assert got == want and len(set(got)) == len(got)
    assert params or len(got) == N_EVENTS


def test_page_rows_carry_sentence_and_article(client: TestClient, store: Store) -> None:
    page = client.get("/api/events", params={"actor": "CHN", "limit": 40}).json()["events"]
    frame = store.events(actor="CHN", limit=40).set_index("event_id")
    assert len(page) == 40
    for e in page:
        row = frame.loc[e["event_id"]]
        assert e["sentence"]["text"] == row["sentence_text"]
        assert e["url"] == row["url"] and e["outlet"] == row["outlet"]
        assert e["source"]["code"] == row["source_code"]


def test_page_finds_articles_whose_date_differs_from_the_report_date(tmp_path: Path) -> None:
    """Articles are looked up within the page's report dates first; one stored under another
    date is still found (by id), with its sentence sliced from its text."""
    path = tmp_path / "moved.duckdb"
    with Store(path) as store:
        store.load_synthetic(500, seed=9)
        store.cluster_events()
        first = store.con.execute("SELECT article_id FROM events ORDER BY event_date DESC, "
                                  "event_id LIMIT 1").fetchall()[0][0]
        store.con.execute("UPDATE articles SET date = date - 700, url = 'https://moved.example/' "
                          "WHERE article_id = ?", [first])
    with Store(path, read_only=True) as ro:
        page = Reader(ro).event_page(EventFilter(), limit=20)["events"]
        want = ro.events(limit=20).set_index("event_id")
    moved = [e for e in page if e["article_id"] == first]
    assert moved and all(e["url"] == "https://moved.example/" for e in moved)
    for e in page:
        assert e["sentence"]["text"] == want.loc[e["event_id"], "sentence_text"]
        assert e["title"] == want.loc[e["event_id"], "title"]


def test_page_sentences_without_article_text_come_from_the_sentences_table(
        tmp_path: Path) -> None:
    path = tmp_path / "notext.duckdb"
    with Store(path) as store:
        store.load_synthetic(300, seed=4)
        store.con.execute("UPDATE articles SET text = NULL")
    with Store(path, read_only=True) as ro:
        page = Reader(ro).event_page(EventFilter(), limit=30)["events"]
        want = ro.events(limit=30).set_index("event_id")
    assert len(page) == 30
    for e in page:
        assert e["sentence"]["text"] == want.loc[e["event_id"], "sentence_text"] != ""


def test_event_dict_is_to_dict_in_order(store: Store) -> None:
    rows = store.events(limit=200, as_="arrow").to_pylist()
    assert len(rows) == 200
    for row in rows:
        want = event_from_row(row).to_dict()
        got = event_dict(row)
        # Same fields, values and order as the record's own to_dict(), then the extras.
        assert json.dumps({k: got[k] for k in list(got)[:len(want)]}) == json.dumps(want)
        assert list(got)[len(want):] == ["root_id", "event_date", "title", "url", "outlet"]


def test_concurrent_requests_use_their_own_cursors(db: Path, store: Store) -> None:
    reader = Reader(Store(db, read_only=True))
    want = list(store.events(type="ASSAULT", limit=30)["event_id"])
    errors: list[BaseException] = []
    got: list[list[str]] = []

    def work() -> None:
        try:
            for _ in range(5):
                page = reader.event_page(EventFilter(type="ASSAULT"), limit=30)
                got.append([e["event_id"] for e in page["events"]])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(got) == 20 and all(g == want for g in got)
    assert len(reader._cursors) == 4
    reader.close()
    reader.store.close()


def test_ttl_cache_reuses_then_expires() -> None:
    calls: list[int] = []

    def make(value: int) -> Callable[[], int]:
        def compute() -> int:
            calls.append(value)
            return value
        return compute

    cache = TTLCache(ttl=60, size=2)
    assert cache.get("a", make(1)) == 1
    assert cache.get("a", make(2)) == 1
    cache.get("b", make(3))
    cache.get("c", make(4))  # evicts "a" (least recently used)
    assert cache.get("a", make(5)) == 5
    assert calls == [1, 3, 4, 5]
    off = TTLCache(ttl=0)
    assert off.get("k", make(6)) == 6 and off.get("k", make(7)) == 7


def test_cached_aggregates_match_fresh_ones(db: Path, client: TestClient) -> None:
    params = {"actor": "IRN", "since": "2016-01-01", "until": "2018-12-31"}
    with TestClient(create_app(db, cache_ttl=0)) as fresh:
        for path in ("/api/map", "/api/network", "/api/series"):
            first = client.get(path, params=params).json()
            again = client.get(path, params=params).json()
            assert first == again == fresh.get(path, params=params).json()
        assert (client.get("/api/actors", params={"q": "ru"}).json()
                == fresh.get("/api/actors", params={"q": "ru"}).json())
    actors = client.get("/api/actors", params={"q": "ru"}).json()["actors"]
    assert actors and all(a["code"].startswith("RU") for a in actors)
