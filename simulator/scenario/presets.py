"""Named incentive-plan presets, each expanding into plain plan components.

Filled in by the incentive-plans work (docs/plans.md documents each preset with the seed
sentence it models). Kept in the scenario layer because a preset is data: expanding one
needs no clock and no model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simulator.scenario.schema import Component

Preset = Callable[[Mapping[str, Any]], list[Component]]

PRESETS: dict[str, Preset] = {
    "salary_only": lambda params: [],
}
"""Preset name -> function of its params returning the plan's components."""


def known_plans() -> list[str]:
    return sorted([*PRESETS, "custom"])
