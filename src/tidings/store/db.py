"""``Store``: the embedded DuckDB event store (the only code in Tidings that writes SQL).

One file holds articles (with text), sentences, events, quotes, places and times. Writes happen
one transaction per batch of whole articles, so a killed ingest leaves only complete articles
behind and the same command, run again, skips what is already stored. Every query takes its
values as parameters; only whitelisted keywords (period units) are put into SQL text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from tidings.errors import InputError, TidingsError
from tidings.model import Actor, Article, ArticleResult, Event
from tidings.store import dedup
from tidings.store.schema import APPLICATION, ARTICLE_TABLES, LATEST_VERSION, MIGRATIONS

DEFAULT_DB = "tidings.duckdb"
AsType = Literal["pandas", "arrow"]
_PERIODS = {"day": "1 DAY", "week": "1 WEEK", "month": "1 MONTH", "year": "1 YEAR"}
_MEASURES = ("count", "goldstein", "quad")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})")
# The order event pages are read in (newest first), and the physical order ``cluster_events``
# gives the events table.
READ_ORDER = "event_date DESC NULLS LAST, event_id"
ARTICLE_READ_ORDER = "date DESC NULLS LAST, article_id"
ROOT_INDEX = "events_root_id"
SENTENCE_INDEX = "sentences_article_id"


# --------------------------------------------------------------------------------------------
# Filters


@dataclass
class EventFilter:
    """Filters shared by queries, series and exports (all optional, combined with AND)."""

    actor: str | None = None  # either side, code prefix ("USA" matches "USAGOV")
    source: str | None = None  # source code prefix
    target: str | None = None  # target code prefix
    dyad: str | None = None  # "SOURCE:TARGET" code prefixes, either may be empty
    type: str | None = None  # PLOVER event type
    cameo: str | None = None  # CAMEO code prefix ("04" matches 040..046)
    since: dt.date | str | None = None  # event date on or after
    until: dt.date | str | None = None  # event date on or before
    country: str | None = None  # ISO3 of where the event happened
    text: str | None = None  # substring of the sentence (case-insensitive)
    modality: str | None = None
    article: str | None = None  # article id

    def where(self, alias: str = "e", sentence_alias: str = "s") -> tuple[str, list[Any]]:
        """SQL condition and its parameters."""
        conds: list[str] = []
        params: list[Any] = []
        e = alias
        if self.actor:
            conds.append(f"(starts_with({e}.source_code, ?) OR starts_with({e}.target_code, ?))")
            params += [self.actor.upper(), self.actor.upper()]
        if self.source:
            conds.append(f"starts_with({e}.source_code, ?)")
            params.append(self.source.upper())
        if self.target:
            conds.append(f"starts_with({e}.target_code, ?)")
            params.append(self.target.upper())
        if self.dyad:
            src, tgt = parse_dyad(self.dyad)
            if src:
                conds.append(f"starts_with({e}.source_code, ?)")
                params.append(src)
            if tgt:
                conds.append(f"starts_with({e}.target_code, ?)")
                params.append(tgt)
        if self.type:
            conds.append(f"{e}.plover_type = ?")
            params.append(self.type.upper())
        if self.cameo:
            conds.append(f"starts_with({e}.cameo_code, ?)")
            params.append(self.cameo)
        if self.since:
            conds.append(f"{e}.event_date >= ?")
            params.append(_as_date(self.since, "since"))
        if self.until:
            conds.append(f"{e}.event_date <= ?")
            params.append(_as_date(self.until, "until"))
        if self.country:
            conds.append(f"{e}.location_country = ?")
            params.append(self.country.upper())
        if self.text:
            conds.append(f"contains(lower({sentence_alias}.text), lower(?))")
            params.append(self.text)
        if self.modality:
            conds.append(f"{e}.modality = ?")
            params.append(self.modality.lower())
        if self.article:
            conds.append(f"{e}.article_id = ?")
            params.append(self.article)
        return (" AND ".join(conds) if conds else "TRUE"), params


def parse_dyad(dyad: str) -> tuple[str, str]:
    """``"USA:AFG"`` → ``("USA", "AFG")``; either side may be empty (any actor)."""
    if ":" not in dyad:
        raise TidingsError(f"dyad must look like SOURCE:TARGET (e.g. USA:AFG), got {dyad!r}")
    src, tgt = dyad.split(":", 1)
    return src.strip().upper(), tgt.strip().upper()


def _as_date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise TidingsError(f"--{what} must be a date YYYY-MM-DD, got {value!r}") from exc


def parse_date(value: str | None) -> dt.date | None:
    """First day of an ISO date, month, year or ISO week string; None if not a date."""
    if not value:
        return None
    m = _WEEK_RE.match(value)
    if m:
        try:
            return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def outlet_of(article: Article) -> str | None:
    """The publisher an article came from: the URL's host, else the input file."""
    if article.url:
        host = urlparse(article.url).netloc.lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            return host
    if article.source:
        return re.sub(r":\d+$", "", article.source)
    return None


# --------------------------------------------------------------------------------------------
# Reports


@dataclass
class BatchReport:
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    duplicates: int = 0
    events: int = 0


@dataclass
class IngestReport:
    """What an ingest did; ``store_seconds`` is time spent writing to the store."""

    articles: int = 0
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    duplicates: int = 0
    events: int = 0
    errors: int = 0
    store_seconds: float = 0.0
    wall_seconds: float = 0.0
    error_messages: list[str] = field(default_factory=list)

    def add(self, batch: BatchReport) -> None:
        self.added += batch.added
        self.replaced += batch.replaced
        self.skipped += batch.skipped
        self.duplicates += batch.duplicates
        self.events += batch.events


# --------------------------------------------------------------------------------------------
# Row building (pure Python)


@dataclass
class _Prepared:
    result: ArticleResult
    hash: str
    sig: np.ndarray
    bands: list[int]
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    similarity: float | None = None

    @property
    def id(self) -> str:
        return self.result.article.id


