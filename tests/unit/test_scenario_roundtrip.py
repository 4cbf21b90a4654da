"""A resolved scenario written out and read back is the same scenario, value for value, type for type."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator import load_scenario
from simulator.scenario.schema import Scenario

SHIPPED = sorted(Path(__file__).parents[2].joinpath("scenarios").glob("*.yaml"))


@pytest.mark.parametrize(
    "scenario", [Scenario(), *[load_scenario(p) for p in SHIPPED]], ids=["defaults", *[p.stem for p in SHIPPED]]
)
def test_resolved_yaml_round_trip_keeps_values_and_types(scenario: Scenario) -> None:
    # Defaults are validated like input, so a float field never holds an int default that
    # would print as "6" before the round trip and "6.0" after (cssim report re-renders
    # from scenario.resolved.yaml and must match cssim run's page).
    again = Scenario.model_validate(yaml.safe_load(yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False)))
    assert repr(again.model_dump()) == repr(scenario.model_dump())
