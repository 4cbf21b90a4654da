"""The fast option pricer gives exactly the plain definition's gain (same float), whatever the plan.

The plain definition is ``plan_gain(plan, book, effects.effect(book, option, now))``: the
option's effect built as branches of changes, each evaluated through the full payout. The
pricer (simulator.model.plans.pricing) skips branches that move nothing the plan reads and
remembers branch shares per book version; these tests drive both on random books, customers,
options and events between them (so remembered prices must be dropped at the right time).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.csm import Csm
from simulator.model.customer import NEVER, Customer
from simulator.model.decisions import NEED, PREP, PUSH, TOUCH, Option
from simulator.model.features import FeatureSet
from simulator.model.need import ADOPT, PROBLEM, Need
from simulator.model.plans.gain import plan_gain
from simulator.model.plans.incentive import CsmPlanState, PlanIncentive, incentive_for
from simulator.model.segment import SegmentRules
from simulator.scenario.presets import PRESETS
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

GATED: dict[str, Any] = {
    "plan": "custom",
    "components": [
        {"metric": "engagement_share", "level": 0.5, "weight": 0.5, "gate": {"metric": "grr", "at_least": 0.9},
         "curve": {"threshold": 0.3, "target": 0.6, "cap": 0.9, "accelerator": 2.0, "threshold_payout": 0.25}},
        {"metric": "value_realised", "weight": 0.3, "curve": {"threshold": 0.2, "target": 0.2}},
        {"metric": "contact_coverage", "min_touches": 2, "weight": 0.2, "curve": {"threshold": 0.5, "target": 1.0}},
        {"metric": "logo_retention", "weight": 0.2, "curve": {"threshold": 0.8, "target": 0.95, "cap": 1.0}},
    ],
}  # fmt: skip
PLANS = [name for name in PRESETS if name != "salary_only"] + ["gated"]
YEAR = 12 * DAYS_PER_MONTH
FULL = 0b1111
days = st.floats(min_value=0, max_value=250, allow_nan=False)


def scenario(plan: str) -> Scenario:
    compensation = GATED if plan == "gated" else {"plan": plan}
    return Scenario.model_validate({
        "segments": {"ent": {"team": "named", "contract_months": 12}},
        "teams": {"named": {"coverage": "named"}},
        "compensation": compensation,
    })  # fmt: skip


class Team:
    """One CSM of a plan team with real customers, and the plain route next to the fast one."""

    def __init__(self, plan: str) -> None:
        self.scenario = scenario(plan)
        incentive = incentive_for(self.scenario, "named")
        assert isinstance(incentive, PlanIncentive)
        self.incentive = incentive
        self.rules = SegmentRules(self.scenario, "ent", FeatureSet(self.scenario.product))
        self.csm = Csm(1, "named", 0, self.scenario.csm_for("named"), 0.0, incentive, ramped=True)
        self.customers: list[Customer] = []

    def customer(self, data: st.DataObject, member: bool, now: float) -> Customer:
        """A customer whose next renewal is 1-200 days after ``now`` (this period or a later one)."""
        draw = data.draw
        signed = now + draw(st.integers(1, 200)) - YEAR
        c = Customer(len(self.customers), "ent", self.rules, "named", signed,
                     draw(st.sampled_from([20_000.0, 120_000.0, 400_000.0])), draw(st.integers(0, FULL)))  # fmt: skip
        c.adopted = draw(st.integers(0, FULL))
        contact = draw(st.none() | days)
        c.last_contact = NEVER if contact is None else contact
        for day, jit in sorted(draw(st.lists(st.tuples(days, st.booleans()), max_size=4))):
            c.record_service(day, jit, self.incentive.effects.health.resp_days, day)
        self.customers.append(c)
        if member:
            self.csm.take(c)
            self.incentive.on_book(self.csm, c, True, 0.0)
        return c

    def fast(self, option: Option, now: float) -> float:
        return self.incentive.plan_gain(self.csm, option, now)

    def plain(self, option: Option, now: float) -> float:
        state = self.csm.plan_state
        assert isinstance(state, CsmPlanState)
        effect = self.incentive.effects.effect(state.book, option, now)
        return 0.0 if effect is None else plan_gain(self.incentive.plan, state.book, effect)


def option(data: st.DataObject, c: Customer, now: float) -> Option:
    draw = data.draw
    kind = draw(st.sampled_from(["push", "touch", "quick", "adopt", "problem", "prep"]))
    f = draw(st.integers(-1, 3))
    p = draw(st.sampled_from([0.0, 0.12, 0.3, 0.75, 1.0]))
    if kind == "push":
        return Option(PUSH, 2.0, 0.0, c, feature=f, p_adopt=p if f >= 0 else 0.0)
    if kind in ("touch", "quick"):
        f = -1 if kind == "quick" else f
        return Option(TOUCH, 1.0, 0.0, c, feature=f, p_adopt=p if f >= 0 else 0.0, activity=True, touch_kind=kind)
    if kind == "prep":
        return Option(PREP, 12.0, 0.0, c)
    f = max(f, 0)
    jit = draw(st.booleans())
    if jit:  # the engine prices an on-time need right after reading the customer's service (forgetting the old)
        c.forget_before(now - 180.0)
    need = Need(0, c, ADOPT if kind == "adopt" else PROBLEM, f, now - 5.0, 2.0)
    return Option(NEED, 2.0, 0.0, c, feature=f, p_adopt=p if kind == "adopt" else 0.0, jit=jit, need=need)


def event(data: st.DataObject, team: Team, c: Customer, now: float) -> None:
    """Something real happens between two prices: the book moves (or, for some plans, does not)."""
    incentive, csm = team.incentive, team.csm
    what = data.draw(st.sampled_from(["adopt", "drop", "touch", "need", "renewal", "contact", "nothing"]))
    f = data.draw(st.integers(0, 3))
    if what == "adopt" and c.csm is csm:
        c.adopt(f)
        incentive.on_adopt(csm, c, f, now)
    elif what == "drop" and c.csm is csm:
        c.drop(f)
        incentive.on_drop(csm, c, f, now)
    elif what == "touch":
        incentive.on_touch(csm, c, "checkin", now)
    elif what == "need" and c.csm is csm:
        incentive.on_need_met(csm, c, Need(0, c, ADOPT, f, now, 1.0), data.draw(st.booleans()), now)
    elif what == "renewal" and c.csm is csm:
        incentive.on_renewal(csm, c, c.arr, c.arr * 1.1, data.draw(st.booleans()), now)
    elif what == "contact":
        c.last_contact = now
        c.record_service(now - 3.0, data.draw(st.booleans()), 180.0, now)


@settings(max_examples=120, derandomize=True, deadline=None)
@given(plan=st.sampled_from(PLANS), data=st.data())
def test_fast_gain_equals_the_plain_definition(plan: str, data: st.DataObject) -> None:
    team = Team(plan)
    now = data.draw(days)
    members = [team.customer(data, True, now) for _ in range(data.draw(st.integers(1, 8)))]
    stranger = team.customer(data, False, now)
    for _ in range(data.draw(st.integers(1, 25))):
        c = data.draw(st.sampled_from([*members, stranger]))
        if data.draw(st.booleans()):
            event(data, team, c, now)
        if data.draw(st.booleans()):
            now += data.draw(st.sampled_from([0.0, 0.5, 7.0, 40.0]))
        opt = option(data, c, now)
        fast = team.fast(opt, now)
        assert fast == team.plain(opt, now), (plan, opt, now)
        assert team.fast(opt, now) == fast  # remembered: the same again at the same state


def test_a_customer_renewing_this_period_is_priced_through_the_churn_split() -> None:
    """Guard against the property test passing vacuously: renewals in the period change gains."""
    team = Team("nrr")
    c = Customer(0, "ent", team.rules, "named", 30.0 - YEAR, 400_000.0, FULL)  # renews on day 30
    team.csm.take(c)
    team.incentive.on_book(team.csm, c, True, 0.0)
    touch = Option(TOUCH, 1.0, 0.0, c, activity=True, touch_kind="checkin")
    gain = team.fast(touch, 10.0)
    assert gain > 0.0
    assert gain == team.plain(touch, 10.0)
    assert team.fast(touch, 100.0) == 0.0 == team.plain(touch, 100.0)  # the next renewal is a year away


def test_a_renewing_customers_odds_outlive_book_versions_and_stripped_branches_are_shared() -> None:
    """Under the activity plan every touch is a new book version: the churn split (which reads
    no book) is kept, and the kept / churned branches of two renewing customers, which the plan
    sees only as counts, are priced once, while every gain stays the plain definition's."""
    team = Team("activity")
    a, b = (Customer(i, "ent", team.rules, "named", 30.0 - YEAR, arr, 0b0011) for i, arr in enumerate((1e5, 4e5)))
    for c in (a, b):
        c.last_contact = 2.0
        team.csm.take(c)
        team.incentive.on_book(team.csm, c, True, 0.0)
    pricer = team.incentive.plan_gain.__self__
    touch = Option(TOUCH, 1.0, 0.0, a, feature=2, p_adopt=0.3, activity=True, touch_kind="checkin")
    assert team.fast(touch, 10.0) == team.plain(touch, 10.0) != 0.0
    odds = pricer._odds[a]
    team.incentive.on_touch(team.csm, b, "checkin", 10.0)  # a new version of the book
    assert team.fast(touch, 10.0) == team.plain(touch, 10.0)
    assert pricer._odds[a] is odds
    state = team.csm.plan_state
    assert isinstance(state, CsmPlanState)
    priced = len(state.prices.shares)
    touch.customer = b
    assert team.fast(touch, 10.0) == team.plain(touch, 10.0)
    assert len(state.prices.shares) == priced  # b's branches are a's, as the plan sees them


