"""Book statistics: incremental tallies agree with a recount, what-ifs leave the book alone."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.plans.book import NO_CHANGE, Account, Book, Change, Criteria, Tally
from simulator.model.plans.metrics import Reader

NAMES = ("A", "B", "C", "D")
WEIGHTS = (0.35, 0.35, 0.15, 0.15)
CRITERIA = Criteria(levels=(0.35, 0.5), feature_sets=(0b0011, 0b1100), min_touches=(1, 3))


def account_of(adopted: int, desired: int) -> Account:
    engagement = sum(w for i, w in enumerate(WEIGHTS) if adopted >> i & 1)
    value = (adopted & desired).bit_count() / desired.bit_count() if desired else None
    return Account(engagement, value, adopted)


def recount(accounts: dict[int, Account], touches: dict[int, int], months: float) -> Tally:
    """The tally rebuilt from scratch, the O(N) way the incremental one must match."""
    t = Tally(CRITERIA, months)
    for c, a in accounts.items():
        t.count_account(a, +1)
        t.count_contact(touches[c], +1)
    return t


def test_incremental_tally_matches_a_recount_after_random_events() -> None:
    rng = np.random.default_rng(7)
    book = Book(CRITERIA, 3.0)
    accounts: dict[int, Account] = {}
    touches: dict[int, int] = {}
    for step in range(2000):
        c = int(rng.integers(0, 40))
        roll = rng.random()
        if c not in accounts:
            accounts[c] = account_of(int(rng.integers(0, 16)), int(rng.integers(0, 16)))
            touches[c] = 0
            book.add(c, accounts[c])
        elif roll < 0.1:
            book.remove(c)
            del accounts[c], touches[c]
        elif roll < 0.5:
            accounts[c] = account_of(int(rng.integers(0, 16)), int(rng.integers(0, 16)))
            book.apply(c, Change(account=accounts[c]))
        else:
            touches[c] += 1
            book.apply(c, Change(touches=1))
        if step % 250 == 0:
            _assert_same_state(book.tally, recount(accounts, touches, 3.0))
    _assert_same_state(book.tally, recount(accounts, touches, 3.0))


def _assert_same_state(got: Tally, want: Tally) -> None:
    assert got.accounts == want.accounts
    assert got.engagement_sum == pytest.approx(want.engagement_sum, abs=1e-9)
    assert got.value_sum == pytest.approx(want.value_sum, abs=1e-9)
    assert (got.value_accounts, got.at_level, got.using, got.contacts) == (
        want.value_accounts,
        want.at_level,
        want.using,
        want.contacts,
    )


def test_contact_credit_is_capped_at_the_minimum() -> None:
    book = Book(CRITERIA, 3.0)
    book.add("c", Account())
    for _ in range(5):
        book.apply("c", Change(touches=1))
    assert book.tally.contacts == [1, 3]  # min(5, 1), min(5, 3)
    assert book.tally.touches == 5 and book.touches_of("c") == 5


def test_tally_after_leaves_the_book_untouched() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, account_of(0b0000, 0b1010))
    before = book.tally.copy()
    after = book.tally_after(1, Change(account=account_of(0b0001, 0b1010), touches=1, needs=(True,)))
    assert book.tally == before
    assert (after.engagement_sum, after.at_level, after.using, after.touches, after.needs_jit) == (
        pytest.approx(0.35),
        [1, 0],
        [1, 0],
        1,
        1,
    )
    assert book.tally_after(1, NO_CHANGE) == before


def test_events_stay_counted_when_the_customer_leaves() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, account_of(0b0001, 0b0001))
    book.apply(1, Change(renewals=((100.0, 0.0),), leaves=True))
    t = book.tally
    assert (t.accounts, t.renewals, t.retained, t.arr_due, t.arr_renewed) == (0, 1, 0, 100.0, 0.0)
    assert 1 not in book


def test_close_period_keeps_accounts_restarts_events_and_prorates_months() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, account_of(0b0011, 0b0011))
    book.apply(1, Change(touches=2, surveys=(10,), needs=(True, False), launches=(20.0,)))
    closed = book.close_period(active_share=0.5)
    assert (closed.months, closed.touches, closed.answers, closed.needs, closed.launches) == (1.5, 2, 1, 2, 1)
    assert closed.active_share == 0.5
    assert closed.contacts == [0.5, 1.5]  # 2 touches against minimums 1 and 3 prorated to 0.5 and 1.5
    assert Reader("contact_coverage", 1)(closed) == 1.0  # half a period, 2 of 1.5 due touches: full
    fresh = book.tally
    assert (fresh.months, fresh.accounts, fresh.touches, fresh.answers, fresh.needs, fresh.contacts) == (
        3.0,
        1,
        0,
        0,
        0,
        [0, 0],
    )
    assert fresh.engagement_sum == pytest.approx(0.7) and book.touches_of(1) == 0
    book.apply(1, Change(touches=1))
    assert closed.contacts == [0.5, 1.5], "the closed tally must not share counters with the live one"


def test_bad_changes_are_refused_with_the_customer_named() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, Account())
    with pytest.raises(ValueError, match="already in this book"):
        book.add(1, Account())
    with pytest.raises(KeyError, match="customer 2 is not in this book"):
        book.apply(2, Change(touches=1))
    with pytest.raises(ValueError, match="active_share"):
        book.close_period(1.5)
    book.apply(2, Change(surveys=(9,)))  # events of a non-member (e.g. just reassigned) still count
    assert book.tally.promoters == 1


def test_version_counts_real_changes_only() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, Account())
    start = book.version
    book.tally_after(1, Change(touches=1))
    book.evaluate_after(1, Change(touches=1), lambda t: t.touches)
    assert book.version == start and book.tally.touches == 0
    book.apply(1, Change(touches=1))
    book.close_period()
    assert book.version == start + 2


def test_evaluate_after_sees_the_change_and_restores_every_counter() -> None:
    book = Book(CRITERIA, 3.0)
    book.add(1, account_of(0b0001, 0b0011))
    before = book.tally.copy()
    seen = book.evaluate_after(1, Change(account=account_of(0b0011, 0b0011), touches=3, surveys=(10,)),
                               lambda t: (t.engagement_sum, t.contacts, t.promoters))  # fmt: skip
    assert seen == (pytest.approx(0.7), [1, 3], 1)
    assert book.tally == before
    with pytest.raises(AttributeError, match="no counter 'colour'"):
        _ = book.tally.colour
