"""The ``tidings`` command line: a thin layer over the library.

Each module listed in ``COMMAND_MODULES`` defines click commands and a ``register(group)``
function that adds them to the main group.
"""

from __future__ import annotations

import importlib
import sys

import click

from tidings import __version__
from tidings.errors import TidingsError

COMMAND_MODULES: list[str] = [
    "tidings.cli.code",
    "tidings.cli.store",
    "tidings.cli.serve",
    "tidings.cli.quotes",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tidings")
def cli() -> None:
    """Tidings: who did what to whom, when and where, from news text."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    """Entry point: expected errors become one line on stderr and exit code 1."""
    try:
        code = cli.main(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        exc.show()
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except TidingsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
