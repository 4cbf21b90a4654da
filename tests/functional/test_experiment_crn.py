"""Common random numbers pay off: paired differences are far more precise than independent ones.

Replication r of every variant sees the same customers, needs and renewal draws, so the
difference in GRR between two headcounts is measured on the same book. Compared with
running the second headcount on independent streams (another seed), the paired interval
must be much narrower; if the engine let staffing shift the demand streams, the pairing
would buy little and this fails.
"""

from __future__ import annotations

import math

from simulator.experiment import run_experiment
from simulator.results.statistics import interval
from simulator.scenario.schema import Scenario

REPLICATIONS = 12


def _scenario(seed: int, csms: int, variants: bool = True) -> Scenario:
    return Scenario.model_validate(
        {
            "replications": REPLICATIONS,
            "seed": seed,
            "horizon_months": 14,
            "warmup_months": 2,
            "segments": {"smb": {"team": "pool", "initial_customers": 60, "new_per_month": 3, "needs_per_month": 0.6}},
            "teams": {"pool": {"coverage": "pooled", "csms": csms}},
            "csm": {"annual_attrition": 0},
            "variants": [{"name": "more", "set": {"teams.pool.csms": 2}}]
            if variants
            else [],  # utilisation ~0.9 -> 0.5
        }
    )


def _grr(results: object, variant: str) -> list[float]:
    rm = results.run_metrics  # type: ignore[attr-defined]
    rows = rm[(rm["variant"] == variant) & (rm["metric"] == "grr")].sort_values("replication")
    return [float(x) for x in rows["value"]]


def test_paired_difference_is_much_narrower_than_independent() -> None:
    paired = run_experiment(_scenario(seed=1, csms=1), workers=2)
    independent = run_experiment(_scenario(seed=2, csms=2, variants=False), workers=2)  # "more" on other streams
    base, more, other_more = _grr(paired, "base"), _grr(paired, "more"), _grr(independent, "base")
    paired_diff = [m - b for m, b in zip(more, base, strict=True)]
    independent_diff = [m - b for m, b in zip(other_more, base, strict=True)]
    _, p_low, p_high, n = interval(paired_diff)
    _, i_low, i_high, _ = interval(independent_diff)
    assert n == REPLICATIONS and math.isfinite(p_high - p_low)
    assert i_high - i_low > 0, "GRR does not vary between replications: the scenario is too small to test"
    ratio = (p_high - p_low) / (i_high - i_low)
    print(f"paired / independent CI width of the GRR difference: {ratio:.3f}")
    assert ratio < 0.5, f"paired CI width is {ratio:.2f} of the independent one; CRN should make it much narrower"
    row = paired.comparisons.set_index(["variant", "metric"]).loc[("more", "grr")]
    assert row["diff_ci_high"] - row["diff_ci_low"] == p_high - p_low  # the comparisons table is the paired one
