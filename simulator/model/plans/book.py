"""A CSM's book as a plan sees it: per-customer states and the period's running tallies.

Every metric a plan can pay on is a ratio of a few sums (engagement summed over accounts,
renewed ARR over ARR due, promoters minus detractors over answers...). :class:`Tally`
keeps exactly those sums, so an event costs O(number of the plan's criteria), never
O(book size), and an option's hypothetical effect is evaluated on a copy of the tally
without touching the book (:meth:`Book.tally_after`).

State metrics (engagement, value, shares of the book) are read at the period close; event
metrics (touches, renewals, survey answers, needs closed, launches) count what happened in
the period and restart at each close.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace

Customer = Hashable
"""Whatever the engine uses to name a customer (an int id is fine)."""

LEVEL_TOLERANCE = 1e-9
"""Engagement within this of a level counts as reaching it (sums of weights are inexact)."""


@dataclass(frozen=True, slots=True)
class Account:
    """What a plan can see of one customer, as the engine computes it.

    ``engagement`` is the engagement score in [0, 1]; ``value`` the value realised in
    [0, 1], or None for a customer that bought for nothing (it is left out of the average);
    ``adopted`` the features in use as a bit mask (feature i of the product is bit
    ``1 << i``), the engine's own representation.
    """

    engagement: float = 0.0
    value: float | None = None
    adopted: int = 0


@dataclass(frozen=True)
class Criteria:
    """The per-customer tests a plan counts, fixed when the plan is built (feature sets as bit masks)."""

    levels: tuple[float, ...] = ()
    feature_sets: tuple[int, ...] = ()
    min_touches: tuple[int, ...] = ()


@dataclass(frozen=True)
class Change:
    """What happens to one customer: applied for real, or one outcome of an option.

    ``renewals`` are (ARR before, ARR after) in USD, after 0 meaning churned; ``surveys``
    NPS answers 0-10; ``needs`` one flag per need closed (True: met in its window);
    ``launches`` days from signing to live; ``leaves`` takes the customer out of the book.
    """

    account: Account | None = None
    touches: int = 0
    renewals: tuple[tuple[float, float], ...] = ()
    surveys: tuple[int, ...] = ()
    needs: tuple[bool, ...] = ()
    launches: tuple[float, ...] = ()
    leaves: bool = False

    @property
    def touches_the_book(self) -> bool:
        return self.account is not None or self.touches != 0 or self.leaves


NO_CHANGE = Change()


@dataclass
class Tally:
    """Sufficient statistics of a book for every metric; ``months`` is the exposure of activity."""

    criteria: Criteria
    months: float
    accounts: int = 0
    engagement_sum: float = 0.0
    value_sum: float = 0.0
    value_accounts: int = 0
    at_level: list[int] = field(default_factory=list)
    using: list[int] = field(default_factory=list)
    contacts: list[int] = field(default_factory=list)
    touches: int = 0
    renewals: int = 0
    retained: int = 0
    arr_due: float = 0.0
    arr_renewed: float = 0.0
    arr_kept: float = 0.0
    answers: int = 0
    promoters: int = 0
    detractors: int = 0
    needs: int = 0
    needs_jit: int = 0
    launches: int = 0
    launch_days: float = 0.0

    def __post_init__(self) -> None:
        if not self.at_level:
            self.at_level = [0] * len(self.criteria.levels)
        if not self.using:
            self.using = [0] * len(self.criteria.feature_sets)
        if not self.contacts:
            self.contacts = [0] * len(self.criteria.min_touches)

    def copy(self) -> Tally:
        return replace(self, at_level=list(self.at_level), using=list(self.using), contacts=list(self.contacts))

    def count_account(self, account: Account, sign: int) -> None:
        """Add (sign +1) or withdraw (-1) one customer's state."""
        self.accounts += sign
        self.engagement_sum += sign * account.engagement
        if account.value is not None:
            self.value_sum += sign * account.value
            self.value_accounts += sign
        for i, level in enumerate(self.criteria.levels):
            if account.engagement >= level - LEVEL_TOLERANCE:
                self.at_level[i] += sign
        for i, features in enumerate(self.criteria.feature_sets):
            if account.adopted & features:
                self.using[i] += sign

    def count_contact(self, touches: int, sign: int) -> None:
        """Add or withdraw one account's touches towards each contact minimum (capped at it)."""
        for i, minimum in enumerate(self.criteria.min_touches):
            self.contacts[i] += sign * min(touches, minimum)

    def count_events(self, change: Change) -> None:
        """Count the period events of a change (they stay counted if the customer later leaves)."""
        self.touches += change.touches
        for before, after in change.renewals:
            self.renewals += 1
            self.retained += after > 0
            self.arr_due += before
            self.arr_renewed += after
            self.arr_kept += min(before, after)
        for score in change.surveys:
            self.answers += 1
            self.promoters += score >= 9
            self.detractors += score <= 6
        self.needs += len(change.needs)
        self.needs_jit += sum(change.needs)
        self.launches += len(change.launches)
        self.launch_days += sum(change.launches)


