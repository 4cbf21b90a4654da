"""The same M/M/c queue written three other ways, to put cssim's pooled team in context.

- :func:`heapq_loop`: a hand-written event loop (one heap of arrivals and departures), the
  practical speed limit of a pure-Python discrete-event simulation of this queue
  (:func:`lindley`, a recursion with no event list, is the floor below it);
- :func:`simpy_resource`: the textbook SimPy version, one process per need and a
  ``simpy.Resource`` with ``c`` slots;
- :func:`ciw_network`: Ciw, the queueing-network library, one node with ``c`` servers.

And, for the scaling goal, :func:`customer_loop`: the heapq loop's mechanics at the scale
of a customer base, one pending event per customer (the floor under cssim's scaling).

The heapq, Lindley and SimPy versions share one set of pre-drawn inter-arrival and service times
(numpy, seeded), so their waits must agree need for need: a FIFO M/M/c queue serves the
same arrivals with the same service times in the same order whatever the code. Ciw and
cssim draw their own numbers, so they agree only within their confidence intervals.

Each function returns the waits in arrival order (days or any time unit: the caller's),
so every implementation is scored by the same statistics in :mod:`benchmarks.mmc`.
"""

from __future__ import annotations

import bisect
import heapq
import random
import time
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Draws:
    """Inter-arrival and service times of ``n`` needs, drawn once and shared."""

    interarrival: list[float]
    service: list[float]

    @classmethod
    def exponential(cls, n: int, arrival_rate: float, mean_service: float, seed: int) -> Draws:
        rng = np.random.default_rng(seed)
        return cls(rng.exponential(1.0 / arrival_rate, n).tolist(), rng.exponential(mean_service, n).tolist())


def heapq_loop(servers: int, draws: Draws) -> list[float]:
    """A hand-written discrete-event simulation: a heap of (time, seq, kind, need) events,
    a FIFO line of waiting needs and a count of free servers.

    This is what "the practical Python limit" means here: the same event-list mechanics as
    any simulator (arrivals and departures through one heap), with nothing else: no
    processes, no callbacks, no records beyond the waits.
    """
    n = len(draws.service)
    gaps, service = draws.interarrival, draws.service
    arrived = [0.0] * n
    waits = [0.0] * n
    line: deque[int] = deque()
    free = servers
    push, pop = heapq.heappush, heapq.heappop
    events: list[tuple[float, int, int, int]] = [(gaps[0], 0, ARRIVE, 0)] if n else []
    seq = 0
    while events:
        now, _, kind, i = pop(events)
        seq += 1
        if kind == ARRIVE:
            arrived[i] = now
            if i + 1 < n:
                push(events, (now + gaps[i + 1], seq, ARRIVE, i + 1))
            if free:
                free -= 1
                push(events, (now + service[i], seq, DEPART, i))
            else:
                line.append(i)
        elif line:
            j = line.popleft()
            waits[j] = now - arrived[j]
            push(events, (now + service[j], seq, DEPART, j))
        else:
            free += 1
    return waits


ARRIVE, DEPART = 0, 1


def lindley(servers: int, draws: Draws) -> list[float]:
    """FIFO M/M/c by the recursion "start = max(arrival, earliest free server)" on a heap of
    server free times: no event list at all, so not a simulator one could extend, but the
    floor on the cost of computing these waits in Python. Reported for reference."""
    free = [0.0] * servers
    waits: list[float] = []
    append = waits.append
    replace = heapq.heapreplace
    now = 0.0
    for gap, service in zip(draws.interarrival, draws.service, strict=True):
        now += gap
        start = free[0]
        if start < now:
            start = now
        append(start - now)
        replace(free, start + service)
    return waits


def simpy_resource(servers: int, draws: Draws) -> list[float]:
    """The SimPy tutorial version: a source process and one process per need on a Resource."""
    import simpy

    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    waits = [0.0] * len(draws.service)

    def need(index: int, service: float) -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with desk.request() as turn:
            yield turn
            waits[index] = env.now - arrived
            yield env.timeout(service)

    def source() -> Generator[simpy.Event, Any, None]:
        for index, (gap, service) in enumerate(zip(draws.interarrival, draws.service, strict=True)):
            yield env.timeout(gap)
            env.process(need(index, service))

    env.process(source())
    env.run()
    return waits


def ciw_network(servers: int, arrival_rate: float, mean_service: float, needs: int, seed: int) -> list[float]:
    """One Ciw node with ``servers`` servers; waits of the first ``needs`` arrivals, in order.

    Ciw seeds its own global generator (``ciw.seed``): that is its API, not ours. It runs
    until ``needs`` customers have completed service, so every returned wait is complete.
    """
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / mean_service)],
        number_of_servers=[servers],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(needs)
    records = sorted(sim.get_all_records(), key=lambda r: r.arrival_date)
    return [r.waiting_time for r in records[:needs]]


class Account:
    """The least state an event about a customer can touch: four fields in slots."""

    __slots__ = ("arr", "health", "last", "needs")

    def __init__(self, arr: float) -> None:
        self.needs = 0
        self.last = 0.0
        self.health = 0.5
        self.arr = arr


def customer_loop(customers: int, months: int = 36, per_month: float = 3.0, seed: int = 1,
                  queue: str = "heap") -> tuple[int, float]:  # fmt: skip
    """``customers`` customers, each with one pending event (its next need, a Poisson
    stream of ``per_month``), for ``months``: the event reads and updates its customer's
    state and schedules the customer's next event. Returns (events, seconds).

    This is the heapq loop of :func:`heapq_loop` ("the practical Python limit") at the
    scale of a customer base, doing the least a customer-level simulation must: its work
    per event is constant, so how its time per event grows with ``customers`` is what the
    memory of an object per customer and per pending event costs, with no model around
    it. ``queue="calendar"`` replaces the heap with a list of events per day (sorted when
    its day comes): no comparisons that grow with size, to show whether the heap is what
    grows. Draws come from one ``random.Random`` (constant memory, whatever the size).
    """
    rng = random.Random(seed)
    expo = rng.expovariate
    accounts = [Account(1000.0 + i) for i in range(customers)]
    horizon = months * 30.4375
    rate = per_month / 30.4375
    first = [(expo(rate), i) for i in range(customers)]
    count = 0
    clock = time.perf_counter()
    if queue == "heap":
        heapq.heapify(first)
        replace = heapq.heapreplace
        while first:
            now, i = first[0]
            if now > horizon:
                break
            a = accounts[i]
            a.needs += 1
            a.health = 0.9 * a.health + 0.1 * (now - a.last) / 30.0
            a.last = now
            replace(first, (now + expo(rate), i))
            count += 1
    elif queue == "calendar":
        days: list[list[tuple[float, int]]] = [[] for _ in range(int(horizon) + 1)]
        for due, i in first:
            if due <= horizon:
                days[int(due)].append((due, i))
        for day, today in enumerate(days):
            today.sort()
            k = 0
            while k < len(today):
                now, i = today[k]
                k += 1
                a = accounts[i]
                a.needs += 1
                a.health = 0.9 * a.health + 0.1 * (now - a.last) / 30.0
                a.last = now
                due = now + expo(rate)
                if due <= horizon:
                    if int(due) == day:
                        bisect.insort(today, (due, i), lo=k)
                    else:
                        days[int(due)].append((due, i))
                count += 1
            days[day] = []
    else:
        raise ValueError(f"queue must be 'heap' or 'calendar', not {queue!r}")
    return count, time.perf_counter() - clock


__all__ = ["Account", "Draws", "ciw_network", "customer_loop", "heapq_loop", "lindley", "simpy_resource"]
