"""The presets' defaults are well set on the book they were calibrated on: about 60% of CSM-quarters at target.

docs/plans.md section 5: each incentive preset's curve defaults were set so that, on
scenarios/comp_plans.yaml, 55-65% of CSM-quarters in the measured period end at or above
target. This pins it with the report's own rule (compensation section): a preset is
called off only when the 95% interval of its share, across replications, lies wholly
outside 55-65%. Three replications keep it affordable; the interval is wide (about
+-0.1 to +-0.25) but the uncalibrated defaults sat at 0.39, 0.77, 0.81 and 0.99 with far
narrower ones, so a drift of that kind fails.

``activity`` and ``nps`` are left out (not run): no default lands them (every CSM reaches
any reachable activity target; a quarter's NPS rests on a handful of answers), as the docs
say with the measured shares. Cost: 18 plan runs of the 10-CSM, 24-month team.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from simulator.experiment import run_experiment
from simulator.scenario.loading import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "comp_plans.yaml"
WELL_SET = (0.55, 0.65)
UNCALIBRATED = ("activity", "NPS")


@cache
def shares() -> pd.DataFrame:
    """``variant, mean, ci_low, ci_high, n`` of share_at_target, 3 replications of every plan variant."""
    scenario = load_scenario(SCENARIO, sets=["replications=3"])
    calibrated = [v for v in scenario.variants if v.name not in UNCALIBRATED]
    results = run_experiment(scenario.model_copy(update={"variants": calibrated}), executor="local", workers=1)
    summary = results.summary
    return summary[(summary["metric"] == "share_at_target") & (summary["variant"] != "base")].set_index("variant")


@pytest.mark.slow
def test_every_calibrated_preset_lands_near_60_percent_at_target() -> None:
    table = shares()
    assert len(table) == 6, f"comp_plans variants changed: {list(table.index)}"
    off = []
    for variant in table.index:
        mean, low, high, n = (float(table.loc[variant, c]) for c in ("mean", "ci_low", "ci_high", "n"))
        if n < 3 or high < WELL_SET[0] or low > WELL_SET[1]:
            off.append(f"{variant}: {mean:.2f} (95% CI {low:.2f} to {high:.2f})")
    assert not off, "share of CSM-quarters at or above target outside 55-65%: " + "; ".join(off)
