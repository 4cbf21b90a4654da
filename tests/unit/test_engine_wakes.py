"""A wake-up must be indistinguishable from the SimPy timeout it replaces.

:func:`wake_after` writes straight into SimPy's event queue (``_queue``, ``_now``,
``_eid``) and hands ``step`` an object with only ``callbacks`` and ``_ok``. These tests
hold that to SimPy's own behaviour: a schedule of calls made with timeouts and the same
schedule made with any mix of wake-ups and timeouts must fire in the same order at the
same times, also when callbacks schedule more work and when processes share the queue.
If a SimPy release changes those internals, this is the test that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.wakes import Wake, wake_after

# (delay, use a wake-up instead of a timeout, follow-up delay or None): delays from a small
# set so that equal times (ties broken by SimPy's event ids) are common.
delays = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.5, 3.0])
plans = st.lists(st.tuples(delays, st.booleans(), st.one_of(st.none(), delays)), min_size=1, max_size=25)


def fired(plan: list[tuple[float, bool, float | None]], wakes: bool) -> list[tuple[float, str]]:
    """Run ``plan`` (with wake-ups where it says so, if ``wakes``) beside a ticking process; the log of calls."""
    env = simpy.Environment()
    log: list[tuple[float, str]] = []

    def later(delay: float, fn: Callable[[Any], None], wake: bool) -> None:
        if wake:
            wake_after(env, delay, fn)
        else:
            env.timeout(delay).callbacks.append(fn)  # type: ignore[union-attr]

    def call(label: str, follow: float | None, wake: bool) -> Callable[[Any], None]:
        def fn(_event: Any) -> None:
            log.append((env.now, label))
            if follow is not None:
                later(follow, call(label + "'", None, wake), wake)

        return fn

    def ticker() -> Generator[simpy.Event, Any, None]:
        for i in range(4):
            yield env.timeout(1.0)
            log.append((env.now, f"tick{i}"))

    env.process(ticker())
    for i, (delay, wake, follow) in enumerate(plan):
        later(delay, call(str(i), follow, wake and wakes), wake and wakes)
    env.run()
    return log


@settings(max_examples=150, derandomize=True, deadline=None)
@given(plan=plans)
def test_wake_ups_fire_as_timeouts_would(plan: list[tuple[float, bool, float | None]]) -> None:
    assert fired(plan, wakes=True) == fired(plan, wakes=False)


def test_the_callback_gets_the_wake_and_time_moves_to_it() -> None:
    env = simpy.Environment(initial_time=2.0)
    seen: list[tuple[float, object]] = []
    wake_after(env, 1.5, lambda w: seen.append((env.now, w)))
    env.run()
    assert len(seen) == 1 and seen[0][0] == 3.5 and isinstance(seen[0][1], Wake)


def test_a_negative_delay_is_refused() -> None:
    with pytest.raises(ValueError, match="negative delay"):
        wake_after(simpy.Environment(), -0.1, lambda w: None)
