"""Metric definitions against the field's reference vectors, and run_metrics on hand-built tables."""

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
from simulator.scenario.schema import DAYS_PER_MONTH, SEGMENT_METRICS, TARGET_METRICS, TEAM_METRICS, Scenario


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
    assert got["arr_lost"] == pytest.approx(churn + contraction)  # expansion does not offset it
    assert scenario.horizon_days == pytest.approx(year)


def test_arr_lost_is_grr_in_dollars_per_cohort_year() -> None:
    """Two cohorts average their losses; one short cohort applies the annual rate to its start ARR."""
    year = 365.25
    t = _tables(
        [_customer(0, -100, 100.0), _customer(1, -100, 200.0), _customer(2, -100, 300.0)],
        [(0, "s", 50.0, 100.0, 0.0, True), (1, "s", 380.0, 200.0, 120.0, False)],
    )  # fmt: skip
    from simulator.results import metrics

    window = (0.0, year + 30.4375)
    assert cohort_starts(window) == [(0.0, year), (30.4375, year + 30.4375)]
    got = metrics._retention(t["customers"], t["renewals"], window)
    # Each cohort holds all three (600): the first loses customer 0's 100 (churned on day 50), the
    # second that and customer 1's contraction of 80 on day 380, after the first cohort's year.
    assert got["arr_lost"] == pytest.approx((100.0 + 180.0) / 2)
    assert got["arr_lost"] == pytest.approx(600.0 * (1 - got["grr"]))

    half = (0.0, year / 2)  # one cohort of half a year: GRR annualised, then applied to 600
    short = metrics._retention(t["customers"], t["renewals"], half)
    assert short["grr"] == pytest.approx((500.0 / 600.0) ** 2)
    assert short["arr_lost"] == pytest.approx(600.0 * (1 - (500.0 / 600.0) ** 2))


def test_run_metrics_returns_exactly_the_contract_names() -> None:
    from simulator.engine import simulate

    scenario = Scenario.model_validate({"horizon_months": 14, "warmup_months": 1, "csm": {"annual_attrition": 0},
                                        "segments": {"s": {"initial_customers": 40, "new_per_month": 2}}})  # fmt: skip
    metrics = run_metrics(frames(simulate(scenario, 0)), scenario)
    team = next(iter(scenario.teams))
    assert list(metrics) == [
        *TARGET_METRICS,
        *(f"{m}@s" for m in SEGMENT_METRICS),
        *(f"{m}@{team}" for m in TEAM_METRICS),
    ]
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
    # Every group uses the same cohorts, so dollars lost add up across segments (rates do not).
    assert metrics["arr_lost@big"] > 0 and metrics["arr_lost@small"] > 0
    assert metrics["arr_lost"] == pytest.approx(metrics["arr_lost@big"] + metrics["arr_lost@small"], rel=1e-12)
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


def team_scenario() -> Scenario:
    return Scenario.model_validate({
        "horizon_months": 12, "warmup_months": 0,
        "segments": {"big": {"team": "n", "initial_customers": 3}, "mid": {"team": "p", "initial_customers": 1},
                     "small": {"team": "d", "initial_customers": 1, "signal_prob": 0.5}},
        "teams": {"n": {"coverage": "named", "csms": 2}, "p": {"coverage": "pooled", "csms": 1},
                  "d": {"coverage": "digital"}},
    })  # fmt: skip


def team_tables() -> dict[str, pd.DataFrame]:
    """Month-end snapshots at months 1-12 (day 30.4 to 365.25); by hand, per snapshot:

    - customer 1 (n): 100 until its renewal at day 100, then 150: 3 x 100 + 9 x 150 = 1650;
    - customer 2 (n): signs at day 200, from month 7 on: 6 x 60 = 360;
    - customer 3 (n): churns at its renewal at day 150, under contract at months 1-4: 4 x 80 = 320;
    - customer 4 (p): 12 x 10; customer 5 is digital: no team figures.

    Team n has one CSM all year and one who left halfway (1.5 seats), p one all year.
    """
    customers = pd.DataFrame(
        [(1, "n", -10.0, 100.0), (2, "n", 200.0, 60.0), (3, "n", -10.0, 80.0), (4, "p", -10.0, 10.0),
         (5, "d", -10.0, 5.0)],
        columns=["customer", "team", "signed_day", "arr_start_usd"],
    )  # fmt: skip
    renewals = pd.DataFrame([(1, 100.0, 150.0), (3, 150.0, 0.0)], columns=["customer", "day", "arr_after_usd"])
    csms = pd.DataFrame(
        [("n", 0.0, 365.25, 365.25, 400.0, 100.0, 1000.0), ("n", 0.0, 365.25, 182.625, 250.0, 50.0, 500.0),
         ("p", 0.0, 365.25, 365.25, 900.0, 0.0, 1000.0)],
        columns=["team", "period_start_day", "period_end_day", "active_days", "hours_need", "hours_checkin",
                 "available_hours"],
    )  # fmt: skip
    timeseries = pd.DataFrame({"day": [k * DAYS_PER_MONTH for k in range(13)]})
    return {"customers": customers, "renewals": renewals, "csms": csms, "timeseries": timeseries}


