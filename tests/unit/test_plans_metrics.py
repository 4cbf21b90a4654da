"""Metric definitions on hand-built tallies, including the field's reference test vectors."""

from __future__ import annotations

import pytest

from simulator.model.plans.book import Account, Book, Change, Criteria
from simulator.model.plans.metrics import METRICS, Reader, criteria_for, reader_for
from simulator.scenario.schema import Measure

NAMES = ["A", "B", "C", "D"]


def read(metric: str, book: Book, index: int = 0) -> float | None:
    return Reader(metric, index)(book.tally)


def test_every_schema_metric_has_a_definition() -> None:
    from typing import get_args

    from simulator.scenario.schema import MetricName

    assert set(get_args(MetricName)) == set(METRICS)


def test_nrr_grr_vector_from_field_notes() -> None:
    # start $10.0M; churn 0.9, contraction 0.6, expansion 1.8 -> GRR 85%, NRR 103%
    book = Book(Criteria(), 3.0)
    book.apply("x", Change(renewals=((0.9, 0.0), (2.0, 1.4), (3.0, 4.8), (4.1, 4.1))))
    assert read("grr", book) == pytest.approx(0.85)
    assert read("nrr", book) == pytest.approx(1.03)
    assert read("logo_retention", book) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [((10,) * 100 + (8,) * 30 + (3,) * 80, 9.5238), (tuple(range(11)), -45.4545)],
)
def test_nps_vectors_from_field_notes(answers: tuple[int, ...], expected: float) -> None:
    book = Book(Criteria(), 3.0)
    book.apply("x", Change(surveys=answers))
    assert read("nps", book) == pytest.approx(expected, abs=1e-4)


def test_book_state_metrics() -> None:
    book = Book(Criteria(levels=(0.5,), feature_sets=(0b0011,), min_touches=(2,)), 3.0)
    book.add(1, Account(0.7, 1.0, 0b0011))
    book.add(2, Account(0.5, 0.5, 0b0101))
    book.add(3, Account(0.15, None, 0b0100))  # bought for nothing: out of the value average
    book.add(4, Account(0.0, 0.0, 0))
    book.apply(1, Change(touches=3))
    book.apply(2, Change(touches=1))
    assert read("engagement_average", book) == pytest.approx(1.35 / 4)
    assert read("engagement_share", book) == pytest.approx(0.5)  # 0.7 and exactly 0.5 reach the level
    assert read("adoption_share", book) == pytest.approx(0.5)  # 1 and 2 use A or B
    assert read("value_realised", book) == pytest.approx(1.5 / 3)
    assert read("contact_coverage", book) == pytest.approx((2 + 1) / (2 * 4))
    assert read("activity", book) == pytest.approx(4 / 4 / 3)  # touches per account per month


def test_period_event_metrics() -> None:
    book = Book(Criteria(), 3.0)
    book.apply("x", Change(needs=(True, True, False), launches=(10.0, 30.0)))
    assert read("jit_share", book) == pytest.approx(2 / 3)
    assert read("speed_to_launch", book) == pytest.approx(20.0)


def test_no_data_reads_as_none() -> None:
    book = Book(Criteria(levels=(0.5,), feature_sets=(1,), min_touches=(1,)), 3.0)
    assert all(fn(book.tally, 0) is None for fn in METRICS.values())


def test_criteria_are_shared_between_measures_and_readers_find_them() -> None:
    measures = [
        Measure(metric="engagement_share", level=0.35),
        Measure(metric="adoption_share", features=["B", "A"]),
        Measure(metric="engagement_share", level=0.35),
        Measure(metric="contact_coverage", min_touches=3),
        Measure(metric="engagement_share", level=0.6),
    ]
    criteria = criteria_for(measures, NAMES)
    assert criteria == Criteria(levels=(0.35, 0.6), feature_sets=(0b0011,), min_touches=(3,))
    assert [reader_for(m, criteria, NAMES).index for m in measures] == [0, 0, 0, 0, 1]
    assert Reader("speed_to_launch").lower_is_better and not Reader("nrr").lower_is_better
