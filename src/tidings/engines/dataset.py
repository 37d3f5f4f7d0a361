"""The Parquet dataset layout that every engine writes, and its atomic commit.

A dataset is a directory with one sub-directory per table, each Hive-partitioned by the
articles' report month::

    DATASET/
      _SUCCESS                 written last: the dataset is complete
      _tidings.json            manifest: engine, row counts, Tidings version
      events/report_month=2025-03/part-*.parquet
      articles/  sentences/  quotes/  places/  times/   (same partitioning)
      errors/part-*.parquet    input records that could not be read or coded

``events``, ``sentences``, ``quotes``, ``places`` and ``times`` have exactly the columns of the
store's tables (``tidings.store.schema``); ``articles`` has the store's article columns less the
store-only ones (MinHash, duplicate links, load time). Row building is pure Python and shared by
the local engine and Spark, so both write the same rows for the same input.

Writers never touch the final path until the end: they write into a hidden sibling directory and
rename it into place, so a failed run leaves no partial dataset.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tidings.errors import InputError, TidingsError
from tidings.model import ArticleResult
from tidings.store import dedup
from tidings.store.db import article_event_rows, outlet_of
from tidings.store.schema import MIGRATIONS

#: Tables written per article, in the order they are written.
ARTICLE_TABLES: tuple[str, ...] = ("articles", "events", "sentences", "quotes", "places", "times")
#: Every table of a dataset.
TABLES: tuple[str, ...] = (*ARTICLE_TABLES, "errors")
PARTITION = "report_month"
UNKNOWN_MONTH = "unknown"
SUCCESS = "_SUCCESS"
MANIFEST = "_tidings.json"
#: Store article columns that only make sense inside one store (dedup state, load time).
_STORE_ONLY_ARTICLE_COLUMNS = frozenset(
    {"minhash", "duplicate_of", "duplicate_kind", "similarity", "ingested_at"})
_ERRORS_SCHEMA = pa.schema([("where", pa.string()), ("message", pa.string())])


def _plain_type(t: pa.DataType) -> pa.DataType:
    """The same type without DuckDB's naming quirks (list child names, extension types)."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pa.list_(_plain_type(t.value_type))
    if isinstance(t, pa.ExtensionType):
        return _plain_type(t.storage_type)
    if pa.types.is_large_string(t):
        return pa.string()
    return t


@functools.lru_cache(maxsize=1)
def _store_schemas() -> dict[str, pa.Schema]:
    """Arrow schemas of the store's tables, read from the store's own DDL."""
    con = duckdb.connect(":memory:")
    try:
        for m in MIGRATIONS:
            for stmt in m.statements:
                con.execute(stmt)
        out: dict[str, pa.Schema] = {}
        for table in ARTICLE_TABLES:
            schema = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
            out[table] = pa.schema([pa.field(f.name, _plain_type(f.type)) for f in schema])
        return out
    finally:
        con.close()


@functools.cache
def table_schema(table: str, *, with_partition: bool = True) -> pa.Schema:
    """Arrow schema of one dataset table (with the ``report_month`` column unless told not)."""
    if table == "errors":
        return _ERRORS_SCHEMA
    if table not in ARTICLE_TABLES:
        raise TidingsError(f"unknown dataset table {table!r}")
    schema = _store_schemas()[table]
    fields = [f for f in schema if not (table == "articles"
                                        and f.name in _STORE_ONLY_ARTICLE_COLUMNS)]
    if with_partition:
        fields.append(pa.field(PARTITION, pa.string()))
    return pa.schema(fields)


def report_month(result: ArticleResult) -> str:
    """The partition value of an article: its report month ``YYYY-MM``."""
    d = result.article.date
    return d.strftime("%Y-%m") if d else UNKNOWN_MONTH


