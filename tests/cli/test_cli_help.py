"""Help text: on/off flags read as flags (typer 0.29 showed them as taking a value)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from simulator.cli import app


@pytest.mark.parametrize(("command", "flag"), [("run", "--resume"), ("run", "--quiet"), ("init", "--force")])
def test_an_on_off_flag_shows_no_value_placeholder(command: str, flag: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if f" {flag} " in line]
    assert lines, result.output
    assert "<bool>" not in lines[0] and "BOOLEAN" not in lines[0]
