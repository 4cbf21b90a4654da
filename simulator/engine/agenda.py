"""The demand clock: the pre-drawn timeline merged with a heap of follow-up events,
driven by one pending SimPy timeout.

Why not one SimPy process or timer per customer: SimPy's cost per event grows with the
number of pending events (about 3 us with 1,000 pending, 13 us with 100,000), and a
process costs about 950 bytes. Here the demand side holds exactly one pending SimPy
event however many customers there are; the heap holds only dynamic follow-ups (a need's
expiry, a signal, a launch), each a plain tuple.

Follow-ups that come a fixed delay after their cause (a need's expiry, a usage signal)
go on a :class:`Line` instead: a FIFO queue whose entries are due in the order they were
added, so no heap is needed, and entries that no longer apply (the need was served) are
dropped when they reach the head without waking the clock. An entry applies while its
``state`` is one of the line's live states: a membership test rather than a predicate,
because the clock checks a line's head at every item it runs while that line is next
(~120,000 checks in a default run; a function call each was ~5% of the run).

Handlers run at ``env.now``; items due at the same time run in order: timeline first
(in its kind order), then follow-ups in the order they were scheduled.

When the agenda's next item comes strictly before every event SimPy holds, nothing can
happen in between, so the agenda moves the clock there itself (``env._now``, SimPy's own
clock attribute) instead of scheduling a timeout and waiting for SimPy to pop it: the
same time (``now + (day - now)``, as a timeout would give) and the same order, without
a SimPy event. At a tie with a SimPy event, or before one, it arms a timeout as usual.
(Only for a plain ``simpy.Environment``.)
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from typing import Any, Final, Protocol

import numpy as np
import simpy

from simulator.engine.wakes import NORMAL, Wake, wake_after
from simulator.engine.work import TaskEnd

_CHUNK = 4096
"""Timeline rows converted to Python lists at a time (fast access, bounded memory)."""

_INF: Final = float("inf")

_EPS: Final = 1e-9
"""Items due within this many days of ``now`` are due now (float rounding of ``now + delay``)."""

TimelineHandler = Callable[[int, list[float]], None]


class Stateful(Protocol):
    """A line entry: it applies while its ``state`` is one of the line's live states."""

    state: Any


