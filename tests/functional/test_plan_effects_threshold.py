"""Threshold plans: the contact minimum that keeps CSMs calling past the bar, and who is written off.

Same small team and method as test_plan_effects.py (paired differences under common random
numbers, each asserted with its 95% interval). The bar is "80% of the book uses A or B"
(``share: 0.8``; at the preset's 90% most books of this team never get there, so there is
no "after the threshold" to look at).

Whether a book is over the bar changes many times a period, so it is followed as it
happens: :class:`Watcher` is the team's real plan with a stopwatch on top. It changes no
choice (every hook and price goes to the plan underneath); it accumulates account-days and
touches while the CSM's book is over the bar and while it is under.

Not asserted, because it does not emerge at the default ``effort_floor``: that touches
*drop* once a threshold CSM's book is over the bar. Past the bar every option's plan gain is
0, but check-ins come due on a cadence and are almost always worth more than the floor even
at (1 - gaming) of their customer benefit, so touch rates over and under the bar differ by
less than their noise (docs/plans.md, "what emerges").
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_plan_effects import REPLICATIONS, SCORED, claim, has, run, team

from simulator.engine import simulate
from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.plans.incentive import PlanIncentive
from simulator.model.plans.plan import Plan
from simulator.model.plans.tally import ACCOUNTS
from simulator.results.statistics import interval
from simulator.results.tables import frames
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

BAR = {"share": 0.8}
OVER, UNDER = 0, 1


class Watcher(PlanIncentive):
    """The plan, plus a stopwatch on whether each CSM's book is over the bar (never changes a choice)."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        super().__init__(plan, scenario)
        bar = plan.components[0]  # the threshold presets put the bar first
        self.read, self.target = bar.read, bar.curve.target
        self.clock: dict[int, tuple[float, int]] = {}
        self.account_days = np.zeros(2)  # [over, under]
        self.touches = np.zeros(2)

    def _tick(self, csm: Csm, now: float) -> int:
        """Credit the time since the CSM's last event to the side of the bar it was on; that side."""
        last, side = self.clock.get(csm.id, (now, UNDER))
        self.account_days[side] += (now - last) * self.state(csm).book.tally.v[ACCOUNTS]
        self.clock[csm.id] = (now, side)
        return side

    def _settle(self, csm: Csm, now: float) -> None:
        value = self.read(self.state(csm).book.tally)
        self.clock[csm.id] = (now, OVER if value is not None and value >= self.target - 1e-9 else UNDER)

    def on_touch(self, csm: Csm, customer: Customer, kind: str, now: float) -> None:
        side = self._tick(csm, now)
        if customer.id in self.state(csm).book:
            self.touches[side] += 1
        super().on_touch(csm, customer, kind, now)
        self._settle(csm, now)

    def on_adopt(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        self._tick(csm, now)
        super().on_adopt(csm, customer, feature, now)
        self._settle(csm, now)

    def on_drop(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        self._tick(csm, now)
        super().on_drop(csm, customer, feature, now)
        self._settle(csm, now)

    def on_book(self, csm: Csm, customer: Customer, joined: bool, now: float) -> None:
        self._tick(csm, now)
        super().on_book(csm, customer, joined, now)
        self._settle(csm, now)

    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Any:
        self._tick(csm, end_day)
        paid = super().close_period(csm, period, start_day, end_day)
        self._settle(csm, end_day)
        return paid

    def rates(self) -> np.ndarray:
        """Touches (any kind) per account-month [over the bar, under it]."""
        return self.touches / self.account_days * DAYS_PER_MONTH


@cache
def watched_run(plan: str, replication: int) -> tuple[np.ndarray, dict[str, pd.DataFrame]]:
    """Touch rates of one replication of a threshold ``plan`` over and under its bar, and its tables."""
    engine = importlib.import_module("simulator.engine.simulate")
    scenario = team(plan, BAR)
    watcher = Watcher(Plan.for_team(scenario, "t"), scenario)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "incentive_for", lambda s, name: watcher)
        tables = frames(simulate(scenario, replication))
    assert watcher.account_days[OVER] > 0, f"{plan}: no book ever got over the bar; nothing to compare"
    return watcher.rates(), tables


def watched(plan: str, replication: int) -> np.ndarray:
    return watched_run(plan, replication)[0]


def test_with_a_contact_minimum_touches_stay_at_the_minimum_after_the_bar() -> None:
    """threshold_plus_activity: one touch per account per month (3 a quarter) keeps paying past the bar."""
    over = [watched("threshold_plus_activity", r)[OVER] for r in range(REPLICATIONS)]
    mean, low, high, _ = interval(over)
    assert low >= 1.0, f"touches per account-month over the bar {mean:.2f}, 95% CI [{low:.2f}, {high:.2f}]"


def test_the_contact_minimum_adds_touches_after_the_bar() -> None:
    more = [watched("threshold_plus_activity", r)[OVER] - watched("engagement_threshold", r)[OVER]
            for r in range(REPLICATIONS)]  # fmt: skip
    claim(interval(more), +1, "touches per account-month over the bar, with the minimum minus without")


def never_scored_jit(plan: str, replication: int) -> float:
    """Share of the needs of customers who bought for neither A nor B that were met just in time."""
    tables = watched_run(plan, replication)[1] if "threshold" in plan else run(plan, replication)
    cu = tables["customers"]
    outsiders = cu.loc[~has(cu["desired"], SCORED[0]) & ~has(cu["desired"], SCORED[1]), "customer"]
    needs = tables["needs"]
    needs = needs[(needs["arise_day"] >= 3 * DAYS_PER_MONTH) & needs["customer"].isin(outsiders)]
    return float((needs["fate"] == "jit").mean())


def test_customers_outside_the_bar_are_served_later_than_under_the_outcome_plan() -> None:
    """Written off: a need of a customer who bought for neither A nor B moves no threshold payout
    unless it can bring A or B, so it waits behind those that can; the outcome plan pays for it."""
    diffs = [never_scored_jit("engagement_threshold", r) - never_scored_jit("customer_outcome", r)
             for r in range(REPLICATIONS)]  # fmt: skip
    claim(interval(diffs), -1, "needs met just in time, customers outside A/B, threshold minus outcome")
