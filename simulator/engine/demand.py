"""Demand, drawn before the run: who signs when, for what ARR and features, and every
need, renewal and survey date with the uniforms that will decide it.

This is what makes common random numbers hold: demand is drawn here, vectorised, from
segment-level named streams (``arrivals:<segment>``, ``arr:<segment>``, ...), and never
from a stream the staffing or the plan could advance. Changing headcount, coverage or the
plan leaves every customer's signing day, ARR, desired features, need times and renewal
luck identical; only whether a drawn event still *applies* (the customer is live, has not
churned) depends on the run. Thinning a Poisson process by a state known at the time
leaves it Poisson, so needs of live customers arrive at exactly ``needs_per_month``.

The result is one time-ordered *timeline* of demand events with four uniforms each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.engine.streams import Streams
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

SIGN, PREP, RENEW, NEED, SURVEY = range(5)
"""Timeline event kinds; at equal times they happen in this order."""

PAYLOAD = 4
"""Uniforms per event. NEED: kind, feature, detection, outcome. RENEW: churn, change,
size. SURVEY: response, standard normal noise."""


@dataclass(frozen=True)
class Demand:
    """Customers (index = customer id) and the timeline of their events."""

    segment: list[str]
    signed_day: list[float]
    arr: list[float]
    desired: list[int]
    adopted0: list[int]
    initial: list[bool]
    times: np.ndarray
    kinds: np.ndarray
    owners: np.ndarray
    payload: np.ndarray

    @property
    def size(self) -> int:
        return len(self.segment)


def draw_demand(scenario: Scenario, streams: Streams) -> Demand:
    """Draw every segment's demand and merge it into one timeline (segments in file order)."""
    parts = [_segment(scenario, name, streams) for name in scenario.segments]
    offset = 0
    events = []
    for part in parts:
        times, kinds, owners, payload = part.events
        events.append((times, kinds, owners + offset, payload))
        offset += len(part.signed)
    times = np.concatenate([e[0] for e in events])
    kinds = np.concatenate([e[1] for e in events])
    owners = np.concatenate([e[2] for e in events])
    payload = np.concatenate([e[3] for e in events])
    order = np.lexsort((owners, kinds, times))
    return Demand(
        segment=[name for part in parts for name in [part.name] * len(part.signed)],
        signed_day=[float(x) for part in parts for x in part.signed],
        arr=[float(x) for part in parts for x in part.arr],
        desired=[int(x) for part in parts for x in part.desired],
        adopted0=[int(x) for part in parts for x in part.adopted0],
        initial=[bool(x) for part in parts for x in part.initial],
        times=times[order],
        kinds=kinds[order].astype(np.int8),
        owners=owners[order],
        payload=payload[order],
    )


@dataclass
class _Part:
    name: str
    signed: np.ndarray
    arr: np.ndarray
    desired: np.ndarray
    adopted0: np.ndarray
    initial: np.ndarray
    events: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _segment(scenario: Scenario, name: str, streams: Streams) -> _Part:
    seg = scenario.segments[name]
    horizon = scenario.horizon_days
    term = seg.contract_months * DAYS_PER_MONTH
    rng = streams[f"arrivals:{name}"]
    n_new = int(rng.poisson(seg.new_per_month * scenario.horizon_months))
    new_days = np.sort(rng.uniform(0.0, horizon, n_new))
    first_renewal = streams[f"contracts:{name}"].uniform(0.0, term, seg.initial_customers)
    signed = np.concatenate([first_renewal - term, new_days])
    initial = np.arange(len(signed)) < seg.initial_customers
    arr = np.asarray(seg.arr.sample(streams[f"arr:{name}"], len(signed)), dtype=float)
    desired, adopted0 = _features(scenario, name, streams, len(signed), initial)
    start = np.where(initial, 0.0, signed)
    team = scenario.teams[seg.team]
    prep_hours = getattr(team, "renewal_prep_hours", None)
    prepared = prep_hours is not None and prep_hours.mean > 0
    events = [
        _signings(start),
        _renewals(signed, term, horizon, streams, name),
        _prep(signed[:0] if not prepared else signed, term, horizon),
        _needs(start, horizon, seg.needs_per_month / DAYS_PER_MONTH, streams, name),
        _surveys(scenario, start, horizon, streams, name),
    ]
    merged = tuple(np.concatenate([e[i] for e in events]) for i in range(4))
    return _Part(name, signed, arr, desired, adopted0, initial, merged)  # type: ignore[arg-type]


