"""``cssim run --resume`` when a saved run cannot be read: one line naming the file, no traceback.

No permission to read it is the user's folder (exit 2); an I/O error is the machine's
failure (exit 1). Either may come as its header is checked, before anything runs, or as
the whole run is read while the results are assembled; the folder is left as it was.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from cli_run import cssim, finished_run, one_line

from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return finished_run(tmp_path_factory.mktemp("resume"))


READS = {
    "header": "open",  # --resume checks which run each file holds before anything runs
    "payload": "read_bytes",  # the whole run, read as the results are assembled
}
FAILURES = {
    errno.EIO: (1, "could not read {file}: Input/output error; rerun without --resume, or delete that file"),
    errno.EACCES: (2, "saved run {file}: cannot be read (Permission denied); make it readable, or rerun without"),
}


@pytest.mark.parametrize("number", FAILURES, ids=errno.errorcode.get)
@pytest.mark.parametrize("stage", READS)
def test_a_saved_run_that_cannot_be_read_is_named_in_one_line(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, stage: str, number: int
) -> None:
    _resume_with_a_failing_saved_run(ran, monkeypatch, READS[stage], number)


@pytest.mark.parametrize("number", FAILURES, ids=errno.errorcode.get)
def test_a_saved_run_whose_presence_cannot_be_checked_is_named_in_one_line(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    """``--resume`` first asks whether each run is saved (a stat of its file): a ``runs/`` folder
    you may not search (EACCES) or a failing disk (EIO) is refused there, before anything runs."""
    _resume_with_a_failing_saved_run(ran, monkeypatch, "stat", number)


def _resume_with_a_failing_saved_run(
    ran: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, method: str, number: int
) -> None:
    """``cssim run --resume`` with ``Path.<method>`` failing with ``number`` on the last saved run:
    the exit code and one line of :data:`FAILURES`, and the folder left as it was."""
    scenario, out = ran
    unreadable = sorted((out / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))[-1]
    real = getattr(Path, method)

    def failing(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == unreadable:
            raise OSError(number, os.strerror(number), str(self))
        return real(self, *args, **kwargs)

    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    monkeypatch.setattr(Path, method, failing)
    code, output = cssim("run", str(scenario), "--out", str(out), "--resume", "--quiet")
    monkeypatch.undo()
    expected, words = FAILURES[number]
    assert code == expected, output
    line = one_line(output)
    assert line.startswith(f"error: {words.format(file=unreadable)}"), line
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
