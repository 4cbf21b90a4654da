"""Incentive plans without a clock: payout curves, book statistics, payouts and plan gain.

``Plan`` compiles a scenario's Compensation (a preset or explicit components); a ``Book``
keeps one CSM's per-period statistics incrementally; ``Plan.evaluate`` turns a period's
tally into a ``Payout``; ``plan_gain`` prices an option's ``Effect`` for the decision point.
``incentive_for(scenario, team)`` is what the engine calls: the plan behind its hooks.
docs/plans.md explains the presets and the behaviour rule.
"""

from simulator.model.plans.book import NO_CHANGE, Account, Book, Change, Criteria, Tally
from simulator.model.plans.calibration import cost_quantiles, pay_for_performance, plan_cost, share_at_or_above_target
from simulator.model.plans.curves import curve_payout, max_payout
from simulator.model.plans.gain import Effect, plan_gain
from simulator.model.plans.incentive import PlanIncentive, incentive_for
from simulator.model.plans.plan import ComponentPayout, Payout, Plan

__all__ = [
    "NO_CHANGE", "Account", "Book", "Change", "ComponentPayout", "Criteria", "Effect", "Payout", "Plan",
    "PlanIncentive", "Tally", "cost_quantiles", "curve_payout", "incentive_for", "max_payout", "pay_for_performance",
    "plan_cost", "plan_gain", "share_at_or_above_target",
]  # fmt: skip
