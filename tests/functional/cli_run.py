"""Helpers for the tests that drive ``cssim`` in-process and read what it says.

(A plain module, not a conftest: pytest puts this folder on ``sys.path``, so tests import
it as ``cli_run``.)"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app

GOOD = "name: ok\nreplications: 2\nhorizon_months: 12\nwarmup_months: 1\n"
"""A small valid scenario: two replications, a year, quick to run."""


def cssim(*args: str) -> tuple[int, str]:
    """Run ``cssim ARGS`` in-process: its exit code and output; an escaped exception (a traceback) fails."""
    outcome = CliRunner().invoke(app, list(args))
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    return outcome.exit_code, outcome.output


def one_line(output: str) -> str:
    """The output's one line (CliRunner may show stderr twice, mixed into the output)."""
    lines = set(output.strip().splitlines())
    assert len(lines) == 1, output
    return lines.pop()


def finished_run(folder: Path) -> tuple[Path, Path]:
    """A scenario in ``folder`` and the folder of its finished run (two replications: two saved runs)."""
    scenario, out = folder / "scenario.yaml", folder / "out"
    scenario.write_text(GOOD)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 0, output
    return scenario, out
