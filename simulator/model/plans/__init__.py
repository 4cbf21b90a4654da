"""Incentive plans without a clock: payout curves, book statistics, payouts and plan gain.

``Plan`` compiles a scenario's Compensation (a preset or explicit components); a ``Book``
keeps one CSM's per-period statistics incrementally; ``Plan.evaluate`` turns a period's
tally into a ``Payout``; ``plan_gain`` prices an option's ``Effect`` for the decision point.
docs/plans.md explains the presets and the behaviour rule.
"""

from simulator.model.plans.book import NO_CHANGE, Account, Book, Change, Criteria, Tally
from simulator.model.plans.calibration import cost_quantiles, pay_for_performance, plan_cost, share_at_or_above_target
from simulator.model.plans.curves import curve_payout, max_payout
from simulator.model.plans.gain import Effect, plan_gain
from simulator.model.plans.plan import ComponentPayout, Payout, Plan

__all__ = [
    "NO_CHANGE", "Account", "Book", "Change", "ComponentPayout", "Criteria", "Effect", "Payout", "Plan", "Tally",
    "cost_quantiles", "curve_payout", "max_payout", "pay_for_performance", "plan_cost", "plan_gain",
    "share_at_or_above_target",
]  # fmt: skip
