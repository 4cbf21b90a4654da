"""Plan gain: the expected payout change a plan attaches to one option of a CSM.

Behaviour design (docs/plans.md tells the same story for users). Every choice a CSM makes
is scored ``((1 - g) * customer_benefit + g * plan_gain) / hours``. ``customer_benefit``
is the expected rise of the customer's own satisfaction, in [0, 1]. ``plan_gain`` must be
on a comparable scale, and derived from the plan's components, never written per preset:

1. The engine describes an option by its *effect* on the CSM's book: a few outcomes with
   their probabilities, each a :class:`~simulator.model.plans.book.Change` of one
   customer. Pushing feature f to customer c with adoption chance p is two outcomes:
   ``p``: c's account with f adopted (engagement + w_f, maybe over a level, value + 1/n if
   c bought for f) and one touch; ``1 - p``: just the touch. Guiding a need inside its
   window adds a need met just in time to both; a renewal that falls in the period is a
   churn / keep split whose chances the option shifts (then ``baseline`` holds the same
   split without the option).
2. ``plan_gain = E[payout(book + effect)] - E[payout(book + baseline)]``, the baseline
   being "nothing happens" unless given. The expectation is taken over the outcomes, each
   evaluated through the real, non-linear payout (thresholds, steps, gates, caps), never
   by plugging in the mean effect: near a threshold the chance of crossing it is what
   pays, and a step or a capped curve is flat almost everywhere.
3. The payout is a share of the CSM's period variable target; the gain is that share
   times the number of accounts in the book, i.e. in units of "the period variable target
   per account". A plan whose metric is an average over the book then values a whole
   one-customer improvement at the curve's slope: of order 1, like customer benefit, so
   ``gaming`` g really is the weight of the money against the customer.

What emerges, with nothing written per plan: under ``engagement_average`` an option's gain
is proportional to ``p * w_f``, so heavily weighted features win whether the customer
wanted them or not; under a threshold on a share of the book, a customer that one option
cannot lift over the bar, or a book already over the target with no upside, gains
exactly 0 (written off, and post-threshold neglect), while an activity or contact
component keeps touches paying; under ``customer_outcome`` only wanted features and
on-time guidance pay. The gain is myopic by design (one option, this period's payout),
which is how the seeds' CSMs reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.model.plans.book import NO_CHANGE, Book, Change, Customer
from simulator.model.plans.plan import Plan

Branch = tuple[float, Change]
"""(probability, what happens) for one outcome of an option."""

CERTAIN_NOTHING: tuple[Branch, ...] = ((1.0, NO_CHANGE),)

_PROB_TOLERANCE = 1e-9


class Effect:
    """An option's effect on one customer of the book: outcomes with and without the option.

    ``check=False`` skips the probability checks, for builders that construct their
    branches so that they hold (the engine's hot path).
    """

    __slots__ = ("baseline", "customer", "outcomes")

    def __init__(
        self,
        customer: Customer,
        outcomes: tuple[Branch, ...],
        baseline: tuple[Branch, ...] = CERTAIN_NOTHING,
        *,
        check: bool = True,
    ) -> None:
        if check:
            _check_branches("outcomes", outcomes)
            _check_branches("baseline", baseline)
        self.customer = customer
        self.outcomes = outcomes
        self.baseline = baseline

    def __repr__(self) -> str:
        return f"Effect({self.customer!r}, outcomes={self.outcomes!r}, baseline={self.baseline!r})"

    @classmethod
    def chance(cls, customer: Customer, p: float, success: Change, failure: Change = NO_CHANGE) -> Effect:
        """``success`` with probability ``p``, else ``failure`` (against nothing happening)."""
        return cls(customer, ((p, success), (1.0 - p, failure)))


def _check_branches(label: str, branches: Sequence[Branch]) -> None:
    if not branches:
        raise ValueError(f"effect {label} must list at least one outcome")
    total = 0.0
    for p, _ in branches:
        if not -_PROB_TOLERANCE <= p <= 1 + _PROB_TOLERANCE:
            raise ValueError(f"effect {label} probabilities must be in [0, 1], got {[q for q, _ in branches]}")
        total += p
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"effect {label} probabilities must sum to 1, got {total:.6g}")


def expected_share(
    plan: Plan, book: Book, customer: Customer, branches: Sequence[Branch], current: float | None = None
) -> float:
    """E[payout share] over ``branches``, each evaluated through the plan's full payout.

    ``current``: the book's payout share as it stands, if the caller already knows it.
    """
    read = plan.payout_share
    total = 0.0
    for p, change in branches:
        if p <= 0:
            continue
        if change is NO_CHANGE:
            if current is None:
                current = read(book.tally)
            total += p * current
        else:
            total += p * book.evaluate_after(customer, change, read)
    return total


def plan_gain(plan: Plan, book: Book, effect: Effect, current: float | None = None) -> float:
    """Expected payout gain of ``effect``, in period variable targets per account of the book.

    ``current`` (optional) is ``plan.payout_share(book.tally)``, for callers that price many
    options against one state of the book.
    """
    if not plan.pays:
        return 0.0
    with_option = expected_share(plan, book, effect.customer, effect.outcomes, current)
    without = expected_share(plan, book, effect.customer, effect.baseline, current)
    return (with_option - without) * max(len(book), 1)
