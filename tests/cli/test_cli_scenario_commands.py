"""``cssim validate``, ``cssim schema``, ``cssim init`` and ``cssim --version`` through the CLI."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator import __version__
from simulator.cli import app

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT = ROOT / "scenarios" / "default.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_validate_prints_summary_of_the_default_scenario() -> None:
    code, out = invoke("validate", str(DEFAULT))
    assert code == 0, out
    assert "valid scenario" in out
    for word in ("enterprise", "mid_market", "smb", "strategic", "pool", "digital", "salary_only", "grr >= 0.9"):
        assert word in out
    assert "pool +2 CSMs: teams.pool.csms=7" in out
    assert "~$2.00M ARR/CSM" in out  # the field's rule of thumb sits next to every team


def test_validate_shows_accounts_and_arr_per_csm(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "segments:\n  a: {team: t, initial_customers: 40, arr: {dist: fixed, value: 100000}}\n"
        "teams:\n  t: {coverage: named, csms: 2, max_accounts: 30}\n"
    )
    code, out = invoke("validate", str(path))
    assert code == 0, out
    team_row = next(line for line in out.splitlines() if line.startswith("t "))
    assert "20.0" in team_row and "$2.00M" in team_row and "1.0x the rule" in team_row


def test_validate_applies_set_before_the_summary() -> None:
    code, out = invoke("validate", str(DEFAULT), "--set", "teams.pool.csms=10", "--set", "name=Renamed")
    assert code == 0, out
    assert out.startswith("Renamed: valid scenario")
    pool_row = next(line for line in out.splitlines() if line.startswith("pool "))
    assert " 10 " in pool_row and "50.0" in pool_row


def test_validate_names_the_flag_of_a_bad_set() -> None:
    code, out = invoke("validate", str(DEFAULT), "--set", "teams.pool.csms=0")
    assert code == 2
    assert "--set teams.pool.csms=0: teams.pool.csms: must be >= 1 (got 0)" in out


def test_validate_refuses_a_set_value_yaml_1_1_would_misread() -> None:
    # Once, --set ...=1:30 ran with 90 hours and --set ...=010 with 8 CSMs.
    code, out = invoke("validate", str(DEFAULT), "--set", "teams.pool.csms=010", "--set", "csm.gaming=1:30")
    assert code == 2, out
    assert "--set teams.pool.csms=010: teams.pool.csms: 010 is read by YAML as octal 8; write 10" in out
    base_60 = "--set csm.gaming=1:30: csm.gaming: 1:30 is read by YAML as 90 (base 60); write 1.5 or put it in quotes"
    assert base_60 in out


def test_validate_reports_all_problems_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("horizon_months: -1\nreplications: 0\nseed: x\n")
    code, out = invoke("validate", str(path))
    assert code == 2
    assert f"{path}:1: horizon_months: must be >= 1 (got -1)" in out
    assert f"{path}:2: replications: must be >= 1 (got 0)" in out
    assert f"{path}:3: seed: must be a whole number (got 'x')" in out


def test_validate_missing_file_and_directory(tmp_path: Path) -> None:
    code, out = invoke("validate", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml: no such file" in out
    code, out = invoke("validate", str(tmp_path))
    assert code == 2 and "is a directory" in out


def test_schema_is_json_describing_scenario_files() -> None:
    code, out = invoke("schema")
    assert code == 0
    schema = json.loads(out)
    assert {"segments", "teams", "targets", "variants", "sweep"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_init_writes_a_starter_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    code, out = invoke("init", str(path))
    assert code == 0 and path.exists(), out
    assert path.read_text().startswith("#")  # commented for a first-time reader
    assert "cssim validate mine.yaml " in path.read_text() and "scenario.yaml" not in path.read_text()
    code, out = invoke("validate", str(path))
    assert code == 0, out


def test_the_starters_commented_targets_validate_once_uncommented(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    invoke("init", str(path))
    text = path.read_text()
    examples = [line for line in text.splitlines() if line.startswith("  # - ")]
    assert any("@" in line for line in examples), "the starter shows a per-segment or per-team target"
    path.write_text(text.replace("  # - ", "  - "))
    code, out = invoke("validate", str(path))
    assert code == 0, out
    assert all(line.split("# - ")[1].split("#")[0].strip() in out for line in examples)


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n")
    code, out = invoke("init", str(path))
    assert code == 2 and "already exists" in out and "--force" in out
    assert path.read_text() == "my own work\n"
    code, _ = invoke("init", str(path), "--force")
    assert code == 0 and path.read_text() != "my own work\n"


def test_init_into_a_directory_or_missing_folder_is_bad_input(tmp_path: Path) -> None:
    code, out = invoke("init", str(tmp_path))
    assert code == 2 and "is a directory" in out
    code, out = invoke("init", str(tmp_path / "no" / "such" / "x.yaml"))
    assert code == 2 and "does not exist" in out
    (tmp_path / "afile").write_text("")
    code, out = invoke("init", str(tmp_path / "afile" / "x.yaml"))
    assert code == 2 and f"{tmp_path / 'afile'} is a file, not a folder" in out


class _Full:
    """A file opened for writing whose writes fail with ``number``, as on a full disk."""

    def __init__(self, handle: Any, number: int) -> None:
        self._handle, self._number = handle, number

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _Full:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, data: Any) -> int:
        raise OSError(self._number, os.strerror(self._number))

    def writelines(self, lines: Any) -> None:
        self.write(b"")


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        (errno.ENOSPC, 1, "could not write {path}: No space left on device"),
        (errno.EDQUOT, 1, "could not write {path}: Disk quota exceeded"),
        (errno.EIO, 1, "could not write {path}: Input/output error"),
        (errno.EACCES, 2, "cannot write {path}: Permission denied"),
        (errno.EROFS, 2, "cannot write {path}: Read-only file system"),
    ],
    ids=lambda value: errno.errorcode.get(value) if isinstance(value, int) and value > 2 else None,
)
def test_init_a_full_disk_exits_1_permission_2_and_the_file_forced_over_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, code: int, words: str
) -> None:
    """A full disk, a quota or an I/O error is the machine's failure, not bad input; either way
    the file ``--force`` would replace stays whole (the starter is written aside, then renamed)."""
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n")
    real_open = io.open

    def failing(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        return _Full(handle, number) if "w" in mode else handle

    monkeypatch.setattr(io, "open", failing)
    exit_code, out = invoke("init", str(path), "--force")
    monkeypatch.undo()
    assert exit_code == code, out
    assert out.strip() == f"error: {words.format(path=path)}"
    assert path.read_text() == "my own work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temporary file left


def test_version_and_help() -> None:
    code, out = invoke("--version")
    assert code == 0 and out.strip() == f"cssim {__version__}"
    code, out = invoke("validate", "--help")
    assert code == 0 and "--set" in out and "PATH=VALUE" in out
    code, out = invoke("init", "--help")
    assert code == 0 and "--force" in out
