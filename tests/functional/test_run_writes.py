"""``cssim run`` and ``cssim size`` when the disk fails them: exit 1 in one line, no traceback, and a
folder ``cssim report`` either renders whole or refuses, never a mix of two runs' tables."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app

GOOD = "name: ok\nreplications: 2\nhorizon_months: 12\nwarmup_months: 1\n"
SIZED = GOOD + 'targets: ["grr >= 0.5"]\n'


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
