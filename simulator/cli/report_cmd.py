"""``cssim report DIR``: re-render the HTML report from the tables a run saved, without re-running.

A thin wrapper over :meth:`simulator.results.results.Results.load` and
:func:`simulator.report.render_report`. Bad input (no such folder, an incomplete one, an
``--out`` that is a folder, a page cssim did not write, a folder cssim cannot write, a
table the report cannot read: :mod:`simulator.report.checks`) exits 2 with a message; a
write that fails all the same (a full disk) exits 1. The page is replaced atomically, so
either leaves the previous report as it was. The page, ``DIR/index.html`` or ``--out``'s,
is new or a report cssim wrote, so it never overwrites a table of the folder or any other file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.app import EXIT_FAILURE, app, fail, on_file_error
from simulator.errors import InputError, SimulatorError, WriteFailed
from simulator.results.folder import REPORT_FILE, check_writable, is_report


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
        if out is not None:
            _check_out(out)
        else:
            _check_default(target)
        if target.parent.is_dir():  # a new --out folder is created, and checked, as the page is written
            check_writable(target.parent, f"--out {out}" if out is not None else str(directory))
        results = Results.load(directory)
        path = render_report(results=results, out_dir=target.parent, filename=target.name)
    except WriteFailed as error:
        left = "the previous report was left as it was" if target.exists() else "nothing was written"
        typer.echo(f"error: {error}; {left}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    except SimulatorError as error:
        raise fail(error) from None
    except OSError as error:  # a check of DIR or --out the file system refused (a folder you may not search)
        raise on_file_error(error) from None
    typer.echo(f"report -> {path}")


def _check_out(out: Path) -> None:
    """An .html file that is new, or a page cssim wrote: never a table of the folder or any other file."""
    if out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file, e.g. --out {out / REPORT_FILE}")
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(
            f"--out {out}: not an .html file; the report is a web page, e.g. --out {out.with_suffix('.html')}"
        )
    if out.exists() and not is_report(out):
        raise InputError(f"--out {out}: exists and is not a cssim report; cssim replaces only its own, give a new file")


def _check_default(page: Path) -> None:
    """``DIR/index.html`` is new or a page cssim wrote, as ``--out`` must be: never somebody's own notes."""
    if page.is_dir():
        raise InputError(f"{page}: is a folder; cssim writes the report there, or give --out FILE")
    if page.exists() and not is_report(page):
        raise InputError(
            f"{page}: exists and is not a cssim report; cssim replaces only its own: "
            "move it, or write the page elsewhere with --out FILE"
        )
