"""``tidings code`` and ``tidings eval``."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from tidings.cli._util import input_options, report_error
from tidings.cli.knowledge_opts import knowledge_from_options, knowledge_options
from tidings.errors import InputError


@click.command("code")
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--format", "out_format", type=click.Choice(["events", "articles"]),
              default="events", show_default=True,
              help="events: one JSON event a line; articles: one JSON object per article.")
@click.option("--learned-fallback", is_flag=True,
              help="Let the learned sentence classifier code sentences the dictionaries "
                   "leave without an event (see docs/classifier.md).")
@knowledge_options
def code_cmd(paths: tuple[str, ...], date: dt.date | None, fields: dict[str, str],
             fmt: str | None, model: str, processes: int, out_format: str,
             learned_fallback: bool, **knowledge_kw: object) -> None:
    """Code news articles into events and print them as JSON Lines.

    PATHS are files, directories, glob patterns or - for stdin. Dated text files start with
    'date YYYY-MM-DD <headline>'; JSONL and CSV records have id, date, title, text, url.

    \b
    Examples:
      tidings code examples/
      tidings code news.jsonl --format articles
      cat story.txt | tidings code - --date 2023-06-13
      tidings code news.jsonl --actors our.actors.txt --verbs our.verbs.txt
    """
    from tidings.errors import TidingsError
    from tidings.pipeline import Pipeline
    from tidings.readers import read_paths

    try:
        knowledge = knowledge_from_options(**knowledge_kw)
    except TidingsError as exc:
        raise click.UsageError(str(exc)) from exc
    pipeline = Pipeline(model, knowledge=knowledge, learned_fallback=learned_fallback)
    errors = 0
    out = sys.stdout
    for result in pipeline.process(read_paths(list(paths), date=date, fields=fields, fmt=fmt),
                                   processes=processes):
        if isinstance(result, InputError):
            errors += 1
            report_error(result)
            continue
        if out_format == "articles":
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            for ev in result.events:
                out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    if errors:
        raise SystemExit(1)


@click.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default=None, help="spaCy pipeline to evaluate with.")
@click.option("--learned-fallback", is_flag=True,
              help="Evaluate events with the learned classifier fallback on.")
def eval_cmd(gold: tuple[str, ...], as_json: bool, model: str | None,
             learned_fallback: bool) -> None:
    """Score Tidings against gold files (events, times, places or quotes).

    The kind of each file is read from its records: 'events' (PLOVER or CAMEO coded events),
    'timexes', 'toponyms' or 'quotes'.

    \b
    Example:
      tidings eval ../shared/data/gold/plover_gsr.dev.jsonl
    """
    from tidings.evaluate import evaluate_file, format_report

    for path in gold:
        report = evaluate_file(path, model=model, learned_fallback=learned_fallback)
        if as_json:
            click.echo(json.dumps(report, indent=2, sort_keys=True))
        else:
            click.echo(format_report(report))


def register(group: click.Group) -> None:
    group.add_command(code_cmd)
    group.add_command(eval_cmd)
