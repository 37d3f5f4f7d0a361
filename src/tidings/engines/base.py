"""What every engine does: read inputs, code them with ``Pipeline.process_batch``, write a dataset.

An engine turns input paths (files, directories, globs; URLs for Spark) into a Parquet dataset
(``tidings.engines.dataset``). Engines differ only in where the work runs; for the same input and
model they write the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tidings.errors import InputError

ErrorCallback = Callable[[InputError], None]

#: At most this many input error messages are kept in a report (all are counted and written).
MAX_ERROR_MESSAGES = 1000


@dataclass
class RunReport:
    """What an engine run did."""

    engine: str
    output: str
    articles: int = 0
    errors: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # rows written per table
    wall_seconds: float = 0.0
    error_messages: list[str] = field(default_factory=list)
    error_rows: list[tuple[str, str]] = field(default_factory=list)  # (where, message)

    @property
    def events(self) -> int:
        return self.rows.get("events", 0)

    def summary(self) -> str:
        return (f"{self.articles} articles, {self.events} events, {self.errors} input errors "
                f"-> {self.output} ({self.engine} engine, {self.wall_seconds:.1f} s)")


class Engine(Protocol):
    """Codes input files into a Parquet dataset under ``output``."""

    name: str

    def run(self, inputs: Sequence[str], output: str | Path, *, date: dt.date | None = None,
            fields: Mapping[str, str] | None = None, fmt: str | None = None,
            overwrite: bool = False, on_error: ErrorCallback | None = None) -> RunReport:
        """Read, code and write; the dataset appears at ``output`` only when complete.

        ``date``, ``fields`` and ``fmt`` mean what they mean for ``tidings.readers.read_paths``.
        Bad input records are passed to ``on_error`` (and written to the ``errors`` table).
        """
        ...
