"""Read-only queries the API needs beyond the Store's methods: event pages, one event in its
article, actor search and the dashboard's map and network aggregates.

Each request thread has its own DuckDB cursor on the Store's read-only connection (a connection
is not safe to share between threads; cursors are, one per thread), and every query takes its
values as parameters; filter conditions come from the Store's own ``EventFilter.where()``.

Event pages use keyset pagination on ``(event_date DESC, event_id)``: the first query finds the
page's keys and row ids under the filters with ``LIMIT`` pushed into a top-N (on a store laid out
by ``Store.cluster_events`` DuckDB skips every row group that cannot hold the page), the second
fetches just those rows by row id, then their articles (by primary key) and sentences. Aggregates
that do not depend on a page (actor table, stats, map, network, series) are cached for a short
time: the server's store is read-only, so they cannot go stale while it is open.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, TypeVar

import duckdb

from tidings.api.records import event_dict
from tidings.errors import TidingsError
from tidings.store import EventFilter, Store

ORDER = "e.event_date DESC NULLS LAST, e.event_id"
CACHE_TTL_S = 300.0
CACHE_ENTRIES = 512

T = TypeVar("T")


class CursorError(TidingsError):
    """A pagination cursor that this server did not hand out for these filters."""


def _fingerprint(flt: EventFilter) -> str:
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(flt).items() if v not in (None, "")}
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def encode_cursor(flt: EventFilter, date: dt.date | None, event_id: str) -> str:
    """Opaque cursor: the last row's sort key and the filters it belongs to."""
    raw = json.dumps([date.isoformat() if date else None, event_id, _fingerprint(flt)])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(flt: EventFilter, cursor: str) -> tuple[dt.date | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        date_s, event_id, fp = json.loads(raw)
        date = dt.date.fromisoformat(date_s) if date_s is not None else None
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError("invalid cursor: pass next_cursor from a previous page") from exc
    if not isinstance(event_id, str) or fp != _fingerprint(flt):
        raise CursorError("cursor belongs to other filters: start again without a cursor")
    return date, event_id


def _rows(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    res = cur.execute(sql, list(params))
    cols = [d[0] for d in res.description or []]
    return [dict(zip(cols, r, strict=True)) for r in res.fetchall()]


def _needs_sentences(flt: EventFilter) -> bool:
    return bool(flt.text)


def _from(flt: EventFilter) -> str:
    if _needs_sentences(flt):
        return ("events e LEFT JOIN sentences s ON s.article_id = e.article_id "
                "AND s.sentence_index = e.sentence_index")
    return "events e"


class TTLCache:
    """A small thread-safe LRU of computed values that expire after ``ttl`` seconds."""

    def __init__(self, ttl: float = CACHE_TTL_S, size: int = CACHE_ENTRIES) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing (outside the lock) when missing or expired."""
        now = time.monotonic()
        if self.ttl > 0:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None and now - hit[0] < self.ttl:
                    self._items.move_to_end(key)
                    value: T = hit[1]
                    return value
        value = compute()
        if self.ttl > 0:
            with self._lock:
                self._items[key] = (now, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def filter_key(flt: EventFilter) -> tuple[tuple[str, str], ...]:
    """A hashable key of the filters that are set."""
    return tuple(sorted((k, v.isoformat() if isinstance(v, dt.date) else str(v))
                        for k, v in asdict(flt).items() if v not in (None, "")))


class Reader:
    """Read-only queries over one open ``Store``."""

    def __init__(self, store: Store, *, cache_ttl: float = CACHE_TTL_S,
                 max_queries: int | None = None) -> None:
        self.store = store
        # At most this many requests query DuckDB at once (the rest wait their turn): more
        # than the cores only adds switching between queries that compete for them.
        self.max_queries = max_queries or max(2, os.cpu_count() or 1)
        self._gate = threading.BoundedSemaphore(self.max_queries)
        self.cache = TTLCache(cache_ttl)
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._has_rowid: bool | None = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's cursor on the store (made on the thread's first query, then reused),
        once one of the ``max_queries`` query slots is free."""
        with self._gate:
            cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cur", None)
            if cur is None:
                cur = self.store.con.cursor()
                self._local.cur = cur
                with self._cursors_lock:
                    self._cursors.append(cur)
            yield cur

    def close(self) -> None:
        """Close every thread's cursor (the store itself is closed by its owner)."""
        with self._cursors_lock:
            for cur in self._cursors:
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()
        self._local = threading.local()

    def cached(self, name: str, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, cached under ``(name, key)`` for the cache's TTL."""
        return self.cache.get((name, key), compute)

    def _rowids(self, cur: duckdb.DuckDBPyConnection) -> bool:
        """Whether ``events`` is a table with row ids (a Parquet dataset's view is not)."""
        if self._has_rowid is None:
            try:
                cur.execute("SELECT rowid FROM events LIMIT 0").fetchall()
                self._has_rowid = True
            except duckdb.Error:
                self._has_rowid = False
        return self._has_rowid

    # -- events ------------------------------------------------------------------------------

    def event_page(self, flt: EventFilter, *, limit: int, cursor: str | None = None,
                   with_total: bool = False) -> dict[str, Any]:
        """One page of events (newest first, then by id) and the cursor of the next page."""
        cond, params = flt.where()
        if cursor:
            date, last_id = decode_cursor(flt, cursor)
            if date is None:
                cond += " AND e.event_date IS NULL AND e.event_id > ?"
                params = [*params, last_id]
            else:
                cond += (" AND (e.event_date < ? OR (e.event_date = ? AND e.event_id > ?) "
                         "OR e.event_date IS NULL)")
                params = [*params, date, date, last_id]
        with self.cursor() as cur:
            rid = "e.rowid" if self._rowids(cur) else "NULL"
            keys = cur.execute(
                f"SELECT e.event_id, e.event_date, {rid} FROM {_from(flt)} WHERE {cond} "
                f"ORDER BY {ORDER} LIMIT ?", [*params, limit + 1]).fetchall()
            more = len(keys) > limit
            keys = keys[:limit]
            rows = self._page_rows(cur, keys)
            total = None
            if with_total:
                base_cond, base_params = flt.where()
                found = cur.execute(f"SELECT count(*) FROM {_from(flt)} WHERE {base_cond}",
                                    base_params).fetchall()
                total = int(found[0][0]) if found else 0
        next_cursor = encode_cursor(flt, keys[-1][1], keys[-1][0]) if more and keys else None
        out: dict[str, Any] = {"events": [event_dict(r) for r in rows], "limit": limit,
                               "next_cursor": next_cursor}
        if with_total:
            out["total"] = total
        return out

    def _page_rows(self, cur: duckdb.DuckDBPyConnection,
                   keys: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """The events of a page's keys ``(event_id, event_date, rowid)``, in key order, with
        their article's title, url and outlet and their sentence text."""
        if not keys:
            return []
        ids = [k[0] for k in keys]
        by_id: dict[str, dict[str, Any]] = {}
        rowids = [k[2] for k in keys if k[2] is not None]
        if len(rowids) == len(keys):
            # Row ids come from this same read-only snapshot; the ids are checked all the same.
            by_id = {r["event_id"]: r for r in _rows(
                cur, "SELECT * FROM events WHERE rowid = ANY(?::BIGINT[])", [rowids])}
        missing = [i for i in ids if i not in by_id]
        if missing:
            by_id.update((r["event_id"], r) for r in _rows(
                cur, "SELECT * FROM events WHERE event_id = ANY(?::VARCHAR[])", [missing]))
        ordered = [by_id[i] for i in ids if i in by_id]
        arts = self._page_articles(cur, ordered)
        lacking: list[dict[str, Any]] = []
        for r in ordered:
            art = arts.get(r["article_id"], {})
            r["title"], r["url"], r["outlet"] = art.get("title"), art.get("url"), art.get("outlet")
            # The stored sentence is the article text between the event's sentence offsets:
            # slicing it saves a scan of the sentences table.
            text, start, end = art.get("text"), r.get("sentence_start"), r.get("sentence_end")
            if text and start is not None and end is not None and 0 <= start < end <= len(text):
                r["sentence_text"] = text[start:end]
            else:
                lacking.append(r)
        if lacking:
            sents = {(x["article_id"], x["sentence_index"]): x["text"] for x in _rows(
                cur, "SELECT article_id, sentence_index, text FROM sentences "
                     "WHERE article_id = ANY(?::VARCHAR[])",
                [sorted({r["article_id"] for r in lacking})])}
            for r in lacking:
                r["sentence_text"] = sents.get((r["article_id"], r["sentence_index"]))
        return ordered

    def _page_articles(self, cur: duckdb.DuckDBPyConnection,
                       rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Title, url, outlet and text of the articles of a page's event rows, by article id.

        The report dates of the rows bound the articles' dates, which lets DuckDB skip the row
        groups of other dates on a clustered store; any article not found that way (a date
        that differs) is looked up by id alone."""
        art_ids = sorted({r["article_id"] for r in rows})
        sql = ("SELECT article_id, title, url, outlet, text FROM articles "
               "WHERE article_id = ANY(?::VARCHAR[])")
        dates = [d for d in (r.get("report_date") for r in rows) if isinstance(d, dt.date)]
        if not art_ids:
            return {}
        if len(dates) == len(rows):
            found = {r["article_id"]: r for r in _rows(
                cur, sql + " AND date BETWEEN ? AND ?", [art_ids, min(dates), max(dates)])}
        else:
            found = {}
        missing = [a for a in art_ids if a not in found]
        if missing:
            found.update((r["article_id"], r) for r in _rows(cur, sql, [missing]))
        return found

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """One event with its article (text included) and its spans within the sentence."""
        with self.cursor() as cur:
            rows = _rows(cur, "SELECT * FROM events WHERE event_id = ?", [event_id])
            if not rows:
                return None
            row = rows[0]
            arts = _rows(cur, "SELECT article_id, date, title, url, outlet, source, text, "
                              "duplicate_of FROM articles WHERE article_id = ?",
                         [row["article_id"]])
            sents = _rows(cur, "SELECT text FROM sentences WHERE article_id = ? AND "
                               "sentence_index = ?", [row["article_id"], row["sentence_index"]])
            mentions = cur.execute(
                "SELECT count(*), count(DISTINCT article_id) FROM events WHERE root_id = ?",
                [row["root_id"]]).fetchall()
        art = arts[0] if arts else {}
        row["sentence_text"] = sents[0]["text"] if sents else None
        for key in ("title", "url", "outlet"):
            row[key] = art.get(key)
        out = event_dict(row)
        text = art.get("text")
        out["article"] = {
            "id": row["article_id"],
            "date": art["date"].isoformat() if art.get("date") else None,
            "title": art.get("title"), "url": art.get("url"), "outlet": art.get("outlet"),
            "source": art.get("source"), "duplicate_of": art.get("duplicate_of"), "text": text,
        }
        out["highlights"] = highlights(row, text)
        if mentions:
            out["mentions"] = {"events": int(mentions[0][0]), "articles": int(mentions[0][1])}
        return out

    # -- aggregates --------------------------------------------------------------------------

    def date_bounds(self, flt: EventFilter) -> tuple[dt.date | None, dt.date | None]:
        """First and last event date under the filters."""
        return self.cached("date-bounds", filter_key(flt), lambda: self._date_bounds(flt))

    def _date_bounds(self, flt: EventFilter) -> tuple[dt.date | None, dt.date | None]:
        cond, params = flt.where()
        with self.cursor() as cur:
            found = cur.execute(f"SELECT min(e.event_date), max(e.event_date) FROM {_from(flt)} "
                                f"WHERE {cond}", params).fetchall()
        return (found[0][0], found[0][1]) if found else (None, None)

    def actors(self, q: str | None, *, limit: int) -> list[dict[str, Any]]:
        """Actor codes in the store whose code starts with ``q`` or whose names contain it.

        Counts are over the mentions that match (all of a code's mentions for a code match).
        The store's distinct (code, name, text, country) variants are read once and cached; a
        search filters and sums them.
        """
        variants = self.cached("actor-variants", None, self._actor_variants)
        code_q, text_q = (q.upper(), q.lower()) if q else ("", "")
        found: dict[str, dict[str, Any]] = {}
        for code, name, text, country, n in variants:
            if q and not (code.startswith(code_q) or (name and text_q in name.lower())
                          or (text and text_q in text.lower())):
                continue
            a = found.get(code)
            if a is None:
                a = found[code] = {"code": code, "events": 0, "country": country,
                                   "names": set(), "texts": {}}
            a["events"] += n
            if a["country"] is None:
                a["country"] = country
            if name is not None:
                a["names"].add(name)
            if text:
                a["texts"][text] = a["texts"].get(text, 0) + n
        rows = sorted(found.values(), key=lambda a: (-a["events"], a["code"]))[:limit]
        for r in rows:
            r["names"] = sorted(r["names"])[:5]
            r["texts"] = [t for t, _ in sorted(r["texts"].items(), key=lambda x: (-x[1], x[0]))][:5]
        return rows

    def _actor_variants(self) -> list[tuple[str, str | None, str | None, str | None, int]]:
        sql = (
            "WITH a AS (SELECT source_code AS code, source_name AS name, source_text AS text, "
            "source_country AS country FROM events WHERE source_code IS NOT NULL "
            "UNION ALL SELECT target_code, target_name, target_text, target_country FROM events "
            "WHERE target_code IS NOT NULL) "
            "SELECT code, name, text, country, count(*) AS n FROM a GROUP BY ALL "
            "ORDER BY n DESC, code")
        with self.cursor() as cur:
            return [(str(r[0]), r[1], r[2], r[3], int(r[4]))
                    for r in cur.execute(sql).fetchall()]

    def map_summary(self, flt: EventFilter, *, points: int) -> dict[str, Any]:
        """Events per location country and per located place (lat/lon), for the map."""
        return self.cached("map", (filter_key(flt), points),
                           lambda: self._map_summary(flt, points=points))

    def _map_summary(self, flt: EventFilter, *, points: int) -> dict[str, Any]:
        cond, params = flt.where()
        src = _from(flt)
        with self.cursor() as cur:
            countries = _rows(
                cur, f"SELECT e.location_country AS country, count(*) AS events, "
                     f"avg(e.goldstein) AS goldstein FROM {src} WHERE {cond} "
                     "AND e.location_country IS NOT NULL GROUP BY ALL ORDER BY events DESC",
                params)
            places = _rows(
                cur, "SELECT round(e.location_lat, 2) AS lat, round(e.location_lon, 2) AS lon, "
                     "any_value(coalesce(e.location_name, e.location_text)) AS name, "
                     "any_value(e.location_country) AS country, count(*) AS events, "
                     "avg(e.goldstein) AS goldstein, "
                     "count(*) FILTER (WHERE e.quad_class >= 3) AS conflict "
                     f"FROM {src} WHERE {cond} AND e.location_lat IS NOT NULL "
                     "AND e.location_lon IS NOT NULL GROUP BY 1, 2 "
                     "ORDER BY events DESC LIMIT ?", [*params, points])
            unlocated = cur.execute(
                f"SELECT count(*) FROM {src} WHERE {cond} AND e.location_country IS NULL "
                "AND e.location_lat IS NULL", params).fetchall()
        return {"countries": countries, "places": places,
                "unlocated": int(unlocated[0][0]) if unlocated else 0}

    def network(self, flt: EventFilter, *, edges: int) -> dict[str, Any]:
        """The strongest source → target dyads under the filters, with their actors."""
        return self.cached("network", (filter_key(flt), edges),
                           lambda: self._network(flt, edges=edges))

    def _network(self, flt: EventFilter, *, edges: int) -> dict[str, Any]:
        cond, params = flt.where()
        with self.cursor() as cur:
            rows = _rows(
                cur, "SELECT e.source_code AS source, e.target_code AS target, "
                     "count(*) AS events, avg(e.goldstein) AS goldstein, "
                     "count(*) FILTER (WHERE e.quad_class <= 2) AS cooperation, "
                     "count(*) FILTER (WHERE e.quad_class >= 3) AS conflict "
                     f"FROM {_from(flt)} WHERE {cond} AND e.source_code IS NOT NULL "
                     "AND e.target_code IS NOT NULL AND e.source_code <> e.target_code "
                     "GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?",
                [*params, edges])
        nodes: dict[str, dict[str, Any]] = {}
        for r in rows:
            for side, other in (("source", "out"), ("target", "in")):
                n = nodes.setdefault(r[side], {"code": r[side], "out": 0, "in": 0})
                n[other] += r["events"]
        return {"nodes": sorted(nodes.values(), key=lambda n: -(n["out"] + n["in"])),
                "edges": rows}


def _span(role: str, text: str | None, start: Any, end: Any, s_start: int,
          sentence: str | None, article: str | None) -> dict[str, Any] | None:
    if start is None or end is None or start < 0 or end <= start:
        return None
    shown = text
    if article is not None and 0 <= start < end <= len(article):
        shown = article[start:end]
    rel_start, rel_end = start - s_start, end - s_start
    inside = sentence is not None and 0 <= rel_start < rel_end <= len(sentence)
    return {"role": role, "text": shown, "start": int(start), "end": int(end),
            "sentence_start": rel_start if inside else None,
            "sentence_end": rel_end if inside else None}


def highlights(row: dict[str, Any], article_text: str | None) -> list[dict[str, Any]]:
    """Trigger, source, target, location and reporter spans, in article and sentence offsets."""
    s_start = int(row["sentence_start"] or 0)
    sentence = row.get("sentence_text")
    out = []
    for role, prefix in (("trigger", "trigger"), ("source", "source"), ("target", "target"),
                         ("location", "location")):
        span = _span(role, row.get(f"{prefix}_text"), row.get(f"{prefix}_start"),
                     row.get(f"{prefix}_end"), s_start, sentence, article_text)
        if span:
            out.append(span)
    return sorted(out, key=lambda h: (h["start"], h["role"]))
