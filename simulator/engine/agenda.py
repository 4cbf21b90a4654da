"""The demand clock: the pre-drawn timeline merged with a heap of follow-up events,
driven by one pending SimPy timeout.

Why not one SimPy process or timer per customer: SimPy's cost per event grows with the
number of pending events (about 3 us with 1,000 pending, 13 us with 100,000), and a
process costs about 950 bytes. Here the demand side holds exactly one pending SimPy
event however many customers there are; the heap holds only dynamic follow-ups (a need's
expiry, a signal, a launch), each a plain tuple.

Handlers run at ``env.now``; items due at the same time run in order: timeline first
(in its kind order), then follow-ups in the order they were scheduled.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

_CHUNK = 4096
"""Timeline rows converted to Python lists at a time (fast access, bounded memory)."""

_EPS = 1e-9
"""Items due within this many days of ``now`` are due now (float rounding of ``now + delay``)."""

TimelineHandler = Callable[[int, list[float]], None]


class Agenda:
    """Runs timeline rows through ``handlers[kind](owner, uniforms)`` and follow-ups ``fn(arg)``."""

    def __init__(
        self,
        env: simpy.Environment,
        times: np.ndarray,
        kinds: np.ndarray,
        owners: np.ndarray,
        payload: np.ndarray,
        handlers: list[TimelineHandler],
    ) -> None:
        self.env = env
        self._times, self._kinds, self._owners, self._payload = times, kinds, owners, payload
        self._handlers = handlers
        self._next = 0
        self._chunk_start = 0
        self._chunk: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])
        self._heap: list[tuple[float, int, Callable[[Any], None], Any]] = []
        self._seq = 0
        self._armed_at = float("inf")
        self._firing = False
        self._load_chunk()
        self._arm()

    def at(self, day: float, fn: Callable[[Any], None], arg: Any) -> None:
        """Call ``fn(arg)`` at ``day`` (>= now)."""
        self._seq += 1
        heapq.heappush(self._heap, (day, self._seq, fn, arg))
        if day < self._armed_at and not self._firing:
            self._arm()

    # ---- internals

    def _load_chunk(self) -> None:
        lo = self._next
        hi = min(lo + _CHUNK, len(self._times))
        self._chunk_start = lo
        self._chunk = (
            self._times[lo:hi].tolist(),
            self._kinds[lo:hi].tolist(),
            self._owners[lo:hi].tolist(),
            self._payload[lo:hi].tolist(),
        )

    def _timeline_day(self) -> float:
        i = self._next - self._chunk_start
        times = self._chunk[0]
        if i >= len(times):
            if self._next >= len(self._times):
                return float("inf")
            self._load_chunk()
            i, times = 0, self._chunk[0]
        return float(times[i])

    def _arm(self) -> None:
        day = min(self._timeline_day(), self._heap[0][0] if self._heap else float("inf"))
        self._armed_at = day
        if day != float("inf"):
            self.env.timeout(max(day - self.env.now, 0.0)).callbacks.append(self._fire)

    def _fire(self, _event: object) -> None:
        if self.env.now < self._armed_at - _EPS:
            return  # superseded: an earlier wake was armed after this one
        now = self.env.now + _EPS
        heap = self._heap
        handlers = self._handlers
        self._firing = True
        while True:
            i = self._next - self._chunk_start
            times = self._chunk[0]
            day = times[i] if i < len(times) else self._timeline_day()
            if day <= now and (not heap or day <= heap[0][0]):
                i = self._next - self._chunk_start
                _, kinds, owners, payload = self._chunk
                self._next += 1
                handlers[kinds[i]](owners[i], payload[i])
            elif heap and heap[0][0] <= now:
                _, _, fn, arg = heapq.heappop(heap)
                fn(arg)
            else:
                break
        self._firing = False
        self._arm()
