"""One replication of a scenario, in fixed phases: build, run, collect.

``simulate(scenario, replication)`` is the engine's whole public surface: it draws the
demand, builds the teams and seats, runs SimPy to the horizon, and returns a
:class:`~simulator.engine.records.RunOutput`. The engine records everything from time 0;
warm-up is dropped by :mod:`simulator.results`.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

import simpy

from simulator.engine import named as _named  # noqa: F401  (registers the named coverage)
from simulator.engine.coverage import COVERAGE
from simulator.engine.demand import draw_demand
from simulator.engine.records import RunOutput
from simulator.engine.snapshots import months, pay_periods
from simulator.engine.staffing import Staffing
from simulator.engine.streams import Streams
from simulator.engine.world import World
from simulator.model.decisions import Incentive, NoIncentive
from simulator.scenario.schema import Scenario

END_MARGIN_DAYS = 1e-6
"""The run goes this far past the horizon so that boundary events at the horizon itself
(the last month's snapshot, the last pay period) happen."""


def simulate(scenario: Scenario, replication: int) -> RunOutput:
    """Simulate replication ``replication`` (0-based) of ``scenario``; same inputs, same tables."""
    with _without_cycle_collection():
        return _simulate(scenario, replication)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off for the run, back as it was afterwards.

    A run allocates millions of small objects (needs, options, rows) and keeps many alive,
    so the collector's full passes grow with the live heap: measured 23% of a run at
    10,000 customers and 27% at 100,000, for nothing: the engine's garbage is freed by
    reference counting (a run creates almost no cycles: 10 objects collected in a
    100,000-customer run, and peak RSS is the same with the collector off).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _simulate(scenario: Scenario, replication: int) -> RunOutput:
    env = simpy.Environment()
    world = World(scenario, replication, draw_demand(scenario, Streams(scenario.seed, replication)), env)
    for name, spec in scenario.teams.items():
        world.coverage[name] = COVERAGE[spec.coverage](world, name, spec)
    incentives = {name: incentive_for(scenario, name) for name in scenario.teams}
    staffing = Staffing(world, incentives)
    staffing.start()
    components = _components(incentives)
    env.process(months(world))
    for team in world.coverage.values():
        sessions = getattr(team, "sessions", None)
        if sessions is not None:
            env.process(sessions())
    for name, team in world.coverage.items():
        if team.human:
            env.process(pay_periods(world, name, components))
    env.run(until=scenario.horizon_days + END_MARGIN_DAYS)
    return _collect(world, components, replication)


def incentive_for(scenario: Scenario, team: str) -> Incentive:
    """The team's incentive: ``simulator.model.plans.incentive_for`` once the plans layer
    provides it, else salary only (no plan gain, no payout)."""
    if importlib.util.find_spec("simulator.model.plans") is not None:
        plans = importlib.import_module("simulator.model.plans")
        factory = getattr(plans, "incentive_for", None)
        if factory is not None:
            built: Incentive = factory(scenario, team)
            return built
    return NoIncentive()


def _components(incentives: dict[str, Incentive]) -> tuple[str, ...]:
    names: list[str] = []
    for incentive in incentives.values():
        for name in getattr(incentive, "components", ()):
            if name not in names:
                names.append(name)
    return tuple(names)


def _collect(world: World, components: tuple[str, ...], replication: int) -> RunOutput:
    world.finish()
    rec = world.recorder
    queues = [team.queue.row(world.now) for team in world.coverage.values()]
    return RunOutput(
        customers=rec.customers, needs=rec.needs, csms=rec.csms, timeseries=rec.timeseries, touches=rec.touches,
        renewals=rec.renewals, surveys=rec.surveys, queues=queues, csm_components=components,
        replication=replication,
    )  # fmt: skip


__all__ = ["incentive_for", "simulate"]