def result_rows(result: ArticleResult) -> dict[str, list[dict[str, Any]]]:
    """The rows of every article table for one coded article (as the store writes them)."""
    art = result.article
    month = report_month(result)
    events = article_event_rows(result)
    sentences = [{"article_id": art.id, "sentence_index": s.index, "start_char": s.start,
                  "end_char": s.end, "text": s.text} for s in result.sentences]
    if not result.sentences:
        known: set[int] = set()
        for ev in result.events:
            if ev.sentence.index not in known:
                known.add(ev.sentence.index)
                sentences.append({"article_id": art.id, "sentence_index": ev.sentence.index,
                                  "start_char": ev.sentence.start, "end_char": ev.sentence.end,
                                  "text": ev.sentence.text})
    quotes = []
    for i, q in enumerate(result.quotes):
        sp = q.speaker
        quotes.append({
            "article_id": art.id, "quote_index": i, "start_char": q.start, "end_char": q.end,
            "text": q.text, "speaker_text": sp.text if sp else None,
            "speaker_name": sp.name if sp else None, "speaker_code": sp.code if sp else None,
            "speaker_country": sp.country if sp else None,
            "speaker_sector": sp.sector if sp else None,
            "speaker_start": sp.start if sp else None, "speaker_end": sp.end if sp else None,
            "cue": q.cue, "reason": q.reason})
    places = [{"article_id": art.id, "place_index": i, "start_char": p.start, "end_char": p.end,
               "text": p.text, "name": p.name, "geonameid": p.geonameid, "lat": p.lat,
               "lon": p.lon, "country": p.country, "admin1": p.admin1, "feature": p.feature,
               "reason": p.reason} for i, p in enumerate(result.places)]
    times = [{"article_id": art.id, "time_index": i, "start_char": t.start, "end_char": t.end,
              "text": t.text, "type": t.type, "value": t.value, "start_date": t.start_date,
              "end_date": t.end_date, "granularity": t.granularity, "reason": t.reason}
             for i, t in enumerate(result.times)]
    articles = [{"article_id": art.id, "date": art.date, "title": art.title, "url": art.url,
                 "source": art.source, "outlet": outlet_of(art), "text": art.text,
                 "text_hash": dedup.text_hash(art.text), "text_len": len(art.text),
                 "n_events": len(events)}]
    out = {"articles": articles, "events": events, "sentences": sentences, "quotes": quotes,
           "places": places, "times": times}
    for rows in out.values():
        for row in rows:
            row[PARTITION] = month
    return out


def error_row(err: InputError) -> dict[str, Any]:
    """The ``errors`` row of one bad input record."""
    return {"where": err.where, "message": str(err)}


# --------------------------------------------------------------------------------------------
# Atomic commit (local filesystem; Spark commits remote paths through Hadoop's FileSystem)


def is_remote(path: str) -> bool:
    """True for URLs with a scheme other than ``file:`` (``hdfs://``, ``s3a://``, ...)."""
    head, sep, _ = path.partition("://")
    return bool(sep) and head.lower() != "file" and head.isalnum() and len(head) > 1


def local_path(path: str) -> str:
    """A ``file:`` URL or plain path as a plain local path."""
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def staging_dir(output: str | Path) -> Path:
    """A fresh hidden sibling of ``output`` to write into (same filesystem, so rename works)."""
    out = Path(output)
    return out.parent / f".{out.name}.inprogress-{uuid.uuid4().hex[:12]}"


def check_output(output: str | Path, *, overwrite: bool) -> None:
    """Refuse to replace an existing path unless ``overwrite``; never replace a non-dataset."""
    out = Path(output)
    if not out.exists():
        return
    if not overwrite:
        raise TidingsError(f"{out} exists; choose another --output or pass --overwrite")
    if out.is_file() or (any(out.iterdir()) and not (out / MANIFEST).exists()):
        raise TidingsError(f"{out} exists and is not a Tidings dataset; refusing to replace it")


def write_manifest(root: str | Path, manifest: dict[str, Any]) -> None:
    """Write the manifest, then the ``_SUCCESS`` marker (the last file of a dataset)."""
    root = Path(root)
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")
    (root / SUCCESS).write_text("", encoding="utf-8")


def commit(staging: str | Path, output: str | Path, *, overwrite: bool) -> None:
    """Move a finished staging directory to ``output`` (replacing an old dataset if allowed)."""
    staging, out = Path(staging), Path(output)
    check_output(out, overwrite=overwrite)
    old: Path | None = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
        os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_tree(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def manifest(engine: str, counts: dict[str, int], **extra: Any) -> dict[str, Any]:
    """The manifest of a finished dataset."""
    from tidings import __version__

    return {"format": "tidings-dataset", "format_version": 1, "engine": engine,
            "tidings_version": __version__, "partitioning": PARTITION, "rows": counts, **extra}


def parquet_files(root: str | Path, table: str) -> list[Path]:
    """The Parquet files of one table of a local dataset."""
    base = Path(root) / table
    return sorted(p for p in base.rglob("*.parquet") if not p.name.startswith((".", "_")))


def iter_tables(root: str | Path) -> Iterator[tuple[str, list[Path]]]:
    for table in TABLES:
        yield table, parquet_files(root, table)
