"""Metric definitions against FIELD.md's vectors, and run_metrics on hand-built tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator.engine.records import RunOutput
from simulator.results.metrics import (
    arr_at,
    cohort_starts,
    grr,
    logo_retention,
    nps,
    nps_from_counts,
    nrr,
    run_metrics,
)
from simulator.results.tables import frames
from simulator.scenario.schema import DAYS_PER_MONTH, SEGMENT_METRICS, TARGET_METRICS, Scenario


def test_grr_and_nrr_field_vector() -> None:
    # start $10.0M, contraction 0.6, churn 0.9, expansion 1.8 -> GRR 85%, NRR 103%
    assert grr(10.0e6, 0.6e6, 0.9e6) == pytest.approx(0.85, abs=1e-12)
    assert nrr(10.0e6, 1.8e6, 0.6e6, 0.9e6) == pytest.approx(1.03, abs=1e-12)


def test_nps_field_vectors() -> None:
    assert round(nps_from_counts(100, 30, 80), 2) == 9.52
    assert round(nps([9] * 100 + [7] * 30 + [3] * 80), 2) == 9.52
    assert round(nps(range(11)), 2) == -45.45
    assert nps([10, 9]) == 100.0 and nps([0, 6]) == -100.0 and nps([7, 8]) == 0.0


def test_logo_retention_definition() -> None:
    assert logo_retention(200, 180) == 0.9
    assert logo_retention(0, 0) != logo_retention(0, 0)  # NaN: no cohort


def test_cohorts_cover_the_measured_period() -> None:
    starts = cohort_starts((6 * DAYS_PER_MONTH, 36 * DAYS_PER_MONTH))
    assert len(starts) == 19  # months 6..24 start a full 12-month cohort
    assert starts[0] == (6 * DAYS_PER_MONTH, 6 * DAYS_PER_MONTH + 365.25)
    assert cohort_starts((0.0, 100.0)) == [(0.0, 100.0)]  # shorter than a year: one annualised cohort


def _tables(customers: list[tuple], renewals: list[tuple]) -> dict[str, pd.DataFrame]:
    out = RunOutput(customers=customers, needs=[], csms=[], timeseries=[], touches=[], renewals=renewals, surveys=[])
    return frames(out)


def _customer(cid: int, signed: float, arr: float, churn_day: float = float("nan")) -> tuple:
    return (cid, "s", "t", signed, signed, arr, arr, churn_day == churn_day, churn_day, "A", "A", 0, 0, 0,
            0.5, 0.5, 0.5, True, -1)  # fmt: skip


def test_arr_at_follows_renewals() -> None:
    t = _tables(
        [_customer(0, -10, 100.0), _customer(1, 5, 50.0)],
        [(0, "s", 20.0, 100.0, 130.0, False), (0, "s", 40.0, 130.0, 0.0, True)],
    )
    assert arr_at(t["customers"], t["renewals"], 0.0).tolist() == [100.0, 0.0]
    assert arr_at(t["customers"], t["renewals"], 25.0).tolist() == [130.0, 50.0]
    assert arr_at(t["customers"], t["renewals"], 45.0).tolist() == [0.0, 50.0]


def test_run_metrics_grr_nrr_by_hand() -> None:
    """One 12-month cohort of four customers: one churns, one contracts, one expands."""
    year = 365.25
    scenario = Scenario.model_validate({"horizon_months": 12, "warmup_months": 0})
    t = _tables(
        [_customer(0, -100, 100.0), _customer(1, -100, 200.0), _customer(2, -100, 300.0), _customer(3, -100, 400.0),
         _customer(4, 10, 999.0)],  # customer 4 signs inside the cohort year: excluded
        [(0, "s", 50.0, 100.0, 0.0, True), (1, "s", 60.0, 200.0, 150.0, False),
         (2, "s", 70.0, 300.0, 390.0, False), (3, "s", 80.0, 400.0, 400.0, False)],
    )  # fmt: skip
    t["timeseries"] = pd.DataFrame()
    assert cohort_starts((0.0, year)) == [(0.0, year)]
    start, churn, contraction, expansion = 1000.0, 100.0, 50.0, 90.0
    from simulator.results import metrics

    got = metrics._retention(t["customers"], t["renewals"], (0.0, year))
    assert got["grr"] == pytest.approx(grr(start, contraction, churn))
    assert got["nrr"] == pytest.approx(nrr(start, expansion, contraction, churn))
    assert got["logo_retention"] == pytest.approx(0.75)
    assert scenario.horizon_days == pytest.approx(year)


def test_run_metrics_returns_exactly_the_contract_names() -> None:
    from simulator.engine import simulate

    scenario = Scenario.model_validate({"horizon_months": 14, "warmup_months": 1, "csm": {"annual_attrition": 0},
                                        "segments": {"s": {"initial_customers": 40, "new_per_month": 2}}})  # fmt: skip
    metrics = run_metrics(frames(simulate(scenario, 0)), scenario)
    assert list(metrics) == [*TARGET_METRICS, *(f"{m}@s" for m in SEGMENT_METRICS)]
    assert all(isinstance(v, float) for v in metrics.values())
    assert 0 <= metrics["grr"] <= 1 and metrics["nrr"] >= metrics["grr"]
    assert 0 < metrics["csm_utilization"] < 1
    assert metrics["comp_cost"] == pytest.approx(5 * 90000, rel=1e-9)  # 5 full seats, salary only, no vacancy
    assert metrics["variable_pay_per_csm"] == 0.0


def test_a_single_segments_figures_are_the_companys() -> None:
    """The per-segment metrics are the same definitions over a subset: with one segment the
    subset is everything, so every figure must equal the company's, float for float."""
    from simulator.engine import simulate

    scenario = Scenario.model_validate(
        {"horizon_months": 30, "warmup_months": 3, "segments": {"only": {"initial_customers": 60, "new_per_month": 3}}}
    )
    metrics = run_metrics(frames(simulate(scenario, 1)), scenario)
    for name in SEGMENT_METRICS:
        assert metrics[f"{name}@only"] == pytest.approx(metrics[name], rel=1e-12, nan_ok=True), name
    assert metrics["grr"] == metrics["grr"]  # measured, not NaN: the check above compared numbers


