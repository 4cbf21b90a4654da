"""Pay metrics of one run worked by hand: variable pay per CSM, comp cost, cost per retained ARR, plan cost.

Why by hand: these are the numbers finance reads, and each divides a different sum by a
different time base (CSM-years in a seat, calendar years of the measured period, ARR kept);
a slip in one base reads as a plausible figure. The tables are tiny so every number below
can be checked on paper.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.engine.records import CSM_BASE_COLUMNS, CUSTOMER_COLUMNS, TIMESERIES_COLUMNS
from simulator.results import metrics
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

Q = 365.25 / 4  # one quarter, in days


def csm(who: int, period: int, active: float, payout: float, salary: float, hours: float) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CSM_BASE_COLUMNS, 0.0)
    row.update(csm=who, team="pool", period=period, period_start_day=period * Q, period_end_day=(period + 1) * Q,
               active_days=active, payout_usd=payout, salary_usd=salary, hours_need=hours,
               available_hours=500.0 * active / Q, attainment=1.0)  # fmt: skip
    return row


CSMS = pd.DataFrame(
    [
        csm(0, 0, Q, 6000.0, 22500.0, 400.0),
        csm(0, 1, Q, 3000.0, 22500.0, 300.0),
        csm(1, 0, Q, 0.0, 22500.0, 200.0),
        csm(1, 1, Q / 2, 1500.0, 11250.0, 100.0),  # left half-way through the quarter
        csm(2, 2, Q, 99999.0, 22500.0, 999.0),  # after the horizon: must not count
    ]
)


def timeseries() -> pd.DataFrame:
    rows = []
    for day, arr, csms, accounts in ((0.0, 9e9, 9, 999), (30.0, 2.0e6, 2, 40), (150.0, 2.2e6, 1, 30)):
        row: dict[str, object] = dict.fromkeys(TIMESERIES_COLUMNS, 0)
        row.update(day=day, arr_usd=arr, csms_active=csms, active_customers=accounts)
        rows.append(row)
    return pd.DataFrame(rows)


def customer(cid: int, team: str, signed: float, churn: float | None) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CUSTOMER_COLUMNS, 0)
    row.update(customer=cid, team=team, signed_day=signed, churn_day=churn)
    return row


CUSTOMERS = pd.DataFrame(
    [customer(0, "dig", -100.0, None), customer(1, "dig", Q, 1.5 * Q), customer(2, "pool", -100.0, None)]
)


def staffing(window: tuple[float, float], scenario: Scenario | None = None) -> dict[str, float]:
    frames = {"csms": CSMS, "timeseries": timeseries(), "customers": CUSTOMERS}
    return metrics._staffing(frames, scenario or Scenario(), window, 0.9)


def test_pay_metrics_over_two_full_quarters() -> None:
    """Measured period: two quarters (half a year).

    - payouts in it: 6,000 + 3,000 + 0 + 1,500 = 10,500; the row after the horizon weighs 0
    - plan_cost: 10,500 / 0.5 years = 21,000 per year
    - CSM-years in a seat: (Q + Q + Q + Q/2) / 365.25 = 0.875; variable_pay_per_csm 10,500 / 0.875 = 12,000
    - salaries 22,500 x 3 + 11,250 = 78,750; comp_cost (78,750 + 10,500) / 0.5 = 178,500 per year
    - mean ARR of the month-ends inside (days 30 and 150; day 0 is outside): 2.1M; kept at GRR 0.9: 1.89M;
      cost_per_retained_arr 178,500 / 1,890,000 = 0.094444
    - utilisation: hours 1,000 over available 500 x 3.5 = 1,750: 0.571429
    - mean CSMs in seats 1.5: arr_per_csm 1.4M, accounts_per_csm 35 / 1.5 = 23.33
    """
    got = staffing((0.0, 2 * Q))
    assert got["plan_cost"] == pytest.approx(21_000.0)
    assert got["variable_pay_per_csm"] == pytest.approx(12_000.0)
    assert got["comp_cost"] == pytest.approx(178_500.0)
    assert got["cost_per_retained_arr"] == pytest.approx(178_500.0 / 1_890_000.0)
    assert got["csm_utilization"] == pytest.approx(1000.0 / 1750.0)
    assert got["arr_per_csm"] == pytest.approx(1.4e6)
    assert got["accounts_per_csm"] == pytest.approx(35.0 / 1.5)


def test_pay_periods_straddling_the_warm_up_count_by_their_share_inside() -> None:
    """Measured from half-way through quarter 0 to the end of quarter 1 (0.375 years).

    Quarter-0 rows weigh 1/2: payouts 3,000 + 3,000 + 0 + 1,500 = 7,500; plan_cost 7,500 / 0.375 = 20,000.
    CSM-years (Q/2 + Q + Q/2 + Q/2) / 365.25 = 0.625; variable_pay_per_csm 7,500 / 0.625 = 12,000.
    Salaries 11,250 + 22,500 + 11,250 + 11,250 = 56,250; comp_cost (56,250 + 7,500) / 0.375 = 170,000.
    """
    got = staffing((Q / 2, 2 * Q))
    assert got["plan_cost"] == pytest.approx(20_000.0)
    assert got["variable_pay_per_csm"] == pytest.approx(12_000.0)
    assert got["comp_cost"] == pytest.approx(170_000.0)


def test_comp_cost_includes_the_digital_programme() -> None:
    """A digital team at 10 USD per customer-month: customer 0 is under contract the whole half year
    (2Q / DAYS_PER_MONTH = 6 months: 60 USD), customer 1 from Q to 1.5 Q (1.5 months: 15 USD); the pooled
    team's customer costs nothing. 75 USD over half a year adds 150 per year to comp cost."""
    scenario = Scenario.model_validate(
        {"teams": {"pool": {"coverage": "pooled"}, "dig": {"coverage": "digital", "cost_per_customer_month": 10}}}
    )
    half_year_months = 2 * Q / DAYS_PER_MONTH
    assert half_year_months == pytest.approx(6.0)
    got = staffing((0.0, 2 * Q), scenario)
    assert got["comp_cost"] == pytest.approx(178_500.0 + 150.0)
    assert got["cost_per_retained_arr"] == pytest.approx(178_650.0 / 1_890_000.0)
