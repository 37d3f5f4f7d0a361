"""The event store: one embedded DuckDB file with articles, events and their provenance.

``tidings.open(db)`` returns a ``Store``::

    store = tidings.open("tidings.duckdb")
    df = store.events(actor="USA", cameo="04", since="2024-01-01")
    series = store.series("USA:AFG", by="month", measure="goldstein")
"""

from __future__ import annotations

from pathlib import Path

from tidings.store.db import (
    DEFAULT_DB,
    BatchReport,
    EventFilter,
    IngestReport,
    Store,
    parse_dyad,
)

__all__ = ["DEFAULT_DB", "BatchReport", "EventFilter", "IngestReport", "Store", "open",
           "parse_dyad"]


def open(db: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:  # noqa: A001
    """Open (or create) a Tidings store; ``read_only=True`` for an existing store only."""
    return Store(db, read_only=read_only)
