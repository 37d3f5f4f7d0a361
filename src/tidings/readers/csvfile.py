"""CSV (or TSV) with a header row naming the fields."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Mapping
from typing import TextIO

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers._common import make_article

csv.field_size_limit(sys.maxsize)


def read_csv(fh: TextIO, name: str, fields: Mapping[str, str], *, delimiter: str = ",",
             max_bytes: int) -> Iterator[Article | InputError]:
    reader = csv.reader(fh, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield InputError(f"{name}:1", f"cannot read the CSV header ({exc})")
        return
    index = {h.strip(): i for i, h in enumerate(header)}
    if fields["text"] not in index:
        yield InputError(f"{name}:1", f"no {fields['text']!r} column in the header "
                                      f"(columns: {', '.join(header)[:200]})")
        return
    while True:
        where = f"{name}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(where, f"malformed CSV row ({exc})")
            return
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            yield InputError(where, f"malformed CSV row: {len(row)} fields, header has {len(header)}")
            continue

        def get(key: str, row: list[str] = row) -> str | None:
            i = index.get(fields[key])
            return row[i] if i is not None else None

        yield make_article(where=where, text=get("text"), date=get("date"), id=get("id"),
                           title=get("title"), url=get("url"), max_bytes=max_bytes)
