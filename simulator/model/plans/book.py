"""A CSM's book as a plan sees it: per-customer states and the period's running tally.

State metrics (engagement, value, shares of the book) are read at the period close; event
metrics (touches, renewals, survey answers, needs closed, launches) count what happened in
the period and restart at each close. An option's hypothetical effect is evaluated
without touching the book (:meth:`Book.tally_after`, :meth:`Book.evaluate_after`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from simulator.model.plans.tally import (
    ACCOUNT_SCALARS,
    ACTIVE_SHARE,
    LEVEL_TOLERANCE,
    MONTHS,
    NO_CHANGE,
    Account,
    Change,
    Criteria,
    Tally,
)

Customer = Hashable
"""Whatever the engine uses to name a customer (an int id is fine)."""


class Book:
    """One CSM's customers and the running tally of the current period."""

    def __init__(self, criteria: Criteria, months: float, watched: tuple[int, ...] | None = None) -> None:
        self.accounts: dict[Customer, Account] = {}
        """Each customer's state (read it, never write it: :meth:`apply` keeps the tally in step)."""
        self.touch_counts: dict[Customer, int] = {}
        """Each customer's touches this period (read only, like ``accounts``)."""
        self._months = months
        self.tally = Tally(criteria, months)
        self._watched = watched
        self.version = 0
        """Bumped by every real change that can move a payout: what-ifs priced at one version
        stay valid until the next. With ``watched`` (the counters the plan reads), a change
        that leaves them all as they were (a touch under an engagement plan) keeps the
        version; a customer joining or leaving always bumps it."""

    def __len__(self) -> int:
        return len(self.accounts)

    def __contains__(self, customer: Customer) -> bool:
        return customer in self.accounts

    def account(self, customer: Customer) -> Account:
        return self.accounts[customer]

    def touches_of(self, customer: Customer) -> int:
        """Touches this customer has had in the current period."""
        return self.touch_counts.get(customer, 0)

    def add(self, customer: Customer, account: Account) -> None:
        """The customer joins the book (assignment, reassignment, a new signing)."""
        if customer in self.accounts:
            raise ValueError(f"customer {customer!r} is already in this book")
        self.accounts[customer] = account
        self.touch_counts[customer] = 0
        self.tally.count_account(account, +1)
        self.version += 1

    def remove(self, customer: Customer) -> None:
        """The customer leaves the book; events already counted this period stay counted."""
        self.apply(customer, Change(leaves=True))

    def apply(self, customer: Customer, change: Change) -> None:
        """Record a real change of one customer."""
        v = self.tally.v
        watched = self._watched
        before = None if watched is None or change.leaves else [v[i] for i in watched]
        _count(self.tally, self.accounts, self.touch_counts, customer, change)
        if before is None or any(v[i] != was for i, was in zip(watched or (), before, strict=True)):
            self.version += 1
        if change.leaves:
            del self.accounts[customer]
            del self.touch_counts[customer]
        elif customer in self.accounts:
            self.accounts[customer] = change.account or self.accounts[customer]
            self.touch_counts[customer] += change.touches

    def detached(self) -> Book:
        """An independent copy (the book a leaver had, judged at the period close)."""
        twin = Book(self.tally.criteria, self._months, self._watched)
        twin.accounts = dict(self.accounts)
        twin.touch_counts = dict(self.touch_counts)
        twin.tally = self.tally.copy()
        return twin

    def tally_after(self, customer: Customer, change: Change) -> Tally:
        """The tally as it would be after ``change``; the book itself is untouched."""
        tally = self.tally.copy()
        _count(tally, self.accounts, self.touch_counts, customer, change)
        return tally

    def evaluate_after(self, customer: Customer, change: Change, read: Callable[[Tally], float]) -> float:
        """``read`` of the tally as it would be after ``change`` (the hot path of plan gain).

        The change is counted on a copy of the counters swapped in and then swapped out
        again: exact (nothing subtracted back), and one list copy.
        """
        tally = self.tally
        live = tally.v
        tally.v = live.copy()
        try:
            _count(tally, self.accounts, self.touch_counts, customer, change)
            return read(tally)
        finally:
            tally.v = live

    def close_period(self, active_share: float = 1.0) -> Tally:
        """The period's final tally; then start the next period.

        ``active_share`` is the part of the period the CSM held the seat: activity is per
        active month and each account's contact minimum is prorated by it.

        The account sums are recomputed from the states here, once a period, so floating
        error from many incremental updates never accumulates across periods.
        """
        if not 0 <= active_share <= 1:
            raise ValueError(f"active_share must be in [0, 1], got {active_share}")
        fresh = Tally(self.tally.criteria, self._months)
        for customer, account in self.accounts.items():
            fresh.count_account(account, +1)
            fresh.count_contact(self.touch_counts[customer], +1, active_share)
        closed = self.tally.copy()
        closed.v[MONTHS] = self._months * active_share
        closed.v[ACTIVE_SHARE] = active_share
        for i in ACCOUNT_SCALARS:
            closed.v[i] = fresh.v[i]
        closed.v[fresh.level0 :] = fresh.v[fresh.level0 :]
        fresh.v[fresh.contact0 :] = [0] * (len(fresh.v) - fresh.contact0)
        self.tally = fresh
        self.touch_counts = dict.fromkeys(self.touch_counts, 0)
        self.version += 1
        return closed


def _count(
    tally: Tally,
    accounts: dict[Customer, Account],
    touches: dict[Customer, int],
    customer: Customer,
    change: Change,
) -> None:
    """Apply ``change`` of ``customer`` to ``tally`` (the one rule for real and what-if)."""
    member = customer in accounts
    if not member and change.touches_the_book:
        raise KeyError(f"customer {customer!r} is not in this book, so its state or touches cannot change")
    if change.touches < 0:
        raise ValueError(f"touches must be >= 0, got {change.touches}")
    tally.count_events(change)
    if not member:
        return
    if change.account is not None or change.leaves:
        old = accounts[customer]
        tally.count_account(old, -1)
        if not change.leaves:
            tally.count_account(change.account or old, +1)
    if change.touches or change.leaves:
        seen = touches[customer]
        tally.count_contact(seen, -1)
        if not change.leaves:
            tally.count_contact(seen + change.touches, +1)


__all__ = ["LEVEL_TOLERANCE", "NO_CHANGE", "Account", "Book", "Change", "Criteria", "Customer", "Tally"]
