"""Plan cost, share at target, cost quantiles, pay-for-performance alignment, suggested targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.errors import InputError
from simulator.model.plans.book import Account, Change
from simulator.model.plans.calibration import (
    cost_quantiles,
    metric_from_attainment,
    pay_for_performance,
    plan_cost,
    share_at_or_above_target,
    suggest_target,
)
from simulator.model.plans.curves import curve_payout
from simulator.model.plans.plan import Plan
from simulator.scenario.schema import Compensation, Component, Curve, Product


def test_plan_cost_is_the_sum_of_payouts_not_the_payout_at_average_attainment() -> None:
    """Jensen: with an accelerator the curve is convex above target, so the sum exceeds n x f(mean)."""
    accelerated = Component(metric="nrr", curve=Curve(threshold=0.8, target=1.0, cap=1.3, accelerator=2.0))
    plan = Plan([accelerated], Product())
    payouts, values = [], []
    for nrr in (0.9, 1.0, 1.2):  # three CSMs
        book = plan.new_book()
        book.add(0, Account())
        book.apply(0, Change(renewals=((100.0, 100.0 * nrr),)))
        payout = plan.evaluate(book.tally)
        payouts.append(payout.usd(20_000, 3))
        values.append(nrr)
    # shares by hand: 0.5, 1.0, 1 + 2 x 5 x 0.2 = 3.0
    assert payouts == pytest.approx([2_500.0, 5_000.0, 15_000.0])
    at_average = 3 * 5_000.0 * curve_payout(accelerated.curve, sum(values) / 3)  # 3 x 5,000 x 1.333
    assert plan_cost(payouts) == pytest.approx(22_500.0)
    assert at_average == pytest.approx(20_000.0)
    assert plan_cost(payouts) > at_average


def test_share_at_or_above_target_ignores_missing_attainment() -> None:
    assert share_at_or_above_target([0.5, 1.0, 1.0 - 1e-12, 1.7, None, math.nan]) == pytest.approx(3 / 4)
    assert math.isnan(share_at_or_above_target([None, None]))


def test_cost_quantiles_interpolate_between_replications() -> None:
    q = cost_quantiles([100.0, 200.0, 300.0, 400.0, 500.0])
    assert q == {"p10": pytest.approx(140.0), "p50": pytest.approx(300.0), "p90": pytest.approx(460.0)}
    assert cost_quantiles([7.0]) == {"p10": 7.0, "p50": 7.0, "p90": 7.0}
    with pytest.raises(ValueError, match="at least one"):
        cost_quantiles([])
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        cost_quantiles([1.0], probs=(1.5,))


def test_pay_for_performance_is_the_correlation_of_pay_and_outcomes() -> None:
    rng = np.random.default_rng(11)
    outcome = rng.uniform(0.3, 0.9, 200)
    aligned = 10_000 * outcome + rng.normal(0, 500, 200)
    perverse = -aligned
    r = pay_for_performance(list(aligned), list(outcome))
    # sd of signal 10,000 x 0.6 / sqrt(12) = 1,732 against noise 500: r = 1732 / sqrt(1732^2 + 500^2) = 0.961
    assert r == pytest.approx(0.961, abs=0.02)
    assert pay_for_performance(list(perverse), list(outcome)) == pytest.approx(-r)


def test_pay_for_performance_is_undefined_without_spread() -> None:
    assert math.isnan(pay_for_performance([0.0, 0.0, 0.0], [0.2, 0.5, 0.9]))  # salary only
    assert math.isnan(pay_for_performance([1.0], [0.5]))
    with pytest.raises(ValueError, match="pair up"):
        pay_for_performance([1.0, 2.0], [0.5])


def test_share_at_target_from_real_payouts() -> None:
    plan = Plan.from_compensation(Compensation(plan="engagement_average"), Product())
    attainments = []
    for engagement in (0.7, 0.85, 0.86, 0.95):  # target 0.86: two of four at or above
        book = plan.new_book()
        book.add(0, Account(engagement=engagement))
        attainments.append(plan.evaluate(book.tally).attainment)
    assert share_at_or_above_target(attainments) == pytest.approx(0.5)


NRR = Curve(threshold=0.85, target=1.01, cap=1.2, threshold_payout=0.5, accelerator=2.0)
"""Half pay at 0.85, slope 0.5 / 0.16 = 3.125 to the target, 6.25 above it, the cap's payout 2.1875."""


@pytest.mark.parametrize(
    ("attainment", "nrr"),
    [(0.5, 0.85), (0.8125, 0.95), (1.0, 1.01), (1.5625, 1.10), (2.1875, math.inf), (0.0, -math.inf)],
)
def test_metric_from_attainment_inverts_the_curve_where_it_rises(attainment: float, nrr: float) -> None:
    assert metric_from_attainment(NRR, attainment) == pytest.approx(nrr)


def test_metric_from_attainment_for_lower_is_better_and_no_upside() -> None:
    launch = Curve(threshold=60, target=30, cap=15, threshold_payout=0.25)  # slope 0.75 / 30 per day
    assert metric_from_attainment(launch, 0.625, lower_is_better=True) == pytest.approx(45.0)
    assert metric_from_attainment(launch, 1.375, lower_is_better=True) == -math.inf  # at the 15-day cap or faster
    assert metric_from_attainment(launch, 0.0, lower_is_better=True) == math.inf  # slower than 60 days
    assert metric_from_attainment(Curve(threshold=0.0, target=1.0), 1.0) == math.inf  # at target, no upside


def test_suggest_target_is_the_value_the_share_reached() -> None:
    """Ten periods at NRR 0.80 (paid nothing) ... 1.25 (past the cap); 60% reached 1.00: that is the target
    that would have put six in ten at or above it."""
    values = [0.80, 0.85, 0.90, 0.95, 1.00, 1.01, 1.05, 1.10, 1.15, 1.25]
    attainments = [curve_payout(NRR, v) for v in values] + [math.nan]  # NaN: salary only, left out
    assert suggest_target(NRR, attainments) == pytest.approx(1.00)
    assert suggest_target(NRR, attainments, share=0.3) == pytest.approx(1.10)  # 3 of 10 at or above
    with pytest.raises(InputError, match="lower the threshold"):
        suggest_target(NRR, attainments, share=0.95)  # the 95% mark lies among those paid nothing
    with pytest.raises(InputError, match="raise the cap"):
        suggest_target(NRR, attainments, share=0.05)
    with pytest.raises(InputError, match="between 0 and 1"):
        suggest_target(NRR, attainments, share=1.0)
    with pytest.raises(InputError, match="no attainments"):
        suggest_target(NRR, [math.nan])
