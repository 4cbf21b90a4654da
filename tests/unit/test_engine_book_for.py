"""Which CSM a named team gives a new or inherited customer: the smallest book among active
seats, the lowest id among equal books, and only under the cap unless overflow reassigns."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest

from simulator.engine.named import Named


def team(csms: list[Any], cap: int = 3, overflow: str = "uncovered") -> Named:
    named = object.__new__(Named)  # only the fields _book_for reads
    named.csms, named.cap, named.overflow = csms, cap, overflow
    return named


def seat(cid: int, accounts: int, active: bool = True, leaving: bool = False) -> Any:
    return SimpleNamespace(id=cid, book=dict.fromkeys(range(accounts)), active=active, leaving=leaving)


def test_the_smallest_active_book_wins_and_the_lowest_id_breaks_ties() -> None:
    csms = [seat(4, 2), seat(2, 1, leaving=True), seat(3, 1), seat(1, 1), seat(0, 0, active=False)]
    assert team(csms)._book_for() is csms[3]


def test_a_full_smallest_book_takes_no_one_unless_overflow_reassigns() -> None:
    csms = [seat(0, 3), seat(1, 4)]
    assert team(csms)._book_for() is None
    assert team(csms, overflow="reassign")._book_for() is csms[0]
    assert team([seat(0, 1, active=False), seat(1, 0, leaving=True)])._book_for() is None


@pytest.mark.parametrize("seed", range(20))
def test_the_choice_is_the_min_over_active_seats_by_book_then_id(seed: int) -> None:
    rng = random.Random(seed)
    ids = rng.sample(range(100), 12)
    csms = [seat(i, rng.randrange(5), rng.random() < 0.8, rng.random() < 0.2) for i in ids]
    active = [x for x in csms if x.active and not x.leaving]
    best = min(active, key=lambda x: (len(x.book), x.id)) if active else None
    expected = best if best is not None and len(best.book) < 3 else None
    assert team(csms)._book_for() is expected
