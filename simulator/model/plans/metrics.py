"""The metric values of a book, read off its :class:`Tally`.

Each metric is a small function ``(tally, index) -> value or None``; ``index`` points into
the plan's :class:`Criteria` for the metrics that carry a detail (an engagement level, a
feature set, a contact minimum). ``None`` means there is nothing to measure this period
(an empty book, no renewals due, no survey answers): the plan decides what that pays.

Definitions (docs/plans.md has the prose):

- ``engagement_average``: mean engagement score over the book's accounts.
- ``engagement_share``: share of accounts whose engagement is at or above ``level``.
- ``adoption_share``: share of accounts using any of ``features``.
- ``value_realised``: mean value realised over accounts that bought for something.
- ``nrr`` / ``grr`` / ``logo_retention``: over the renewals that fell due in the period:
  ARR after / ARR before; the same with expansion ignored; renewals retained / renewals.
- ``nps``: % promoters (9-10) minus % detractors (0-6) of the period's answers, in points.
- ``activity``: touches per account per active month.
- ``contact_coverage``: mean over accounts of min(1, touches this period / ``min_touches``),
  the minimum prorated by the part of the period the CSM held the seat.
- ``jit_share``: needs closed in the period that were met in their window / needs closed.
- ``speed_to_launch``: mean days from signing to live of the period's launches (lower is better).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from simulator.model.plans.tally import (
    ACCOUNTS,
    ACTIVE_SHARE,
    ANSWERS,
    ARR_DUE,
    ARR_KEPT,
    ARR_RENEWED,
    DETRACTORS,
    ENGAGEMENT,
    LAUNCH_DAYS,
    LAUNCHES,
    MONTHS,
    NEEDS,
    NEEDS_JIT,
    PROMOTERS,
    RENEWALS,
    RETAINED,
    TOUCHES,
    VALUE,
    VALUED,
    Criteria,
    Tally,
)  # fmt: skip
from simulator.scenario.schema import LOWER_IS_BETTER, Measure

MetricFn = Callable[[Tally, int], float | None]
T = TypeVar("T")


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def engagement_average(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[ENGAGEMENT], v[ACCOUNTS])


def engagement_share(t: Tally, i: int) -> float | None:
    v = t.v
    return _ratio(v[t.level0 + i], v[ACCOUNTS])


def adoption_share(t: Tally, i: int) -> float | None:
    v = t.v
    return _ratio(v[t.using0 + i], v[ACCOUNTS])


def value_realised(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[VALUE], v[VALUED])


def nrr(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[ARR_RENEWED], v[ARR_DUE])


def grr(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[ARR_KEPT], v[ARR_DUE])


def logo_retention(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[RETAINED], v[RENEWALS])


def nps(t: Tally, _: int) -> float | None:
    v = t.v
    share = _ratio(v[PROMOTERS] - v[DETRACTORS], v[ANSWERS])
    return None if share is None else 100.0 * share


def activity(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[TOUCHES], v[ACCOUNTS] * v[MONTHS])


def contact_coverage(t: Tally, i: int) -> float | None:
    v = t.v
    return _ratio(v[t.contact0 + i], v[ACCOUNTS] * t.criteria.min_touches[i] * v[ACTIVE_SHARE])


def jit_share(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[NEEDS_JIT], v[NEEDS])


def speed_to_launch(t: Tally, _: int) -> float | None:
    v = t.v
    return _ratio(v[LAUNCH_DAYS], v[LAUNCHES])


_READS: dict[str, Callable[[Tally, int], tuple[int, ...]]] = {
    "engagement_average": lambda t, i: (ENGAGEMENT, ACCOUNTS),
    "engagement_share": lambda t, i: (t.level0 + i, ACCOUNTS),
    "adoption_share": lambda t, i: (t.using0 + i, ACCOUNTS),
    "value_realised": lambda t, i: (VALUE, VALUED),
    "nrr": lambda t, i: (ARR_RENEWED, ARR_DUE),
    "grr": lambda t, i: (ARR_KEPT, ARR_DUE),
    "logo_retention": lambda t, i: (RETAINED, RENEWALS),
    "nps": lambda t, i: (PROMOTERS, DETRACTORS, ANSWERS),
    "activity": lambda t, i: (TOUCHES, ACCOUNTS, MONTHS),
    "contact_coverage": lambda t, i: (t.contact0 + i, ACCOUNTS, ACTIVE_SHARE),
    "jit_share": lambda t, i: (NEEDS_JIT, NEEDS),
    "speed_to_launch": lambda t, i: (LAUNCH_DAYS, LAUNCHES),
}
"""Metric name -> the tally counters its function reads (kept next to the functions above)."""

METRICS: dict[str, MetricFn] = {
    fn.__name__: fn
    for fn in (
        engagement_average, engagement_share, adoption_share, value_realised, nrr, grr, logo_retention,
        nps, activity, contact_coverage, jit_share, speed_to_launch,
    )
}  # fmt: skip
"""Metric name (schema ``MetricName``) -> its function."""


class Reader:
    """A measure bound to its place in the plan's criteria: reads one number off a tally."""

    __slots__ = ("fn", "index", "metric")

    def __init__(self, metric: str, index: int = 0) -> None:
        self.metric = metric
        self.index = index
        self.fn = METRICS[metric]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reader) and (self.metric, self.index) == (other.metric, other.index)

    def __hash__(self) -> int:
        return hash((self.metric, self.index))

    def __repr__(self) -> str:
        return f"Reader({self.metric!r}, {self.index})"

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER

    def __call__(self, tally: Tally) -> float | None:
        return self.fn(tally, self.index)

    def reads(self, tally: Tally) -> tuple[int, ...]:
        """Positions in ``tally.v`` this reader's value depends on (nothing else moves it)."""
        return _READS[self.metric](tally, self.index)


def feature_mask(names: Iterable[str], feature_names: Sequence[str]) -> int:
    """Bit mask of ``names`` in the product's feature order (KeyError-free: checks validated them)."""
    mask = 0
    for name in names:
        mask |= 1 << feature_names.index(name)
    return mask


def criteria_for(measures: Iterable[Measure], feature_names: Sequence[str]) -> Criteria:
    """The distinct levels, feature sets and contact minimums the measures need, in first-seen order."""
    levels: list[float] = []
    feature_sets: list[int] = []
    minimums: list[int] = []
    for m in measures:
        _append_new(levels, m.level)
        _append_new(feature_sets, None if m.features is None else feature_mask(m.features, feature_names))
        _append_new(minimums, m.min_touches)
    return Criteria(tuple(levels), tuple(feature_sets), tuple(minimums))


def reader_for(measure: Measure, criteria: Criteria, feature_names: Sequence[str]) -> Reader:
    """The reader of ``measure`` within ``criteria`` (which must come from :func:`criteria_for`)."""
    if measure.level is not None:
        return Reader(measure.metric, criteria.levels.index(measure.level))
    if measure.features is not None:
        return Reader(measure.metric, criteria.feature_sets.index(feature_mask(measure.features, feature_names)))
    if measure.min_touches is not None:
        return Reader(measure.metric, criteria.min_touches.index(measure.min_touches))
    return Reader(measure.metric)


def _append_new(items: list[T], item: T | None) -> None:
    if item is not None and item not in items:
        items.append(item)
