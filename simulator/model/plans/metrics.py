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
- ``contact_coverage``: mean over accounts of min(1, touches this period / ``min_touches``).
- ``jit_share``: needs closed in the period that were met in their window / needs closed.
- ``speed_to_launch``: mean days from signing to live of the period's launches (lower is better).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from simulator.model.plans.book import Criteria, Tally
from simulator.scenario.schema import LOWER_IS_BETTER, Measure

MetricFn = Callable[[Tally, int], float | None]
T = TypeVar("T")


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def engagement_average(t: Tally, _: int) -> float | None:
    return _ratio(t.engagement_sum, t.accounts)


def engagement_share(t: Tally, i: int) -> float | None:
    return _ratio(t.at_level[i], t.accounts)


def adoption_share(t: Tally, i: int) -> float | None:
    return _ratio(t.using[i], t.accounts)


def value_realised(t: Tally, _: int) -> float | None:
    return _ratio(t.value_sum, t.value_accounts)


def nrr(t: Tally, _: int) -> float | None:
    return _ratio(t.arr_renewed, t.arr_due)


def grr(t: Tally, _: int) -> float | None:
    return _ratio(t.arr_kept, t.arr_due)


def logo_retention(t: Tally, _: int) -> float | None:
    return _ratio(t.retained, t.renewals)


def nps(t: Tally, _: int) -> float | None:
    share = _ratio(t.promoters - t.detractors, t.answers)
    return None if share is None else 100.0 * share


def activity(t: Tally, _: int) -> float | None:
    return _ratio(t.touches, t.accounts * t.months)


def contact_coverage(t: Tally, i: int) -> float | None:
    return _ratio(t.contacts[i], t.accounts * t.criteria.min_touches[i])


def jit_share(t: Tally, _: int) -> float | None:
    return _ratio(t.needs_jit, t.needs)


def speed_to_launch(t: Tally, _: int) -> float | None:
    return _ratio(t.launch_days, t.launches)


METRICS: dict[str, MetricFn] = {
    fn.__name__: fn
    for fn in (
        engagement_average, engagement_share, adoption_share, value_realised, nrr, grr, logo_retention,
        nps, activity, contact_coverage, jit_share, speed_to_launch,
    )
}  # fmt: skip
"""Metric name (schema ``MetricName``) -> its function."""


@dataclass(frozen=True)
class Reader:
    """A measure bound to its place in the plan's criteria: reads one number off a tally."""

    metric: str
    index: int = 0

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER

    def __call__(self, tally: Tally) -> float | None:
        return METRICS[self.metric](tally, self.index)


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
