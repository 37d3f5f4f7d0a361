"""Tidings: political event data from news, traceable to the sentence it came from.

>>> import tidings
>>> result = tidings.code_text("Iran threatened to attack Israel.", date="2024-04-10")
>>> [(e.source.code, e.cameo.code[:2], e.target.code if e.target else None) for e in result.events]
[('IRN', '13', 'ISR')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from tidings.errors import InputError, TidingsError
from tidings.model import Article, ArticleResult, Event

__version__ = "0.1.0"
__all__ = ["Article", "ArticleResult", "Event", "InputError", "TidingsError", "code_articles",
           "code_text", "open", "__version__"]

_PIPELINES: dict[str, Any] = {}


def _pipeline(model: str | None) -> Any:
    from tidings.nlp import DEFAULT_MODEL
    from tidings.pipeline import Pipeline

    name = model or DEFAULT_MODEL
    if name not in _PIPELINES:
        _PIPELINES[name] = Pipeline(name)
    return _PIPELINES[name]


def code_text(text: str, *, date: str | dt.date | None = None, title: str | None = None,
              id: str | None = None, model: str | None = None) -> ArticleResult:
    """Code one article's text, as of its report ``date`` (``YYYY-MM-DD`` or a ``date``)."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    art = Article(id=id or Article.make_id(d, text), date=d, text=text, title=title)
    (result,) = list(_pipeline(model).process([art]))
    if isinstance(result, InputError):
        raise result
    assert isinstance(result, ArticleResult)
    return result


def code_articles(articles: Iterable[Article], *, model: str | None = None,
                  processes: int = 1) -> Iterator[ArticleResult | InputError]:
    """Code many articles in order; bad ones come back as ``InputError`` values."""
    yield from _pipeline(model).process(articles, processes=processes)


def open(db: str = "tidings.duckdb", **kwargs: Any) -> Any:  # noqa: A001 - the API's name
    """Open an event store (see ``tidings.store``)."""
    from tidings.store import open as open_store

    return open_store(db, **kwargs)
