"""``cssim report DIR``: re-render the HTML report from the tables a run saved, without re-running.

A thin wrapper over :meth:`simulator.results.results.Results.load` and
:func:`simulator.report.render_report`. Bad input (no such folder, an incomplete one, an
``--out`` that is a folder, a table the report cannot read: :mod:`simulator.report.checks`)
exits 2 with a message; the page is replaced atomically, so a failure leaves the previous
report as it was. ``--out`` names an .html file that is new or a report cssim wrote, so it
never overwrites a table of the folder or any other file.
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
        typer.Option(
            "--out",
            help="Write the page to this .html file, new or a cssim report (default: DIR/index.html).",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Re-render index.html from the tables saved in DIR (nothing is simulated again)."""
    from simulator.report import render_report
    from simulator.results.results import Results

    target = out if out is not None else directory / REPORT_FILE
    try:
        if target.is_dir():
            raise InputError(f"--out {target}: is a folder; give a file, e.g. --out {target / REPORT_FILE}")
        if out is not None:
            _check_out(out)
        results = Results.load(directory)
        path = render_report(results=results, out_dir=target.parent, filename=target.name)
    except SimulatorError as error:
        raise fail(error) from None
    typer.echo(f"report -> {path}")


def _check_out(out: Path) -> None:
    """An .html file that is new, or a page cssim wrote: never a table of the folder or any other file."""
    from simulator.report.render import is_report

    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(
            f"--out {out}: not an .html file; the report is a web page, e.g. --out {out.with_suffix('.html')}"
        )
    if out.exists() and not is_report(out):
        raise InputError(f"--out {out}: exists and is not a cssim report; cssim replaces only its own, give a new file")
