"""``cssim run`` and ``cssim size`` when the disk fails them: exit 1 in one line, no traceback, and a
folder ``cssim report`` either renders whole or refuses, never a mix of two runs' tables."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cli_run import GOOD, cssim, one_line

from simulator.errors import WriteFailed
from simulator.experiment import run_experiment
from simulator.experiment.executors import DaskExecutor
from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER
from simulator.experiment.worker import RunOutcome
from simulator.scenario.schema import Scenario

SIZED = GOOD + 'targets: ["grr >= 0.5"]\n'
CALLS = "CSSIM_TEST_CALLS"
"""The folder where :func:`slow_model` leaves a file per run it starts (it runs in worker processes)."""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(GOOD)
    return path


@pytest.fixture
def previous(tmp_path: Path, scenario: Path) -> Path:
    """A folder holding a finished run's whole set, its report included."""
    out = tmp_path / "previous"
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 0, output
    return out


def test_a_rename_failing_halfway_through_the_set_exits_1_and_leaves_a_folder_report_refuses(
    previous: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some new tables are in place, some not: ``cssim report`` must not render that mix."""
    real_replace, renamed = os.replace, []

    def failing(src: Any, dst: Any) -> None:
        if Path(dst).parent == previous:  # a rename into the folder (not a run saved in runs/)
            if len(renamed) == 3:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(dst))
            renamed.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    code, output = cssim("run", str(scenario), "--out", str(previous), "--workers", "1", "--seed", "9", "--quiet")
    monkeypatch.undo()
    assert code == 1, output
    line = one_line(output)
    assert line.startswith(f"error: could not write {previous}") and "Input/output error" in line
    assert "--resume" in line
    assert not list(previous.rglob("*.tmp"))  # the temporary files not yet renamed are gone
    code, output = cssim("report", str(previous))
    assert code == 2, output
    assert "did not finish replacing" in one_line(output)
    assert not (previous / "index.html").exists()  # the old report went with the old set
    code, output = cssim("run", str(scenario), "--out", str(previous), "--seed", "9", "--resume", "--quiet")
    assert code == 0, output
    assert "2 resumed" in output


def test_a_full_disk_as_the_runs_folder_is_first_created_exits_1_in_one_line(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "new"
    real_mkdir = Path.mkdir

    def full(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == out / "runs":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", full)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 1, output
    line = one_line(output)
    assert line.startswith(f"error: could not write {out / 'runs'}: No space left on device; ")
    assert "the folder was left as it was" in line
    assert not (out / "runs").exists() and not list(out.iterdir())


def test_size_says_why_its_report_failed_as_run_does_not_the_error_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = tmp_path / "sized.yaml"
    scenario.write_text(SIZED)
    out = tmp_path / "sized"
    real_open = os.open

    def full(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and Path(path).name.startswith(".index.html."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", full)
    args = ("--vary", "teams.pool.csms", "--values", "1:2", "--workers", "1", "--quiet", "--out", str(out))
    code, output = cssim("size", str(scenario), *args)
    assert code == 1, output
    page = out / "index.html"
    expected = f"error: the report failed: could not write {page}: No space left on device; tables are in {out}"
    assert one_line(output) == expected
    assert "WriteFailed" not in output
    code, output = cssim("run", str(scenario), "--out", str(tmp_path / "ran"), "--workers", "1", "--quiet")
    ran = tmp_path / "ran"
    assert code == 1 and one_line(output) == expected.replace(str(out), str(ran))  # the same words as run's


def test_a_full_disk_as_a_new_out_folder_is_created_exits_1_not_2(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is checked (and created) before anything runs; a full disk then is no bad input."""
    out = tmp_path / "new"
    real_mkdir = Path.mkdir

    def full(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == out:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", full)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 1, output
    assert one_line(output).startswith(f"error: could not write {out}: No space left on device; ")
    assert not out.exists()


def slow_model(scenario: Scenario, replication: int) -> RunOutcome:
    """A stand-in run of a tenth of a second that leaves a file per call in ``$CSSIM_TEST_CALLS``."""
    (Path(os.environ[CALLS]) / str(replication)).touch()
    time.sleep(0.1)
    metrics = {"grr": 0.9, "nrr": 1.0, "logo_retention": 0.9, "jit_share": 0.5, "csm_utilization": 0.7}
    return RunOutcome(metrics=metrics, tables={"timeseries": pd.DataFrame({"month": [1], "arr_usd": [1.0]})})


def _disk_full_after_the_first_save(runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run saved in ``runs`` after the first fails as on a full disk."""
    real_replace, saved = os.replace, []

    def full(src: Any, dst: Any) -> None:
        if Path(dst).parent == runs:
            if saved:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
            saved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)


def _calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    calls = tmp_path / "calls"
    calls.mkdir()
    monkeypatch.setenv(CALLS, str(calls))
    return calls


RUNS = 24


def test_a_run_that_cannot_be_saved_stops_the_experiment_at_once_not_after_every_run(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up at the second run: exit 1 in one line, the runs not yet simulated are not
    (two local workers), and the one saved stays saved for --resume."""
    out, calls = tmp_path / "out", _calls(tmp_path, monkeypatch)
    monkeypatch.setitem(run_experiment.__kwdefaults__, "runner", slow_model)  # what `cssim run` simulates with
    args = ("--out", str(out), "--workers", "2", "--replications", str(RUNS), "--quiet")
    with monkeypatch.context() as full:
        _disk_full_after_the_first_save(out / RUNS_FOLDER, full)
        code, output = cssim("run", str(scenario), *args)
    assert code == 1, output
    line = one_line(output)
    assert line.startswith(f"error: could not write {out / RUNS_FOLDER}{os.sep}"), line
    assert "No space left on device" in line and line.endswith("make room, then rerun with --resume")
    started = len(list(calls.iterdir()))
    assert started <= RUNS // 2, f"{started} of {RUNS} runs were simulated after the disk was full"
    kept = list((out / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))
    assert len(kept) == 1 and not list(out.rglob("*.tmp"))
    resumed = run_experiment(scenario, replications=RUNS, workers=2, out_dir=out, resume=True, runner=slow_model)
    assert resumed.meta["timings"]["runs_resumed"] == 1
    assert resumed.meta["timings"]["runs_executed"] == RUNS - 1


def test_a_run_that_cannot_be_saved_stops_a_dask_experiment_too(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask drops the runs it has not started once the experiment stops collecting them."""
    pytest.importorskip("distributed")
    out, calls = tmp_path / "out", _calls(tmp_path, monkeypatch)
    _disk_full_after_the_first_save(out / RUNS_FOLDER, monkeypatch)
    with DaskExecutor(workers=2, processes=False) as cluster, pytest.raises(WriteFailed, match="No space left"):
        run_experiment(scenario, replications=RUNS, executor=cluster, out_dir=out, runner=slow_model)
    started = len(list(calls.iterdir()))
    assert started <= RUNS // 2, f"{started} of {RUNS} runs were simulated after the disk was full"
    assert len(list((out / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))) == 1
