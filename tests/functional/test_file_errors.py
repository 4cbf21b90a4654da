"""Files the user gave, or a folder of theirs, that the file system refuses: one line naming the
file, never a traceback. No permission is the user's to fix (exit 2); an I/O error is the
machine's failure (exit 1). Errors are injected: root ignores permission bits, so a chmod
would prove nothing when the tests run as root."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_run import GOOD, cssim, finished_run, one_line

from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER

FAILURES = {errno.EIO: 1, errno.EACCES: 2}
"""Exit code by errno: the machine's failure, or the user's permission."""


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return finished_run(tmp_path_factory.mktemp("ran"))


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def refuse_reading(monkeypatch: pytest.MonkeyPatch, unreadable: Path, number: int) -> None:
    """Opening ``unreadable`` fails with ``number``, whoever opens it (pathlib, pandas, open())."""

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def opening(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and Path(os.path.abspath(file)) == unreadable:
                raise OSError(number, os.strerror(number), str(file))
            return real(file, *args, **kwargs)

        return opening

    monkeypatch.setattr(io, "open", guard(io.open))
    monkeypatch.setattr(builtins, "open", guard(builtins.open))


@pytest.mark.parametrize("number", FAILURES, ids=errno.errorcode.get)
def test_a_scenario_file_that_cannot_be_read_exits_2_for_permission_1_for_an_io_error(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    """The file is not wrong when the disk fails to read it: that is no bad input."""
    scenario, out = ran
    before = files(out)
    refuse_reading(monkeypatch, scenario, number)
    for command in (("run", str(scenario), "--out", str(out), "--quiet"), ("validate", str(scenario))):
        code, output = cssim(*command)
        assert code == FAILURES[number], output
        line = one_line(output)
        assert str(scenario) in line and os.strerror(number) in line, line
    assert files(out) == before


@pytest.mark.parametrize("number", FAILURES, ids=errno.errorcode.get)
@pytest.mark.parametrize("name", ["run_meta.json", "summary.csv", "needs.csv", "scenario.resolved.yaml"])
def test_report_on_a_file_of_the_folder_that_cannot_be_read_names_it_in_one_line(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, name: str, number: int
) -> None:
    """``run_meta.json`` and the derived tables are read as the folder is loaded; a run table
    (``needs.csv``) only as the page is rendered."""
    _, out = ran
    before = files(out)
    refuse_reading(monkeypatch, out / name, number)
    code, output = cssim("report", str(out))
    monkeypatch.undo()
    assert code == FAILURES[number], output
    line = one_line(output)
    assert line.startswith("error: ") and str(out / name) in line and os.strerror(number) in line, line
    assert files(out) == before


@pytest.mark.parametrize("number", [errno.EACCES, errno.EBUSY, errno.EIO], ids=errno.errorcode.get)
def test_old_runs_that_cannot_be_removed_after_a_good_run_are_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    """The new set is in place and whole: a stale saved run left in ``runs/`` costs disk space,
    not correctness (``--resume`` reuses a file only as the run its key names)."""
    scenario, out = tmp_path / "scenario.yaml", tmp_path / "out"
    scenario.write_text(GOOD)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 0, output
    old = sorted((out / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))
    real = Path.unlink

    def failing(self: Path, *args: Any, **kwargs: Any) -> None:
        if self in old:
            raise OSError(number, os.strerror(number), str(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", failing)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--seed", "9", "--quiet")
    monkeypatch.undo()
    assert code == 0, output
    warning = next(line for line in output.splitlines() if line.startswith("warning:"))
    assert f"could not remove 2 old saved runs from {out / RUNS_FOLDER}" in warning, warning
    assert f"{old[0]}: {os.strerror(number)}" in warning, warning
    assert all(path.exists() for path in old)
    assert "Traceback" not in output
    code, output = cssim("run", str(scenario), "--out", str(out), "--seed", "9", "--resume", "--quiet")
    assert code == 0 and "2 resumed" in output, output  # the new runs were saved beside the old
    assert not any(path.exists() for path in old)  # and the next run removes what this one could not


def test_a_runs_folder_cssim_may_not_write_is_bad_input_before_anything_runs(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``runs/`` without write permission inside a writable ``--out``: the user's to fix, exit 2,
    named, not a failed save (exit 1) after the first run."""
    scenario, out = ran
    runs = out / RUNS_FOLDER
    before, saved = files(out), files(runs)
    real_open = os.open

    def guarded(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        where = Path(os.path.abspath(path))
        if (where == runs or where.parent == runs) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--seed", "9", "--quiet")
    monkeypatch.undo()
    assert code == 2, output
    assert one_line(output).startswith(f"error: {runs} (where cssim saves finished runs): cannot write there"), output
    assert files(out) == before and files(runs) == saved


@pytest.mark.parametrize("number", FAILURES, ids=errno.errorcode.get)
def test_an_out_folder_the_file_system_will_not_look_into_is_named_in_one_line(
    ran: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    """A folder you may not search (EACCES), or a failing disk (EIO), as ``run`` and ``report``
    first look at the folder they were given: the file system's own refusal, named."""
    scenario, _ = ran
    locked = tmp_path / "locked"
    locked.mkdir()
    real = Path.stat

    def failing(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.parent == locked:
            raise OSError(number, os.strerror(number), str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", failing)
    for command in (("run", str(scenario), "--out", str(locked / "out"), "--quiet"), ("report", str(locked / "out"))):
        code, output = cssim(*command)
        assert code == FAILURES[number], output
        assert one_line(output).endswith(f"{locked / 'out'}: {os.strerror(number)}"), output
