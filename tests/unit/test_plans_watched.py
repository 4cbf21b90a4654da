"""Remembered plan gains stay exact: a book's version moves only when something the plan reads moves."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.plans.book import Account, Book, Change, Criteria, Tally
from simulator.model.plans.metrics import METRICS, Reader
from simulator.model.plans.plan import Plan
from simulator.scenario.presets import PRESETS
from simulator.scenario.schema import Compensation, Product

CRITERIA = Criteria(levels=(0.35, 0.5), feature_sets=(0b0011, 0b1100), min_touches=(1, 3))
INDEXED = {"engagement_share", "adoption_share", "contact_coverage"}


def random_tally(rng: np.random.Generator) -> Tally:
    t = Tally(CRITERIA, 3.0)
    t.v = [float(x) for x in rng.integers(1, 50, size=len(t.v))]
    return t


@pytest.mark.parametrize(
    ("metric", "index"), [(m, i) for m in sorted(METRICS) for i in ((0, 1) if m in INDEXED else (0,))]
)
def test_a_metric_depends_on_no_counter_outside_what_it_reads(metric: str, index: int) -> None:
    rng = np.random.default_rng(3)
    reader = Reader(metric, index)
    for _ in range(20):
        tally = random_tally(rng)
        before = reader(tally)
        reads = set(reader.reads(tally))
        for i in range(len(tally.v)):
            if i not in reads:
                tally.v[i] += float(rng.integers(1, 9))
        assert reader(tally) == before, f"{metric}[{index}] moved when only counters it does not read changed"


def test_every_read_counter_can_move_the_metric() -> None:
    rng = np.random.default_rng(4)
    for metric in METRICS:
        reader = Reader(metric, 0)
        tally = random_tally(rng)
        for i in reader.reads(tally):
            before = reader(tally)
            tally.v[i] += 7.0
            assert reader(tally) != before, f"{metric} lists counter {i} but ignores it"


def engagement_plan(name: str) -> Plan:
    return Plan.from_compensation(Compensation(plan=name), Product())


def test_touch_under_an_engagement_plan_keeps_the_version_but_adoption_and_joins_move_it() -> None:
    book = engagement_plan("engagement_average").new_book()
    book.add(1, Account(0.35, 1.0, 0b0001))
    version = book.version
    book.apply(1, Change(touches=1))
    book.apply(1, Change(needs=(True,)))
    assert book.version == version, "touches and needs do not move an engagement payout"
    book.apply(1, Change(account=Account(0.7, 1.0, 0b0011)))
    assert book.version == version + 1
    book.add(2, Account())
    book.remove(2)
    assert book.version == version + 3


def test_contact_minimum_counts_touches_until_it_is_met() -> None:
    book = engagement_plan("threshold_plus_activity").new_book()  # three touches per account per quarter
    book.add(1, Account(0.35, 1.0, 0b0001))
    versions = [book.version]
    for _ in range(4):
        book.apply(1, Change(touches=1))
        versions.append(book.version)
    assert np.diff(versions).tolist() == [1, 1, 1, 0], "the fourth touch is past the minimum: nothing moves"


@pytest.mark.parametrize("name", sorted(set(PRESETS) - {"salary_only"}))
def test_every_preset_watches_what_its_components_read(name: str) -> None:
    plan = engagement_plan(name)
    layout = Tally(plan.criteria, 3.0)
    for component in plan.components:
        assert set(component.read.reads(layout)) <= set(plan.watched)
    assert isinstance(plan.new_book(), Book)
