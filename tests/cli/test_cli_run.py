"""``cssim run`` end to end on a tiny scenario with the real model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from simulator.cli import app
from simulator.engine import compiled
from simulator.errors import SimulatorError

TINY = """\
name: tiny
seed: 4
replications: 2
horizon_months: 13
warmup_months: 1
segments: {smb: {team: pool, initial_customers: 25, new_per_month: 2}}
teams: {pool: {coverage: pooled, csms: 1}}
targets: ["grr >= 0.5", "jit_share@smb >= 0.01"]
variants: [{name: two, set: {teams.pool.csms: 2}}]
"""


@pytest.fixture(scope="module")
def scenario(scenario_file: Callable[[str], Path]) -> Path:
    return scenario_file(TINY)


@pytest.fixture(scope="module")
def finished(
    scenario: Path, cssim_ok: Callable[..., str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out") / "tiny"
    return out, cssim_ok("run", str(scenario), "--out", str(out), "--workers", "1")


def test_writes_the_contract_files(finished: tuple[Path, str]) -> None:
    out, _ = finished
    for name in ("summary.csv", "comparisons.csv", "timeseries.csv", "csms.csv", "customers.csv", "needs.csv"):
        assert (out / name).is_file(), name
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
    assert list(dict.fromkeys(summary["variant"])) == ["base", "two"]
    expected = {"grr", "nrr", "jit_share", "comp_cost", "grr@smb", "p90_time_to_guidance_days@smb"}
    assert expected <= set(summary["metric"])
    targets = pd.read_csv(out / "targets.csv")
    per_segment = targets[targets["metric"] == "jit_share@smb"]
    assert per_segment["variant"].tolist() == ["base", "two"] and per_segment["bar"].tolist() == [0.01, 0.01]
    assert set(per_segment["status"]) <= {"met", "not met", "undecided"}
    meta = json.loads((out / "run_meta.json").read_text())
    assert meta["seed"] == 4 and meta["replications"] == 2 and meta["executor"] == "serial"
    assert meta["compiled"] is compiled()  # which build ran: the source here (tests/packaging runs the other)
    assert [r["status"] for r in meta["runs"]] == ["ran"] * 4
    resolved = yaml.safe_load((out / "scenario.resolved.yaml").read_text())
    assert resolved["name"] == "tiny" and resolved["variants"][0]["name"] == "two"


def test_summary_line_names_the_folder(finished: tuple[Path, str]) -> None:
    out, output = finished
    line = output.strip().splitlines()[-1]
    assert line.startswith("4 runs (2 variants x 2 replications)") and str(out) in line


def test_report_is_rendered_when_available(finished: tuple[Path, str]) -> None:
    out, _ = finished
    report = pytest.importorskip("simulator.report")
    if not hasattr(report, "render_report"):
        pytest.skip("simulator.report.render_report not available")
    assert (out / "index.html").is_file()


def test_report_rerenders_the_same_page_from_the_folder(
    finished: tuple[Path, str], cssim_ok: Callable[..., str], tmp_path: Path
) -> None:
    """The run's page (from tables in memory, parsed a few columns at a time) is the page
    ``cssim report`` builds from the CSV files, byte for byte."""
    out, _ = finished
    again = tmp_path / "again.html"
    cssim_ok("report", str(out), "--out", str(again))
    assert again.read_bytes() == (out / "index.html").read_bytes()


def test_default_folder_set_and_seed(scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["run", str(scenario), "--workers", "1", "--replications", "1", "--set", "teams.pool.csms=3"]
    first = CliRunner().invoke(app, [*args, "--seed", "8"])
    assert first.exit_code == 0, first.output
    out = tmp_path / "reports" / "tiny"
    assert yaml.safe_load((out / "scenario.resolved.yaml").read_text())["teams"]["pool"]["csms"] == 3
    seeded = (out / "run_metrics.csv").read_bytes()
    assert CliRunner().invoke(app, [*args, "--seed", "8", "--quiet"]).exit_code == 0
    assert (out / "run_metrics.csv").read_bytes() == seeded  # same seed, same numbers
    assert CliRunner().invoke(app, [*args, "--seed", "9", "--quiet"]).exit_code == 0
    assert (out / "run_metrics.csv").read_bytes() != seeded


def _raise(error: BaseException) -> object:
    def run_experiment(*args: object, **kwargs: object) -> object:
        raise error

    return run_experiment


def test_failed_run_exits_1(scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.experiment import executors, runner
    from simulator.experiment.worker import RunTask

    failure = executors.RunFailed(RunTask("ab" * 16, 3, "{}"), RuntimeError("model bug"))
    monkeypatch.setattr(runner, "run_experiment", _raise(failure))
    result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "replication 3) failed: RuntimeError: model bug" in result.output and "--resume" in result.output


def test_interrupt_exits_130_and_points_at_resume(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.experiment import runner

    monkeypatch.setattr(runner, "run_experiment", _raise(KeyboardInterrupt()))
    result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(tmp_path / "o")])
    assert result.exit_code == 130 and "rerun with --resume" in result.output


def test_report_failure_exits_1_and_keeps_tables(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = pytest.importorskip("simulator.report")

    def broken(**_: object) -> Path:
        raise SimulatorError("template exploded")

    monkeypatch.setattr(report, "render_report", broken, raising=False)
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(out), "--workers", "1", "--replications", "1"])
    assert result.exit_code == 1 and "the report failed" in result.output
    assert (out / "summary.csv").is_file()


def test_the_last_line_says_whether_precision_was_reached(scenario: Path, tmp_path: Path) -> None:
    base = ["run", str(scenario), "--quiet", "--replications", "2"]
    missed = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "a"), "--precision", "0.0001",
                                      "--max-replications", "3"])  # fmt: skip
    assert missed.exit_code == 0, missed.output
    assert "precision NOT reached" in missed.output and "at the cap of 3 replications" in missed.output
    reached = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "b"), "--precision", "0.99"])
    assert reached.exit_code == 0, reached.output
    assert "precision reached: every headline interval within 99.0% of its mean" in reached.output
