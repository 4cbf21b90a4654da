"""A team's plan behind the engine's :class:`~simulator.model.decisions.Incentive` hooks.

The engine calls ``incentive_for(scenario, team)`` once per team. Each CSM's plan state
(``csm.plan_state``) is a :class:`CsmPlanState`: the :class:`Book` the hooks keep up to
date, and, for a CSM who leaves mid-period, the tally frozen at departure (their book is
reassigned as they go, so the period close would otherwise see an empty book).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.decisions import Incentive, NoIncentive, Option, Payout
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import Need
from simulator.model.plans.book import Change
from simulator.model.plans.effects import EffectBuilder, account_of
from simulator.model.plans.plan import Plan
from simulator.model.plans.pricing import CsmPlanState, OptionPricer
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario


def incentive_for(scenario: Scenario, team: str) -> Incentive:
    """The team's incentive: its plan, or salary only when the plan pays nothing or the team has no people."""
    if scenario.teams[team].coverage == "digital":
        return NoIncentive()
    plan = Plan.for_team(scenario, team)
    return PlanIncentive(plan, scenario) if plan.pays else NoIncentive()


class PlanIncentive:
    """Keeps every CSM's book statistics from the hooks; prices options; pays at period close."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        self.plan = plan
        self.components = tuple(c.name for c in plan.components)
        self.features = FeatureSet(scenario.product)
        self.period_days = plan.period_months * DAYS_PER_MONTH
        health = HealthRules(scenario.health, self.features)
        self.effects = EffectBuilder(self.features, health, self.period_days)
        pricer = OptionPricer(plan, self.effects)
        self.plan_gain: Callable[[Csm, Option, float], float] = pricer.plan_gain
        """The plain definition's gain (``plan_gain`` of the option's effect), priced by :class:`OptionPricer`;
        bound straight to it, as the engine asks for every option a CSM weighs."""
        self.memo: Callable[[Csm, Customer, float], dict[object, object] | None] = pricer.memo
        """:meth:`OptionPricer.memo`: where the engine may keep what it derives from a customer's gains."""

    def state(self, csm: Csm) -> CsmPlanState:
        if csm.plan_state is None:
            csm.plan_state = CsmPlanState(self.plan.new_book())
        state: CsmPlanState = csm.plan_state
        return state

    # ---- hooks

    def on_book(self, csm: Csm, customer: Customer, joined: bool, now: float) -> None:
        state = self.state(csm)
        if joined:
            if customer.id not in state.book:
                state.book.add(customer.id, account_of(customer, self.features))
            return
        if not csm.active and state.frozen is None:
            state.frozen = state.book.detached()  # leaving: the period is judged on the book they had
        if customer.id in state.book:
            state.book.remove(customer.id)

    def on_adopt(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        self._refresh(csm, customer)

    def on_drop(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        self._refresh(csm, customer)

    def on_touch(self, csm: Csm, customer: Customer, kind: str, now: float) -> None:
        book = self.state(csm).book
        if customer.id in book:
            book.apply(customer.id, Change(touches=1))

    def on_need_met(self, csm: Csm, customer: Customer, need: Need, jit: bool, now: float) -> None:
        self.state(csm).book.apply(customer.id, Change(needs=(jit,)))

    def on_need_expired(self, csm: Csm, customer: Customer, need: Need, now: float) -> None:
        self.state(csm).book.apply(customer.id, Change(needs=(False,)))

    def on_renewal(
        self, csm: Csm, customer: Customer, arr_before: float, arr_after: float, churned: bool, now: float
    ) -> None:
        self.state(csm).book.apply(customer.id, Change(renewals=((arr_before, 0.0 if churned else arr_after),)))

    def on_survey(self, csm: Csm, customer: Customer, score: int, now: float) -> None:
        self.state(csm).book.apply(customer.id, Change(surveys=(score,)))

    def on_launch(self, csm: Csm, customer: Customer, days: float, now: float) -> None:
        self.state(csm).book.apply(customer.id, Change(launches=(days,)))

    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Payout:
        """Pay the period: the plan on the period's tally, prorated by the CSM's active days."""
        state = self.state(csm)
        leave = csm.leave_day if not math.isnan(csm.leave_day) else end_day
        active_days = max(0.0, min(end_day, leave) - max(start_day, csm.hire_day))
        active_share = min(1.0, active_days / self.period_days)
        tally = state.book.close_period(active_share)
        if state.frozen is not None:
            tally = state.frozen.close_period(active_share)
            state.frozen = None
        payout = self.plan.evaluate(tally)
        attainment = payout.attainment
        return Payout(
            math.nan if attainment is None else attainment,
            payout.usd(csm.variable_target, self.plan.period_months, active_share),
            {c.name: c.attainment for c in payout.components},
        )

    def _refresh(self, csm: Csm, customer: Customer) -> None:
        book = self.state(csm).book
        if customer.id in book:
            book.apply(customer.id, Change(account=account_of(customer, self.features)))
