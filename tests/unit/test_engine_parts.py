"""Engine parts in isolation: the agenda's ordering, the demand draw, the monthly snapshot."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from simulator.engine.agenda import Agenda
from simulator.engine.demand import NEED, RENEW, SIGN, SURVEY, draw_demand
from simulator.engine.snapshots import _customer_state
from simulator.engine.streams import Streams
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.schema import Scenario


def agenda_with(times: list[float], kinds: list[int], log: list[tuple[str, float]]) -> tuple[simpy.Environment, Agenda]:
    env = simpy.Environment()
    handlers = [lambda owner, u, k=k: log.append((f"t{k}:{owner}", env.now)) for k in range(5)]
    n = len(times)
    agenda = Agenda(env, np.array(times, float), np.array(kinds), np.arange(n), np.zeros((n, 4)), handlers)
    return env, agenda


def test_timeline_and_follow_ups_run_in_time_order() -> None:
    log: list[tuple[str, float]] = []
    env, agenda = agenda_with([1.0, 2.0, 5.0], [0, 1, 0], log)
    agenda.at(3.0, lambda a: log.append((a, env.now)), "heap")
    agenda.at(2.0, lambda a: log.append((a, env.now)), "tie")  # same time as a timeline row: after it
    env.run(until=10)
    assert log == [("t0:0", 1.0), ("t1:1", 2.0), ("tie", 2.0), ("heap", 3.0), ("t0:2", 5.0)]


def test_lines_skip_entries_that_died() -> None:
    log: list[tuple[str, float]] = []
    env, agenda = agenda_with([], [], log)
    line = agenda.line(lambda a: log.append((a.name, env.now)), live=("open",))
    env.process(_pusher(env, line))
    env.run(until=20)
    assert log == [("a", 4.0), ("c", 6.0)]


class _Item:
    def __init__(self, name: str, state: str = "open") -> None:
        self.name, self.state = name, state


def _pusher(env: simpy.Environment, line: object) -> object:
    line.push(4.0, _Item("a"))  # type: ignore[attr-defined]
    b = _Item("b")
    line.push(5.0, b)  # type: ignore[attr-defined]
    yield env.timeout(1.0)
    b.state = "done"  # b dies before it is due: skipped
    line.push(6.0, _Item("c"))  # type: ignore[attr-defined]


def _scenario(**sets: object) -> Scenario:
    base = {"horizon_months": 24, "segments": {"a": {"initial_customers": 50, "new_per_month": 4}}}
    return Scenario.model_validate(apply_overrides(base, dict(sets)))


def test_demand_does_not_depend_on_staffing_or_coverage() -> None:
    one = draw_demand(_scenario(), Streams(1, 0))
    other = draw_demand(_scenario(**{"teams": {"x": {"coverage": "named", "csms": 9}},
                                     "segments.a.team": "x"}), Streams(1, 0))  # fmt: skip
    assert one.signed_day == other.signed_day and one.arr == other.arr and one.desired == other.desired
    needs_one = one.times[one.kinds == NEED]
    assert np.array_equal(needs_one, other.times[other.kinds == NEED])


def test_demand_timeline_is_sorted_and_complete() -> None:
    d = draw_demand(_scenario(), Streams(1, 0))
    assert np.all(np.diff(d.times) >= 0)
    assert (d.kinds == SIGN).sum() == d.size
    assert sum(d.initial) == 50 and all(d.signed_day[i] < 0 for i in range(50))
    assert all(1 <= m < 16 for m in d.desired)  # everyone bought for something
    renewals = d.owners[d.kinds == RENEW]
    assert np.bincount(renewals[renewals < 50]).max() <= 2  # at most two renewals of a 12-month term in 24 months
    assert (d.kinds == SURVEY).sum() > 0


def test_need_counts_are_poisson_at_the_segment_rate() -> None:
    s = _scenario(**{"segments.a.initial_customers": 2000, "segments.a.new_per_month": 0,
                     "segments.a.needs_per_month": 0.5})  # fmt: skip
    d = draw_demand(s, Streams(4, 0))
    count = int((d.kinds == NEED).sum())
    expected = 2000 * 0.5 * 24
    assert abs(count - expected) <= 3 * expected**0.5


def test_snapshot_health_matches_the_health_rules() -> None:
    from simulator.engine.world import World

    scenario = _scenario(**{"segments.a.initial_customers": 30})
    env = simpy.Environment()
    world = World(scenario, 0, draw_demand(scenario, Streams(scenario.seed, 0)), env)
    from simulator.engine.coverage import COVERAGE

    world.coverage["pool"] = COVERAGE["pooled"](world, "pool", scenario.teams["pool"])
    env.run(until=1.0)
    customers = list(world.active.values())
    customers[0].contact(0.5)
    customers[1].record_service(0.2, True, 180, 0.5)
    live, arr, value, engagement, green, red = _customer_state(world, 0.9)
    scores = [world.health.score(c, 0.9) for c in customers]
    assert live == 30 and arr == pytest.approx(sum(c.arr for c in customers))
    assert green == sum(s >= 0.7 for s in scores) and red == sum(s < 0.4 for s in scores)
    assert value == pytest.approx(sum(c.value for c in customers))
    assert engagement == pytest.approx(sum(world.health.engagement(c) for c in customers))
    table: dict[int, tuple[float, float, float]] = {}
    assert _customer_state(world, 0.9, table) == (live, arr, value, engagement, green, red)
    assert table and _customer_state(world, 0.9, table) == (live, arr, value, engagement, green, red)  # filled