class Book:
    """One CSM's customers and the running tally of the current period."""

    def __init__(self, criteria: Criteria, months: float) -> None:
        self._accounts: dict[Customer, Account] = {}
        self._touches: dict[Customer, int] = {}
        self._months = months
        self.tally = Tally(criteria, months)

    def __len__(self) -> int:
        return len(self._accounts)

    def __contains__(self, customer: Customer) -> bool:
        return customer in self._accounts

    def account(self, customer: Customer) -> Account:
        return self._accounts[customer]

    def touches_of(self, customer: Customer) -> int:
        """Touches this customer has had in the current period."""
        return self._touches.get(customer, 0)

    def add(self, customer: Customer, account: Account) -> None:
        """The customer joins the book (assignment, reassignment, a new signing)."""
        if customer in self._accounts:
            raise ValueError(f"customer {customer!r} is already in this book")
        self._accounts[customer] = account
        self._touches[customer] = 0
        self.tally.count_account(account, +1)

    def remove(self, customer: Customer) -> None:
        """The customer leaves the book; events already counted this period stay counted."""
        self.apply(customer, Change(leaves=True))

    def apply(self, customer: Customer, change: Change) -> None:
        """Record a real change of one customer."""
        _count(self.tally, self._accounts, self._touches, customer, change)
        if change.leaves:
            del self._accounts[customer]
            del self._touches[customer]
        elif customer in self._accounts:
            self._accounts[customer] = change.account or self._accounts[customer]
            self._touches[customer] += change.touches

    def tally_after(self, customer: Customer, change: Change) -> Tally:
        """The tally as it would be after ``change``; the book itself is untouched."""
        tally = self.tally.copy()
        _count(tally, self._accounts, self._touches, customer, change)
        return tally

    def close_period(self, active_share: float = 1.0) -> Tally:
        """The period's final tally (activity per active month); then start the next period.

        The account sums are recomputed from the states here, once a period, so floating
        error from many incremental updates never accumulates across periods.
        """
        if not 0 <= active_share <= 1:
            raise ValueError(f"active_share must be in [0, 1], got {active_share}")
        fresh = Tally(self.tally.criteria, self._months)
        for customer, account in self._accounts.items():
            fresh.count_account(account, +1)
            fresh.count_contact(self._touches[customer], +1)
        final = fresh.copy()
        closed = replace(
            self.tally.copy(), months=self._months * active_share, **{k: getattr(final, k) for k in _ACCOUNT_FIELDS}
        )
        fresh.contacts = [0] * len(fresh.contacts)
        self.tally = fresh
        self._touches = dict.fromkeys(self._touches, 0)
        return closed


_ACCOUNT_FIELDS = ("accounts", "engagement_sum", "value_sum", "value_accounts", "at_level", "using", "contacts")


def _count(
    tally: Tally,
    accounts: dict[Customer, Account],
    touches: dict[Customer, int],
    customer: Customer,
    change: Change,
) -> None:
    """Apply ``change`` of ``customer`` to ``tally`` (the one rule for real and what-if)."""
    member = customer in accounts
    if change.touches_the_book and not member:
        raise KeyError(f"customer {customer!r} is not in this book, so its state or touches cannot change")
    if change.touches < 0:
        raise ValueError(f"touches must be >= 0, got {change.touches}")
    tally.count_events(change)
    if not member:
        return
    old, seen = accounts[customer], touches[customer]
    tally.count_account(old, -1)
    tally.count_contact(seen, -1)
    if not change.leaves:
        tally.count_account(change.account or old, +1)
        tally.count_contact(seen + change.touches, +1)
