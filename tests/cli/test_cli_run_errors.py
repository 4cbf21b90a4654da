"""``cssim run`` on bad input: exit 2, a clear message, no traceback, nothing written; a disk
that fills up: exit 1, one line, the folder's old set as it was."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app

GOOD = "name: ok\nreplications: 2\nhorizon_months: 12\nwarmup_months: 1\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An output folder holding a good previous result that must survive bad input."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("previous good summary\n")
    (out / "run_meta.json").write_text("{}\n")  # what makes it a folder cssim wrote
    return out


def _run(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    result = CliRunner().invoke(app, ["run", str(path), *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (GOOD + "teams: {pool: {coverage: pooled, csms: 0}}\n", [], "teams.pool.csms: must be >= 1"),
        (GOOD, ["--set", "teams.pool.csmz=3"], "csmz"),
        (GOOD, ["--replications", "0"], "--replications 0: replications: must be >= 1 (got 0)"),
        (GOOD, ["--seed", "-1"], "--seed -1: seed: must be >= 0 (got -1)"),
        (GOOD, ["--executor", "slurm"], "--executor must be one of local, dask, got 'slurm'"),
        (GOOD, ["--workers", "0"], "--workers must be >= 1, got 0"),
        (GOOD, ["--dask-address", "tcp://localhost:1"], "--dask-address needs --executor dask"),
        (GOOD, ["--precision", "2"], "--precision must be a relative half-width between 0 and 1"),
        (GOOD, ["--precision", "0.1", "--max-replications", "1"], "--max-replications (1) must be at least"),
        (GOOD + "variants: [{name: v, set: {teams.pool.csms: -1}}]\n", [], "variants"),
        ("name: [unclosed\n", [], "scenario.yaml"),
    ],
)
def test_bad_input_exits_2_and_keeps_the_old_folder(
    tmp_path: Path, folder: Path, text: str, args: list[str], message: str
) -> None:
    code, output = _run(tmp_path, text, "--out", str(folder), *args)
    assert code == 2, output
    assert message in output
    assert "Traceback" not in output
    assert sorted(p.name for p in folder.iterdir()) == ["run_meta.json", "summary.csv"]
    assert (folder / "summary.csv").read_text() == "previous good summary\n"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "nope.yaml" in result.output
    assert not (tmp_path / "o").exists()


def test_out_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    code, output = _run(tmp_path, GOOD, "--out", str(tmp_path / "taken"))
    assert code == 2 and "exists and is not a folder" in output


def test_out_inside_a_file_or_over_someone_elses_files_exits_2_and_touches_nothing(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    code, output = _run(tmp_path, GOOD, "--out", str(tmp_path / "taken" / "sub"))
    assert code == 2 and "taken is a file, not a folder" in output and "Traceback" not in output
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "customers.csv").write_text("my own customers\n")
    code, output = _run(tmp_path, GOOD, "--out", str(mine))
    assert code == 2 and "holds files cssim did not write (customers.csv)" in output
    assert [p.name for p in mine.iterdir()] == ["customers.csv"]
    assert (mine / "customers.csv").read_text() == "my own customers\n"


def test_a_folder_where_a_table_goes_exits_2_before_anything_runs(tmp_path: Path) -> None:
    out = tmp_path / "o"
    (out / "summary.csv").mkdir(parents=True)
    (out / "run_meta.json").write_text("{}")
    code, output = _run(tmp_path, GOOD, "--out", str(out))
    assert code == 2 and "summary.csv is a folder there" in output and "Traceback" not in output
    assert not (out / "runs").exists()  # refused before the first run was saved


def test_ctrl_c_turned_into_another_error_by_a_library_still_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandas' CSV parser, interrupted while it reads a table, raises a ParserError instead."""
    import os
    import signal

    import pandas as pd

    import simulator.experiment.runner as runner

    def parsing(*_: object, **__: object) -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            raise pd.errors.ParserError("Error tokenizing data. Calling read(nbytes) on source failed") from None

    monkeypatch.setattr(runner, "run_experiment", parsing)
    code, output = _run(tmp_path, GOOD, "--out", str(tmp_path / "o"))
    assert code == 130, output
    assert "interrupted" in output and "Traceback" not in output and "ParserError" not in output


def test_ctrl_c_while_the_report_renders_exits_130_and_says_how_to_rebuild_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import simulator.report as report

    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "render_report", interrupted)
    out = tmp_path / "o"
    code, output = _run(tmp_path, GOOD, "--out", str(out))
    assert code == 130, output
    assert f"cssim report {out}" in output and "Traceback" not in output
    assert (out / "run_meta.json").is_file() and not (out / "index.html").exists()


def test_a_damaged_saved_run_on_resume_exits_2_naming_the_file(tmp_path: Path) -> None:
    out = tmp_path / "o"
    code, output = _run(tmp_path, GOOD, "--out", str(out))
    assert code == 0, output
    saved = sorted((out / "runs").glob("*.run"))
    saved[0].write_bytes(saved[0].read_bytes()[:100])  # cut short
    summary = (out / "summary.csv").read_bytes()
    code, output = _run(tmp_path, GOOD, "--out", str(out), "--resume")
    assert code == 2, output
    assert f"runs/{saved[0].name}" in output and "delete that file" in output and "Traceback" not in output
    assert (out / "summary.csv").read_bytes() == summary


def test_an_index_html_cssim_did_not_write_is_refused_before_anything_runs(tmp_path: Path, folder: Path) -> None:
    """In a folder cssim wrote, the old report goes with the old tables: only if it is cssim's own."""
    (folder / "index.html").write_text("<html>my notes</html>")
    code, output = _run(tmp_path, GOOD, "--out", str(folder))
    assert code == 2, output
    assert f"--out {folder}: index.html there exists and is not a cssim report" in output
    assert (folder / "index.html").read_text() == "<html>my notes</html>"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "run_meta.json", "summary.csv"]


def _fill_disk(monkeypatch: pytest.MonkeyPatch, full: Callable[[Path], bool]) -> None:
    """Creating a file for which ``full(path)`` holds fails as on a full disk (ENOSPC)."""
    real_open = os.open

    def guarded(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and full(Path(os.path.abspath(path))):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A folder holding a finished run's whole set, its report included."""
    out = tmp_path / "previous"
    code, output = _run(tmp_path, GOOD, "--out", str(out), "--workers", "1")
    assert code == 0, output
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize(
    ("full", "file", "left"),
    [
        (lambda path: path.parent.name == "runs", "runs/", "the folder was left as it was"),
        (lambda path: path.name.startswith(".summary.csv."), "summary.csv", "the folder was left as it was"),
        (lambda path: path.name.startswith(".index.html."), "index.html", "tables are in"),
    ],
    ids=["saving a run", "writing a table", "writing the report"],
)
def test_a_full_disk_exits_1_in_one_line_and_keeps_what_was_there(
    tmp_path: Path, previous: Path, monkeypatch: pytest.MonkeyPatch, full: Callable[[Path], bool], file: str, left: str
) -> None:
    before = _files(previous)
    _fill_disk(monkeypatch, full)
    code, output = _run(tmp_path, GOOD, "--out", str(previous), "--workers", "1", "--quiet")
    assert code == 1, output
    assert f"could not write {previous / file}" in output and "No space left on device" in output
    assert left in output
    assert "Traceback" not in output and "OSError" not in output
    assert len(set(output.strip().splitlines())) == 1  # one line (_run may show it twice: output and stderr)
    if file != "index.html":  # the new tables are in place once the report is written
        assert _files(previous) == before
    assert not [p for p in previous.rglob("*.tmp")]