def _features(
    scenario: Scenario, name: str, streams: Streams, n: int, initial: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Desired feature masks (at least one feature each) and initial customers' adoption."""
    probs = np.array(list(scenario.desired_probs(name).values()))
    u = streams[f"desired:{name}"].random((n, len(probs)))
    wants = u < probs
    none = ~wants.any(axis=1)
    if none.any():  # a customer bought for something: the feature it came closest to wanting
        closest = np.argmin(u[none] - probs, axis=1)
        wants[np.flatnonzero(none), closest] = True
    share = scenario.segments[name].initial_adoption
    uses = wants & initial[:, None] & (streams[f"adoption:{name}"].random((n, len(probs))) < share)
    bits = 1 << np.arange(len(probs))
    return (wants * bits).sum(axis=1), (uses * bits).sum(axis=1)


_Events = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _signings(times: np.ndarray) -> _Events:
    """Initial customers 'sign' (appear, already live) at time 0, the rest on their signing day."""
    return times, np.full(len(times), SIGN), np.arange(len(times)), np.zeros((len(times), PAYLOAD))


def _periodic(first: np.ndarray, every: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, owners) of ``first + k * every`` for k >= 0 while < horizon, per owner."""
    counts = np.maximum(np.ceil((horizon - first) / every), 0).astype(np.int64)
    owners = np.repeat(np.arange(len(first)), counts)
    starts = np.cumsum(counts) - counts
    k = np.arange(counts.sum()) - np.repeat(starts, counts)
    return first[owners] + k * every, owners


def _renewals(signed: np.ndarray, term: float, horizon: float, streams: Streams, name: str) -> _Events:
    times, owners = _periodic(signed + term, term, horizon)
    later = times > 0  # initial customers' renewals before time 0 already happened
    times, owners = times[later], owners[later]
    payload = np.zeros((len(times), PAYLOAD))
    payload[:, :3] = streams[f"renewals:{name}"].random((len(times), 3))
    return times, np.full(len(times), RENEW), owners, payload


PREP_LEAD_DAYS = 30.0
"""Renewal preparation becomes due this many days before the renewal (capped at half a short term)."""


def _prep(signed: np.ndarray, term: float, horizon: float) -> _Events:
    lead = min(PREP_LEAD_DAYS, term / 2)
    times, owners = _periodic(signed + term - lead, term, horizon)
    later = times >= 0
    times, owners = times[later], owners[later]
    return times, np.full(len(times), PREP), owners, np.zeros((len(times), PAYLOAD))


def _needs(start: np.ndarray, horizon: float, rate: float, streams: Streams, name: str) -> _Events:
    rng = streams[f"needs:{name}"]
    span = np.maximum(horizon - start, 0.0)
    counts = rng.poisson(rate * span)
    owners = np.repeat(np.arange(len(start)), counts)
    times = start[owners] + rng.random(len(owners)) * span[owners]
    payload = rng.random((len(owners), PAYLOAD))
    return times, np.full(len(times), NEED), owners, payload


def _surveys(scenario: Scenario, start: np.ndarray, horizon: float, streams: Streams, name: str) -> _Events:
    every = scenario.nps.every_months * DAYS_PER_MONTH
    rng = streams[f"surveys:{name}"]
    first = start + rng.random(len(start)) * every
    times, owners = _periodic(first, every, horizon)
    payload = np.zeros((len(times), PAYLOAD))
    payload[:, 0] = rng.random(len(times))
    payload[:, 1] = rng.standard_normal(len(times))
    answers = payload[:, 0] < scenario.nps.response_rate  # non-answers need no event
    return times[answers], np.full(int(answers.sum()), SURVEY), owners[answers], payload[answers]
