"""The plan behind the engine's Incentive hooks, exercised with the model's real Customer and Csm."""

from __future__ import annotations

import math
from typing import Any

import pytest
from plan_textbook import textbook

from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.decisions import NEED, PUSH, TOUCH, NoIncentive, Option
from simulator.model.features import FeatureSet
from simulator.model.need import ADOPT, PROBLEM, Need
from simulator.model.plans.incentive import PlanIncentive, incentive_for
from simulator.model.segment import SegmentRules
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

A, B, C, D = 1, 2, 4, 8
QUARTER = 3 * DAYS_PER_MONTH


def scenario(plan: str, **params: Any) -> Scenario:
    return Scenario.model_validate(
        {
            "segments": {"ent": {"team": "named", "contract_months": 12}, "smb": {"team": "desk"}},
            "teams": {"named": {"coverage": "named"}, "desk": {"coverage": "digital"}},
            "compensation": {"plan": plan, "params": textbook(plan, params)},
        }
    )


class World:
    """Just enough of a world to make customers and a CSM for one team."""

    def __init__(self, plan: str, **params: Any) -> None:
        self.scenario = scenario(plan, **params)
        self.incentive = incentive_for(self.scenario, "named")
        self.rules = SegmentRules(self.scenario, "ent", FeatureSet(self.scenario.product))
        self.csm = Csm(1, "named", 0, self.scenario.csm_for("named"), 0.0, self.incentive, ramped=True)
        self.next_id = 0

    def customer(self, adopted: int, desired: int, arr: float = 100_000.0, signed_day: float = -200.0) -> Customer:
        c = Customer(self.next_id, "ent", self.rules, "named", signed_day, arr, desired)
        c.adopted = adopted
        self.next_id += 1
        self.csm.take(c)
        self.incentive.on_book(self.csm, c, True, 0.0)
        return c


def test_incentive_for_gives_salary_only_and_digital_teams_no_incentive() -> None:
    assert isinstance(incentive_for(scenario("salary_only"), "named"), NoIncentive)
    assert isinstance(incentive_for(scenario("nrr"), "desk"), NoIncentive)
    incentive = incentive_for(scenario("customer_outcome"), "named")
    assert isinstance(incentive, PlanIncentive)
    assert incentive.components == ("value_realised", "jit_share")


def test_hooks_keep_the_book_and_the_period_close_pays_it() -> None:
    w = World("engagement_average")  # 0.3 -> 0.5 linear, accelerated to the cap at 0.8
    first = w.customer(A, A | C)  # engagement 0.35
    w.customer(C, C | D)  # 0.15
    assert isinstance(w.incentive, PlanIncentive)
    first.adopt(2)
    w.incentive.on_adopt(w.csm, first, 2, 10.0)  # A + C: 0.5; average 0.325
    payout = w.incentive.close_period(w.csm, 0, 0.0, QUARTER)
    assert payout.attainment == pytest.approx((0.325 - 0.3) / 0.2)
    assert payout.payout_usd == pytest.approx(0.125 * 22_500 / 4)
    assert payout.components == {"engagement_average": pytest.approx(0.125)}
    first.drop(0)
    w.incentive.on_drop(w.csm, first, 0, QUARTER + 1)  # C alone: average 0.15
    assert w.incentive.close_period(w.csm, 1, QUARTER, 2 * QUARTER).attainment == 0.0


def test_event_hooks_feed_their_metrics() -> None:
    w = World("customer_outcome")
    c = w.customer(A, A | B)
    other = w.customer(B, B)
    met = Need(0, c, ADOPT, 1, 0.0, 0.5)
    for jit in (True, True, True, False):
        w.incentive.on_need_met(w.csm, c, met, jit, 5.0)
    w.incentive.on_renewal(w.csm, other, 100.0, 0.0, True, 6.0)
    w.incentive.on_book(w.csm, other, False, 6.0)  # churned: leaves the book after its renewal counted
    payout = w.incentive.close_period(w.csm, 0, 0.0, QUARTER)
    # value realised 0.5 (c only): 0.25 + 0.75 x (0.1 / 0.3); jit 0.75: (0.75 - 0.5) / 0.3
    assert payout.components["value_realised"] == pytest.approx(0.5)
    assert payout.components["jit_share"] == pytest.approx(0.25 / 0.3)
    assert payout.attainment == pytest.approx(0.7 * 0.5 + 0.3 * 0.25 / 0.3)


