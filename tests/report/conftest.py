"""Fixtures for report tests: synthetic Results in the contract's shape, and an output folder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from report_synthetic import synthetic_results

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
