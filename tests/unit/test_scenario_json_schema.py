"""The JSON Schema that ``cssim schema`` prints accepts every shipped scenario and means it.

Editors check scenario files against this schema, so it must accept what the loader
accepts (plain numbers wherever a distribution goes, included) and reject what it rejects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import ScenarioError
from simulator.scenario.loading import load_scenario_text

ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED = [*sorted((ROOT / "scenarios").glob("*.yaml")), ROOT / "simulator" / "scenario" / "starter.yaml"]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


def test_default_scenario_is_shipped() -> None:
    assert ROOT / "scenarios" / "default.yaml" in SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_matches_the_schema(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    assert errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


SMALL = {"segments": {"s": {"team": "t"}}, "teams": {"t": {"coverage": "pooled", "csms": 2}}}


@pytest.mark.parametrize(
    "arr",
    [5000, 5000.5, {"dist": "lognormal", "median": 9000, "sigma": 0.7}, {"dist": "fixed", "value": 1}],
    ids=["int", "float", "lognormal", "fixed"],
)
def test_number_or_distribution_accepted_by_schema_and_loader(
    validator: jsonschema.Draft202012Validator, arr: Any
) -> None:
    data = {**SMALL, "segments": {"s": {"team": "t", "arr": arr}}}
    assert errors(validator, data) == []
    load_scenario_text(json.dumps(data))


@pytest.mark.parametrize(
    "data",
    [
        {**SMALL, "segmnts": {}},
        {**SMALL, "teams": {"t": {"coverage": "pooledd"}}},
        {**SMALL, "teams": {"t": {"coverage": "pooled", "csms": 0}}},
        {**SMALL, "segments": {"s": {"arr": "lots"}}},
        {**SMALL, "segments": {"s": {"arr": {"dist": "weibull", "mean": 3}}}},
        {**SMALL, "segments": {"s": {"raise_prob": 1.5}}},
    ],
    ids=["unknown-key", "unknown-coverage", "zero-csms", "text-for-distribution", "unknown-dist", "probability"],
)
def test_schema_rejects_what_the_loader_rejects(validator: jsonschema.Draft202012Validator, data: Any) -> None:
    assert errors(validator, data)
    with pytest.raises(ScenarioError):
        load_scenario_text(json.dumps(data))