class Line:
    """Follow-ups due in the order they are added (a fixed delay after a cause at ``now``).

    The line keeps one *token* in the agenda's heap, at the due day of its first entry,
    while it has entries; entries that died (``arg.state`` no longer in ``live``) are
    dropped when the token reaches the top, so they never wake the clock.
    """

    __slots__ = ("agenda", "fn", "items", "live")

    def __init__(self, agenda: Agenda, fn: Callable[[Any], None], live: tuple[Any, ...]) -> None:
        self.agenda = agenda
        self.fn = fn
        self.live = live
        self.items: deque[tuple[float, Stateful]] = deque()

    def push(self, day: float, arg: Stateful) -> None:
        """Call ``fn(arg)`` at ``day``, if ``arg.state`` is still live then; days must not decrease."""
        self.items.append((day, arg))
        if len(self.items) == 1:
            self.agenda.at(day, self.agenda.line_due, self)

    def head(self) -> float:
        """Due day of the first live entry (dead ones are dropped), or infinity."""
        items, live = self.items, self.live
        while items and items[0][1].state not in live:
            items.popleft()
        return items[0][0] if items else float("inf")


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
        self.line_due = self._line_due  # one bound method, compared by identity in the heap
        self._fire_callbacks = (self._fire,)
        """Callbacks of a fired wake queued again by :meth:`_fire` (SimPy only iterates them)."""
        self._jump = type(env) is simpy.Environment
        self._load_chunk()
        self._arm(min(self._timeline_day(), self._settle_top()))

    def at(self, day: float, fn: Callable[[Any], None], arg: Any) -> None:
        """Call ``fn(arg)`` at ``day`` (>= now)."""
        self._seq += 1
        heapq.heappush(self._heap, (day, self._seq, fn, arg))
        if day < self._armed_at and not self._firing:
            self._arm(min(self._timeline_day(), self._settle_top()))

    def line(self, fn: Callable[[Any], None], live: tuple[Any, ...]) -> Line:
        """A new FIFO line of follow-ups handled by ``fn``, skipped once their ``state`` is not in ``live``."""
        return Line(self, fn, live)

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

    def _line_due(self, line: Line) -> None:
        """A line's token is due: run its first entry (live, see :meth:`_settle_top`)."""
        _, arg = line.items.popleft()
        if line.items:
            self._seq += 1
            heapq.heappush(self._heap, (line.items[0][0], self._seq, self.line_due, line))
        line.fn(arg)

    def _settle_top(self) -> float:
        """Move line tokens whose first entries died to their next live entry; the heap's top day."""
        heap = self._heap
        due = self.line_due
        while heap and heap[0][2] is due:
            day, _, _, line = heap[0]
            head = line.head()
            if head == day:
                break
            heapq.heappop(heap)
            if head != float("inf"):
                self._seq += 1
                heapq.heappush(heap, (head, self._seq, due, line))
        return heap[0][0] if heap else float("inf")

    def _arm(self, day: float) -> None:
        """Wake at ``day`` (the next item), by one SimPy timeout."""
        self._armed_at = day
        if day != _INF:
            env = self.env
            wake_after(env, max(day - env._now, 0.0), self._fire)

    def _fire(self, _event: Wake) -> None:
        env = self.env
        if env._now < self._armed_at - _EPS:
            return  # superseded: an earlier wake was armed after this one
        heap = self._heap
        handlers = self._handlers
        due = self.line_due
        queue = env._queue
        pop = heapq.heappop
        while True:  # a stretch of items, then the task ends that come before the next one (see _run_task_ends)
            now = env._now + _EPS
            self._firing = True  # handlers' at() leave the arming (and self._next) to this loop
            times, kinds, owners, payload = self._chunk
            index, start, size = self._next, self._chunk_start, len(times)  # self._next, kept local
            while True:
                i = index - start
                if i >= size:  # next chunk (or the end of the timeline)
                    self._next = index
                    day = self._timeline_day()
                    times, kinds, owners, payload = self._chunk
                    start, size = self._chunk_start, len(times)
                    i = index - start
                else:
                    day = times[i]
                if not heap:
                    top = _INF
                else:
                    top, _, fn, line = heap[0]
                    if fn is due:  # a line's token: settled already when its first entry is live and due then
                        first = line.items[0] if line.items else None
                        if first is None or first[0] != top or first[1].state not in line.live:
                            top = self._settle_top()
                if day <= now and day <= top:
                    index += 1
                    handlers[kinds[i]](owners[i], payload[i])
                elif top <= now:
                    _, _, fn, arg = pop(heap)
                    fn(arg)
                else:
                    nxt = day if day < top else top
                    if nxt == _INF or not self._jump:
                        break
                    t = env._now
                    ahead = nxt - t
                    at = t + (ahead if ahead > 0.0 else 0.0)  # t + max(nxt - t, 0.0): when a timeout armed now fires
                    if queue and at >= queue[0][0]:  # env.peek(), written out
                        break  # other events come first (or at the same time: they were scheduled first)
                    env._now = at  # nothing else happens before: move the clock here instead of via a timeout
                    now = at + _EPS
            self._next = index
            self._firing = False
            day = day if day < top else top
            self._armed_at = day  # self._arm(day), written out: the fired wake is queued again (no new Wake)
            if day == _INF:
                return
            if type(_event) is not Wake or not self._jump:
                self._arm(day)
                return
            # the loop broke at its SimPy check: ``at`` is when the wake for ``day`` (its ``nxt``) fires
            eid = next(env._eid)
            if not self._run_task_ends(at, eid):
                _event.callbacks = self._fire_callbacks  # type: ignore[assignment]
                heapq.heappush(queue, (at, NORMAL, eid, _event))  # type: ignore[misc]
                return
            env._now = at  # the wake's turn: SimPy would pop it now and call this method again
            if env._now < self._armed_at - _EPS:
                return  # superseded (as on entry)

    def _run_task_ends(self, at: float, eid: int) -> bool:
        """Run the events SimPy holds ahead of a wake due ``(at, NORMAL, eid)`` while they are
        all CSMs' task ends, exactly as SimPy's ``step`` would (pop, clock, callbacks).

        The wake is not queued yet; its id is drawn already, so the events that come before it
        are those SimPy would process before it. True when none other is left before it (the
        wake's turn has come: the caller goes on as SimPy would when it popped the wake);
        False at the first other event (a process, another wake, the end of the run): the
        caller queues the wake and leaves the rest to SimPy. Skipping the wake's round trip
        through SimPy's queue and ``step`` saves an event per task end that falls between
        two demand items.
        """
        env = self.env
        queue = env._queue
        key = (at, NORMAL, eid)
        while queue and queue[0] < key:
            event = queue[0][3]
            if type(event) is not TaskEnd:
                return False
            end: TaskEnd = event  # typed: compiled code reads its slots directly
            env._now = heapq.heappop(queue)[0]
            callbacks, end.callbacks = end.callbacks, None
            for callback in callbacks:  # type: ignore[union-attr]
                callback(end)
        return True
