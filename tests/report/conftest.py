"""Fixtures for report tests: synthetic Results in the contract's shape, and an output folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from report_synthetic import synthetic_results
from typer.testing import CliRunner

from simulator.cli import app
from simulator.results.results import Results


@pytest.fixture
def make_results() -> Callable[..., Results]:
    return synthetic_results


@pytest.fixture(scope="session")
def results() -> Results:
    """One shared synthetic Results (3 variants); tests must not mutate it."""
    return synthetic_results()


@pytest.fixture
def out_dir(tmp_path: Any) -> Any:
    path = tmp_path / "report"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory, results: Results) -> Path:
    """A results folder with its report rendered: the good copy every test starts from."""
    folder = tmp_path_factory.mktemp("good")
    results.write(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    return folder


@pytest.fixture
def folder(reported: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(reported, tmp_path / "run"))
