"""``cssim size``: the smallest value of a path (a headcount) at which every target is met.

A thin wrapper over :func:`simulator.sizing.size`, then the report. Prints a table of every
value tried (each target's mean and 95% interval, met or not) and the answer in words, or
the same as JSON with ``--json``. Bad input exits 2 before anything runs or is written; a
failed run or report, or a full disk, exits 1 in one line worded as ``cssim run``'s
(:func:`~simulator.cli.app.report_failed`), Ctrl-C 130.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from simulator.cli.app import app, long_command, report_failed
from simulator.cli.options import DaskAddress, Executor, Quiet, Workers

if TYPE_CHECKING:
    from simulator.sizing import Sizing


@app.command()
def size(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    vary: Annotated[
        str, typer.Option("--vary", help="Dotted path to size, e.g. teams.strategic.csms.", show_default=False)
    ],
    values: Annotated[
        str, typer.Option("--values", help="Range to search, LO:HI or LO:HI:STEP (e.g. 4:20).", show_default=False)
    ],
    targets: Annotated[
        list[str] | None,
        typer.Option("--target", help="A target such as 'grr >= 0.92' (repeatable; default: the scenario's)."),
    ] = None,
    on: Annotated[
        str, typer.Option("--on", help="interval: met when the whole 95% interval clears the bar; mean: the mean.")
    ] = "interval",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (for scripts).")] = False,
    replications: Annotated[
        int | None, typer.Option("--replications", help="Replications per value tried (overrides the file).")
    ] = None,
    workers: Workers = None,
    executor: Executor = "local",
    dask_address: DaskAddress = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", help="Override a value before sizing: PATH=VALUE (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: reports/<scenario file stem>-size/).")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Find the smallest value of PATH in LO:HI at which every target is met, and write the report."""
    from simulator.experiment.executors import RunFailed
    from simulator.sizing import size as find_size

    folder = out if out is not None else Path("reports") / f"{scenario.stem}-size"
    with long_command("\ninterrupted", (RunFailed,)) as interrupted:
        sizing = find_size(
            scenario, path=vary, values=values, targets=targets or [], rule=on, sets=sets or [],
            replications=replications, executor=executor, workers=workers, dask_address=dask_address,
            out_dir=folder, quiet=quiet or as_json,
        )  # fmt: skip
        report = _render(sizing, folder, interrupted)
    if as_json:
        typer.echo(json.dumps({**sizing.to_dict(), "report": str(report)}, indent=2))
        return
    typer.echo(table(sizing))
    typer.echo("")
    typer.echo(answer_line(sizing))
    typer.echo(f"report: {report}")


def _render(sizing: Sizing, folder: Path, interrupted: Callable[[], bool]) -> Path:
    """index.html of the sizing; failing, the same line as ``cssim run``'s (the tables are written)."""
    from simulator.report import render_report

    try:
        return Path(render_report(results=sizing.results, out_dir=folder))
    except (Exception, KeyboardInterrupt) as error:
        raise report_failed(error, folder, interrupted) from None


def answer_line(sizing: Sizing) -> str:
    """The answer first, in one line a leader can quote, then why."""
    if sizing.answer is not None:
        return f"answer: {sizing.path} = {_plain(sizing.answer)}. {sizing.verdict.message}"
    return f"no answer ({sizing.status}). {sizing.verdict.message}"


def table(sizing: Sizing) -> str:
    """Every value tried, by value: each target's mean and interval with its status, and met?"""
    headers = [sizing.path, *sizing.targets, "met?"]
    rows = [
        [_plain(p.value), *(_check(c, sizing.rule) for c in p.checks), "yes" if p.met else "no"] for p in sizing.probes
    ]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [headers, *rows]]
    rule = "on the mean" if sizing.rule == "mean" else "whole 95% interval"
    return "\n".join([*lines[:1], "  ".join("-" * w for w in widths), *lines[1:], f"(met = {rule} clears the bar)"])


def _check(check: Any, rule: str = "interval") -> str:
    """Mean, interval and status; the interval within the metric's range, as the report shows it
    (a utilisation of "99% [95%, 103%]" reads [95%, 100%]); the status is the Results' own, and
    under ``--on mean`` the verdict that counted comes first ("met? yes" beside "undecided" read
    as a contradiction)."""
    from simulator.report.formats import metric_info, within_range

    kind = metric_info(check.metric).kind
    low, high = (_number(kind, x) for x in within_range(check.metric, check.ci_low, check.ci_high))
    interval = f" [{low}, {high}]" if math.isfinite(check.ci_low) else ""
    verdict = check.status if rule == "interval" else f"mean {'met' if check.met else 'not met'}, {check.status}"
    return f"{_number(kind, check.mean)}{interval} {verdict}"


def _number(kind: str, x: float) -> str:
    """Shares as percentages and dollars as $1.2M, as in the report; other numbers to 3 significant digits."""
    if not math.isfinite(x):
        return "–"
    if kind == "share":
        return f"{x * 100:.1f}%"
    if kind == "usd":
        from simulator.report.formats import format_usd, plain

        return plain(format_usd(x))
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _plain(value: Any) -> str:
    return str(value)
