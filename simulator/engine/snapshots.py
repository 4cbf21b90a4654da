"""Boundary bookkeeping: the monthly time series and the compensation-period rows.

Both are O(customers) or O(CSMs) once per boundary, never per event. Health bands are
counted over live customers (onboarding ones have no health yet).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.engine.world import World
from simulator.model.health import GREEN, RED
from simulator.scenario.schema import DAYS_PER_MONTH

_EPS = 1e-9


def months(world: World) -> Generator[simpy.Event, Any, None]:
    """A snapshot at every month boundary from time 0 to the horizon."""
    env = world.env
    month = 0
    last = 0.0
    horizon = world.scenario.horizon_days
    yield env.timeout(0)  # after time 0's signings, which were scheduled first
    while True:
        now = env.now
        for csm in world.csms:
            world.recorder.credit(csm, now)
        timeseries_row(world, month, now, last)
        last = now
        month += 1
        if month * DAYS_PER_MONTH > horizon + _EPS:
            return
        yield env.timeout(max(month * DAYS_PER_MONTH - now, 0.0))


def timeseries_row(world: World, month: int, now: float, last: float) -> None:
    health = world.health
    green = red = live = 0
    arr = value = engagement = 0.0
    for c in world.active.values():
        arr += c.arr
        if c.live:
            live += 1
            value += c.value
            engagement += health.engagement(c)
            band = health.band(health.score(c, now))
            green += band == GREEN
            red += band == RED
    active_days = sum(max(0.0, min(now, x.leave_day) - max(last, x.hire_day)) for x in world.csms)
    rec = world.recorder
    busy, rec.month_busy_days = rec.month_busy_days, 0.0
    backlog = sum(team.queue.length for team in world.coverage.values())
    uncovered = sum(len(getattr(team, "uncovered", ())) for team in world.coverage.values())
    rec.timeseries.append(
        (month, now, len(world.active), arr, green, live - green - red, red, backlog,
         sum(1 for x in world.csms if x.active), busy / active_days if active_days > 0 else float("nan"), uncovered,
         live, value / live if live else float("nan"), engagement / live if live else float("nan"))
    )  # fmt: skip


def pay_periods(world: World, team: str, components: tuple[str, ...]) -> Generator[simpy.Event, Any, None]:
    """At each of ``team``'s compensation period ends, pay every CSM active in the period."""
    env = world.env
    horizon = world.scenario.horizon_days
    length = world.scenario.compensation_for(team).period_months * DAYS_PER_MONTH
    period = 0
    start = 0.0
    while start < horizon - _EPS:
        end = min(start + length, horizon)
        yield env.timeout(max(end - env.now, 0.0))
        close_period(world, team, period, start, end, components)
        period += 1
        start = end


def close_period(world: World, team: str, period: int, start: float, end: float, components: tuple[str, ...]) -> None:
    rec = world.recorder
    for csm in world.csms:
        if csm.team != team or csm.hire_day >= end or csm.leave_day <= start:
            continue
        rec.credit(csm, env_now := world.env.now)
        payout = csm.incentive.close_period(csm, period, start, end)
        rec.period_row(csm, period, start, min(end, env_now), payout, components)
