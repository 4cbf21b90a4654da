"""A team's plan behind the engine's :class:`~simulator.model.decisions.Incentive` hooks.

The engine calls ``incentive_for(scenario, team)`` once per team. Each CSM's plan state
(``csm.plan_state``) is a :class:`CsmPlanState`: the :class:`Book` the hooks keep up to
date, and, for a CSM who leaves mid-period, the tally frozen at departure (their book is
reassigned as they go, so the period close would otherwise see an empty book).
"""

from __future__ import annotations

import math

from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.decisions import Incentive, NoIncentive, Option, Payout
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import Need
from simulator.model.plans.book import Book, Change
from simulator.model.plans.effects import EffectBuilder, account_of
from simulator.model.plans.gain import Effect, plan_gain
from simulator.model.plans.plan import Plan
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario


def incentive_for(scenario: Scenario, team: str) -> Incentive:
    """The team's incentive: its plan, or salary only when the plan pays nothing or the team has no people."""
    if scenario.teams[team].coverage == "digital":
        return NoIncentive()
    plan = Plan.for_team(scenario, team)
    return PlanIncentive(plan, scenario) if plan.pays else NoIncentive()


class CsmPlanState:
    """One CSM's book, the tally frozen at departure once they leave, and priced options.

    The engine weighs the same options again and again while the book stands still (about
    two calls in three, measured on the default team), so gains are remembered per book
    version; an option whose customer renews this period also keys on the clock and the
    customer's service state, which move its churn chance.
    """

    __slots__ = ("book", "by_effect", "current", "frozen", "gains", "priced_at")

    def __init__(self, book: Book) -> None:
        self.book = book
        self.frozen: Book | None = None
        self.gains: dict[tuple[object, ...], float] = {}
        self.by_effect: dict[tuple[object, ...], float] = {}
        self.priced_at = -1
        self.current = 0.0
        """The book's payout share at version ``priced_at`` (the 'nothing happens' branch)."""


class PlanIncentive:
    """Keeps every CSM's book statistics from the hooks; prices options; pays at period close."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        self.plan = plan
        self.components = tuple(c.name for c in plan.components)
        self.features = FeatureSet(scenario.product)
        self.period_days = plan.period_months * DAYS_PER_MONTH
        health = HealthRules(scenario.health, self.features)
        self.effects = EffectBuilder(self.features, health, self.period_days)
        self.counts_touches = bool(plan.criteria.min_touches)

    def state(self, csm: Csm) -> CsmPlanState:
        if csm.plan_state is None:
            csm.plan_state = CsmPlanState(self.plan.new_book())
        state: CsmPlanState = csm.plan_state
        return state

    # ---- pricing

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        c = option.customer
        if c is None:
            return 0.0
        state = self.state(csm)
        book = state.book
        if state.priced_at != book.version:
            state.gains.clear()
            state.by_effect.clear()
            state.priced_at = book.version
            state.current = self.plan.payout_share(book.tally)
        renewing = self.effects.renewal_due(c, now) is not None
        need = option.need.kind if option.need is not None else ""
        key = (c.id, c.adopted, option.kind, option.feature, option.p_adopt, option.jit, option.activity, need,
               (now, c.last_contact, c.recent_jit, len(c.recent or ())) if renewing else None)  # fmt: skip
        gain = state.gains.get(key)
        if gain is None:
            gain = state.gains[key] = self._price(state, c.id, self.effects.effect(book, option, now))
        return gain

    def _price(self, state: CsmPlanState, customer: int, effect: Effect | None) -> float:
        """Plan gain of ``effect``, shared by options with the same effect on the same kind of account.

        The gain depends only on the tally, the outcomes and what the book holds for the
        customer (its account, and its touches when a contact minimum counts them), so
        options of different customers with one effect (quick touches, under an activity
        plan) are priced once per book version.
        """
        if effect is None:
            return 0.0
        book = state.book
        member = customer in book
        shape = (effect.outcomes, effect.baseline, book.account(customer) if member else None,
                 book.touches_of(customer) if member and self.counts_touches else 0)  # fmt: skip
        gain = state.by_effect.get(shape)
        if gain is None:
            gain = state.by_effect[shape] = plan_gain(self.plan, book, effect, state.current)
        return gain

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