def test_the_memo_lives_as_long_as_the_customers_prices() -> None:
    """The engine keeps a touch's push choice in the memo: it must be dropped whenever a gain
    of the customer's options without a contact could change, and kept when none can."""
    team = Team("engagement_average")
    c = Customer(0, "ent", team.rules, "named", 200.0 - YEAR, 1e5, 0b0111)  # renews next period
    stranger = Customer(1, "ent", team.rules, "named", 200.0 - YEAR, 1e5, 0b0111)
    team.csm.take(c)
    team.incentive.on_book(team.csm, c, True, 0.0)
    memo = team.incentive.memo
    assert memo(team.csm, stranger, 10.0) is None
    kept = memo(team.csm, c, 10.0)
    assert kept is not None and memo(team.csm, c, 11.0) is kept
    team.incentive.on_touch(team.csm, c, "checkin", 11.0)  # the engagement plan reads no touch
    assert memo(team.csm, c, 11.0) is kept
    c.adopt(0)
    team.incentive.on_adopt(team.csm, c, 0, 12.0)
    adopted = memo(team.csm, c, 12.0)
    assert adopted is not None and adopted is not kept
    assert memo(team.csm, c, 95.0) is adopted  # the same period, still not renewing in it
    assert memo(team.csm, c, 190.0) is not adopted  # renewing in this period: its churn split counts
