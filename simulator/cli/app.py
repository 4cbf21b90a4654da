"""The typer application and the one place errors become exit codes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from simulator import __version__
from simulator.errors import SimulatorError

app = typer.Typer(
    name="cssim",
    help="Simulate Customer Success staffing, coverage models and CSM compensation plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cssim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """cssim: how many CSMs, which coverage model, and which comp plan, before you commit."""


def fail(error: SimulatorError) -> typer.Exit:
    """Print a project error to stderr and return the exit to raise (code 2: bad input)."""
    typer.echo(f"error: {error}" if "\n" not in str(error) else f"error:\n{error}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def main() -> None:
    """Console entry point: run the app, mapping our errors to exit 2 without a traceback."""
    try:
        app()
    except SimulatorError as error:  # a command that did not catch its own
        typer.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