def test_each_team_with_csms_has_its_own_utilisation_and_book_per_csm_by_hand() -> None:
    from simulator.results.metrics import _per_team

    scenario = team_scenario()
    got = _per_team(team_tables(), scenario, (scenario.warmup_days, scenario.horizon_days))
    assert set(got) == {f"{m}@{t}" for m in TEAM_METRICS for t in ("n", "p")}, "a digital team has no CSMs"
    assert got["csm_utilization@n"] == pytest.approx(800 / 1500, rel=1e-12)
    assert got["accounts_per_csm@n"] == pytest.approx((12 + 6 + 4) / 12 / 1.5, rel=1e-12)
    assert got["arr_per_csm@n"] == pytest.approx((1650 + 360 + 320) / 12 / 1.5, rel=1e-12)
    assert (got["csm_utilization@p"], got["accounts_per_csm@p"], got["arr_per_csm@p"]) == pytest.approx((0.9, 1, 10))


def test_a_teams_figures_count_only_the_measured_period() -> None:
    """With two months of warm-up, the snapshots of months 3-12 and the CSM rows' share in them count."""
    from simulator.results.metrics import _per_team

    scenario = team_scenario().model_copy(update={"warmup_months": 2})
    tables = team_tables()
    tables["csms"].loc[2, ["period_end_day", "active_days"]] = [
        2 * DAYS_PER_MONTH,
        2 * DAYS_PER_MONTH,
    ]  # p: warm-up only
    got = _per_team(tables, scenario, (scenario.warmup_days, scenario.horizon_days))
    assert got["accounts_per_csm@n"] == pytest.approx((10 + 6 + 2) / 10 / 1.5, rel=1e-12)
    assert got["arr_per_csm@n"] == pytest.approx((1 * 100 + 9 * 150 + 360 + 2 * 80) / 10 / 1.5, rel=1e-12)
    assert all(math.isnan(got[f"{m}@p"]) for m in TEAM_METRICS), "no CSM of p in the measured period"


def test_the_teams_pool_into_the_companys_utilisation_and_hold_its_arr() -> None:
    """On a run: the company's utilisation is the teams' weighted by their available hours,
    and each team's ARR per CSM times its CSMs adds up to the company's mean ARR, which the
    engine records at each month end (the teams' figures rebuild it from the renewals)."""
    from simulator.engine import simulate
    from simulator.results.metrics import _measured, _period_weight

    scenario = Scenario.model_validate(
        {
            "horizon_months": 24, "warmup_months": 3,
            "segments": {
                "big": {"team": "named", "initial_customers": 40, "new_per_month": 1, "arr": 90000},
                "small": {"team": "pool", "initial_customers": 150, "new_per_month": 4, "arr": 8000},
            },
            "teams": {"named": {"coverage": "named", "csms": 3}, "pool": {"coverage": "pooled", "csms": 2}},
        }
    )  # fmt: skip
    tables = frames(simulate(scenario, 0))
    metrics = run_metrics(tables, scenario)
    window = (scenario.warmup_days, scenario.horizon_days)
    csms = tables["csms"]
    weight = _period_weight(csms, window)
    capacity = (csms["available_hours"] * weight).groupby(csms["team"]).sum()
    seats = (csms["active_days"] * weight).groupby(csms["team"]).sum() / (window[1] - window[0])
    pooled = sum(metrics[f"csm_utilization@{t}"] * capacity[t] for t in ("named", "pool")) / capacity.sum()
    assert pooled == pytest.approx(metrics["csm_utilization"], rel=1e-12)
    arr = sum(metrics[f"arr_per_csm@{t}"] * seats[t] for t in ("named", "pool"))
    assert arr == pytest.approx(_measured(tables["timeseries"], "day", window)["arr_usd"].mean(), rel=1e-9)
    assert metrics["accounts_per_csm@named"] < metrics["accounts_per_csm@pool"]