def _actor_cols(prefix: str, actor: Actor | None) -> dict[str, Any]:
    return {
        f"{prefix}_text": actor.text if actor else None,
        f"{prefix}_code": actor.code if actor else None,
        f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_sector": actor.sector if actor else None,
        f"{prefix}_name": actor.name if actor else None,
        f"{prefix}_start": actor.start if actor else None,
        f"{prefix}_end": actor.end if actor else None,
    }


def event_row(ev: Event, root_id: str | None = None) -> dict[str, Any]:
    """One ``events`` row from an Event record (flat, typed columns)."""
    report_date = parse_date(ev.report_date)
    date_start = parse_date(ev.date.start) if ev.date else None
    date_end = parse_date(ev.date.end) if ev.date else None
    event_date = date_start or report_date
    loc = ev.location
    row: dict[str, Any] = {
        "event_id": ev.event_id,
        "article_id": ev.article_id,
        "report_date": report_date,
        "event_date": event_date,
        "sentence_index": ev.sentence.index,
        "sentence_start": ev.sentence.start,
        "sentence_end": ev.sentence.end,
        "trigger_text": ev.trigger.text,
        "trigger_start": ev.trigger.start,
        "trigger_end": ev.trigger.end,
        **_actor_cols("source", ev.source),
        **_actor_cols("target", ev.target),
        "cameo_code": ev.cameo.code,
        "cameo_root": ev.cameo.root,
        "cameo_name": ev.cameo.name,
        "goldstein": ev.cameo.goldstein,
        "quad_class": ev.cameo.quad_class,
        "plover_type": ev.plover.type,
        "plover_mode": ev.plover.mode,
        "plover_contexts": list(ev.plover.contexts),
        "modality": ev.modality,
        "date_start": date_start,
        "date_end": date_end,
        "date_granularity": ev.date.granularity if ev.date else None,
        "date_text": ev.date.text if ev.date else None,
        "date_resolved_by": ev.date.resolved_by if ev.date else None,
        "location_text": loc.text if loc else None,
        "location_name": loc.name if loc else None,
        "location_geonameid": loc.geonameid if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "location_country": loc.country if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "location_feature": loc.feature if loc else None,
        "location_resolved_by": loc.resolved_by if loc else None,
        "location_start": loc.start if loc else None,
        "location_end": loc.end if loc else None,
        "reported_by_text": ev.reported_by.text if ev.reported_by else None,
        "reported_by_code": ev.reported_by.code if ev.reported_by else None,
        "counts": json.dumps(ev.counts, ensure_ascii=False, default=str),
        "explanation": json.dumps(ev.explanation, ensure_ascii=False, default=str),
    }
    row["root_id"] = root_id or dedup.root_key(
        event_date.isoformat() if event_date else None,
        ev.source.code if ev.source else None,
        ev.target.code if ev.target else None,
        ev.cameo.code)
    return row


