"""Fixtures the CLI tests share: a scenario text written to a file of its own, and ``cssim`` run in-process.

Session-scoped factories, so a test module's module-scoped fixtures can build on them (one
scenario file and one finished run serve every test of the module).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app


@pytest.fixture(scope="session")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Write a scenario text into a fresh folder, so no two modules' files can collide."""

    def write(text: str, name: str = "tiny.yaml") -> Path:
        path = tmp_path_factory.mktemp("scenario") / name
        path.write_text(text)
        return path

    return write


@pytest.fixture(scope="session")
def cssim_ok() -> Callable[..., str]:
    """Run ``cssim ARGS`` and insist it succeeds; a failure shows the CLI's own output."""

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return run
