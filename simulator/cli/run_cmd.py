"""``cssim run``: simulate a scenario's variants and write the report folder.

A thin wrapper over :func:`simulator.experiment.run_experiment`, then the report. Bad input
exits 2 before anything is written; a failed run, or a file that cannot be written (a full
disk), exits 1 (finished runs stay saved for ``--resume``; the folder's tables and report
are as they were, or, if a rename failed while the new set was put in place, the folder is
marked unfinished until a rerun); Ctrl-C exits 130 the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from simulator.cli.app import app, long_command, report_failed
from simulator.cli.options import DaskAddress, Executor, Quiet, Workers
from simulator.errors import SetUnfinished, WriteFailed

if TYPE_CHECKING:  # the experiment stack (pandas, numpy) loads only when `run` runs
    from simulator.results.results import Results


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: reports/<scenario file stem>/).")
    ] = None,
    replications: Annotated[
        int | None, typer.Option("--replications", help="Replications per variant (overrides the file).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Root random seed (overrides the file).")] = None,
    workers: Workers = None,
    executor: Executor = "local",
    dask_address: DaskAddress = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", help="Override a value for every variant: PATH=VALUE (repeatable).")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Reuse runs already saved in the output folder.")] = False,
    quiet: Quiet = False,
    precision: Annotated[
        float | None,
        typer.Option(
            "--precision",
            help="Add replications until every headline 95% interval's half-width is under this share of its mean "
            "(e.g. 0.01); headline: grr, nrr, logo_retention, jit_share, csm_utilization and the targets' metrics.",
        ),
    ] = None,
    max_replications: Annotated[
        int | None, typer.Option("--max-replications", help="Cap for --precision (default: 10x replications, >= 50).")
    ] = None,
) -> None:
    """Simulate every variant of SCENARIO and write the report, tables and run metadata."""
    from simulator.experiment.executors import RunFailed
    from simulator.experiment.runner import run_experiment

    folder = out if out is not None else Path("reports") / scenario.stem
    saved = folder / "runs"
    with long_command(
        f"\ninterrupted; finished runs are saved in {saved}; rerun with --resume",  # the folder is as it was
        (RunFailed, WriteFailed),
        partial(_failed, folder=folder),
    ) as interrupted:
        results = run_experiment(
            scenario, sets=sets or [], replications=replications, seed=seed, executor=executor, workers=workers,
            dask_address=dask_address, out_dir=folder, resume=resume, quiet=quiet, precision_bound=precision,
            max_replications=max_replications, prefetch=_report_columns(),
        )  # fmt: skip
        report = _render(results, folder, interrupted)
    typer.echo(_summary_line(results, folder, report))


def _failed(error: Exception, folder: Path) -> str:
    """What failed, and what is left: the folder's old set whole, the finished runs saved."""
    saved = folder / "runs"
    if isinstance(error, SetUnfinished):
        return f"{error} (with --resume, reusing the runs saved in {saved})"
    if isinstance(error, WriteFailed):
        if not saved.is_dir():  # the first run could not be saved: there is nothing to resume
            return f"{error}; the folder was left as it was: make room, then rerun"
        return (
            f"{error}; the folder was left as it was, with the runs finished so far saved in {saved}: "
            "make room, then rerun with --resume"
        )
    return f"{error}\nfinished runs are saved in {saved}; fix and rerun with --resume"


def _report_columns() -> dict[str, tuple[str, ...]] | None:
    """The run tables' columns the report reads, parsed while the tables are written."""
    try:
        from simulator.report.source import COLUMNS
    except ImportError:
        return None
    return COLUMNS


def _render(results: Results, folder: Path, interrupted: Callable[[], bool]) -> Path | None:
    """index.html via simulator.report, if that module provides ``render_report``."""
    try:
        import simulator.report as report
    except ImportError as error:  # the report package is optional while it is being built
        typer.echo(f"note: report not rendered ({error})", err=True)
        return None
    render: Any = getattr(report, "render_report", None)
    if render is None:
        typer.echo("note: report not rendered (simulator.report.render_report is not available)", err=True)
        return None
    try:
        return Path(render(results=results, out_dir=folder))
    except (Exception, KeyboardInterrupt) as error:
        raise report_failed(error, folder, interrupted) from None


def _summary_line(results: Results, folder: Path, report: Path | None) -> str:
    timings = results.meta.get("timings", {})
    runs = len(results.meta.get("runs", []))
    reps = results.meta.get("replications")
    resumed = timings.get("runs_resumed", 0)
    extra = f", {resumed} resumed" if resumed else ""
    where = report if report is not None else folder
    line = (
        f"{runs} runs ({len(results.variants)} variants x {reps} replications{extra}) "
        f"in {timings.get('wall_seconds', 0):.1f} s -> {where}"
    )
    return line + _precision_line(results.meta.get("precision"))


def _precision_line(info: dict[str, Any] | None) -> str:
    """Whether ``--precision`` was reached: a missed bound must not pass for a met one."""
    if not info:
        return ""
    worst = info.get("worst_relative_half_width")
    widest = f"{100 * float(worst):.1f}%" if isinstance(worst, int | float) else str(worst)
    if info.get("met"):
        return f"\nprecision reached: every headline interval within {100 * info['bound']:.1f}% of its mean"
    return (
        f"\nnote: precision NOT reached: the widest headline interval is {widest} of its mean, against "
        f"--precision {info['bound']:g}, at the cap of {info['max_replications']} replications "
        "(raise --max-replications)"
    )
