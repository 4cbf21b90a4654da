"""``cssim report DIR``: re-render the HTML report from the tables a run saved, without re-running.

A thin wrapper over :meth:`simulator.results.results.Results.load` and
:func:`simulator.report.render_report`. Bad input (no such folder, an incomplete one, an
``--out`` that is a folder, a table the report cannot read: :mod:`simulator.report.checks`)
exits 2 with a message; the page is replaced atomically, so a failure leaves the previous
report as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.app import app, fail
from simulator.errors import InputError, SimulatorError

REPORT_FILE = "index.html"


@app.command()
def report(
    directory: Annotated[
        Path, typer.Argument(help="A folder written by `cssim run`.", show_default=False, metavar="DIR")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the page to this file (default: DIR/index.html).", metavar="FILE"),
    ] = None,
) -> None:
    """Re-render index.html from the tables saved in DIR (nothing is simulated again)."""
    from simulator.report import render_report
    from simulator.results.results import Results

    target = out if out is not None else directory / REPORT_FILE
    try:
        if target.is_dir():
            raise InputError(f"--out {target}: is a folder; give a file, e.g. --out {target / REPORT_FILE}")
        results = Results.load(directory)
        path = render_report(results=results, out_dir=target.parent, filename=target.name)
    except SimulatorError as error:
        raise fail(error) from None
    typer.echo(f"report -> {path}")
