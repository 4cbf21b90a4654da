"""Plan calibration metrics on hand-built tables: plan cost, share at target, pay alignment, cost quantiles."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator.engine.records import CSM_BASE_COLUMNS, CUSTOMER_COLUMNS
from simulator.results import metrics
from simulator.results.results import Results
from simulator.scenario.schema import Scenario

QUARTER = 91.310625


def csm_row(csm: int, period: int, attainment: float, payout: float, active: float = QUARTER) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CSM_BASE_COLUMNS, 0.0)
    start = period * QUARTER
    row.update(csm=csm, team="t", period=period, period_start_day=start, period_end_day=start + QUARTER,
               active_days=active, attainment=attainment, payout_usd=payout)  # fmt: skip
    return row


def customer_row(cid: int, csm: int, value: float) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CUSTOMER_COLUMNS, 0.0)
    row.update(customer=cid, csm=csm, final_value=value, churned=False)
    return row


def pay(
    csms: list[dict[str, object]], customers: list[dict[str, object]], window: tuple[float, float]
) -> dict[str, float]:
    return metrics._pay(pd.DataFrame(csms), pd.DataFrame(customers), window)


def test_share_at_target_weights_periods_by_their_part_in_the_measured_period() -> None:
    rows = [csm_row(0, 0, 1.2, 100.0), csm_row(0, 1, 0.5, 50.0), csm_row(1, 1, 1.0, 80.0)]
    # measured from half-way through period 0: period 0 counts 1/2, period 1 rows 1 each
    got = pay(rows, [customer_row(0, 0, 0.5), customer_row(1, 1, 0.9)], (QUARTER / 2, 2 * QUARTER))
    assert got["share_at_target"] == pytest.approx((0.5 + 1.0) / 2.5)


def test_pay_alignment_is_the_correlation_of_pay_per_day_with_book_value() -> None:
    rows = [csm_row(c, 0, 1.0, payout) for c, payout in enumerate((100.0, 200.0, 300.0))]
    books = [customer_row(0, 0, 0.2), customer_row(1, 1, 0.5), customer_row(2, 1, 0.5), customer_row(3, 2, 0.9)]
    got = pay(rows, books, (0.0, QUARTER))
    x, y = [100.0, 200.0, 300.0], [0.2, 0.5, 0.9]
    assert got["pay_alignment"] == pytest.approx(pd.Series(x).corr(pd.Series(y)))
    paid_for_the_wrong_thing = [csm_row(c, 0, 1.0, payout) for c, payout in enumerate((300.0, 200.0, 100.0))]
    assert pay(paid_for_the_wrong_thing, books, (0.0, QUARTER))["pay_alignment"] < 0


def test_salary_only_has_no_target_and_no_alignment() -> None:
    rows = [csm_row(c, 0, math.nan, 0.0) for c in range(3)]
    got = pay(rows, [customer_row(c, c, 0.1 * c) for c in range(3)], (0.0, QUARTER))
    assert math.isnan(got["share_at_target"]) and math.isnan(got["pay_alignment"])


def test_plan_cost_quantiles_across_replications() -> None:
    runs = pd.DataFrame(
        [("base", r, "plan_cost", 0.0) for r in range(3)] + [("plan", r, "plan_cost", c) for r, c in
                                                            enumerate((100.0, 300.0, 200.0, 400.0, 500.0))],
        columns=["variant", "replication", "metric", "value"],
    )  # fmt: skip
    results = Results.build(Scenario(), ["base", "plan"], runs, {}, {})
    q = {row["variant"]: row for row in results.plan_cost_quantiles().to_dict("records")}
    assert [q["base"][p] for p in ("p10", "p50", "p90")] == [0.0, 0.0, 0.0]
    # numpy's linear interpolation over 100..500: P10 = 140, P50 = 300, P90 = 460
    assert [q["plan"][p] for p in ("p10", "p50", "p90")] == pytest.approx([140.0, 300.0, 460.0])
    assert q["plan"]["n"] == 5
