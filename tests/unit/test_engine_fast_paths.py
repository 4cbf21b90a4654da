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
from simulator.engine.agenda import Agenda
from simulator.engine.coverage import Coverage
from simulator.engine.work import TaskEnd, Work
from simulator.model import benefit
from simulator.model.benefit import need_guidance
from simulator.model.csm import Csm
from simulator.model.customer import NEVER, Customer
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import ADOPT, DONE, JIT, PROBLEM, Need, pick
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


def composed_pick(customer: Customer, u_kind: float, u_feature: float) -> tuple[str, int] | None:
    """need.pick as written before its candidates were tabulated (the reference)."""
    rules = customer.rules
    members = rules.features.members
    used = customer.adopted
    unused = rules.features.full & ~used
    if used and (u_kind < rules.problem_share or not unused):
        options = members(used)
        return PROBLEM, options[min(int(u_feature * len(options)), len(options) - 1)]
    if not unused:
        return None
    wanted = members(unused & customer.desired)
    others = members(unused & ~customer.desired)
    share = rules.desired_share if wanted and others else (1.0 if wanted else 0.0)
    if u_feature < share:
        group, u = wanted, u_feature / share
    else:
        group, u = others, (u_feature - share) / (1.0 - share)
    return ADOPT, group[min(int(u * len(group)), len(group) - 1)]


unit = st.floats(min_value=0, max_value=1, exclude_max=True)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    desired=st.integers(1, FEATURES.full),
    adopted=st.integers(0, FEATURES.full),
    draws=st.lists(st.tuples(unit, unit), min_size=1, max_size=4),
)
def test_tabulated_pick_equals_the_composed_rule(desired: int, adopted: int, draws: list[tuple[float, float]]) -> None:
    c = build(desired, adopted, None, [])
    for u_kind, u_feature in draws:  # the second and later picks read the table
        assert pick(c, u_kind, u_feature) == composed_pick(c, u_kind, u_feature)


def plain_begin_need(self: Work, csm: Csm, team: Coverage, need: Need, p_adopt: float, now: float) -> None:
    """Work.begin_need through the calls it writes out (start_service, duration_days, _schedule)."""
    self.world.start_service(need, csm)
    c = need.customer
    dist = c.rules.features.hours[need.feature] if need.kind == ADOPT else c.rules.problem_hours
    hours = self.hours[team.name].draw(dist)
    csm.busy, csm.task_kind, csm.task_from = True, "need", now
    end = self._end_of(csm, team)
    end.option, end.need, end.p_adopt = None, need, p_adopt
    self._schedule(end, csm.duration_days(hours, now))


def plain_ended(self: Work, end: TaskEnd) -> None:
    """Work._ended and World.work_done for a need through the calls they write out (the
    recorder's credit, the customer's record_service, the incentive's hook)."""
    if end.option is not None:
        assert end.team is not None
        self._finish(end.csm, end.team, end.option, end.hours, end.started)
        return
    world, csm, need = self.world, end.csm, end.need
    assert need is not None
    now = self.env._now
    world.recorder.credit(csm, now)
    csm.busy = False
    c = need.customer
    need.end_day, need.state = now, DONE
    c.open_needs.remove(need)
    jit = need.fate == JIT
    if not c.churned:
        if need.kind == ADOPT and not c.has(need.feature) and need.u_outcome < end.p_adopt:
            need.adopted = True
            world.adopt(c, need.feature, csm)
        c.record_service(need.arise_day, jit, world.health.resp_days, now)
        c.contact(now)
        csm.incentive.on_need_met(csm, c, need, jit, now)
    world.recorder.need_row(need)
    self.start_next(csm)


@settings(max_examples=8, derandomize=True, deadline=None)
@given(seed=st.integers(0, 10_000), csms=st.integers(1, 3), expiry=st.sampled_from([None, 10.0]))
def test_written_out_need_start_and_end_give_the_plain_calls_tables(seed: int, csms: int, expiry: float | None) -> None:
    scenario = Scenario.model_validate({
        "horizon_months": 3, "warmup_months": 1, "seed": seed,
        "segments": {"a": {"initial_customers": 30, "new_per_month": 5, "team": "pool", "needs_per_month": 4.0,
                           "need_expiry_days": expiry}},
        "teams": {"pool": {"coverage": "pooled", "csms": csms, "sessions_per_month": 2.0}},
        "csm": {"annual_attrition": 3.0, "hiring_lag_days": 5, "ramp_months": 1},
    })  # fmt: skip
    fast = simulate(scenario, 0).tables()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Work, "begin_need", plain_begin_need)
        patch.setattr(Work, "_ended", plain_ended)
        plain = simulate(scenario, 0).tables()
    assert sum(1 for row in fast["needs"] if row[9] == row[9]) > 20, "the case must serve needs"
    assert {k: [repr(r) for r in v] for k, v in fast.items()} == {k: [repr(r) for r in v] for k, v in plain.items()}


@settings(max_examples=6, derandomize=True, deadline=None)
@given(seed=st.integers(0, 10_000), coverage=st.sampled_from(["pooled", "named"]), csms=st.integers(1, 3))
def test_task_ends_run_in_the_clock_loop_give_simpys_tables(seed: int, coverage: str, csms: int) -> None:
    """The agenda runs task ends that fall before its next item itself; handing every one
    back to SimPy (the wake queued, SimPy's step) must give the same tables."""
    scenario = Scenario.model_validate({
        "horizon_months": 3, "warmup_months": 1, "seed": seed,
        "segments": {"a": {"initial_customers": 30, "new_per_month": 5, "team": "t", "needs_per_month": 4.0}},
        "teams": {"t": {"coverage": coverage, "csms": csms}},
        "csm": {"annual_attrition": 3.0, "hiring_lag_days": 5},
    })  # fmt: skip
    inline = simulate(scenario, 0).tables()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Agenda, "_run_task_ends", lambda self, at, eid: False)
        stepped = simulate(scenario, 0).tables()
    assert {k: [repr(r) for r in v] for k, v in inline.items()} == {k: [repr(r) for r in v] for k, v in stepped.items()}
