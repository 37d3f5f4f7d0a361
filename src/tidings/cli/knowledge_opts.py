"""Command-line options for users' own PETRARCH-format dictionaries.

``@knowledge_options`` adds ``--actors``, ``--agents``, ``--verbs``, ``--discards`` (each
repeatable), ``--no-default-knowledge`` and ``--config`` to a click command;
:func:`knowledge_from_options` turns them into a :class:`~tidings.coding.coder.Knowledge` (or
None: the packaged knowledge), printing each loader warning as one line on stderr.

Files named on the command line come after those of ``--config`` and win over them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from tidings.coding.coder import Knowledge

F = TypeVar("F", bound=Callable[..., Any])

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def knowledge_options(func: F) -> F:
    """Add the dictionary options to a click command (keyword arguments ``actors``, ``agents``,
    ``verbs``, ``discards``, ``no_default_knowledge``, ``knowledge_config``)."""
    options = [
        click.option("--actors", "actors", multiple=True, type=_FILE, metavar="FILE",
                     help="PETRARCH-format actor dictionary (repeatable; later files win)."),
        click.option("--agents", "agents", multiple=True, type=_FILE, metavar="FILE",
                     help="PETRARCH-format agent dictionary (repeatable)."),
        click.option("--verbs", "verbs", multiple=True, type=_FILE, metavar="FILE",
                     help="PETRARCH-format verb dictionary (repeatable)."),
        click.option("--discards", "discards", multiple=True, type=_FILE, metavar="FILE",
                     help="PETRARCH-format discard list (repeatable)."),
        click.option("--no-default-knowledge", "no_default_knowledge", is_flag=True,
                     help="Use only the dictionaries given, not the packaged ones."),
        click.option("--config", "knowledge_config", type=_FILE, metavar="PATH",
                     help="TOML file with a [knowledge] table: actors, agents, verbs, "
                          "discards (lists of paths), defaults (true/false)."),
    ]
    for opt in reversed(options):
        func = opt(func)
    return func


def _paths(values: Iterable[Any] | None) -> tuple[Path, ...]:
    return tuple(Path(v) for v in (values or ()))


def knowledge_from_options(**kw: Any) -> Knowledge | None:
    """The knowledge the options ask for; None when they ask for nothing (packaged knowledge).

    Accepts the keyword arguments ``knowledge_options`` adds (others are ignored, so a command
    may pass all of its ``**kwargs``). Loader warnings go to stderr, one line each. A missing
    or unreadable file raises :class:`tidings.errors.KnowledgeError`.
    """
    from tidings.knowledge.custom import KnowledgeSpec, read_knowledge_config

    spec = KnowledgeSpec()
    config = kw.get("knowledge_config") or kw.get("config")
    if config:
        spec = read_knowledge_config(config)
    spec = spec.then(KnowledgeSpec(
        actors=_paths(kw.get("actors")), agents=_paths(kw.get("agents")),
        verbs=_paths(kw.get("verbs")), discards=_paths(kw.get("discards")),
        defaults=not kw.get("no_default_knowledge", False)))
    if spec.empty:
        return None
    kb = spec.load()
    for w in kb.warnings:
        click.echo(f"warning: {w}", err=True)
    return kb


__all__ = ["knowledge_from_options", "knowledge_options"]
