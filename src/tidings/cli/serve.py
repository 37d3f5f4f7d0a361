"""``tidings serve``: the REST API and dashboard over a store."""

from __future__ import annotations

import ipaddress

import click

from tidings.store import DEFAULT_DB


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", "db", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="Store file (DuckDB), opened read-only.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (loopback by default; anything else exposes the store).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-coding", is_flag=True,
              help="Enable POST /api/code (codes posted text; loads the spaCy model).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow browser calls from this origin, e.g. http://localhost:3000 "
                   "(repeatable; off by default).")
def serve(db: str, host: str, port: int, allow_coding: bool, cors: tuple[str, ...]) -> None:
    """Serve the REST API (/api, docs at /docs) and the dashboard (/) over a store.

    \b
    Example:
      tidings serve --db news.duckdb            # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from tidings.api import create_app

    app = create_app(db, allow_coding=allow_coding, cors=list(cors) or None)
    if not _is_loopback(host):
        click.echo(f"warning: binding to {host}: anyone who can reach this address can read "
                   "the store" + (" and run the coder" if allow_coding else ""), err=True)
    click.echo(f"Tidings dashboard on http://{host}:{port}/ (API docs /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(group: click.Group) -> None:
    """Add ``serve`` to the ``tidings`` group."""
    group.add_command(serve)


__all__ = ["register", "serve"]
