"""Store commands: ``ingest``, ``query``, ``stats``, ``series``, ``export``, ``cluster``.

Each is a thin layer over ``tidings.store.Store`` and ``tidings.exports``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import click
import pandas as pd

from tidings.cli._util import input_options
from tidings.cli.knowledge_opts import knowledge_from_options, knowledge_options
from tidings.errors import InputError, TidingsError
from tidings.exports import FORMATS
from tidings.store import DEFAULT_DB, IngestReport, Store

_db_option = click.option("--db", "db", default=DEFAULT_DB, show_default=True,
                          type=click.Path(dir_okay=False), help="Store file (DuckDB).")
_format_option = click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]),
                              default="table", show_default=True, help="Output format.")
_TABLE_COLUMNS = ["event_date", "source_code", "target_code", "cameo_code", "plover_type",
                  "modality", "location_country", "article_id", "sentence_text"]


def _filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option("--actor", help="Actor code on either side (prefix: USA matches USAGOV)."),
        click.option("--source", help="Source actor code prefix."),
        click.option("--target", help="Target actor code prefix."),
        click.option("--dyad", help="SOURCE:TARGET code prefixes, e.g. USA:AFG."),
        click.option("--type", "type_", help="PLOVER event type, e.g. ASSAULT."),
        click.option("--cameo", help="CAMEO code prefix, e.g. 04."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Event date from."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Event date to."),
        click.option("--country", help="ISO3 country where the event happened."),
        click.option("--text", help="Substring of the sentence."),
        click.option("--modality", type=click.Choice(
            ["asserted", "negated", "future", "hypothetical", "reported"])),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("actor", "source", "target", "dyad", "cameo", "country", "text", "modality"):
        if kw.get(key):
            out[key] = kw[key]
    if kw.get("type_"):
        out["type"] = kw["type_"]
    for key in ("since", "until"):
        if kw.get(key):
            out[key] = kw[key].date()
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _emit(df: pd.DataFrame, fmt: str, table_columns: list[str] | None = None) -> None:
    if fmt == "jsonl":
        for rec in df.to_dict(orient="records"):
            plain = {k: _plain(v) for k, v in rec.items()}
            click.echo(json.dumps(plain, ensure_ascii=False, default=_json_default))
    elif fmt == "csv":
        click.echo(df.to_csv(index=False), nl=False)
    else:
        cols = [c for c in (table_columns or list(df.columns)) if c in df.columns]
        view = df[cols].copy()
        if "sentence_text" in view.columns:
            view["sentence_text"] = view["sentence_text"].map(
                lambda s: (s[:70] + "…") if isinstance(s, str) and len(s) > 71 else s)
        if view.empty:
            click.echo("(no rows)")
        else:
            click.echo(view.to_string(index=False, na_rep=""))


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--input", "inputs", multiple=True, metavar="PATH",
              help="Input file, directory or glob (repeatable; same as PATHS).")
@_db_option
@click.option("--output", type=str, default=None, metavar="DATASET/",
              help="Write a Parquet dataset here instead of the store (see docs/scaling.md).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
              show_default=True, help="Where to code: this machine, or Apache Spark "
              "(needs --output).")
@click.option("--master", default=None, help="Spark master URL, e.g. local[4] or yarn "
              "(default: as spark-submit says, else local[*]).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --output dataset.")
@input_options
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1),
              help="Articles per store transaction.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
@knowledge_options
def ingest(paths: tuple[str, ...], inputs: tuple[str, ...], db: str, output: str | None,
           engine: str, master: str | None, overwrite: bool, date: dt.date | None,
           fields: dict[str, str], fmt: str | None, model: str, processes: int,
           batch_size: int, progress: bool | None, **knowledge_kw: Any) -> None:
    """Code articles from PATHS and store them (or write a Parquet dataset with --output).

    Safe to re-run: articles already stored with the same text are skipped, changed ones are
    replaced, and a run killed midway resumes where it stopped. Bad input records are reported
    one a line on stderr; the exit code is 1 if there were any. With --output the dataset
    appears only when the run has finished (a failed run leaves nothing there).

    \b
    Examples:
      tidings ingest news/*.jsonl --db news.duckdb --processes 2
      tidings ingest --engine spark --input 'news/*.jsonl' --output news-dataset/
    """
    paths = (*paths, *inputs)
    if not paths:
        raise click.UsageError("give input PATHS or --input")
    if engine == "spark" and not output:
        raise click.UsageError("--engine spark writes a Parquet dataset: give --output DATASET/")
    try:
        knowledge = knowledge_from_options(**knowledge_kw)
    except TidingsError as exc:
        raise click.UsageError(str(exc)) from exc
    if output and knowledge is not None:
        raise click.UsageError("--output datasets are coded with the packaged knowledge; "
                               "own dictionaries need a store (--db)")
    if output:
        from tidings.cli._util import report_error
        from tidings.engines import get_engine

        runner = get_engine(engine, processes=processes, model=model, master=master)
        run = runner.run(list(paths), output, date=date, fields=fields, fmt=fmt,
                         overwrite=overwrite, on_error=report_error)
        click.echo(run.summary(), err=True)
        if run.errors:
            raise click.exceptions.Exit(1)
        return

    from tqdm import tqdm

    from tidings.pipeline import Pipeline
    from tidings.readers import read_paths

    with Store(db) as store:
        pipeline = Pipeline(model, knowledge=knowledge)
        items = store.skip_stored(read_paths(list(paths), date=date, fields=fields, fmt=fmt))
        disable = (not sys.stderr.isatty()) if progress is None else not progress
        bar = tqdm(unit=" articles", file=sys.stderr, disable=disable, dynamic_ncols=True)

        def on_error(err: InputError) -> None:
            tqdm.write(f"error: {err}", file=sys.stderr)

        def on_progress(rep: IngestReport) -> None:
            bar.n = rep.articles + rep.errors
            bar.set_postfix(events=rep.events, errors=rep.errors, refresh=False)
            bar.refresh()

        results = pipeline.process(items, processes=processes)
        try:
            report = store.ingest(results, batch_size=batch_size, on_error=on_error,
                                  on_progress=None if disable else on_progress)
        finally:
            bar.close()
    click.echo(
        f"{report.added} articles added, {report.replaced} replaced, "
        f"{report.skipped} already stored, {report.duplicates} duplicates; "
        f"{report.events} events; {report.errors} input errors "
        f"({report.wall_seconds:.1f} s, store {report.store_seconds:.1f} s)", err=True)
    if report.errors:
        raise click.exceptions.Exit(1)


@click.command()
@_db_option
@click.option("--dataset", default=None, metavar="DATASET/",
              help="Query a Parquet dataset (from ingest --output) instead of the store.")
@_filter_options
@click.option("--one-a-day", is_flag=True,
              help="One row per root event (same date, dyad and CAMEO code), with counts.")
@_format_option
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many rows.")
def query(db: str, dataset: str | None, one_a_day: bool, fmt: str, limit: int | None,
          **kw: Any) -> None:
    """Events matching the filters, newest first."""
    from tidings.store.db import open_dataset

    with (open_dataset(dataset) if dataset else Store(db, read_only=True)) as store:
        df = store.events(one_a_day=one_a_day, limit=limit, **_filters(kw))
    cols = _TABLE_COLUMNS + (["num_mentions", "num_sources", "num_articles"] if one_a_day
                             else [])
    _emit(df, fmt, cols)


@click.command()
@_db_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def stats(db: str, top: int, fmt: str) -> None:
    """Events by PLOVER type and QuadClass per month, top dyads, top actors."""
    with Store(db, read_only=True) as store:
        result = store.stats(top=top)
    if fmt == "json":
        click.echo(json.dumps({k: (v.to_dict(orient="records") if isinstance(v, pd.DataFrame)
                                   else v) for k, v in result.items()},
                              default=_json_default, indent=1))
        return
    totals = result["totals"]
    click.echo("Totals: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in totals.items()))
    by_month = result["by_month"]
    if not by_month.empty:
        click.echo("\nEvents by month and PLOVER type:")
        click.echo(by_month.pivot_table(index="month", columns="plover_type", values="events",
                                        aggfunc="sum", fill_value=0).to_string())
        click.echo("\nEvents by month and QuadClass:")
        click.echo(by_month.pivot_table(index="month", columns="quad_class", values="events",
                                        aggfunc="sum", fill_value=0).to_string())
    for key, title in (("top_dyads", "Top dyads"), ("top_actors", "Top actors")):
        click.echo(f"\n{title}:")
        click.echo(result[key].to_string(index=False) if not result[key].empty else "(none)")


@click.command()
@_db_option
@click.option("--dyad", required=True, help="SOURCE:TARGET code prefixes, e.g. USA:AFG.")
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month",
              show_default=True)
@click.option("--measure", type=click.Choice(["count", "goldstein", "quad"]), default="count",
              show_default=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--one-a-day", is_flag=True, help="Count root events, not mentions.")
@_format_option
def series(db: str, dyad: str, by: str, measure: str, since: dt.datetime | None,
           until: dt.datetime | None, one_a_day: bool, fmt: str) -> None:
    """Dyadic time series with zero-filled periods."""
    with Store(db, read_only=True) as store:
        df = store.series(dyad, by=by, measure=measure, one_a_day=one_a_day,
                          since=since.date() if since else None,
                          until=until.date() if until else None)
    _emit(df, fmt)


@click.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("--out", required=True, type=click.Path(),
              help="Output file (a directory for parquet).")
@_filter_options
def export(db: str, fmt: str, out: str, **kw: Any) -> None:
    """Write events as GDELT, ICEWS, PLOVER, Parquet or CSV."""
    from tidings.exports import export as do_export

    with Store(db, read_only=True) as store:
        files = do_export(store, fmt, out, **_filters(kw))
    for f in files:
        click.echo(str(f))


@click.command()
@_db_option
def cluster(db: str) -> None:
    """Lay the store out for reading: events and articles newest first, plus indexes.

    Run it before `tidings serve` on a large store, and again after large ingests. Results do
    not change; event pages, date filters and event details get faster, and the file grows
    (the indexes). Needs the store to be free of other writers.

    \b
    Example:
      tidings cluster --db news.duckdb && tidings serve --db news.duckdb
    """
    if not os.path.exists(db):
        raise click.ClickException(f"{db}: no such store")
    before = os.path.getsize(db)
    t0 = time.perf_counter()
    with Store(db) as store:
        store.cluster_events()
        counts = store.table_counts()
    click.echo(f"{db}: {counts['events']} events and {counts['articles']} articles laid out "
               f"newest first in {time.perf_counter() - t0:.1f} s; file "
               f"{before / 1e6:.1f} MB -> {os.path.getsize(db) / 1e6:.1f} MB")


def register(group: click.Group) -> None:
    """Add the store commands to the ``tidings`` group."""
    for cmd in (ingest, query, stats, series, export, cluster):
        group.add_command(cmd)


__all__ = ["register", "ingest", "query", "stats", "series", "export", "cluster",
           "TidingsError"]
