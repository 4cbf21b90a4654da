"""Cheap wake-ups: a callback in SimPy's own event queue without a Timeout object.

A CSM's task end and the demand agenda's next wake are each "call this function after
``delay``". A :class:`simpy.Timeout` for that builds an event (several attribute writes,
two constructors, a ``schedule`` call) and a callback list. :func:`wake_after` pushes the
same queue entry a timeout would, ``(now + delay, NORMAL, next id, event)``, holding a
:class:`Wake`: the two attributes :meth:`simpy.Environment.step` reads (``callbacks``,
``_ok``). Same key, same id sequence, so SimPy processes it at the same time and in the
same order as the timeout it replaces; the callback receives the :class:`Wake`.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any, Final

import simpy
from simpy import events

NORMAL: Final[int] = events.NORMAL
"""SimPy's priority of a timeout: the queue entries written here must sort as its own do.
(A name of this module, not SimPy's: compiled code reads it as a constant.)"""


class Wake:
    """A succeeded event with one callback, as SimPy's ``step`` sees it."""

    __slots__ = ("_ok", "callbacks")

    def __init__(self, fn: Callable[[Any], None]) -> None:
        self._ok = True  # a slot: SimPy reads it per event, faster than a class attribute
        self.callbacks: list[Callable[[Any], None]] | None = [fn]


def wake_after(env: simpy.Environment, delay: float, fn: Callable[[Any], None]) -> None:
    """Call ``fn(wake)`` after ``delay`` (>= 0) days, exactly as ``env.timeout(delay)`` with ``fn`` as callback."""
    if delay < 0:
        raise ValueError(f"negative delay {delay}")
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), Wake(fn)))  # type: ignore[arg-type,misc]


__all__ = ["NORMAL", "Wake", "wake_after"]
