"""The decision point: scoring, ties, the effort floor, and where plan gain enters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.csm import Csm
from simulator.model.decisions import NEED, TOUCH, NoIncentive, Option, Payout, choose, new_option, score
from simulator.scenario.schema import CsmDefaults


class PaysForFeatureA:
    """A stand-in plan: 100 USD per expected adoption of feature 0, nothing else."""

    def __init__(self) -> None:
        self.calls = 0

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        self.calls += 1
        return 100.0 * option.p_adopt if option.feature == 0 else 0.0

    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Payout:
        return Payout(1.0, 0.0, {})


def csm(incentive: object, gaming: float = 0.5, floor: float = 0.01) -> Csm:
    params = CsmDefaults(gaming=gaming, effort_floor=floor)
    return Csm(0, "t", 0, params, 0.0, incentive, ramped=True)  # type: ignore[arg-type]


def test_score_is_benefit_and_gain_per_hour() -> None:
    who = csm(PaysForFeatureA(), gaming=0.25)
    option = Option(NEED, 2.0, 0.4, feature=0, p_adopt=0.5)
    assert score(who, option, 0.0) == pytest.approx((0.75 * 0.4 + 0.25 * 50.0) / 2.0)
    assert option.plan_gain == 50.0


def test_neutral_plan_ignores_gaming_and_is_never_asked() -> None:
    who = csm(NoIncentive(), gaming=0.9)
    assert who.neutral
    assert score(who, Option(NEED, 2.0, 0.4), 0.0) == pytest.approx(0.2)


def test_gaming_zero_never_consults_the_plan() -> None:
    plan = PaysForFeatureA()
    who = csm(plan, gaming=0.0)
    choose(who, [Option(NEED, 1.0, 0.1, feature=0, p_adopt=1.0), Option(NEED, 1.0, 0.2, feature=1)], 0.0)
    assert plan.calls == 0


def test_plan_gain_changes_the_choice() -> None:
    wanted = Option(NEED, 1.0, 0.3, feature=3, p_adopt=0.8)  # what the customer bought for
    scored = Option(NEED, 1.0, 0.0, feature=0, p_adopt=0.8)  # what the plan pays for
    assert choose(csm(PaysForFeatureA(), gaming=0.0), [wanted, scored], 0.0) is wanted
    assert choose(csm(PaysForFeatureA(), gaming=0.5), [wanted, scored], 0.0) is scored


def test_ties_go_to_the_first_option() -> None:
    first, second = Option(NEED, 1.0, 0.2), Option(NEED, 1.0, 0.2)
    assert choose(csm(NoIncentive()), [first, second], 0.0) is first


def test_discretionary_work_below_the_floor_is_skipped_but_required_work_is_not() -> None:
    who = csm(NoIncentive(), floor=0.05)
    weak_touch = Option(TOUCH, 1.0, 0.01, discretionary=True)
    assert choose(who, [weak_touch], 0.0) is None
    weak_need = Option(NEED, 1.0, 0.001)
    assert choose(who, [weak_touch, weak_need], 0.0) is weak_need
    good_touch = Option(TOUCH, 1.0, 0.2, discretionary=True)
    assert choose(who, [weak_need, good_touch], 0.0) is good_touch


def test_zero_hour_options_are_not_infinitely_good() -> None:
    who = csm(NoIncentive())
    assert score(who, Option(NEED, 0.0, 0.1), 0.0) == pytest.approx(0.1 / 0.05)


@given(
    st.sampled_from([NEED, TOUCH, "prep"]), st.floats(0, 10), st.floats(-1, 1), st.integers(-1, 3), st.floats(0, 1),
    st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["", "checkin", "qbr", "quick"]),
)  # fmt: skip
def test_new_option_is_the_option_the_class_builds(
    kind: str,
    hours: float,
    worth: float,
    feature: int,
    p: float,
    jit: bool,
    activity: bool,
    discretionary: bool,
    touch_kind: str,
) -> None:
    """The engine's class-call-free constructor sets every field as ``Option(...)`` does."""
    who, need, payload = object(), object(), object()
    fast = new_option(kind, hours, worth, who, feature, p, jit, activity, discretionary, need, touch_kind, payload)  # type: ignore[arg-type]
    plain = Option(kind, hours, worth, who, feature=feature, p_adopt=p, jit=jit, activity=activity,  # type: ignore[arg-type]
                   discretionary=discretionary, need=need, touch_kind=touch_kind, payload=payload)  # type: ignore[arg-type]  # fmt: skip
    assert type(fast) is Option
    assert {name: getattr(fast, name) for name in Option.__slots__} == {n: getattr(plain, n) for n in Option.__slots__}
