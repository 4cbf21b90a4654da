"""What a plan counts: per-customer states, changes, and the tally of a book's sums.

Every metric a plan can pay on is a ratio of a few sums (engagement summed over accounts,
renewed ARR over ARR due, promoters minus detractors over answers...). :class:`Tally`
keeps exactly those sums in one flat list, so an event costs O(number of the plan's
criteria), never O(book size), and a what-if is a list copy: plan gain evaluates several
per option the engine weighs, which makes this the simulator's hottest plan code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

LEVEL_TOLERANCE = 1e-9
"""Engagement within this of a level counts as reaching it (sums of weights are inexact)."""


class Account(NamedTuple):
    """What a plan can see of one customer, as the engine computes it.

    ``engagement`` is the engagement score in [0, 1]; ``value`` the value realised in
    [0, 1], or None for a customer that bought for nothing (it is left out of the average);
    ``adopted`` the features in use as a bit mask (feature i of the product is bit
    ``1 << i``), the engine's own representation.
    """

    engagement: float = 0.0
    value: float | None = None
    adopted: int = 0


class Change(NamedTuple):
    """What happens to one customer: applied for real, or one outcome of an option.

    ``account`` is its new state (None: unchanged); ``renewals`` are (ARR before, ARR
    after) in USD, after 0 meaning churned; ``surveys`` NPS answers 0-10; ``needs`` one
    flag per need closed (True: met in its window); ``launches`` days from signing to
    live; ``leaves`` takes the customer out of the book.
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


@dataclass(frozen=True)
class Criteria:
    """The per-customer tests a plan counts, fixed when the plan is built (feature sets as bit masks)."""

    levels: tuple[float, ...] = ()
    feature_sets: tuple[int, ...] = ()
    min_touches: tuple[int, ...] = ()


SCALARS = (
    "months", "active_share", "accounts", "engagement_sum", "value_sum", "value_accounts", "touches", "renewals",
    "retained", "arr_due", "arr_renewed", "arr_kept", "answers", "promoters", "detractors", "needs", "needs_jit",
    "launches", "launch_days",
)  # fmt: skip
"""The tally's scalar counters, in list order; per-criterion counts follow them."""

(MONTHS, ACTIVE_SHARE, ACCOUNTS, ENGAGEMENT, VALUE, VALUED, TOUCHES, RENEWALS, RETAINED, ARR_DUE, ARR_RENEWED, ARR_KEPT,
 ANSWERS, PROMOTERS, DETRACTORS, NEEDS, NEEDS_JIT, LAUNCHES, LAUNCH_DAYS) = range(len(SCALARS))  # fmt: skip
ACCOUNT_SCALARS = (ACCOUNTS, ENGAGEMENT, VALUE, VALUED)
_INDEX = {name: i for i, name in enumerate(SCALARS)}


class Tally:
    """Sufficient statistics of a book for every metric, in the flat list ``v``.

    ``v`` holds the :data:`SCALARS` (``months`` is the exposure of activity, ``active_share``
    the part of the period the CSM held the seat, 1 until the close) and then, from
    ``level0``, ``using0`` and ``contact0``, one count per engagement level, per feature
    set and per contact minimum of the criteria. Counters read by name too
    (``tally.accounts``, ``tally.at_level``), for tests and reports.
    """

    __slots__ = ("contact0", "criteria", "level0", "using0", "v")

    def __init__(self, criteria: Criteria, months: float, values: list[Any] | None = None) -> None:
        self.criteria = criteria
        self.level0 = len(SCALARS)
        self.using0 = self.level0 + len(criteria.levels)
        self.contact0 = self.using0 + len(criteria.feature_sets)
        size = self.contact0 + len(criteria.min_touches)
        self.v: list[Any] = values if values is not None else [months, 1.0, *[0] * (size - 2)]

    def __getattr__(self, name: str) -> Any:
        # only reached for names that are not slots; never touch other attributes before
        # knowing the name is ours (copy and pickle probe for special names on bare objects)
        if name in _INDEX:
            return self.v[_INDEX[name]]
        if name == "at_level":
            return self.v[self.level0 : self.using0]
        if name == "using":
            return self.v[self.using0 : self.contact0]
        if name == "contacts":
            return self.v[self.contact0 :]
        raise AttributeError(f"Tally has no counter {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and self.criteria == other.criteria and self.v == other.v

    def __repr__(self) -> str:
        named = ", ".join(f"{n}={self.v[i]!r}" for i, n in enumerate(SCALARS))
        return f"Tally({named}, at_level={self.at_level}, using={self.using}, contacts={self.contacts})"

    def copy(self) -> Tally:
        return Tally(self.criteria, 0.0, list(self.v))

    def count_account(self, account: Account, sign: int) -> None:
        """Add (sign +1) or withdraw (-1) one customer's state."""
        v = self.v
        engagement = account.engagement
        v[ACCOUNTS] += sign
        v[ENGAGEMENT] += sign * engagement
        if account.value is not None:
            v[VALUE] += sign * account.value
            v[VALUED] += sign
        k = self.level0
        for level in self.criteria.levels:
            if engagement >= level - LEVEL_TOLERANCE:
                v[k] += sign
            k += 1
        for mask in self.criteria.feature_sets:
            if account.adopted & mask:
                v[k] += sign
            k += 1

    def count_contact(self, touches: int, sign: int, share: float = 1.0) -> None:
        """Add or withdraw one account's touches towards each contact minimum (capped at it).

        ``share``: the part of the period the CSM held the seat; the minimum is prorated.
        """
        v = self.v
        k = self.contact0
        for minimum in self.criteria.min_touches:
            due = minimum * share
            v[k] += sign * (touches if touches < due else due)
            k += 1

    def count_events(self, change: Change) -> None:
        """Count the period events of a change (they stay counted if the customer later leaves)."""
        v = self.v
        v[TOUCHES] += change.touches
        for before, after in change.renewals:
            v[RENEWALS] += 1
            v[RETAINED] += after > 0
            v[ARR_DUE] += before
            v[ARR_RENEWED] += after
            v[ARR_KEPT] += min(before, after)
        for score in change.surveys:
            v[ANSWERS] += 1
            v[PROMOTERS] += score >= 9
            v[DETRACTORS] += score <= 6
        if change.needs:
            v[NEEDS] += len(change.needs)
            v[NEEDS_JIT] += sum(change.needs)
        if change.launches:
            v[LAUNCHES] += len(change.launches)
            v[LAUNCH_DAYS] += sum(change.launches)
