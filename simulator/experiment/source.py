"""Reading a scenario file for an experiment, through the project's loader.

Temporary shim: until ``simulator.scenario.loading.load_scenario`` lands, read safe YAML
and validate; afterwards this only forwards to the loader (which reports every problem
with file and line).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from simulator.errors import ScenarioError
from simulator.scenario.overrides import apply_overrides, parse_assignment
from simulator.scenario.schema import Scenario


def load_scenario_file(path: Path, sets: Sequence[str] = ()) -> Scenario:
    """The validated scenario of ``path`` with ``--set`` overrides; ScenarioError otherwise."""
    try:
        from simulator.scenario.loading import load_scenario
    except ImportError:
        return _shim(path, sets)
    return load_scenario(path, sets)


def _shim(path: Path, sets: Sequence[str]) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read ({exc.strerror})"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([f"{path}: not valid YAML ({exc})"]) from None
    data = apply_overrides(data if isinstance(data, dict) else {}, dict(parse_assignment(s) for s in sets))
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]) from None
