"""The REST API over a store built from examples/ with the real pipeline."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tidings.api import create_app
from tidings.model import Event
from tidings.readers import read_paths
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
EVENT_FIELDS = [f.name for f in dataclasses.fields(Event)]
INJECTIONS = ["' OR '1'='1", "x'; DROP TABLE events; --", "USA) OR (1=1", "%' --",
              "\" OR \"\"=\"", "1; SELECT * FROM articles", "USA\x00", "../../etc/passwd"]
FILTER_PARAMS = ["actor", "source", "target", "dyad", "type", "cameo", "since", "until",
                 "country", "text", "modality", "article"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    path = tmp_path_factory.mktemp("api") / "examples.duckdb"
    with Store(path) as store:
        report = store.ingest(pipeline.process(read_paths([str(ROOT / "examples")])))
    assert report.events > 10, report.error_messages[:2]
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with Store(db, read_only=True) as s:
        yield s


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def _ids(frame: Any) -> list[str]:
    return [str(x) for x in frame["event_id"].tolist()]


def _all_pages(client: TestClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        r = client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["events"]
        cursor = body["next_cursor"]
        if not cursor:
            return out
    raise AssertionError("pagination did not end")


def _assert_error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in r.text
    return body["error"]


# -- events -------------------------------------------------------------------------------------

def test_pages_walk_every_event_once_in_store_order(client: TestClient, store: Store) -> None:
    expected = _ids(store.events())
    seen = _all_pages(client, {"limit": 7})
    assert [e["event_id"] for e in seen] == expected
    first = client.get("/api/events", params={"limit": 7, "total": True}).json()
    assert first["total"] == len(expected)
    assert len(first["events"]) == 7


def test_events_follow_the_event_contract(client: TestClient, store: Store) -> None:
    events = client.get("/api/events", params={"limit": 500}).json()["events"]
    assert events
    for ev in events:
        assert list(ev)[:len(EVENT_FIELDS)] == EVENT_FIELDS
        s = ev["sentence"]
        t = ev["trigger"]
        assert s["text"], ev["event_id"]
        # The trigger lies inside its sentence, at the same article offsets.
        assert s["text"][t["start"] - s["start"]:t["end"] - s["start"]] == t["text"]
    frame = store.events()
    row = frame.iloc[0]
    ev = next(e for e in events if e["event_id"] == row["event_id"])
    assert ev["source"]["code"] == row["source_code"]
    assert ev["cameo"]["code"] == row["cameo_code"]
    assert ev["plover"]["type"] == row["plover_type"]


@pytest.mark.parametrize("filters", [
    {"actor": "IRN"}, {"source": "USA"}, {"target": "AFG"}, {"dyad": "IRN:"},
    {"dyad": ":UKR"}, {"type": "ASSAULT"}, {"type": "accuse"}, {"cameo": "19"},
    {"since": "2022-01-01"}, {"until": "2021-12-31"},
    {"since": "2021-01-01", "until": "2023-12-31", "actor": "RUS"},
    {"text": "TALIBAN"}, {"modality": "asserted"},
])
def test_filters_match_the_store(client: TestClient, store: Store,
                                 filters: dict[str, Any]) -> None:
    expected = _ids(store.events(**filters))
    got = [e["event_id"] for e in _all_pages(client, {**filters, "limit": 3})]
    assert got == expected


def test_filters_narrow_for_real(client: TestClient, store: Store) -> None:
    all_ids = _ids(store.events())
    irn = [e["event_id"] for e in _all_pages(client, {"actor": "IRN", "limit": 500})]
    assert 0 < len(irn) < len(all_ids)


def test_cursor_is_checked(client: TestClient) -> None:
    page = client.get("/api/events", params={"limit": 2, "actor": "IRN"}).json()
    assert page["next_cursor"]
    _assert_error(client.get("/api/events", params={"limit": 2, "cursor": page["next_cursor"]}),
                  422)
    _assert_error(client.get("/api/events", params={"cursor": "not-a-cursor"}), 422)


def test_event_detail_has_article_and_spans(client: TestClient, store: Store) -> None:
    row = store.events(dyad="IRN:").iloc[0]
    r = client.get(f"/api/events/{row['event_id']}")
    assert r.status_code == 200
    ev = r.json()
    assert ev["event_id"] == row["event_id"]
    article = ev["article"]["text"]
    sentence = ev["sentence"]["text"]
    assert article[ev["sentence"]["start"]:ev["sentence"]["end"]] == sentence
    roles = {h["role"]: h for h in ev["highlights"]}
    assert roles["trigger"]["text"] == ev["trigger"]["text"]
    assert roles["source"]["text"] == ev["source"]["text"]
    for h in ev["highlights"]:
        assert article[h["start"]:h["end"]] == h["text"]
        if h["sentence_start"] is not None:
            assert sentence[h["sentence_start"]:h["sentence_end"]] == h["text"]
    assert ev["mentions"]["events"] >= 1


def test_unknown_event_is_404(client: TestClient) -> None:
    err = _assert_error(client.get("/api/events/0000000000"), 404)
    assert "0000000000" in err["message"]


# -- series, actors, stats, quotes, map, network ------------------------------------------------

def test_series_counts_add_up(client: TestClient, store: Store) -> None:
    body = client.get("/api/series", params={"actor": "IRN", "by": "year",
                                             "measure": "quad"}).json()
    assert body["by"] == "year"
    rows = body["series"]
    dated = store.events(actor="IRN")
    assert sum(r["count"] for r in rows) == int(dated["event_date"].notna().sum())
    for r in rows:
        assert r["count"] == r["q1"] + r["q2"] + r["q3"] + r["q4"]
        assert re.fullmatch(r"\d{4}-01-01", r["period"])
    auto = client.get("/api/series", params={"by": "auto"}).json()
    assert auto["by"] in {"week", "month"}
    dyad = client.get("/api/series", params={"dyad": "IRN:", "measure": "goldstein"}).json()
    assert sum(r["count"] for r in dyad["series"]) == len(store.events(dyad="IRN:"))


def test_actor_search(client: TestClient, store: Store) -> None:
    by_code = client.get("/api/actors", params={"q": "irn"}).json()["actors"]
    assert by_code and all(a["code"].startswith("IRN") or any(
        "irn" in t.lower() for t in a["texts"] + a["names"]) for a in by_code)
    frame = store.events(actor="IRNGOV")
    irngov = next(a for a in by_code if a["code"] == "IRNGOV")
    n = int((frame["source_code"] == "IRNGOV").sum() + (frame["target_code"] == "IRNGOV").sum())
    assert irngov["events"] == n
    assert irngov["country_name"] == "Iran"
    by_name = client.get("/api/actors", params={"q": "taliban"}).json()["actors"]
    assert any(a["code"].startswith("AFG") for a in by_name)
    top = client.get("/api/actors", params={"limit": 3}).json()["actors"]
    assert len(top) == 3 and top[0]["events"] >= top[-1]["events"]


def test_stats_and_quotes_match_the_store(client: TestClient, store: Store) -> None:
    stats = client.get("/api/stats").json()
    counts = store.table_counts()
    assert stats["totals"]["events"] == counts["events"]
    assert stats["totals"]["articles"] == counts["articles"]
    assert sum(r["events"] for r in stats["by_month"]) == counts["events"]
    quotes = client.get("/api/quotes").json()["quotes"]
    assert len(quotes) == counts["quotes"] > 0
    q = quotes[0]
    assert {"start", "end", "text", "speaker", "cue", "reason"} <= set(q)
    speaker = next(x for x in quotes if x["speaker"] and x["speaker"]["name"])
    part = speaker["speaker"]["name"].split()[-1]
    found = client.get("/api/quotes", params={"speaker": part}).json()["quotes"]
    assert found and all(part.lower() in json.dumps(x["speaker"]).lower() for x in found)


def test_network_and_map(client: TestClient, store: Store) -> None:
    net = client.get("/api/network").json()
    frame = store.events()
    both = frame[frame["source_code"].notna() & frame["target_code"].notna()
                 & (frame["source_code"] != frame["target_code"])]
    assert sum(e["events"] for e in net["edges"]) == len(both)
    codes = {n["code"] for n in net["nodes"]}
    assert all(e["source"] in codes and e["target"] in codes for e in net["edges"])
    m = client.get("/api/map").json()
    located = int(frame["location_country"].notna().sum())
    assert sum(c["events"] for c in m["countries"]) == located
    assert m["unlocated"] + located >= len(frame) - int(frame["location_lat"].notna().sum())


# -- errors and security --------------------------------------------------------------------------

@pytest.mark.parametrize("param", FILTER_PARAMS)
def test_injection_strings_are_refused_or_harmless(client: TestClient, store: Store,
                                                   param: str) -> None:
    before = store.table_counts()
    for value in INJECTIONS:
        for path in ("/api/events", "/api/series", "/api/map", "/api/network"):
            r = client.get(path, params={param: value})
            assert r.status_code in (200, 422), (path, param, value, r.text)
            if r.status_code == 422:
                _assert_error(r, 422)
            elif path == "/api/events":
                # Only free-text filters get through validation, and they match nothing.
                assert param in ("text", "article")
                assert r.json()["events"] == []
    assert store.table_counts() == before
    for value in INJECTIONS:
        assert client.get("/api/actors", params={"q": value}).status_code == 200
        assert client.get("/api/quotes", params={"speaker": value}).json()["quotes"] == []
    assert store.table_counts() == before


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 501}, {"since": "2024-02-30"}, {"until": "yesterday"},
    {"since": "2024-01-02", "until": "2024-01-01"}, {"dyad": "USA"}, {"modality": "maybe"},
    {"cameo": "abc"}, {"country": "USAX"}, {"text": "x" * 201},
])
def test_bad_parameters_get_422(client: TestClient, params: dict[str, Any]) -> None:
    err = _assert_error(client.get("/api/events", params=params), 422)
    assert err["message"].startswith("invalid") or "until" in err["message"]


def test_unexpected_errors_do_not_leak(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(db)

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals /home/user/db")

    monkeypatch.setattr(app.state.reader, "event_page", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/events")
        err = _assert_error(r, 500)
    assert "secret" not in r.text and err["message"] == "internal server error"
    _assert_error(TestClient(app).get("/api/nothing-here"), 404)


def test_store_connection_is_read_only(client: TestClient) -> None:
    reader = client.app.state.reader  # type: ignore[attr-defined]
    with pytest.raises(duckdb.Error):
        reader.store.con.execute("DELETE FROM events")


def test_coding_is_off_by_default(client: TestClient) -> None:
    r = client.post("/api/code", json={"text": "Iran threatened Israel."})
    _assert_error(r, 403)


def test_coding_when_allowed(db: Path, pipeline: Any) -> None:
    app = create_app(db, allow_coding=True, max_body_bytes=4096)
    app.state.pipeline = pipeline
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/code", json={"text": "Iran threatened to attack Israel on Sunday.",
                                      "date": "2024-04-10"})
        assert r.status_code == 200, r.text
        events = r.json()["events"]
        assert events and events[0]["source"]["code"].startswith("IRN")
        assert list(events[0])[:len(EVENT_FIELDS)] == EVENT_FIELDS
        _assert_error(c.post("/api/code", json={"text": ""}), 422)
        _assert_error(c.post("/api/code", json={"text": "x " * 5000}), 413)
        _assert_error(c.post("/api/code", content=b"{not json",
                             headers={"Content-Type": "application/json"}), 422)


def test_cors_is_off_unless_asked(db: Path, client: TestClient) -> None:
    origin = {"Origin": "http://evil.example"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    with TestClient(create_app(db, cors=["http://ok.example"])) as c:
        ok = c.get("/api/health", headers={"Origin": "http://ok.example"})
        assert ok.headers["access-control-allow-origin"] == "http://ok.example"
        bad = c.get("/api/health", headers=origin)
        assert "access-control-allow-origin" not in bad.headers


def test_every_response_says_nosniff(client: TestClient) -> None:
    for path in ("/", "/api/health", "/api/events?limit=2", "/api/events/nope",
                 "/api/events?since=bad", "/static/app.js"):
        r = client.get(path)
        assert r.headers.get("x-content-type-options") == "nosniff", path
        assert len(r.headers.get_list("x-content-type-options")) == 1, path


def test_page_events_equal_the_records_to_dict(client: TestClient, store: Store) -> None:
    """The API's fast serialisation gives exactly ``Event.to_dict()`` of the stored row."""
    from tidings.api.records import event_from_row

    events = client.get("/api/events", params={"limit": 500}).json()["events"]
    res = store.con.execute("SELECT * FROM events")
    cols = [d[0] for d in res.description]
    rows = {r[0]: dict(zip(cols, r, strict=True)) for r in res.fetchall()}
    checked = 0
    for ev in events:
        row = rows[ev["event_id"]]
        row["sentence_text"] = ev["sentence"]["text"]
        want = event_from_row(row).to_dict()
        got = {k: ev[k] for k in want}
        assert json.loads(json.dumps(got, default=str)) == json.loads(
            json.dumps(want, default=str)), ev["event_id"]
        checked += 1
    assert checked == len(events) > 10


