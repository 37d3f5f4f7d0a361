"""The event store: idempotent writes, replacement, filters, series, stats, locking, refusal."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tidings.errors import TidingsError
from tidings.model import (
    Actor,
    Article,
    ArticleResult,
    Cameo,
    Event,
    EventDate,
    Location,
    Plover,
    Quote,
    Sentence,
    Span,
    Speaker,
)
from tidings.store import Store
from tidings.store.schema import LATEST_VERSION

# --------------------------------------------------------------------------------------------
# Record builders shared by the store, export and dedup tests.

CAMEO = {  # code: (name, goldstein, quad, plover)
    "040": ("Consult, not specified below", 1.0, 1, "CONSULT"),
    "042": ("Make a visit", 1.9, 1, "CONSULT"),
    "111": ("Criticize or denounce", -2.0, 3, "DISAPPROVE"),
    "163": ("Impose embargo, boycott, or sanctions", -8.0, 4, "SANCTION"),
    "190": ("Use conventional military force", -10.0, 4, "ASSAULT"),
}
PLACES = {
    "Kabul": (1138958, 34.52813, 69.17233, "AFG", "13"),
    "Moscow": (524901, 55.75222, 37.61556, "RUS", "48"),
    "Kyiv": (703448, 50.45466, 30.5238, "UKR", "12"),
}


def actor(text: str, code: str | None, start: int) -> Actor:
    country = code[:3] if code and code[:3] not in ("IGO", "NGO") else None
    sector = code[3:6] if code and len(code) > 3 else None
    return Actor(text=text, code=code, country=country, sector=sector, start=start,
                 end=start + len(text), name=None, matched=[text.lower()])


def make_event(article_id: str, text: str, sent_index: int, sent_start: int, *,
               source: tuple[str, str], target: tuple[str, str] | None, trigger: str,
               cameo: str, date: str | None = None, place: str | None = None,
               modality: str = "asserted", report_date: str = "2024-03-01") -> Event:
    """An event whose offsets point into ``text`` (the sentence at ``sent_start``)."""
    sent_end = text.index(".", sent_start) + 1
    sentence = Sentence(sent_index, sent_start, sent_end, text[sent_start:sent_end])
    s_start = text.index(source[0], sent_start)
    t_pos = text.index(trigger, sent_start)
    tgt = None
    if target:
        tgt = actor(target[0], target[1], text.index(target[0], sent_start))
    name, goldstein, quad, plover = CAMEO[cameo]
    loc = None
    if place:
        gid, lat, lon, country, admin1 = PLACES[place]
        p0 = text.index(place, sent_start)
        loc = Location(text=place, name=place, geonameid=gid, lat=lat, lon=lon, country=country,
                       admin1=admin1, feature="city", resolved_by="attached", start=p0,
                       end=p0 + len(place))
    ev_date = EventDate(start=date, end=date, granularity="day", text=None,
                        resolved_by="time_expression") if date else None
    return Event(
        event_id=Event.make_id(article_id, sent_index, t_pos, source[1],
                               target[1] if target else None, cameo),
        article_id=article_id, report_date=report_date, sentence=sentence,
        trigger=Span(trigger, t_pos, t_pos + len(trigger)),
        source=actor(source[0], source[1], s_start), target=tgt,
        cameo=Cameo(cameo, cameo[:2], name, goldstein, quad),
        plover=Plover(plover, None, ["political"] if quad in (1, 3) else []),
        modality=modality, date=ev_date, location=loc,
        explanation={"verb": {"lemma": trigger}, "confidence": 0.8})


STORY_A = ("U.S. Secretary of State Antony Blinken met Afghan officials in Kabul on Tuesday. "
           "Russian President Vladimir Putin criticized Ukraine in a speech in Moscow. "
           "Russian forces attacked Kyiv overnight, officials said.")
STORY_B = ("The United Nations condemned Russia on Wednesday after the strikes. "
           "American envoys visited Kabul for talks with the Taliban government.")


def story_a(article_id: str = "a1", *, text: str = STORY_A, url: str | None = None,
            date: dt.date = dt.date(2024, 3, 1)) -> ArticleResult:
    s1 = text.index("Russian President")
    s2 = text.index("Russian forces")
    events = [
        make_event(article_id, text, 0, 0, source=("Antony Blinken", "USAGOV"),
                   target=("Afghan officials", "AFGGOV"), trigger="met", cameo="040",
                   date="2024-02-27", place="Kabul"),
        make_event(article_id, text, 1, s1, source=("Vladimir Putin", "RUSGOV"),
                   target=("Ukraine", "UKR"), trigger="criticized", cameo="111",
                   date="2024-02-28", place="Moscow"),
        make_event(article_id, text, 2, s2, source=("Russian forces", "RUSMIL"),
                   target=("Kyiv", "UKR"), trigger="attacked", cameo="190",
                   date="2024-02-29", place="Kyiv", modality="reported"),
    ]
    quotes = [Quote(start=s2, end=len(text), text=text[s2:], cue="said",
                    speaker=Speaker(text="officials", name=None, code="UKRGOV", country="UKR",
                                    sector="GOV", start=text.index("officials", s2),
                                    end=text.index("officials", s2) + 9))]
    sentences = [Sentence(0, 0, s1 - 1, text[:s1 - 1]), Sentence(1, s1, s2 - 1, text[s1:s2 - 1]),
                 Sentence(2, s2, len(text), text[s2:])]
    return ArticleResult(article=Article(article_id, date, text, "Blinken in Kabul",
                                         url or f"https://www.example-news.com/{article_id}",
                                         "news.jsonl:1"),
                         events=events, quotes=quotes, sentences=sentences)


def story_b(article_id: str = "b1", *, date: dt.date = dt.date(2024, 4, 20)) -> ArticleResult:
    text = STORY_B
    s1 = text.index("American envoys")
    events = [
        make_event(article_id, text, 0, 0, source=("United Nations", "IGOUNO"),
                   target=("Russia", "RUS"), trigger="condemned", cameo="111",
                   date="2024-04-17", report_date="2024-04-20"),
        make_event(article_id, text, 1, s1, source=("American envoys", "USAGOV"),
                   target=("Taliban government", "AFGGOV"), trigger="visited", cameo="042",
                   date="2024-04-18", place="Kabul", report_date="2024-04-20"),
    ]
    return ArticleResult(article=Article(article_id, date, text, "UN condemns Russia",
                                         f"https://wire.example.org/{article_id}",
                                         "news.jsonl:2"),
                         events=events, sentences=[Sentence(0, 0, s1 - 1, text[:s1 - 1]),
                                                   Sentence(1, s1, len(text), text[s1:])])


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    st = Store(tmp_path / "t.duckdb")
    st.write_batch([story_a(), story_b()])
    yield st
    st.close()


# --------------------------------------------------------------------------------------------
# Writing


def test_write_keeps_provenance(store: Store) -> None:
    counts = store.table_counts()
    assert counts["articles"] == 2 and counts["events"] == 5
    assert counts["sentences"] == 5 and counts["quotes"] == 1
    df = store.events(source="RUSMIL")
    row = df.iloc[0]
    # Every event links back to its article and sentence, offsets into the article text.
    assert row["article_id"] == "a1" and row["sentence_index"] == 2
    assert STORY_A[row["trigger_start"]:row["trigger_end"]] == "attacked"
    assert row["sentence_text"].startswith("Russian forces attacked Kyiv")
    assert row["event_date"] == dt.date(2024, 2, 29)
    assert row["location_country"] == "UKR" and row["outlet"] == "example-news.com"
    assert store.version() == LATEST_VERSION


def test_same_input_twice_adds_nothing(store: Store) -> None:
    before = {t: store.snapshot(t) for t in ("articles", "events", "sentences", "quotes")}
    rep = store.write_batch([story_a(), story_b()])
    assert (rep.added, rep.replaced, rep.skipped) == (0, 0, 2)
    for t, snap in before.items():
        assert store.snapshot(t).equals(snap), t
    # The input-side filter leaves out stored articles before they are coded again.
    arts = [story_a().article, story_b().article, story_a("a9").article]
    assert [a.id for a in store.skip_stored(arts)] == ["a9"]


def test_changed_text_replaces_article(store: Store) -> None:
    new_text = STORY_A.replace("on Tuesday", "on Monday morning")
    rep = store.write_batch([story_a(text=new_text)])
    assert (rep.added, rep.replaced) == (0, 1)
    counts = store.table_counts()
    assert counts["articles"] == 2 and counts["events"] == 5 and counts["quotes"] == 1
    arts = store.articles(with_text=True).set_index("article_id")
    assert "Monday morning" in arts.loc["a1", "text"]


# --------------------------------------------------------------------------------------------
# Queries


@pytest.mark.parametrize(("filters", "expected"), [
    ({"actor": "USA"}, {"040", "042"}),
    ({"actor": "UKR"}, {"111", "190"}),
    ({"source": "RUS"}, {"111", "190"}),
    ({"target": "RUS"}, {"111"}),
    ({"dyad": "USA:AFG"}, {"040", "042"}),
    ({"dyad": ":UKR"}, {"111", "190"}),
    ({"cameo": "04"}, {"040", "042"}),
    ({"type": "assault"}, {"190"}),
    ({"since": "2024-04-01"}, {"111", "042"}),
    ({"until": dt.date(2024, 2, 28)}, {"040", "111"}),
    ({"country": "afg"}, {"040", "042"}),
    ({"text": "OVERNIGHT"}, {"190"}),
    ({"modality": "reported"}, {"190"}),
    ({"actor": "USA", "since": "2024-04-01"}, {"042"}),
])
def test_event_filters(store: Store, filters: dict[str, object], expected: set[str]) -> None:
    df = store.events(**filters)
    assert set(df["cameo_code"]) == expected


@pytest.mark.parametrize("evil", [
    "USA' OR '1'='1", "'; DROP TABLE events; --", "%", "_", "USA%", "\\", "\" OR 1=1"])
def test_injection_strings_are_values(store: Store, evil: str) -> None:
    for key in ("actor", "source", "cameo", "text", "country", "type", "article"):
        assert len(store.events(**{key: evil})) == 0
    assert len(store.quotes(speaker=evil)) == 0
    assert store.table_counts()["events"] == 5


def test_bad_filter_values_are_clear_errors(store: Store) -> None:
    with pytest.raises(TidingsError, match="since"):
        store.events(since="last week")
    with pytest.raises(TidingsError, match="SOURCE:TARGET"):
        store.series("USA-AFG")
    with pytest.raises(TidingsError, match="--by"):
        store.series("USA:AFG", by="fortnight")


def test_limit_and_arrow(store: Store) -> None:
    t = store.events(limit=2, as_="arrow")
    assert t.num_rows == 2 and "sentence_text" in t.column_names


def test_series_zero_filled(store: Store) -> None:
    df = store.series("USA:AFG", by="month", measure="goldstein")
    assert [d.isoformat() for d in df["period"]] == ["2024-02-01", "2024-03-01", "2024-04-01"]
    assert list(df["count"]) == [1, 0, 1]
    assert list(df["goldstein_sum"]) == pytest.approx([1.0, 0.0, 1.9])
    quad = store.series(":UKR", by="day", measure="quad", since="2024-02-27",
                        until="2024-03-02")
    assert len(quad) == 5
    assert list(quad["q3"]) == [0, 1, 0, 0, 0] and list(quad["q4"]) == [0, 0, 1, 0, 0]
    weekly = store.series("USA:", by="week")
    assert all(d.weekday() == 0 for d in weekly["period"])
    assert weekly["count"].sum() == 2


def test_stats(store: Store) -> None:
    st = store.stats(top=3)
    assert st["totals"]["events"] == 5 and st["totals"]["articles"] == 2
    bm = st["by_month"]
    assert int(bm[(bm["month"] == "2024-02") & (bm["plover_type"] == "ASSAULT")]["events"].sum()) == 1
    assert set(st["top_actors"]["code"]) >= {"UKR"}
    assert len(st["top_dyads"]) == 3


def test_quotes_by_speaker(store: Store) -> None:
    assert len(store.quotes(speaker="officials")) == 1
    assert len(store.quotes(speaker="UKR")) == 1
    assert len(store.quotes(speaker="Putin")) == 0


# --------------------------------------------------------------------------------------------
# Opening: locks, foreign files, versions


def test_second_writer_gets_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from tidings.store import Store; s = Store(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(TidingsError, match="database is locked by another process"):
            Store(path)
        with pytest.raises(TidingsError, match="database is locked by another process"):
            Store(path, read_only=True)
    finally:
        holder.kill()
        holder.wait()
    with Store(path, read_only=True) as st:  # usable again once the writer is gone
        assert st.version() == LATEST_VERSION


def test_foreign_files_are_never_overwritten(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.duckdb"
    text_file.write_text("my precious notes\n" * 100)
    before = text_file.read_bytes()
    with pytest.raises(TidingsError, match="not a Tidings store"):
        Store(text_file)
    assert text_file.read_bytes() == before

    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE sales(x INTEGER)")
    con.execute("INSERT INTO sales VALUES (42)")
    con.close()
    with pytest.raises(TidingsError, match="not a Tidings store"):
        Store(other)
    con = duckdb.connect(str(other))
    assert con.execute("SELECT * FROM sales").fetchall() == [(42,)]
    assert {r[0] for r in con.execute("SHOW TABLES").fetchall()} == {"sales"}
    con.close()


def test_missing_store_read_only_and_newer_schema(tmp_path: Path) -> None:
    with pytest.raises(TidingsError, match="no store"):
        Store(tmp_path / "absent.duckdb", read_only=True)
    path = tmp_path / "future.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, 'from the future', now())",
                [LATEST_VERSION + 1])
    con.close()
    with pytest.raises(TidingsError, match="newer Tidings"):
        Store(path)


def test_transaction_rolls_back_whole_batch(tmp_path: Path) -> None:
    st = Store(tmp_path / "rb.duckdb")
    bad = story_b("b2")
    bad.events[0].cameo.quad_class = 9999  # does not fit TINYINT: the insert fails
    with pytest.raises(duckdb.Error):
        st.write_batch([story_a("a5"), bad])
    assert st.table_counts()["articles"] == 0 and st.table_counts()["events"] == 0
    st.write_batch([story_a("a5")])
    assert st.table_counts()["articles"] == 1
    st.close()


def test_ingest_reports_errors_and_timing(tmp_path: Path) -> None:
    from tidings.errors import InputError

    st = Store(tmp_path / "i.duckdb")
    seen: list[str] = []
    items = [story_a(), InputError("in.jsonl:2", "missing text"), story_b()]
    rep = st.ingest(items, batch_size=1, on_error=lambda e: seen.append(str(e)))
    assert (rep.articles, rep.added, rep.errors, rep.events) == (2, 2, 1, 5)
    assert seen == ["in.jsonl:2: missing text"]
    assert 0 <= rep.store_seconds <= rep.wall_seconds + 1e-6
    time.sleep(0)
    st.close()