def article_event_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """The events table's rows for one coded article: one per event id, in coding order."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ev in result.events:
        if ev.event_id in seen:
            continue
        seen.add(ev.event_id)
        row = event_row(ev)
        row["article_id"] = result.article.id
        rows.append(row)
    return rows


def _match_root(row: dict[str, Any], original: Sequence[dict[str, Any]]) -> str | None:
    """Root of the original article's event that a duplicate article's event repeats."""
    if not original:
        return None
    tests: list[Callable[[dict[str, Any]], bool]] = [
        lambda o: o["root_id"] == row["root_id"],
        lambda o: (o["source_code"], o["target_code"], o["cameo_code"])
        == (row["source_code"], row["target_code"], row["cameo_code"]),
        lambda o: o["cameo_code"] == row["cameo_code"]
        and o["sentence_index"] == row["sentence_index"],
        lambda o: o["cameo_code"] == row["cameo_code"],
    ]
    for test in tests:
        for o in original:
            if test(o):
                return str(o["root_id"])
    return None


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """A Tidings event store in one DuckDB file.

    ``Store(path)`` opens (creating if needed) a store for reading and writing;
    ``read_only=True`` opens an existing store for queries. A file that is not a Tidings store is
    never written to. Use as a context manager or call ``close()``.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False,
                 near_threshold: float = dedup.NEAR_THRESHOLD) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.near_threshold = near_threshold
        self._lock = threading.Lock()
        self.con = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self.con.close()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        p = self.path
        if p.exists():
            if p.is_dir():
                raise TidingsError(f"{p} is a directory, not a Tidings store")
            with p.open("rb") as fh:
                head = fh.read(16)
            if len(head) < 12 or head[8:12] != b"DUCK":
                raise TidingsError(
                    f"{p} is not a Tidings store (not a DuckDB database file); "
                    "refusing to touch it: pass --db with another path")
        elif self.read_only:
            raise TidingsError(f"no store at {p}: create one with `tidings ingest --db {p} ...`")
        try:
            return duckdb.connect(str(p), read_only=self.read_only)
        except duckdb.Error as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise TidingsError(f"database is locked by another process: {msg}") from exc
            if "not a valid DuckDB" in msg:
                raise TidingsError(f"{p} is not a Tidings store: {msg}") from exc
            raise TidingsError(f"cannot open store {p}: {msg}") from exc

    def _tables(self) -> set[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return {r[0] for r in rows}

    def _check_and_migrate(self) -> None:
        tables = self._tables()
        if "meta" in tables:
            rows = self.con.execute(
                "SELECT value FROM meta WHERE key = 'application'").fetchall()
            row = rows[0] if rows else None
            if not row or row[0] != APPLICATION:
                raise TidingsError(f"{self.path} is a DuckDB database but not a Tidings store; "
                                   "refusing to touch it")
        elif tables:
            raise TidingsError(f"{self.path} is a DuckDB database but not a Tidings store "
                               f"(it has tables {sorted(tables)[:5]}); refusing to touch it")
        current = self.version() if "schema_version" in tables else 0
        if current > LATEST_VERSION:
            raise TidingsError(f"{self.path} was written by a newer Tidings (schema {current}, "
                               f"this version knows {LATEST_VERSION}); upgrade Tidings")
        pending = [m for m in MIGRATIONS if m.version > current]
        if not pending:
            return
        if self.read_only:
            raise TidingsError(f"{self.path} has schema {current} and needs migrating to "
                               f"{LATEST_VERSION}; open it for writing once (e.g. tidings ingest)")
        for m in pending:
            self.con.execute("BEGIN TRANSACTION")
            try:
                for stmt in m.statements:
                    self.con.execute(stmt)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, current_timestamp)",
                    [m.version, m.description])
                self.con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('application', ?)", [APPLICATION])
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    def version(self) -> int:
        """The schema version of the open store."""
        row = _first(self.con.execute("SELECT max(version) FROM schema_version").fetchall())
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Text hash of each given article already in the store."""
        if not article_ids:
            return {}
        cur = self.con.cursor()
        try:
            rows = cur.execute(
                "SELECT article_id, text_hash FROM articles "
                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [list(article_ids)]
            ).fetchall()
        finally:
            cur.close()
        return {r[0]: r[1] for r in rows}

    def skip_stored(self, items: Iterable[Article | InputError], *,
                    chunk: int = 128) -> Iterator[Article | InputError]:
        """Pass on input items, leaving out articles stored already with the same text.

        Safe to consume from another thread (it uses its own cursor): pipelines that read
        their input in a feeder thread can take it directly.
        """
        buf: list[Article | InputError] = []

        def flush() -> Iterator[Article | InputError]:
            ids = [a.id for a in buf if isinstance(a, Article)]
            known = self.stored_hashes(ids)
            for a in buf:
                if isinstance(a, Article) and known.get(a.id) == dedup.text_hash(a.text):
                    continue
                yield a
            buf.clear()

        for item in items:
            buf.append(item)
            if len(buf) >= chunk:
                yield from flush()
        if buf:
            yield from flush()

    def write_batch(self, results: Sequence[ArticleResult]) -> BatchReport:
        """Store whole articles in one transaction (skip unchanged, replace changed)."""
        report = BatchReport()
        prepared: list[_Prepared] = []
        for r in results:
            sig = dedup.minhash(r.article.text)
            prepared.append(_Prepared(r, dedup.text_hash(r.article.text), sig,
                                      dedup.band_hashes(sig)))
        with self._lock:
            self.con.execute("BEGIN TRANSACTION")
            try:
                self._write_prepared(prepared, report)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        return report

    def _write_prepared(self, prepared: list[_Prepared], report: BatchReport) -> None:
        con = self.con
        existing = {r[0]: r[1] for r in con.execute(
            "SELECT article_id, text_hash FROM articles "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [[p.id for p in prepared]]).fetchall()}
        todo: list[_Prepared] = []
        replaced: list[str] = []
        for p in prepared:
            old = existing.get(p.id)
            if old == p.hash:
                report.skipped += 1
                continue
            if old is not None:
                if p.id not in replaced:
                    replaced.append(p.id)
                todo = [q for q in todo if q.id != p.id]
            existing[p.id] = p.hash
            todo.append(p)
        if replaced:
            for table in (*ARTICLE_TABLES, "articles"):
                con.execute(f"DELETE FROM {table} WHERE article_id IN "
                            "(SELECT unnest(?::VARCHAR[]))", [replaced])
        report.replaced = len([p for p in todo if p.id in replaced])
        report.added = len(todo) - report.replaced
        if not todo:
            return

        # Exact duplicates already stored: originals with the same text hash.
        exact_db = {r[0]: r[1] for r in con.execute(
            "SELECT text_hash, min(article_id) FROM articles "
            "WHERE duplicate_of IS NULL AND text_hash IN (SELECT unnest(?::VARCHAR[])) "
            "GROUP BY text_hash", [[p.hash for p in todo]]).fetchall()}
        # Near-duplicate candidates already stored: originals sharing an LSH band.
        band_rows = [{"band": b, "hash": _signed(h)} for p in todo
                     for b, h in enumerate(p.bands)]
        con.register("_tidings_bands", pa.Table.from_pylist(band_rows))
        try:
            cand_rows = con.execute(
                "SELECT DISTINCT ab.band, ab.hash, ab.article_id, a.minhash FROM article_bands ab "
                "JOIN _tidings_bands q ON ab.band = q.band AND ab.hash = q.hash "
                "JOIN articles a ON a.article_id = ab.article_id "
                "WHERE a.duplicate_of IS NULL").fetchall()
        finally:
            con.unregister("_tidings_bands")
        band_index: dict[tuple[int, int], list[str]] = {}
        sigs: dict[str, np.ndarray] = {}
        for band, h, aid, raw in cand_rows:
            band_index.setdefault((band, h), []).append(aid)
            sigs[aid] = dedup.signature_from_bytes(raw)

        batch_exact: dict[str, str] = {}
        originals_in_batch: dict[str, list[dict[str, Any]]] = {}
        article_rows: list[dict[str, Any]] = []
        band_out: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        other_rows: dict[str, list[dict[str, Any]]] = {
            "sentences": [], "quotes": [], "places": [], "times": []}
        dup_original_ids: set[str] = set()

        # Decide duplicates in input order, so a rerun decides the same way.
        for p in todo:
            original = exact_db.get(p.hash) or batch_exact.get(p.hash)
            if original and original != p.id:
                p.duplicate_of, p.duplicate_kind, p.similarity = original, "exact", 1.0
            else:
                cands: list[str] = []
                for b, h in enumerate(p.bands):
                    for aid in band_index.get((b, _signed(h)), []):
                        if aid != p.id and aid not in cands:
                            cands.append(aid)
                match = dedup.best_near_match(p.sig, [(c, sigs[c]) for c in cands],
                                              self.near_threshold)
                if match:
                    p.duplicate_of, p.duplicate_kind = match.original, "near"
                    p.similarity = match.similarity
            if p.duplicate_of is None:
                batch_exact.setdefault(p.hash, p.id)
                sigs[p.id] = p.sig
                for b, h in enumerate(p.bands):
                    band_index.setdefault((b, _signed(h)), []).append(p.id)
                    band_out.append({"article_id": p.id, "band": b, "hash": _signed(h)})
            else:
                report.duplicates += 1
                dup_original_ids.add(p.duplicate_of)

        stored_original_events: dict[str, list[dict[str, Any]]] = {}
        wanted = sorted(dup_original_ids)
        if wanted:
            cols = ["article_id", "root_id", "source_code", "target_code", "cameo_code",
                    "sentence_index"]
            for found in con.execute(
                    f"SELECT {', '.join(cols)} FROM events WHERE article_id IN "
                    "(SELECT unnest(?::VARCHAR[])) ORDER BY article_id, sentence_index, event_id",
                    [wanted]).fetchall():
                rec = dict(zip(cols, found, strict=True))
                stored_original_events.setdefault(rec["article_id"], []).append(rec)

        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for p in todo:
            res, art = p.result, p.result.article
            rows = article_event_rows(res)
            if p.duplicate_of is not None:
                orig = (originals_in_batch.get(p.duplicate_of)
                        or stored_original_events.get(p.duplicate_of, []))
                for row in rows:
                    root = _match_root(row, orig)
                    if root:
                        row["root_id"] = root
            else:
                originals_in_batch[p.id] = rows
            event_rows.extend(rows)
            report.events += len(rows)
            article_rows.append({
                "article_id": art.id, "date": art.date, "title": art.title, "url": art.url,
                "source": art.source, "outlet": outlet_of(art), "text": art.text,
                "text_hash": p.hash, "text_len": len(art.text),
                "minhash": dedup.signature_bytes(p.sig) if p.duplicate_of is None else None,
                "duplicate_of": p.duplicate_of, "duplicate_kind": p.duplicate_kind,
                "similarity": p.similarity, "n_events": len(rows), "ingested_at": now,
            })
            for s in res.sentences:
                other_rows["sentences"].append({
                    "article_id": art.id, "sentence_index": s.index, "start_char": s.start,
                    "end_char": s.end, "text": s.text})
            if not res.sentences:
                # Keep each event's sentence even when the coder did not list sentences.
                known: set[int] = set()
                for ev in res.events:
                    if ev.sentence.index not in known:
                        known.add(ev.sentence.index)
                        other_rows["sentences"].append({
                            "article_id": art.id, "sentence_index": ev.sentence.index,
                            "start_char": ev.sentence.start, "end_char": ev.sentence.end,
                            "text": ev.sentence.text})
            for i, q in enumerate(res.quotes):
                sp = q.speaker
                other_rows["quotes"].append({
                    "article_id": art.id, "quote_index": i, "start_char": q.start,
                    "end_char": q.end, "text": q.text,
                    "speaker_text": sp.text if sp else None,
                    "speaker_name": sp.name if sp else None,
                    "speaker_code": sp.code if sp else None,
                    "speaker_country": sp.country if sp else None,
                    "speaker_sector": sp.sector if sp else None,
                    "speaker_start": sp.start if sp else None,
                    "speaker_end": sp.end if sp else None,
                    "cue": q.cue, "reason": q.reason})
            for i, pl in enumerate(res.places):
                other_rows["places"].append({
                    "article_id": art.id, "place_index": i, "start_char": pl.start,
                    "end_char": pl.end, "text": pl.text, "name": pl.name,
                    "geonameid": pl.geonameid, "lat": pl.lat, "lon": pl.lon,
                    "country": pl.country, "admin1": pl.admin1, "feature": pl.feature,
                    "reason": pl.reason})
            for i, t in enumerate(res.times):
                other_rows["times"].append({
                    "article_id": art.id, "time_index": i, "start_char": t.start,
                    "end_char": t.end, "text": t.text, "type": t.type, "value": t.value,
                    "start_date": t.start_date, "end_date": t.end_date,
                    "granularity": t.granularity, "reason": t.reason})

        self._insert("articles", article_rows)
        self._insert("article_bands", band_out)
        self._insert("events", event_rows)
        for table, table_rows in other_rows.items():
            self._insert(table, table_rows)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        name = f"_tidings_in_{table}"
        self.con.register(name, pa.Table.from_pylist(rows))
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            self.con.unregister(name)

    def ingest(self, items: Iterable[ArticleResult | InputError], *, batch_size: int = 64,
               on_error: Callable[[InputError], None] | None = None,
               on_progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
        """Write coded articles in batches (one transaction each); input errors are reported."""
        report = IngestReport()
        start = time.perf_counter()
        batch: list[ArticleResult] = []

        def flush() -> None:
            t0 = time.perf_counter()
            report.add(self.write_batch(batch))
            report.store_seconds += time.perf_counter() - t0
            batch.clear()

        for item in items:
            if isinstance(item, InputError):
                report.errors += 1
                report.error_messages.append(str(item))
                if on_error:
                    on_error(item)
            else:
                report.articles += 1
                batch.append(item)
                if len(batch) >= batch_size:
                    flush()
            if on_progress:
                report.wall_seconds = time.perf_counter() - start
                on_progress(report)
        if batch:
            flush()
        report.wall_seconds = time.perf_counter() - start
        if on_progress:
            on_progress(report)
        return report

    # -- reading -----------------------------------------------------------------------------

    def _out(self, rel: duckdb.DuckDBPyRelation, as_: AsType) -> Any:
        table = rel.to_arrow_table()
        if as_ == "arrow":
            return table
        if as_ == "pandas":
            return table.to_pandas()
        raise TidingsError(f"as_ must be 'pandas' or 'arrow', got {as_!r}")

    def _query(self, sql: str, params: Sequence[Any], as_: AsType) -> Any:
        with self._lock:
            return self._out(self.con.sql(sql, params=list(params)), as_)

    def events(self, *, one_a_day: bool = False, limit: int | None = None,
               as_: AsType = "pandas", **filters: Any) -> Any:
        """Events matching the filters (see ``EventFilter``), newest first.

        Each row is one mention with its sentence, article url and outlet. With
        ``one_a_day=True`` there is one row per root event (same date, source, target and CAMEO
        code), the first mention, with ``num_mentions``, ``num_sources``, ``num_articles``.
        """
        flt = EventFilter(**filters)
        cond, params = flt.where()
        # Filter (and limit) the events first; join sentences and articles to the few rows left.
        matched = f"SELECT e.* FROM events e {_sentence_join(flt)} WHERE {cond}"
        order = "event_date DESC NULLS LAST, event_id"
        extra = ""
        if one_a_day:
            matched = (
                f"WITH m AS ({matched}), r AS ({_ROOT_COUNTS_SQL} WHERE e.root_id IN "
                "(SELECT root_id FROM m) GROUP BY e.root_id) "
                "SELECT m.*, r.num_mentions, r.num_sources, r.num_articles "
                "FROM m JOIN r ON r.root_id = m.root_id "
                "QUALIFY row_number() OVER (PARTITION BY m.root_id ORDER BY "
                "m.report_date NULLS LAST, m.article_id, m.event_id) = 1")
            extra = ", f.num_mentions, f.num_sources, f.num_articles"
        matched += f" ORDER BY {order}"
        if limit is not None:
            matched += " LIMIT ?"
            params = [*params, int(limit)]
        cols = ", ".join(f"f.{c}" for c in self._event_columns())
        sql = (
            f"WITH f AS ({matched}) SELECT {cols}, s.text AS sentence_text, a.title, a.url, "
            f"a.outlet, a.duplicate_of{extra} FROM f "
            "JOIN articles a ON a.article_id = f.article_id "
            "LEFT JOIN sentences s ON s.article_id = f.article_id "
            "AND s.sentence_index = f.sentence_index "
            f"ORDER BY f.{order.replace(', ', ', f.')}")
        return self._query(sql, params, as_)

    def _event_columns(self) -> list[str]:
        if not hasattr(self, "_event_cols"):
            with self._lock:
                self._event_cols = [r[0] for r in self.con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'events' ORDER BY ordinal_position").fetchall()]
        return self._event_cols

    def roots(self, *, as_: AsType = "arrow", **filters: Any) -> Any:
        """Root events (one row per real-world event) with GDELT-style mention counts.

        Fields come from the first mention; ``is_root_event`` is true when any mention is in
        an article's lead sentence. Filters apply to the mentions.
        """
        flt = EventFilter(**filters)
        cond, params = flt.where()
        sql = (
            f"WITH f AS (SELECT e.* FROM events e {_sentence_join(flt)} WHERE {cond}), "
            f"r AS ({_ROOT_COUNTS_SQL} WHERE e.root_id IN (SELECT root_id FROM f) "
            "GROUP BY e.root_id), "
            "first AS (SELECT f.*, a.url, a.outlet, a.ingested_at FROM f "
            "JOIN articles a ON a.article_id = f.article_id "
            "QUALIFY row_number() OVER (PARTITION BY f.root_id ORDER BY "
            "f.report_date NULLS LAST, f.article_id, f.event_id) = 1) "
            "SELECT first.*, r.num_mentions, r.num_sources, r.num_articles, r.is_root_event "
            "FROM first JOIN r ON r.root_id = first.root_id "
            "ORDER BY first.event_date NULLS LAST, first.root_id")
        return self._query(sql, params, as_)

    def mentions(self, *, as_: AsType = "arrow", **filters: Any) -> Any:
        """Every event mention with its article's url, outlet, date and length."""
        cond, params = EventFilter(**filters).where()
        sql = (
            "SELECT e.*, s.text AS sentence_text, a.url, a.outlet, a.title, a.text_len, "
            "a.date AS article_date, a.ingested_at, a.duplicate_of "
            "FROM events e JOIN articles a ON a.article_id = e.article_id "
            "LEFT JOIN sentences s ON s.article_id = e.article_id "
            "AND s.sentence_index = e.sentence_index "
            f"WHERE {cond} ORDER BY e.event_date NULLS LAST, e.root_id, e.event_id")
        return self._query(sql, params, as_)

    def series(self, dyad: str | None = None, *, by: str = "month", measure: str = "count",
               since: dt.date | str | None = None, until: dt.date | str | None = None,
               one_a_day: bool = False, as_: AsType = "pandas", **filters: Any) -> Any:
        """Dyadic time series with zero-filled periods.

        ``measure``: ``count`` (events), ``goldstein`` (count, summed and mean Goldstein
        score), ``quad`` (count per QuadClass: q1 verbal cooperation … q4 material conflict).
        ``one_a_day`` counts root events instead of mentions.
        """
        if by not in _PERIODS:
            raise TidingsError(f"--by must be one of {', '.join(_PERIODS)}, got {by!r}")
        if measure not in _MEASURES:
            raise TidingsError(f"--measure must be one of {', '.join(_MEASURES)}, got {measure!r}")
        flt = EventFilter(dyad=dyad, since=since, until=until, **filters)
        cond, params = flt.where()
        src = ("SELECT e.event_date, e.goldstein, e.quad_class, e.root_id FROM events e "
               f"{_sentence_join(flt)} WHERE {cond} AND e.event_date IS NOT NULL")
        if one_a_day:
            src = (f"SELECT * FROM ({src}) QUALIFY row_number() OVER "
                   "(PARTITION BY root_id ORDER BY event_date) = 1")
        with self._lock:
            bounds = self.con.execute(
                f"SELECT min(event_date), max(event_date) FROM ({src})", params).fetchall()
            bounds = _first(bounds)
        lo = _as_date(since, "since") if since else (bounds[0] if bounds else None)
        hi = _as_date(until, "until") if until else (bounds[1] if bounds else None)
        if lo is None or hi is None:
            empty = pd.DataFrame({"period": pd.Series([], dtype="datetime64[s]"),
                                  "count": pd.Series([], dtype="int64")})
            return pa.Table.from_pandas(empty) if as_ == "arrow" else empty
        step = _PERIODS[by]
        measures = ["count(x.event_date) AS count"]
        if measure == "goldstein":
            measures += ["coalesce(sum(x.goldstein), 0) AS goldstein_sum",
                         "avg(x.goldstein) AS goldstein_mean"]
        elif measure == "quad":
            measures += [f"count(*) FILTER (WHERE x.quad_class = {q}) AS q{q}" for q in (1, 2, 3, 4)]
        sql = (
            f"WITH x AS (SELECT date_trunc('{by}', event_date)::DATE AS period, * FROM ({src})), "
            f"p AS (SELECT unnest(generate_series(date_trunc('{by}', ?::DATE), "
            f"date_trunc('{by}', ?::DATE), INTERVAL {step}))::DATE AS period) "
            f"SELECT p.period, {', '.join(measures)} FROM p LEFT JOIN x ON x.period = p.period "
            "GROUP BY p.period ORDER BY p.period")
        return self._query(sql, [*params, lo, hi], as_)

    def stats(self, *, top: int = 10) -> dict[str, Any]:
        """Totals, events by month × PLOVER type × QuadClass, top dyads and top actors."""
        with self._lock:
            c = self.con
            totals = dict(zip(
                ["articles", "duplicate_articles", "events", "root_events", "quotes"],
                c.execute(
                    "SELECT (SELECT count(*) FROM articles), "
                    "(SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL), "
                    "(SELECT count(*) FROM events), "
                    "(SELECT count(DISTINCT root_id) FROM events), "
                    "(SELECT count(*) FROM quotes)").fetchall()[0], strict=False))
            by_month = c.execute(
                "SELECT strftime(date_trunc('month', event_date), '%Y-%m') AS month, "
                "plover_type, quad_class, count(*) AS events FROM events "
                "GROUP BY ALL ORDER BY month NULLS LAST, plover_type, quad_class").df()
            dyads = c.execute(
                "SELECT source_code, target_code, count(*) AS events, "
                "count(DISTINCT root_id) AS root_events FROM events "
                "WHERE source_code IS NOT NULL AND target_code IS NOT NULL "
                "GROUP BY ALL ORDER BY events DESC, source_code, target_code LIMIT ?",
                [top]).df()
            actors = c.execute(
                "SELECT code, count(*) AS events FROM ("
                "SELECT source_code AS code FROM events UNION ALL "
                "SELECT target_code FROM events) WHERE code IS NOT NULL "
                "GROUP BY code ORDER BY events DESC, code LIMIT ?", [top]).df()
        return {"totals": totals, "by_month": by_month, "top_dyads": dyads, "top_actors": actors}

    def quotes(self, speaker: str | None = None, *, article: str | None = None,
               limit: int | None = None, as_: AsType = "pandas") -> Any:
        """Quotes, optionally by speaker (name or text substring, or actor code prefix)."""
        conds: list[str] = ["TRUE"]
        params: list[Any] = []
        if speaker:
            conds.append("(contains(lower(q.speaker_name), lower(?)) OR "
                         "contains(lower(q.speaker_text), lower(?)) OR "
                         "starts_with(q.speaker_code, upper(?)))")
            params += [speaker, speaker, speaker]
        if article:
            conds.append("q.article_id = ?")
            params.append(article)
        sql = ("SELECT q.*, a.date AS article_date, a.title, a.url FROM quotes q "
               "JOIN articles a ON a.article_id = q.article_id "
               f"WHERE {' AND '.join(conds)} ORDER BY a.date NULLS LAST, q.article_id, "
               "q.quote_index")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._query(sql, params, as_)

    def articles(self, *, as_: AsType = "pandas", with_text: bool = False) -> Any:
        """Stored articles with their duplicate links (text only when asked)."""
        cols = ("article_id, date, title, url, source, outlet, text_hash, text_len, "
                "duplicate_of, duplicate_kind, similarity, n_events")
        if with_text:
            cols += ", text"
        return self._query(f"SELECT {cols} FROM articles ORDER BY article_id", [], as_)

    def table_counts(self) -> dict[str, int]:
        """Row count of each data table."""
        out: dict[str, int] = {}
        with self._lock:
            for table in ("articles", *ARTICLE_TABLES):
                row = _first(self.con.execute(f"SELECT count(*) FROM {table}").fetchall())
                out[table] = int(row[0]) if row else 0
        return out

    def snapshot(self, table: str) -> Any:
        """All rows of one data table as Arrow, in a stable order (for comparisons)."""
        if table not in ("articles", *ARTICLE_TABLES):
            raise TidingsError(f"unknown table {table!r}")
        with self._lock:
            cols = [r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()]
            keep = [c for c in cols if c != "ingested_at"]
            order = ", ".join(keep[:3])
            return self._out(self.con.sql(
                f"SELECT {', '.join(keep)} FROM {table} ORDER BY {order}"), "arrow")

    # -- bulk loading (benchmarks, imports) ---------------------------------------------------

    def load_synthetic(self, n_events: int, *, seed: int = 7, events_per_article: int = 5,
                       days: int = 3650) -> None:
        """Fill an empty store with ``n_events`` random but realistic-looking events (SQL)."""
        n_articles = max(1, n_events // events_per_article)
        with self._lock:
            c = self.con
            c.execute("SELECT setseed(?)", [1.0 / (seed + 1)])
            c.execute("BEGIN TRANSACTION")
            try:
                c.execute(_SYNTH_ARTICLES, [n_articles, days])
                c.execute(_SYNTH_SENTENCES, [n_articles, events_per_article])
                c.execute(_SYNTH_ARTICLE_TEXT)
                c.execute(_SYNTH_EVENTS, [n_events, events_per_article])
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    # -- read layout --------------------------------------------------------------------------

    def cluster_events(self) -> None:
        """Rewrite ``events`` in read order (newest ``event_date`` first, then ``event_id``) and
        ``articles`` newest first, and index ``events.root_id`` and ``sentences.article_id``.

        Reads get faster, results do not change: DuckDB keeps min/max per row group, so date
        filters and newest-first pages skip the row groups they cannot need (for a page's
        articles too, looked up with its report dates), and the mention counts of one event are
        index lookups. Rows written later are appended at the end
        (still correct, a little slower to page through); run this again after large ingests.
        The indexes and the rewrite make the file larger (DuckDB keeps the space of the old
        tables for later writes: on 1,000,000 synthetic events with article text, 175 to about
        400 bytes per event), which is why ingest does not do it by itself.
        """
        if self.read_only:
            raise TidingsError("cluster_events needs a store opened for writing")
        with self._lock:
            c = self.con
            ddl = dict(c.execute("SELECT table_name, sql FROM duckdb_tables() WHERE "
                                 "schema_name = 'main' AND table_name IN ('events', 'articles')"
                                 ).fetchall())
            if "events" not in ddl:
                raise TidingsError("the store has no events table")
            c.execute("BEGIN TRANSACTION")
            try:
                c.execute(f"DROP INDEX IF EXISTS {ROOT_INDEX}")  # rebuilt on the new table
                c.execute("ALTER TABLE events RENAME TO events_unordered")
                c.execute(str(ddl["events"]))
                c.execute(f"INSERT INTO events SELECT * FROM events_unordered ORDER BY {READ_ORDER}")
                c.execute("DROP TABLE events_unordered")
                if "articles" in ddl:
                    # Articles newest first too: a page's articles (looked up with the page's
                    # report dates) then sit in the few row groups those dates allow.
                    c.execute("ALTER TABLE articles RENAME TO articles_unordered")
                    c.execute(str(ddl["articles"]))
                    c.execute(f"INSERT INTO articles SELECT * FROM articles_unordered "
                              f"ORDER BY {ARTICLE_READ_ORDER}")
                    c.execute("DROP TABLE articles_unordered")
                c.execute(f"CREATE INDEX IF NOT EXISTS {ROOT_INDEX} ON events (root_id)")
                c.execute(f"CREATE INDEX IF NOT EXISTS {SENTENCE_INDEX} ON sentences (article_id)")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('events_clustered_at', "
                          "CAST(current_timestamp AS VARCHAR))")
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("CHECKPOINT")


def _sentence_join(flt: EventFilter) -> str:
    """The join to sentences, needed only to filter on sentence text."""
    if not flt.text:
        return ""
    return ("LEFT JOIN sentences s ON s.article_id = e.article_id "
            "AND s.sentence_index = e.sentence_index")


def _first(rows: list[Any]) -> Any:
    return rows[0] if rows else None


def _signed(h: int) -> int:
    return h - (1 << 64) if h >= (1 << 63) else h


_ROOT_COUNTS_SQL = (
    "SELECT e.root_id, count(*) AS num_mentions, "
    "count(DISTINCT coalesce(a.outlet, a.article_id)) AS num_sources, "
    "count(DISTINCT e.article_id) AS num_articles, "
    "bool_or(e.sentence_index = 0) AS is_root_event "
    "FROM events e JOIN articles a ON a.article_id = e.article_id")

_SYNTH_ARTICLES = """
INSERT INTO articles (article_id, date, title, url, source, outlet, text, text_hash, text_len,
                      duplicate_of, n_events, ingested_at)
SELECT printf('a%09d', i), DATE '2015-01-01' + CAST(floor(random() * ?2) AS INTEGER),
       printf('Talks between delegations, report %d', i),
       printf('https://news%d.example/%d', i % 50, i), 'synthetic',
       printf('news%d.example', i % 50), NULL, md5(i::VARCHAR), 0, NULL, NULL,
       TIMESTAMP '2025-01-01'
FROM range(?1) t(i)
"""

# Each sentence fills a 120-character slot of its article's text (110 characters and a gap), as
# the synthetic events' sentence offsets say; the article text is its sentences in order.
_SYNTH_SENTENCES = """
INSERT INTO sentences
SELECT printf('a%09d', i), j, j * 120, j * 120 + 110,
       rpad(printf('Officials from one country met their counterparts in another capital '
                   'on day %d of talks in report %d', j, i), 110, '.')
FROM range(?1) t(i), range(?2) s(j)
"""

_SYNTH_ARTICLE_TEXT = """
UPDATE articles SET text = t.text, text_len = length(t.text)
FROM (SELECT article_id, string_agg(rpad(text, 120, ' '), '' ORDER BY sentence_index) AS text
      FROM sentences GROUP BY article_id) t
WHERE articles.article_id = t.article_id
"""

_SYNTH_EVENTS = """
INSERT INTO events BY NAME
WITH codes AS (
  SELECT ['USA', 'USAGOV', 'AFG', 'AFGGOV', 'AFGREB', 'RUS', 'RUSMIL', 'UKR', 'UKRGOV', 'CHN',
          'IRN', 'ISR', 'PSE', 'SYR', 'TUR', 'FRA', 'DEU', 'GBR', 'IGOUNO', 'IND', 'PAK',
          'NGA', 'SDN', 'ETH', 'MEX', 'BRA', 'COL', 'VEN', 'IRQ', 'EGY'] AS actors,
         ['010', '020', '036', '040', '042', '043', '051', '057', '061', '071', '111', '112',
          '120', '130', '141', '145', '163', '173', '190', '193', '195'] AS cameos,
         ['CONSULT', 'AGREE', 'SUPPORT', 'COOPERATE', 'AID', 'DEMAND', 'DISAPPROVE', 'REJECT',
          'THREATEN', 'PROTEST', 'MOBILIZE', 'SANCTION', 'COERCE', 'ASSAULT'] AS plover
), base AS (
  SELECT i, i // ?2 AS art, i % ?2 AS sent,
         CAST(floor(random() * 30) AS INTEGER) + 1 AS s, CAST(floor(random() * 30) AS INTEGER) + 1 AS t,
         CAST(floor(random() * 21) AS INTEGER) + 1 AS c, CAST(floor(random() * 14) AS INTEGER) + 1 AS p,
         CAST(floor(random() * 60) AS INTEGER) AS d
  FROM range(?1) r(i)
)
SELECT printf('e%011d', b.i) AS event_id, printf('a%09d', b.art) AS article_id,
       md5(concat(a.date - (b.d % 3), codes.actors[b.s], codes.actors[b.t], codes.cameos[b.c]))[1:20]
         AS root_id,
       a.date AS report_date, a.date - (b.d % 3) AS event_date, b.sent AS sentence_index,
       b.sent * 120 AS sentence_start, b.sent * 120 + 110 AS sentence_end,
       'met' AS trigger_text, b.sent * 120 + 30 AS trigger_start, b.sent * 120 + 33 AS trigger_end,
       codes.actors[b.s] AS source_text, codes.actors[b.s] AS source_code,
       codes.actors[b.s][1:3] AS source_country, nullif(codes.actors[b.s][4:6], '') AS source_sector,
       NULL AS source_name, b.sent * 120 AS source_start, b.sent * 120 + 10 AS source_end,
       codes.actors[b.t] AS target_text, codes.actors[b.t] AS target_code,
       codes.actors[b.t][1:3] AS target_country, nullif(codes.actors[b.t][4:6], '') AS target_sector,
       NULL AS target_name, b.sent * 120 + 50 AS target_start, b.sent * 120 + 60 AS target_end,
       codes.cameos[b.c] AS cameo_code, codes.cameos[b.c][1:2] AS cameo_root, NULL AS cameo_name,
       (b.c - 10) / 2.0 AS goldstein, CAST(1 + b.c % 4 AS TINYINT) AS quad_class,
       codes.plover[b.p] AS plover_type, NULL AS plover_mode, [] AS plover_contexts,
       'asserted' AS modality, a.date - (b.d % 3) AS date_start, NULL AS date_end, 'day' AS date_granularity,
       NULL AS date_text, 'report_date' AS date_resolved_by,
       codes.actors[b.t][1:3] AS location_text, NULL AS location_name, NULL AS location_geonameid,
       NULL AS location_lat, NULL AS location_lon, codes.actors[b.t][1:3] AS location_country,
       NULL AS location_admin1, 'country' AS location_feature, 'attached' AS location_resolved_by,
       NULL AS location_start, NULL AS location_end, NULL AS reported_by_text,
       NULL AS reported_by_code, '{}' AS counts, '{"rule":"synthetic"}' AS explanation
FROM base b CROSS JOIN codes JOIN articles a ON a.article_id = printf('a%09d', b.art)
"""


# --------------------------------------------------------------------------------------------
# Parquet datasets (written by ``tidings ingest --output``, any engine)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def open_dataset(path: str | Path) -> Store:
    """A read-only ``Store`` over a Parquet dataset: DuckDB views stand in for the tables.

    Every query method (``events``, ``roots``, ``mentions``, ``series``, ``stats``, ``quotes``)
    and ``EventFilter`` work unchanged. The dataset must be complete (its ``_SUCCESS`` marker
    written). Remote datasets (``s3://``) need DuckDB's ``httpfs`` extension.
    """
    from tidings.engines import dataset as layout

    root = str(path).rstrip("/") or "/"
    local = not layout.is_remote(root)
    if local:
        root = layout.local_path(root)
        base = Path(root)
        if not base.is_dir():
            raise TidingsError(f"no dataset at {base}: write one with "
                               "`tidings ingest --output DATASET/ ...`")
        if not (base / layout.SUCCESS).exists():
            raise TidingsError(f"{base} is not a complete Tidings dataset (no {layout.SUCCESS} "
                               "marker): the run that wrote it did not finish")
    con = duckdb.connect(":memory:")
    try:
        for table in layout.TABLES:
            partitioned = table != "errors"
            if local and not layout.parquet_files(root, table):
                name = f"_tidings_empty_{table}"
                con.register(name, layout.table_schema(table).empty_table())
                src = name
            else:
                glob = _sql_string(f"{root}/{table}/**/*.parquet")
                opts = (", hive_partitioning = true, hive_types = {'report_month': 'VARCHAR'}"
                        if partitioned else "")
                src = f"read_parquet({glob}, union_by_name = true{opts})"
            if table == "articles":
                select = ("SELECT * EXCLUDE (report_month), NULL::BLOB AS minhash, "
                          "NULL::VARCHAR AS duplicate_of, NULL::VARCHAR AS duplicate_kind, "
                          "NULL::DOUBLE AS similarity, NULL::TIMESTAMP AS ingested_at, "
                          f"report_month FROM {src}")
            elif partitioned:
                select = f"SELECT * EXCLUDE (report_month) FROM {src}"
            else:
                select = f"SELECT * FROM {src}"
            con.execute(f"CREATE VIEW {table} AS {select}")
        con.execute("CREATE TABLE article_bands (article_id VARCHAR, band SMALLINT, "
                    "hash BIGINT)")
    except duckdb.Error as exc:
        con.close()
        raise TidingsError(f"cannot read dataset {root}: {exc}") from exc
    # A Store whose connection is this in-memory catalogue of views (no file, no migrations).
    store = Store.__new__(Store)
    store.path = Path(root)
    store.read_only = True
    store.near_threshold = dedup.NEAR_THRESHOLD
    store._lock = threading.Lock()
    store.con = con
    return store
