"""Shared checks for all readers."""

from __future__ import annotations

import datetime as dt

from tidings.errors import InputError
from tidings.model import Article


def parse_date(value: object, where: str) -> dt.date | InputError:
    """Parse a report date given as ``YYYY-MM-DD`` (a time part after it is ignored)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return InputError(where, "missing date (give a date field, a 'date YYYY-MM-DD' line or --date)")
    s = str(value).strip()[:10]
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return InputError(where, f"invalid date {str(value)[:40]!r} (expected YYYY-MM-DD)")


def make_article(*, where: str, text: object, date: object, id: object = None,
                 title: object = None, url: object = None,
                 max_bytes: int) -> Article | InputError:
    """Validate one record and build the Article (or the error naming ``where``)."""
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "missing or empty text")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return InputError(where, f"article is {size:,} bytes, over the {max_bytes:,}-byte limit")
    d = date if isinstance(date, dt.date) else parse_date(date, where)
    if isinstance(d, InputError):
        return d
    art_id = str(id).strip() if id not in (None, "") else Article.make_id(d, text)
    return Article(id=art_id, date=d, text=text, title=str(title) if title else None,
                   url=str(url) if url else None, source=where)
