"""Options several commands share, declared once so their flags and help read the same."""

from __future__ import annotations

from typing import Annotated

import typer

Workers = Annotated[
    int | None, typer.Option("--workers", help="Worker processes (default: all cores; 1 runs in this process).")
]
Executor = Annotated[str, typer.Option("--executor", help="local (worker processes) or dask.")]
DaskAddress = Annotated[
    str | None, typer.Option("--dask-address", help="Dask scheduler, tcp://HOST:PORT (default: a local cluster).")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