def test_csm_who_leaves_mid_period_is_paid_on_the_book_they_had_prorated() -> None:
    w = World("engagement_average")
    customers = [w.customer(A | C, A | C) for _ in range(4)]  # engagement 0.5: on target
    w.csm.active = False
    w.csm.leave_day = QUARTER / 3
    for c in customers:  # the engine reassigns the leaver's book
        w.csm.release(c)
        w.incentive.on_book(w.csm, c, False, QUARTER / 3)
    payout = w.incentive.close_period(w.csm, 0, 0.0, QUARTER)
    assert payout.attainment == pytest.approx(1.0)
    assert payout.payout_usd == pytest.approx(22_500 / 4 / 3)


def test_push_gain_matches_the_hand_computed_book_effect() -> None:
    w = World("engagement_average")
    for _ in range(10):
        w.customer(A, A | C)  # 0.35
    target = w.customer(C | D, B | C | D)  # 0.3; average of 11: 3.8 / 11 = 0.345
    option = Option(PUSH, 2.0, 0.0, target, feature=0, p_adopt=0.12)
    # adoption of A adds 0.35 / 11 to the average; slope 5; times the book of 11; renewal is months away
    assert w.incentive.plan_gain(w.csm, option, 1.0) == pytest.approx(0.12 * 5 * 0.35)


def test_need_gain_counts_only_what_guidance_adds_over_self_serve() -> None:
    w = World("engagement_average")
    for _ in range(10):
        w.customer(A, A | C)
    c = w.customer(0, D)
    need = Need(0, c, ADOPT, 3, 0.0, 0.5)
    option = Option(NEED, 3.0, 0.1, c, feature=3, p_adopt=0.8, jit=True, need=need)
    self_serve = w.scenario.product.features["D"].self_serve
    assert w.incentive.plan_gain(w.csm, option, 1.0) == pytest.approx((0.8 - self_serve) * 5 * 0.15)


def test_problem_need_gain_is_the_drop_it_prevents() -> None:
    w = World("engagement_average")
    for _ in range(10):
        w.customer(A, A | C)
    c = w.customer(B, B)
    option = Option(NEED, 1.0, 0.1, c, feature=1, jit=True, need=Need(0, c, PROBLEM, 1, 0.0, 0.5))
    drop = w.scenario.segments["ent"].problem_drop_prob
    assert w.incentive.plan_gain(w.csm, option, 1.0) == pytest.approx(drop * 5 * 0.35)


def test_nrr_touch_gain_needs_a_renewal_this_period_and_grows_with_arr() -> None:
    w = World("nrr")
    year = 12 * DAYS_PER_MONTH
    small = w.customer(A, A, arr=20_000.0, signed_day=60.0 - year)  # renews on day 60: this quarter
    big = w.customer(A, A, arr=400_000.0, signed_day=60.0 - year)
    later = w.customer(A, A, arr=400_000.0, signed_day=200.0 - year)  # renews next quarter
    w.incentive.on_renewal(w.csm, w.customer(A, A), 500_000.0, 500_000.0, False, 10.0)

    def touch(c: Customer) -> Option:
        return Option(TOUCH, 1.0, 0.05, c, activity=True, touch_kind="checkin")

    gains = {name: w.incentive.plan_gain(w.csm, touch(c), 30.0) for name, c in
             (("small", small), ("big", big), ("later", later))}  # fmt: skip
    assert gains["later"] == 0.0
    assert 0.0 < gains["small"] < gains["big"]


def test_options_without_a_customer_gain_nothing() -> None:
    w = World("activity")
    assert w.incentive.plan_gain(w.csm, Option("session", 2.0, 0.0, None), 1.0) == 0.0


def test_touch_counts_for_activity_only_for_the_csms_own_customers() -> None:
    w = World("activity")  # linear 0 -> 1.5 touches per account per month
    mine = w.customer(A, A)
    stranger = Customer(99, "ent", w.rules, "named", -10.0, 1_000.0, A)
    touch = Option(TOUCH, 1.0, 0.0, mine, activity=True, touch_kind="checkin")
    assert w.incentive.plan_gain(w.csm, touch, 1.0) == pytest.approx(1 / 3 / 1.5)  # 1 touch over 3 months
    stranger_touch = Option(TOUCH, 1.0, 0.0, stranger, activity=True, touch_kind="checkin")
    assert w.incentive.plan_gain(w.csm, stranger_touch, 1.0) == 0.0
    w.incentive.on_touch(w.csm, mine, "checkin", 2.0)
    w.incentive.on_touch(w.csm, stranger, "checkin", 2.0)  # ignored: not in the book
    payout = w.incentive.close_period(w.csm, 0, 0.0, QUARTER)
    assert payout.attainment == pytest.approx(1 / 3 / 1.5)
    assert not math.isnan(payout.payout_usd)


