"""Boundary bookkeeping: the monthly time series and the compensation-period rows.

Both are O(customers) or O(CSMs) once per boundary, never per event. Health bands are
counted over live customers (onboarding ones have no health yet).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any, Final

import simpy

from simulator.engine.world import World
from simulator.scenario.schema import DAYS_PER_MONTH

_EPS: Final = 1e-9

FeatureTable = dict[int, tuple[float, float, float]]
"""By ``adopted << feature count | desired``: (engagement, value, the health score's first two terms)."""


def months(world: World) -> Generator[simpy.Event, Any, None]:
    """A snapshot at every month boundary from time 0 to the horizon."""
    env = world.env
    month = 0
    last = 0.0
    horizon = world.scenario.horizon_days
    features: FeatureTable = {}  # filled by _customer_state, kept across months
    yield env.timeout(0)  # after time 0's signings, which were scheduled first
    while True:
        now = env.now
        for csm in world.csms:
            world.recorder.credit(csm, now)
        timeseries_row(world, month, now, last, features)
        last = now
        month += 1
        if month * DAYS_PER_MONTH > horizon + _EPS:
            return
        yield env.timeout(max(month * DAYS_PER_MONTH - now, 0.0))


def timeseries_row(world: World, month: int, now: float, last: float, features: FeatureTable | None = None) -> None:
    live, arr, value, engagement, green, red = _customer_state(world, now, features)
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


def _customer_state(
    world: World, now: float, table: FeatureTable | None = None
) -> tuple[int, float, float, float, int, int]:
    """(live, ARR, summed value, summed engagement, green, red) over the active customers.

    The one O(customers) pass of a month, so the health score is written out inline here
    (same formula as :meth:`HealthRules.score`; a unit test holds them equal). The part
    that depends only on the customer's features (engagement, value realised and
    ``we * e + wv * v``, the score's first two terms, added first so the float is the
    same) is looked up in ``table``, filled as feature pairs appear and kept across
    months by the caller. Churned customers have already left ``world.active``.
    """
    if table is None:
        table = {}
    health = world.health
    we, wv, wr, wrel = health.weights
    red_below, green_from, prior = health.red_below, health.green_from, health.prior
    horizon, rel_days = now - health.resp_days, health.rel_days
    engagement_of = world.features.engagement
    shift = world.features.count
    never = -math.inf
    unresponsive, uncontacted = wr * prior, wrel * 0.0
    green = red = live = 0
    arr = value = engagement = 0.0
    for c in world.active.values():
        arr += c.arr
        if c.live_day > now:  # still onboarding: no health yet
            continue
        live += 1
        key = c.adopted << shift | c.desired
        try:
            e, v, score = table[key]
        except KeyError:
            e = engagement_of(c.adopted)
            v = (c.adopted & c.desired).bit_count() / c.n_desired
            e, v, score = table[key] = (e, v, we * e + wv * v)
        if c.recent_n:  # c.recent, read through its count and oldest day (no deque, no tuple: see Customer)
            if c.recent_from < horizon:  # forget_before(horizon) has something to forget
                c.forget_before(horizon)
            n = c.recent_n
            score += wr * (c.recent_jit / n if n else prior)
        else:
            score += unresponsive
        last = c.last_contact
        score += wrel * math.exp((last - now) / rel_days) if last > never else uncontacted
        value += v
        engagement += e
        if score < red_below:
            red += 1
        elif score >= green_from:
            green += 1
    return live, arr, value, engagement, green, red


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
