"""docs/scenarios.md is generated from the schema; it must be current and name every key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.scenario.docs import PLACEHOLDERS, parts, render
from simulator.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenarios.md"


def test_committed_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/scenarios.md is out of date: python -m simulator.scenario.docs > docs/scenarios.md"
    )


OPAQUE = ("desired", "params", "set")
"""Mappings whose keys are the user's (features, preset parameters, override paths), not schema keys."""


def _paths(data: Any, prefix: str = "") -> list[str]:
    """Every key path of plain scenario data, names and list positions replaced by placeholders."""
    out = []
    for key, value in data.items() if isinstance(data, dict) else ():
        path = f"{prefix}.{key}" if prefix else str(key)
        out.append(path)
        if key in PLACEHOLDERS and isinstance(value, dict | list):
            for entry in value.values() if isinstance(value, dict) else value:
                out += _paths(entry, f"{path}.{PLACEHOLDERS[key]}")
        elif isinstance(value, dict) and key not in OPAQUE and "dist" not in value:
            out += _paths(value, path)
    return out


def test_every_key_of_real_scenarios_is_documented() -> None:
    documented = {row.key for part in parts() for row in part.rows}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = load_scenario(path).model_dump(mode="json", by_alias=True)
        keys = set(_paths(data))
        assert len(keys) > 100, f"{path.name}: too few keys walked ({len(keys)}); the walk is broken"
        missing = sorted(keys - documented)
        assert not missing, f"{path.name} has keys docs/scenarios.md does not list: {missing}"


def test_every_row_has_a_meaning_a_default_and_a_unit_column() -> None:
    for part in parts():
        for row in part.rows:
            assert row.meaning, f"{row.key}: no meaning"
            assert row.default and row.unit and row.range, f"{row.key}: an empty column"
