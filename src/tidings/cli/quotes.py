"""``tidings quotes``: who said what, from the store."""

from __future__ import annotations

import click

from tidings.cli.store import _emit
from tidings.store import Store

QUOTE_COLUMNS = ["article_date", "speaker_code", "speaker_name", "speaker_text", "cue", "text"]


@click.command("quotes")
@click.option("--db", type=click.Path(dir_okay=False), default="tidings.duckdb",
              show_default=True, help="Store file (DuckDB).")
@click.option("--speaker", default=None,
              help="Speaker name or text (substring) or actor code prefix, e.g. USA or Mutua.")
@click.option("--article", default=None, help="Only this article's quotes.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many.")
def quotes_cmd(db: str, speaker: str | None, article: str | None, fmt: str,
               limit: int | None) -> None:
    """Direct quotes with their speakers, oldest first.

    \b
    Examples:
      tidings quotes --speaker USA
      tidings quotes --speaker Mutua --format jsonl
    """
    with Store(db, read_only=True) as store:
        df = store.quotes(speaker, article=article, limit=limit)
    if fmt == "table" and "text" in df.columns:
        df["text"] = df["text"].map(lambda s: (s[:80] + "…") if isinstance(s, str)
                                    and len(s) > 81 else s)
    _emit(df, fmt, QUOTE_COLUMNS)


def register(group: click.Group) -> None:
    group.add_command(quotes_cmd)
