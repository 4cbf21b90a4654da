"""``cssim run --resume`` reuses a saved run only as the run it was saved for.

A saved run's file name is its key; the file records that key too, so a file copied or renamed
over another run's (or one saved before files recorded their key) is refused, named, exit 2,
before anything runs, instead of being read in as another replication's numbers.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from cli_run import cssim, finished_run

from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER
from simulator.experiment.worker import MAGIC

_LENGTH = struct.Struct("<Q")


@pytest.fixture
def ran(tmp_path: Path) -> tuple[Path, Path]:
    return finished_run(tmp_path)


def _saved(out: Path) -> list[Path]:
    return sorted((out / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))


def _edited(payload: bytes, **changes: object) -> bytes:
    """The payload with its JSON header changed: ``key=None`` drops the key, as older files lack it."""
    start = len(MAGIC) + _LENGTH.size
    (size,) = _LENGTH.unpack_from(payload, len(MAGIC))
    header = json.loads(payload[start : start + size])
    for name, value in changes.items():
        if value is None:
            del header[name]
        else:
            header[name] = value
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return MAGIC + _LENGTH.pack(len(head)) + head + payload[start + size :]


def test_a_saved_run_copied_over_another_runs_file_is_refused_naming_it(ran: tuple[Path, Path]) -> None:
    scenario, out = ran
    first, second = _saved(out)
    second.write_bytes(first.read_bytes())  # replication 0's numbers filed as replication 1
    summary = (out / "summary.csv").read_bytes()
    code, output = cssim("run", str(scenario), "--out", str(out), "--resume", "--quiet")
    assert code == 2, output
    assert f"saved run {second}: " in output and f"holds run {first.stem}" in output
    assert "rerun without --resume, or delete that file" in output and "Traceback" not in output
    assert (out / "summary.csv").read_bytes() == summary


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"key": None}, "records no run key"), ({"key": None, "format": 3}, "saved by another version of cssim")],
    ids=["no key", "format 3, before keys"],
)
def test_a_saved_run_that_records_no_key_is_refused_as_stale_naming_it(
    ran: tuple[Path, Path], changes: dict[str, object], message: str
) -> None:
    scenario, out = ran
    old = _saved(out)[0]
    old.write_bytes(_edited(old.read_bytes(), **changes))
    code, output = cssim("run", str(scenario), "--out", str(out), "--resume", "--quiet")
    assert code == 2, output
    assert f"saved run {old}: " in output and message in output
    assert "rerun without --resume, or delete that file" in output and "Traceback" not in output


def test_without_resume_a_stale_saved_run_is_simply_run_again(ran: tuple[Path, Path]) -> None:
    scenario, out = ran
    first, second = _saved(out)
    good = second.read_bytes()
    second.write_bytes(first.read_bytes())
    code, output = cssim("run", str(scenario), "--out", str(out), "--workers", "1", "--quiet")
    assert code == 0, output
    assert second.read_bytes() == good
