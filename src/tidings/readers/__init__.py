"""Readers turn files (dated text, JSON Lines, CSV), directories, globs and stdin into Articles.

Bad records never stop a batch: they come out of the iterator as ``InputError`` values that name
the file (and line), and the caller reports them.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers.csvfile import read_csv
from tidings.readers.jsonl import read_jsonl
from tidings.readers.text import read_text

__all__ = ["MAX_ARTICLE_BYTES", "FieldMap", "expand_paths", "read_data", "read_path",
           "read_paths"]

#: Articles longer than this are refused (one clear error, the batch goes on).
MAX_ARTICLE_BYTES = 1_000_000

FieldMap = Mapping[str, str]
DEFAULT_FIELDS: dict[str, str] = {"id": "id", "date": "date", "title": "title", "text": "text",
                                  "url": "url"}

_JSONL = {".jsonl", ".ndjson", ".json"}
_CSV = {".csv", ".tsv"}


def expand_paths(paths: Sequence[str]) -> Iterator[str | InputError]:
    """Expand directories (recursively, sorted) and glob patterns; ``-`` stays as stdin."""
    for p in paths:
        if p == "-":
            yield p
            continue
        matches = sorted(glob.glob(p, recursive=True)) if glob.has_magic(p) else [p]
        if not matches:
            yield InputError(p, "no file matches this pattern")
        for m in matches:
            if os.path.isdir(m):
                found = sorted(str(f) for f in Path(m).rglob("*")
                               if f.is_file() and not f.name.startswith("."))
                if not found:
                    yield InputError(m, "directory has no files")
                yield from found
            elif os.path.exists(m):
                yield m
            else:
                yield InputError(m, "no such file")


def read_paths(paths: Sequence[str], *, date: dt.date | None = None,
               fields: FieldMap | None = None, fmt: str | None = None,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article | InputError]:
    """Read every article from files, directories, globs or ``-`` (stdin).

    ``date`` is the report date for plain text files without a ``date YYYY-MM-DD`` line.
    ``fields`` renames JSONL/CSV fields (``{"text": "body"}``). ``fmt`` forces a format
    (``text``, ``jsonl``, ``csv``) instead of guessing it from the file extension.
    """
    for p in expand_paths(paths):
        if isinstance(p, InputError):
            yield p
            continue
        yield from read_path(p, date=date, fields=fields, fmt=fmt, max_bytes=max_bytes)


def _format_of(path: str, head: bytes) -> str:
    ext = Path(path).suffix.lower()
    if ext in _JSONL:
        return "jsonl"
    if ext in _CSV:
        return "csv"
    if path == "-" and head.lstrip().startswith(b"{"):
        return "jsonl"
    return "text"


def read_path(path: str, *, date: dt.date | None = None, fields: FieldMap | None = None,
              fmt: str | None = None,
              max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article | InputError]:
    """Read one file (or ``-`` for stdin)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        yield InputError(path, f"cannot read file ({exc.strerror or exc})")
        return
    name = "<stdin>" if path == "-" else path
    yield from read_data(data, name, date=date, fields=fields, fmt=fmt, max_bytes=max_bytes,
                         path=path)


def read_data(data: bytes, name: str, *, date: dt.date | None = None,
              fields: FieldMap | None = None, fmt: str | None = None,
              max_bytes: int = MAX_ARTICLE_BYTES,
              path: str | None = None) -> Iterator[Article | InputError]:
    """Articles from the bytes of one file named ``name`` (the format comes from ``fmt``, else
    from the extension of ``path`` or ``name``); the Spark engine reads through this too."""
    mapping = {**DEFAULT_FIELDS, **(fields or {})}
    where = path or name
    kind = fmt or _format_of(where, data[:64])
    if not data.strip():
        yield InputError(name, "empty file")
        return
    if b"\x00" in data[:8192]:
        yield InputError(name, "binary file (not text)")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(name, f"not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first")
        return
    if kind == "jsonl":
        yield from read_jsonl(io.StringIO(text), name, mapping, max_bytes=max_bytes)
    elif kind == "csv":
        delimiter = "\t" if Path(where).suffix.lower() == ".tsv" else ","
        yield from read_csv(io.StringIO(text), name, mapping, delimiter=delimiter,
                            max_bytes=max_bytes)
    else:
        yield read_text(text, name, date=date, max_bytes=max_bytes)
