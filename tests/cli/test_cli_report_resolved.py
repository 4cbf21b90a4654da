"""``cssim report DIR`` with an edited ``scenario.resolved.yaml``: exit 2, each problem read like
``cssim validate`` prints it (``FILE:LINE: path: problem``), never pydantic's or PyYAML's own repr."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ":1: (top level): is empty"),
        ("name: x\nteams: {pool: {coverage: pooled, csms: 0}}\n", ":2: teams.pool.csms: must be >= 1 (got 0)"),
        ("name: [x\nseed: 1\n", ":2: seed: YAML syntax error: did not find expected ',' or ']'"),
    ],
    ids=["empty", "bad-value", "syntax"],
)
def test_an_edited_resolved_scenario_reads_like_validate(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "run_meta.json").write_text("{}")
    resolved = tmp_path / "scenario.resolved.yaml"
    resolved.write_text(text)
    outcome = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert outcome.exit_code == 2, outcome.output
    assert f"{resolved} is not a valid resolved scenario (edited since the run?)" in outcome.output
    assert f"{resolved}{expected}" in outcome.output
    for raw in ("ValidationError", "errors.pydantic.dev", "YAMLError", "ScannerError", "ParserError", "Traceback"):
        assert raw not in outcome.output
