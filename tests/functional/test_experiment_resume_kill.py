"""Kill a sweep midway with SIGKILL, resume it, and get exactly the uninterrupted result.

The killed process gets no chance to clean up: whatever it leaves must be whole runs (or
stray temporary files that are never read), and no summary at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER
from simulator.experiment.worker import decode

SCENARIO = """\
name: kill me
seed: 31
replications: 8
horizon_months: 14
warmup_months: 2
segments: {smb: {team: pool, initial_customers: 40, new_per_month: 2}}
teams: {pool: {coverage: pooled, csms: 2}}
sweep: {path: teams.pool.csms, values: [1, 2, 3]}
"""
TOTAL_KEYS = 3 * 8  # base == csms 2, so 3 distinct variants x 8 replications
COMPARED = ("summary.csv", "comparisons.csv", "run_metrics.csv", "customers.csv", "timeseries.csv", "csms.csv")


def _saved(folder: Path) -> list[Path]:
    runs = folder / RUNS_FOLDER
    return sorted(runs.glob(f"*{RUN_SUFFIX}")) if runs.is_dir() else []


def _signal_after(scenario: Path, out: Path, saved: int, sig: int, timeout: float = 120) -> tuple[int, str, float]:
    """Start `cssim run`, wait until ``saved`` runs are on disk, send ``sig`` to its whole
    process group (as a terminal's Ctrl-C does); return its exit code, its stderr and the
    seconds it took to end after the signal."""
    cmd = [sys.executable, "-m", "simulator", "run", str(scenario), "--out", str(out), "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    try:
        while len(_saved(out)) < saved:
            assert proc.poll() is None, f"the run ended before the signal: {proc.communicate()[1]!r}"
            assert time.monotonic() < deadline, "no runs saved in time"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, sig)
        sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err, time.monotonic() - sent


def _kill_after(scenario: Path, out: Path, saved: int) -> None:
    _signal_after(scenario, out, saved, signal.SIGKILL)  # the CLI and its worker processes, no clean-up


def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    scenario = tmp_path / "sweep.yaml"
    scenario.write_text(SCENARIO)
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    _kill_after(scenario, killed, saved=4)

    left = _saved(killed)
    assert 4 <= len(left) < TOTAL_KEYS, f"{len(left)} runs saved; the kill came too late to test anything"
    for path in left:
        decode(path.read_bytes())  # every saved run is whole
    assert not (killed / "summary.csv").exists() and not (killed / "run_meta.json").exists()

    resumed = CliRunner().invoke(
        app, ["run", str(scenario), "--out", str(killed), "--resume", "--quiet", "--workers", "2"]
    )
    assert resumed.exit_code == 0, resumed.output
    assert f"{len(left)} resumed" in resumed.output
    uninterrupted = CliRunner().invoke(app, ["run", str(scenario), "--out", str(whole), "--quiet", "--workers", "1"])
    assert uninterrupted.exit_code == 0, uninterrupted.output

    for name in COMPARED:
        assert (killed / name).read_bytes() == (whole / name).read_bytes(), f"{name} differs after resume"
    assert len(_saved(killed)) == TOTAL_KEYS and not list((killed / RUNS_FOLDER).glob(".*.tmp"))


def test_ctrl_c_exits_130_promptly_and_keeps_whole_runs(tmp_path: Path) -> None:
    scenario = tmp_path / "sweep.yaml"
    scenario.write_text(SCENARIO)
    out = tmp_path / "interrupted"
    code, err, seconds = _signal_after(scenario, out, saved=2, sig=signal.SIGINT)
    assert code == 130, err
    assert "rerun with --resume" in err and "Traceback" not in err
    assert seconds < 10, f"took {seconds:.1f} s to stop after Ctrl-C"
    left = _saved(out)
    assert 2 <= len(left) < TOTAL_KEYS
    for path in left:
        decode(path.read_bytes())
    assert not (out / "summary.csv").exists() and not (out / "index.html").exists()
