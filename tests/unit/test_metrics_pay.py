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


def _team_with_a_newcomer(books: list[float]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Nine CSMs in their seats for a whole year, paid without regard to their books, and a
    tenth who took over a poor book 5.3 days before the end and has earned nothing yet."""
    pays = (240.0, 180.0, 300.0, 210.0, 270.0, 150.0, 330.0, 195.0, 255.0)
    rows = [csm_row(c, p, 1.0, pay) for c, pay in enumerate(pays) for p in range(4)]
    rows.append(csm_row(9, 3, 0.0, 0.0, active=5.3))
    customers = [customer_row(c, c, value) for c, value in enumerate(books)] + [customer_row(9, 9, 0.557)]
    return rows, customers


def test_a_csm_days_in_a_seat_does_not_set_pay_alignment() -> None:
    # comp_plans, engagement threshold, replication 3: every book at 1.00 but the newcomer's;
    # with the newcomer counted, r was 0.999 (pay "follows" outcome through one $0 point)
    rows, customers = _team_with_a_newcomer([1.0] * 9)
    old_r = pd.Series([*(float(r["payout_usd"]) / QUARTER for r in rows[:9]), 0.0]).corr(pd.Series([1.0] * 9 + [0.557]))
    assert old_r > 0.8  # what the metric read before it left such stints out
    assert math.isnan(pay(rows, customers, (0.0, 4 * QUARTER))["pay_alignment"])  # books do not differ: undefined
    # books that differ a little, unrelated to pay: r is the nine's, not the newcomer's
    books = [0.97, 0.99, 0.96, 1.0, 0.98, 0.99, 0.97, 1.0, 0.98]
    rows, customers = _team_with_a_newcomer(books)
    pays = [sum(float(r["payout_usd"]) for r in rows if r["csm"] == c) / (4 * QUARTER) for c in range(9)]
    got = pay(rows, customers, (0.0, 4 * QUARTER))["pay_alignment"]
    assert got == pytest.approx(pd.Series(pays).corr(pd.Series(books)))
    assert got < 0.5


def test_pay_alignment_counts_a_csm_in_a_seat_for_one_full_payout_period() -> None:
    rows = [csm_row(0, p, 1.0, 100.0) for p in range(2)] + [csm_row(1, p, 1.0, 300.0) for p in range(2)]
    rows += [csm_row(2, 1, 1.0, 200.0)]  # joined at the start of the second period: exactly one period
    rows += [csm_row(3, 1, 0.0, 0.0, active=QUARTER / 2 - 1)]  # under half a period: left out
    books = [customer_row(0, 0, 0.2), customer_row(1, 1, 0.9), customer_row(2, 2, 0.5), customer_row(3, 3, 0.99)]
    got = pay(rows, books, (0.0, 2 * QUARTER))["pay_alignment"]
    x = [100.0 / QUARTER, 300.0 / QUARTER, 200.0 / QUARTER]
    assert got == pytest.approx(pd.Series(x).corr(pd.Series([0.2, 0.9, 0.5])))