def test_dashboard_is_served_from_the_package(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") for a in assets), assets
    for a in assets:
        if a.startswith("/static/"):
            assert client.get(a).status_code == 200, a
    js = client.get("/static/app.js").text
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", js)
    world = client.get("/static/world-110m.json").json()
    iso3 = {c["iso3"] for c in world["countries"]}
    assert {"USA", "AFG", "UKR", "FRA", "BRA"} <= iso3
    assert client.get("/static/world-110m.LICENSE.txt").status_code == 200


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/events/{event_id}", "/api/series", "/api/actors",
              "/api/stats", "/api/quotes", "/api/code"):
        assert p in paths


def test_missing_store_is_refused(tmp_path: Path) -> None:
    from tidings.errors import TidingsError

    with pytest.raises(TidingsError):
        create_app(tmp_path / "none.duckdb")


def test_serve_command(tmp_path: Path) -> None:
    import click

    from tidings.cli import serve as serve_mod

    group = click.Group()
    serve_mod.register(group)
    result = CliRunner().invoke(group, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--allow-coding" in result.output and "127.0.0.1" in result.output
    assert serve_mod._is_loopback("127.0.0.1") and serve_mod._is_loopback("::1")
    assert not serve_mod._is_loopback("0.0.0.0")


def test_openapi_docs_are_served_without_a_cdn(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", r.text)
    assert urls, r.text[:500]
    assert not [u for u in urls if re.match(r"(https?:)?//", u)], urls
    for u in urls:
        got = client.get(u)
        assert got.status_code == 200, u
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
    assert client.get("/redoc").status_code == 404