def test_each_segments_figures_are_its_own_and_the_company_mixes_them() -> None:
    from simulator.engine import simulate
    from simulator.results.metrics import _retention, _service

    scenario = Scenario.model_validate(
        {
            "horizon_months": 30, "warmup_months": 3,
            "segments": {
                "big": {"team": "named", "initial_customers": 40, "new_per_month": 1, "arr": 90000},
                "small": {"team": "pool", "initial_customers": 150, "new_per_month": 4, "arr": 8000},
            },
            "teams": {"named": {"coverage": "named", "csms": 4}, "pool": {"coverage": "pooled", "csms": 1}},
        }
    )  # fmt: skip
    tables = frames(simulate(scenario, 0))
    metrics = run_metrics(tables, scenario)
    window = (scenario.warmup_days, scenario.horizon_days)
    customers, renewals, needs = tables["customers"], tables["renewals"], tables["needs"]
    for segment in ("big", "small"):
        mine = customers[customers["segment"] == segment]
        expected = {
            **_retention(mine, renewals[renewals["customer"].isin(mine["customer"])], window),
            **_service(needs[needs["segment"] == segment], mine, window),
        }
        for name in SEGMENT_METRICS:
            assert metrics[f"{name}@{segment}"] == pytest.approx(expected[name], rel=1e-12, nan_ok=True), name
    # Ratios of sums: the company's figure lies between its segments'.
    for name in ("grr", "nrr", "logo_retention", "jit_share", "unmet_share", "mean_time_to_guidance_days"):
        low, high = sorted((metrics[f"{name}@big"], metrics[f"{name}@small"]))
        assert low <= metrics[name] <= high, name
    # One overloaded pool CSM against four named CSMs: the small segment waits longer.
    assert metrics["mean_time_to_guidance_days@small"] > metrics["mean_time_to_guidance_days@big"]


def attention_scenario(weights: tuple[float, float, float, float] = (0.35, 0.35, 0.15, 0.15)) -> Scenario:
    return Scenario.model_validate({
        "horizon_months": 14, "warmup_months": 2,
        "product": {"features": {f: {"engagement_weight": w} for f, w in zip("ABCD", weights, strict=True)}},
        "segments": {"a": {"team": "n", "initial_customers": 5}, "b": {"team": "p", "initial_customers": 5}},
        "teams": {"n": {"coverage": "named", "csms": 1}, "p": {"coverage": "pooled", "csms": 1}},
    })  # fmt: skip


ATTENTION_CUSTOMERS = pd.DataFrame(
    [(1, "n", 0.0, None, "A+C"),  # bought for a scored feature: 12 months in the window
     (2, "n", 0.0, 8 * DAYS_PER_MONTH, "C"),  # churned: 6 months
     (3, "n", 5 * DAYS_PER_MONTH, None, "D"),  # live after the warm-up: 9 months
     (4, "n", None, None, "C"),  # never went live: no exposure, no touches counted
     (5, "p", 0.0, None, "C")],  # pooled: no proactive touches to count
    columns=["customer", "team", "live_day", "churn_day", "desired"],
)  # fmt: skip
ATTENTION_TOUCHES = pd.DataFrame(
    {"customer": [1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 5],
     "day": [10.0, 100.0, 200.0, 300.0, 70.0, 90.0, 160.0, 200.0, 250.0, 300.0, 14 * DAYS_PER_MONTH, 100.0]}
)  # fmt: skip
"""Customer 1's touch at day 10 falls in the warm-up and customer 3's last at the horizon: neither counts."""


def test_touches_per_account_month_count_named_accounts_live_in_the_window() -> None:
    from simulator.results.metrics import _attention

    scenario = attention_scenario()
    got = _attention(ATTENTION_TOUCHES, ATTENTION_CUSTOMERS, scenario, (scenario.warmup_days, scenario.horizon_days))
    assert got["touches_per_account_month"] == pytest.approx((3 + 2 + 4) / (12 + 6 + 9), rel=1e-12)
    assert got["touches_per_account_month_unscored"] == pytest.approx((2 + 4) / (6 + 9), rel=1e-12)


def test_no_unscored_touch_rate_when_no_feature_carries_the_score() -> None:
    from simulator.results.metrics import _attention

    scenario = attention_scenario((0.25, 0.25, 0.25, 0.25))
    got = _attention(ATTENTION_TOUCHES, ATTENTION_CUSTOMERS, scenario, (scenario.warmup_days, scenario.horizon_days))
    assert got["touches_per_account_month"] == pytest.approx(9 / 27, rel=1e-12)
    assert math.isnan(got["touches_per_account_month_unscored"])
