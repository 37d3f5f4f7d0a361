"""Options and helpers shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tidings.errors import InputError
from tidings.nlp import DEFAULT_MODEL

F = TypeVar("F", bound=Callable[..., Any])


def parse_date_option(ctx: click.Context, param: click.Parameter,
                      value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def parse_fields(ctx: click.Context, param: click.Parameter,
                 value: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in value:
        key, sep, name = v.partition("=")
        if not sep or key not in {"id", "date", "title", "text", "url"} or not name:
            raise click.BadParameter(f"{v!r}: use FIELD=COLUMN with FIELD one of "
                                     "id, date, title, text, url")
        out[key] = name
    return out


def input_options(f: F) -> F:
    """``--date``, ``--field``, ``--input-format``, ``--model``, ``--processes``."""
    f = click.option("--processes", "-p", type=click.IntRange(1, 64), default=1,
                     show_default=True, help="Worker processes.")(f)
    f = click.option("--model", default=DEFAULT_MODEL, show_default=True,
                     help="spaCy pipeline (package name or path), e.g. en_core_web_md.")(f)
    f = click.option("--input-format", "fmt", type=click.Choice(["text", "jsonl", "csv"]),
                     default=None, help="Input format (default: from the file extension).")(f)
    f = click.option("--field", "fields", multiple=True, callback=parse_fields,
                     metavar="FIELD=COLUMN",
                     help="Rename a JSONL/CSV field, e.g. --field text=body (repeatable).")(f)
    f = click.option("--date", callback=parse_date_option, default=None, metavar="YYYY-MM-DD",
                     help="Report date for plain text files without a 'date' first line.")(f)
    return f


def report_error(err: InputError) -> None:
    """One line on stderr for one bad input record."""
    click.echo(f"error: {err}", err=True)
