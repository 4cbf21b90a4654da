"""Unit tests of the clock-free model rules: health, renewal, need picking, adoption chances."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.customer import Customer
from simulator.model.features import FeatureSet
from simulator.model.health import GREEN, RED, YELLOW, HealthRules
from simulator.model.need import ADOPT, PROBLEM, Need, new_need, pick
from simulator.model.renewal import RenewalRules, logistic, logit
from simulator.model.segment import SegmentRules
from simulator.scenario.schema import Renewal, Scenario

SCENARIO = Scenario()  # default product: A, B sticky and heavily weighted; C, D valuable
FEATURES = FeatureSet(SCENARIO.product)
HEALTH = HealthRules(SCENARIO.health, FEATURES)
RULES = SegmentRules(SCENARIO, "customers", FEATURES)
A, B, C, D = 0, 1, 2, 3


def customer(desired: int, adopted: int = 0) -> Customer:
    c = Customer(1, "customers", RULES, "pool", 0.0, 10_000.0, desired)
    c.adopted = adopted
    return c


def test_engagement_and_stickiness_tables() -> None:
    assert FEATURES.engagement(0) == 0 and FEATURES.engagement(FEATURES.full) == pytest.approx(1.0)
    assert FEATURES.engagement(1 << A | 1 << B) == pytest.approx(0.7)
    assert FEATURES.sticky(1 << A | 1 << C) == pytest.approx(0.7)
    assert FEATURES.label(1 << B | 1 << D) == "B+D"


def test_value_counts_only_wanted_features() -> None:
    c = customer(desired=1 << B | 1 << D, adopted=1 << A | 1 << B)  # the seeds' customer pushed onto A and B
    assert c.value == 0.5
    assert HEALTH.engagement(c) == pytest.approx(0.7)


def test_health_components_and_bands() -> None:
    c = customer(desired=1 << C, adopted=1 << C)
    assert HEALTH.relationship(c, 10.0) == 0.0  # never contacted
    c.contact(0.0)
    assert HEALTH.relationship(c, 60.0) == pytest.approx(math.exp(-1))
    assert HEALTH.responsiveness(c, 60.0) == 0.5  # prior: no recent needs
    c.record_service(50.0, True, 180, 60.0)
    c.record_service(55.0, False, 180, 60.0)
    assert HEALTH.responsiveness(c, 60.0) == 0.5
    assert HEALTH.responsiveness(c, 232.0) == 0.0  # the on-time need (day 50) is forgotten, the late one not
    assert HEALTH.responsiveness(c, 240.0) == 0.5  # both forgotten: back to the prior
    e, v, r, rel = HEALTH.components(c, 60.0)
    assert HEALTH.score(c, 60.0) == pytest.approx(0.3 * e + 0.4 * v + 0.2 * r + 0.1 * rel)
    assert (HEALTH.band(0.39), HEALTH.band(0.4), HEALTH.band(0.7)) == (RED, YELLOW, GREEN)


def test_satisfaction_gain_excludes_engagement() -> None:
    c = customer(desired=1 << C)
    gain = HEALTH.satisfaction_gain(c, value_gain=1.0, jit_gain=0.0, contact=False, now=0.0)
    assert gain == pytest.approx(0.4 / 0.7)  # value's weight among value, responsiveness, relationship


def test_churn_is_base_with_every_effect_off() -> None:
    rules = RenewalRules(Renewal(base_churn=0.13, stickiness_effect=0, value_effect=0, responsiveness_effect=0,
                                 relationship_effect=0))  # fmt: skip
    for state in [(0, 0, 0, 0), (3, 1, 1, 1), (1.2, 0.3, 0.9, 0.0)]:
        assert rules.churn_probability(*state) == pytest.approx(0.13)


def test_churn_moves_with_each_effect() -> None:
    rules = RenewalRules(Renewal())
    base = rules.churn_probability(0.0, 0.5, 0.5, 0.5)
    assert base == pytest.approx(0.10)
    assert rules.churn_probability(1.2, 0.5, 0.5, 0.5) == pytest.approx(logistic(logit(0.1) - 1.2))
    assert rules.churn_probability(0.0, 1.0, 0.5, 0.5) < base < rules.churn_probability(0.0, 0.0, 0.5, 0.5)
    assert rules.churn_probability(0.0, 0.5, 0.5, 0.0) > base


def test_renewal_outcome_uses_the_given_uniforms() -> None:
    rules = RenewalRules(Renewal(expansion_prob=0.2, contraction_prob=0.1, expansion_size=0.2))
    assert rules.outcome(100.0, 0.3, 0.5, 0.29, 0.0, 0.5).churned
    kept = rules.outcome(100.0, 0.3, 0.5, 0.31, 0.1, math.exp(-1))
    assert not kept.churned and kept.arr_after == pytest.approx(120.0)  # size: -log(u) = 1 times the mean 0.2
    assert rules.outcome(100.0, 0.3, 0.5, 0.31, 0.25, 0.5).arr_after < 100.0  # contraction band
    assert rules.outcome(100.0, 0.3, 0.5, 0.31, 0.5, 0.5).arr_after == 100.0


def test_pick_prefers_wanted_features_and_problems_need_adoption() -> None:
    c = customer(desired=1 << D)
    assert pick(c, 0.0, 0.0) == (ADOPT, D)  # nothing adopted: no problem possible, wanted first
    assert pick(c, 0.9, 0.85)[0] == ADOPT and pick(c, 0.9, 0.85)[1] in (A, B, C)  # beyond desired_need_share
    c.adopted = 1 << A
    assert pick(c, 0.1, 0.0) == (PROBLEM, A)
    c.adopted = FEATURES.full
    assert pick(c, 0.9, 0.5)[0] == PROBLEM  # nothing left to adopt


def test_guided_chance_decays_when_late_and_for_unwanted() -> None:
    assert RULES.guided_chance(True, -1.0) == pytest.approx(0.8)
    assert RULES.guided_chance(True, 0.0) == pytest.approx(0.8)
    late = RULES.guided_chance(True, 14.0)
    assert late == pytest.approx(0.8 * 0.5 * math.exp(-1))
    assert RULES.guided_chance(False, -1.0) == pytest.approx(0.8 * 0.4)
    assert RULES.push_chance(True) == 0.3 and RULES.push_chance(False) == pytest.approx(0.12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 400), st.booleans(), st.floats(0, 60), st.booleans()), max_size=40))
def test_recent_count_and_oldest_day_follow_the_remembered_needs(events: list[tuple[float, bool, float, bool]]) -> None:
    """``recent_n`` and ``recent_from`` (read instead of the deque on hot paths) stay equal
    to its length and its oldest arise day through record_service and forget_before."""
    c = customer(desired=1 << A)
    now = 0.0
    for arise, jit, step, forget in events:
        now += step
        if forget:
            c.forget_before(now - 90)
        else:
            c.record_service(min(arise, now), jit, 90, now)
        recent = c.recent or ()
        assert c.recent_n == len(recent)
        assert c.recent_from == (recent[0][0] if recent else math.inf)
        assert c.recent_jit == sum(j for _, j in recent)


def test_new_need_is_the_need_the_class_builds() -> None:
    """The engine's class-call-free constructor sets every field as ``Need(...)`` does."""
    c = customer(desired=1 << A)
    fast, plain = new_need(7, c, ADOPT, B, 12.5, 0.25), Need(7, c, ADOPT, B, 12.5, 0.25)
    assert type(fast) is Need
    unset = object()  # ``offer`` stays unset until a pooled team queues the need, on both
    fields = {name: getattr(fast, name, unset) for name in Need.__slots__}
    assert repr(fields) == repr({name: getattr(plain, name, unset) for name in Need.__slots__})  # NaN equal