def test_remembered_gains_are_dropped_when_the_book_changes() -> None:
    w = World("threshold_plus_activity")  # contact coverage: 3 touches per account per quarter count
    for _ in range(9):
        w.customer(A, A)
    c = w.customer(C, C)
    touch = Option(TOUCH, 1.0, 0.0, c, activity=True, touch_kind="checkin")
    first = w.incentive.plan_gain(w.csm, touch, 1.0)
    assert first == pytest.approx(0.4 * (1 / 30) * 10)
    assert w.incentive.plan_gain(w.csm, touch, 2.0) == first  # unchanged book: remembered
    for _ in range(3):
        w.incentive.on_touch(w.csm, c, "checkin", 3.0)
    assert w.incentive.plan_gain(w.csm, touch, 4.0) == 0.0  # the minimum is met: priced afresh


def test_leaver_contact_minimum_is_prorated_by_the_days_they_held_the_seat() -> None:
    w = World("threshold_plus_activity")  # 3 touches per account per quarter
    customers = [w.customer(A, A) for _ in range(10)]  # all use A: the threshold part pays 1
    for c in customers:
        w.incentive.on_touch(w.csm, c, "checkin", 5.0)  # one touch each in the first month
    w.csm.active = False
    w.csm.leave_day = QUARTER / 3
    for c in customers:
        w.csm.release(c)
        w.incentive.on_book(w.csm, c, False, QUARTER / 3)
    payout = w.incentive.close_period(w.csm, 0, 0.0, QUARTER)
    assert payout.components == {"adoption_share": pytest.approx(1.0), "contact_coverage": pytest.approx(1.0)}
    assert payout.payout_usd == pytest.approx(22_500 / 4 / 3)
    assert w.incentive.close_period(w.csm, 1, QUARTER, 2 * QUARTER).components["adoption_share"] == 1.0  # no data


def test_needs_left_to_expire_lower_the_just_in_time_share() -> None:
    w = World("customer_outcome")  # jit_share: 0.5 -> 0.8
    c = w.customer(A, A)
    need = Need(0, c, ADOPT, 1, 0.0, 0.5)
    for _ in range(3):
        w.incentive.on_need_met(w.csm, c, need, True, 5.0)
    assert w.incentive.close_period(w.csm, 0, 0.0, QUARTER).components["jit_share"] == 1.0
    for _ in range(3):
        w.incentive.on_need_met(w.csm, c, need, True, QUARTER + 5.0)
    w.incentive.on_need_expired(w.csm, c, need, QUARTER + 6.0)
    # 3 on time of 4 closed: (0.75 - 0.5) / 0.3
    assert w.incentive.close_period(w.csm, 1, QUARTER, 2 * QUARTER).components["jit_share"] == pytest.approx(0.25 / 0.3)


def test_late_need_costs_nothing_on_the_just_in_time_share() -> None:
    """Left alone, a need closes late or lapses, so only guiding it in its window moves the share."""
    w = World("customer_outcome")
    c = w.customer(A, B)  # uses A, which it did not buy for: keeping A moves no value realised
    others = [w.customer(A, A) for _ in range(4)]
    need = Need(0, c, PROBLEM, 0, 0.0, 0.5)
    for jit in (True, True, True, False, False):
        w.incentive.on_need_met(w.csm, others[0], need, jit, 1.0)
    late = Option(NEED, 1.0, 0.0, c, feature=0, jit=False, need=need)
    on_time = Option(NEED, 1.0, 0.0, c, feature=0, jit=True, need=need)
    assert w.incentive.plan_gain(w.csm, late, 2.0) == pytest.approx(0.0)
    # on time: jit share 4/6 against 3/6 (left alone it closes unmet), slope 1 / 0.3, weight 0.3, 5 accounts
    assert w.incentive.plan_gain(w.csm, on_time, 2.0) == pytest.approx(0.3 * (4 / 6 - 3 / 6) / 0.3 * 5)
