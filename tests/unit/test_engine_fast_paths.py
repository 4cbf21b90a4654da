"""Hot paths written out for speed must equal the rules they inline, exactly (same floats).

Each fast path keeps the arithmetic of the composed rules in the same order, so a run's
tables stay identical for the same seed; these tests pin that on random states.
"""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import simulate
from simulator.model import benefit
from simulator.model.benefit import need_guidance
from simulator.model.customer import NEVER, Customer
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import ADOPT, PROBLEM, Need
from simulator.model.segment import SegmentRules
from simulator.scenario.schema import Scenario

SCENARIO = Scenario()
FEATURES = FeatureSet(SCENARIO.product)
HEALTH = HealthRules(SCENARIO.health, FEATURES)
RULES = SegmentRules(SCENARIO, "customers", FEATURES)


def composed_guidance(health: HealthRules, need: Need, now: float) -> tuple[float, float, bool]:
    """need_guidance as the rules compose it (the form the fast path was written out from)."""
    c = need.customer
    rules = c.rules
    lateness = now - need.arise_day - rules.window_days
    jit = lateness <= 0
    wanted = c.wants(need.feature)
    if need.kind == ADOPT:
        p = rules.guided_chance(wanted, lateness)
        alone = rules.features.self_serve[need.feature]
        value_gain = (p - alone) / c.n_desired if wanted and p > alone and not c.has(need.feature) else 0.0
    else:
        p = 0.0
        value_gain = rules.problem_drop / c.n_desired if wanted else 0.0
    return health.satisfaction_gain(c, value_gain, 1.0 if jit else 0.0, True, now), p, jit


def build(desired: int, adopted: int, contact: float | None, history: list[tuple[float, bool]]) -> Customer:
    c = Customer(1, "customers", RULES, "pool", 0.0, 10_000.0, desired)
    c.adopted = adopted
    c.last_contact = NEVER if contact is None else contact
    for day, jit in sorted(history):
        c.record_service(day, jit, HEALTH.resp_days, day)
    return c


days = st.floats(min_value=0, max_value=400, allow_nan=False)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    desired=st.integers(1, FEATURES.full),
    adopted=st.integers(0, FEATURES.full),
    contact=st.none() | days,
    history=st.lists(st.tuples(days, st.booleans()), max_size=6),
    kind=st.sampled_from([ADOPT, PROBLEM]),
    feature=st.integers(0, FEATURES.count - 1),
    arise=days,
    wait=st.floats(min_value=0, max_value=60, allow_nan=False),
)
def test_need_guidance_equals_the_composed_rules(
    desired: int,
    adopted: int,
    contact: float | None,
    history: list[tuple[float, bool]],
    kind: str,
    feature: int,
    arise: float,
    wait: float,
) -> None:
    now = max([arise, *(d for d, _ in history), contact or 0.0]) + wait
    fast_customer = build(desired, adopted, contact, history)
    slow_customer = build(desired, adopted, contact, history)
    fast = need_guidance(HEALTH, Need(1, fast_customer, kind, feature, arise, 0.5), now)
    slow = composed_guidance(HEALTH, Need(1, slow_customer, kind, feature, arise, 0.5), now)
    assert fast == slow


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    desired=st.integers(1, FEATURES.full),
    adopted=st.integers(0, FEATURES.full),
    contact=st.none() | days,
    touch=st.none() | days,
    wait=st.floats(min_value=0, max_value=400, allow_nan=False),
)
def test_touch_base_equals_contact_plus_discovery(
    desired: int, adopted: int, contact: float | None, touch: float | None, wait: float
) -> None:
    c = build(desired, adopted, contact, [])
    if touch is not None:
        c.last_touch = touch
    now = max(contact or 0.0, touch or 0.0) + wait
    composed = HEALTH.satisfaction_gain(c, 0.0, 0.0, True, now) + benefit.discovery(HEALTH, c, now)
    assert benefit.touch_base(HEALTH, c, now) == composed
    assert benefit.contact(HEALTH, c, now) == HEALTH.satisfaction_gain(c, 0.0, 0.0, True, now)


@pytest.mark.parametrize("enabled", [True, False])
def test_simulate_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """The run switches the cyclic collector off for speed and must hand it back unchanged."""
    scenario = Scenario.model_validate({"horizon_months": 2, "warmup_months": 1})
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        simulate(scenario, 0)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
