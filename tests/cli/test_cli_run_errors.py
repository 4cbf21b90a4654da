"""``cssim run`` on bad input: exit 2, a clear message, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

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
    assert sorted(p.name for p in folder.iterdir()) == ["summary.csv"]
    assert (folder / "summary.csv").read_text() == "previous good summary\n"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "nope.yaml" in result.output
    assert not (tmp_path / "o").exists()


def test_out_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    code, output = _run(tmp_path, GOOD, "--out", str(tmp_path / "taken"))
    assert code == 2 and "exists and is not a folder" in output
