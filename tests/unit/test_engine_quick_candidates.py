"""A paid CSM's quick-touch candidates: the sorted heap gives what popping and pushing back gave.

``NamedChoice._least_active`` sorts the heap in place (a sorted list is a heap) instead of
popping the candidates and pushing them back; the candidates, their order, and the entries
left in the heap (the stale ones passed on the way dropped) must be the same.
"""

from __future__ import annotations

import heapq
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.named_choice import NamedChoice


def popped(csm: Any, span: int) -> list[Any]:
    """The pop-and-push-back form the sort replaced."""
    heap = csm.quick
    out: list[Any] = []
    while heap and len(out) < span:
        day, _, _, c = heap[0]
        if c.csm is csm and not c.churned and c.live and day == c.last_activity:
            out.append(heapq.heappop(heap))
        else:
            heapq.heappop(heap)
    for entry in out:
        heapq.heappush(heap, entry)
    return out


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    entries=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), max_size=25),
    state=st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans(), st.integers(0, 5)), min_size=5, max_size=5),
    spans=st.lists(st.integers(1, 8), min_size=1, max_size=3),
)
def test_sorted_candidates_equal_popped_ones(
    entries: list[tuple[int, int]], state: list[tuple[bool, bool, bool, int]], spans: list[int]
) -> None:
    csm = SimpleNamespace(quick=[])
    customers = [
        SimpleNamespace(csm=csm if mine else None, churned=churned, live=live, last_activity=float(last))
        for mine, churned, live, last in state
    ]
    for seq, (day, who) in enumerate(entries):
        heapq.heappush(csm.quick, (float(day), seq, "quick", customers[who]))
    for span in spans:  # again on what the first call left
        plain = list(csm.quick)
        fast = csm.quick
        csm.quick = plain
        want = popped(csm, span)
        csm.quick = fast
        got = NamedChoice._least_active(None, csm, span)  # type: ignore[arg-type]
        assert [e[1] for e in got] == [e[1] for e in want]
        assert all(a is b for a, b in zip(got, want, strict=True))
        assert sorted(fast) == sorted(plain)
        assert fast == sorted(fast)
