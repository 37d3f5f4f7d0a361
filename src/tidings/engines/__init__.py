"""Engines: where the coding runs. Each reads inputs, codes them with the same pipeline and
writes the same Parquet dataset (``tidings.engines.dataset``).

- ``LocalEngine``: this machine, a process pool (``--engine local``);
- ``SparkEngine``: an Apache Spark cluster or ``local[N]`` (``--engine spark``; needs
  ``pip install 'tidings[spark]'`` and Java 17+).

``open_dataset(path)`` opens a written dataset for queries (a read-only ``Store``).
"""

from __future__ import annotations

from typing import Any

from tidings.engines.base import Engine, RunReport
from tidings.engines.local import LocalEngine
from tidings.errors import TidingsError

ENGINES: tuple[str, ...] = ("local", "spark")

__all__ = ["ENGINES", "Engine", "LocalEngine", "RunReport", "get_engine", "open_dataset"]


def get_engine(name: str, **options: Any) -> Engine:
    """An engine by name: ``local`` (options: processes, model) or ``spark`` (master, model,
    partitions, conf)."""
    if name == "local":
        keep = {k: v for k, v in options.items() if k in ("processes", "model", "chunk_articles")}
        return LocalEngine(**keep)
    if name == "spark":
        from tidings.engines.spark import SparkEngine

        keep = {k: v for k, v in options.items()
                if k in ("master", "model", "partitions", "partition_mb", "batch_size", "conf",
                         "spark")}
        return SparkEngine(**keep)
    raise TidingsError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


def open_dataset(path: str) -> Any:
    """A read-only ``Store`` over a Parquet dataset (see ``tidings.store.db.open_dataset``)."""
    from tidings.store.db import open_dataset as _open

    return _open(path)
