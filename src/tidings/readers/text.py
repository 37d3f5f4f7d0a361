"""Dated text files: the first line is ``date YYYY-MM-DD <headline>``, then the body."""

from __future__ import annotations

import datetime as dt
import re

from tidings.errors import InputError
from tidings.model import Article
from tidings.readers._common import make_article

_HEADER = re.compile(r"^\s*date\s+(\S+)[ \t]*(.*)$", re.IGNORECASE)


def read_text(text: str, where: str, *, date: dt.date | None = None,
              max_bytes: int) -> Article | InputError:
    """Read one article; without a ``date`` line the report date comes from ``date``."""
    first, _, rest = text.partition("\n")
    m = _HEADER.match(first)
    if m:
        body = rest.lstrip("\r\n")
        title = m.group(2).strip() or None
        return make_article(where=where, text=body, date=m.group(1), title=title,
                            max_bytes=max_bytes)
    if date is None:
        return InputError(where, "missing date: the first line should be 'date YYYY-MM-DD "
                                 "<headline>', or pass --date")
    return make_article(where=where, text=text, date=date, max_bytes=max_bytes)
