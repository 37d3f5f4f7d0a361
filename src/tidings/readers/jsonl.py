"""JSON Lines: one article object a line."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TextIO

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers._common import make_article


def read_jsonl(fh: TextIO, name: str, fields: Mapping[str, str], *,
               max_bytes: int) -> Iterator[Article | InputError]:
    for lineno, line in enumerate(fh, 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, "expected a JSON object")
            continue
        yield make_article(where=where, text=obj.get(fields["text"]),
                           date=obj.get(fields["date"]), id=obj.get(fields["id"]),
                           title=obj.get(fields["title"]), url=obj.get(fields["url"]),
                           max_bytes=max_bytes)
