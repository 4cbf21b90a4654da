"""Round preset parameters for mechanics tests, so their numbers stay easy to work by hand.

The presets' defaults are calibrated on scenarios/comp_plans.yaml (docs/plans.md, "how the
defaults were set") and move when that calibration is redone; tests of how payouts and
plan gain *work* should not move with them. They use these round curves (the presets'
first defaults) instead; tests of the defaults themselves live in test_plans_payout.py.
"""

from __future__ import annotations

from typing import Any

TEXTBOOK: dict[str, dict[str, Any]] = {
    "engagement_average": {"threshold": 0.3, "target": 0.5, "cap": 0.8},
    "engagement_threshold": {"share": 0.9},
    "threshold_plus_activity": {"share": 0.9, "contact_target": 1.0},
    "nrr": {"target": 1.0, "cap": 1.15},
    "customer_outcome": {"threshold": 0.4, "target": 0.7, "cap": 0.9, "jit_threshold": 0.5, "jit_target": 0.8},
    "nrr_engagement": {"target": 1.0, "cap": 1.15, "engagement_threshold": 0.3, "engagement_target": 0.5},
}


def textbook(plan: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` over the round parameters of ``plan`` (the caller's own values win)."""
    return {**TEXTBOOK.get(plan, {}), **params}
