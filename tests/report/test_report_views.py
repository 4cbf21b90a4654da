"""View-models of the report: each section's numbers, checked against small hand-made tables."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from report_synthetic import scenario

from simulator.errors import InputError
from simulator.report.formats import describe_target, format_usd, metric_info, plain
from simulator.report.page import Cell
from simulator.report.sections import workload
from simulator.report.sections.behaviour import _unpushed, attention_table, hours_split, push_shares
from simulator.report.sections.comparison import comparison_table
from simulator.report.sections.compensation import annual_cost, payout_vs_outcome, plan_label
from simulator.report.sections.coverage import deferred_share, fate_shares, touches_per_day
from simulator.report.sections.health import health_shares
from simulator.report.sections.retention import _retention_bars, segment_table
from simulator.report.sections.workload import guidance_waits, team_table, utilisation
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

SUMMARY_COLUMNS = ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
DIFF_COLUMNS = ["variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high", "n"]


def data(**tables: pd.DataFrame) -> ReportData:
    summary = tables.pop("summary", pd.DataFrame([("base", "grr", 0.9, 0.8, 1.0, 4)], columns=SUMMARY_COLUMNS))
    scen = scenario()
    return ReportData(scen, ["base", *[v.name for v in scen.variants]], {"summary": summary, **tables})


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(("x", "text"), [(1_234_567, "$1.23M"), (850_000, "$850k"), (420, "$420"), (-2.5e9, "−$2.50B")])
def test_dollars_read_at_a_readers_precision(x: float, text: str) -> None:
    assert plain(format_usd(x)) == text


def test_share_differences_are_percentage_points_with_a_sign() -> None:
    info = metric_info("grr")
    assert (info.value(0.915), plain(info.diff(0.015)), plain(info.diff(-0.002))) == ("91.5%", "+1.5 pp", "−0.2 pp")


def test_targets_read_as_sentences() -> None:
    assert describe_target("grr >= 0.92") == "Gross revenue retention (GRR) ≥ 92.0%"
    assert plain(describe_target("p90_time_to_guidance_days <= 7")) == "P90 time to guidance ≤ 7.0 d"


def test_unknown_metrics_still_render_as_plain_numbers() -> None:
    info = metric_info("brand_new_metric")
    assert (info.label, info.value(1234.5)) == ("brand new metric", "1.23e+03")


# --------------------------------------------------------------------------- source


def test_results_without_a_summary_are_refused_with_a_message() -> None:
    with pytest.raises(InputError, match=r"results\.summary is missing"):
        ReportData.from_results(SimpleNamespace(scenario=scenario(), variants=["base"]))


def test_results_without_a_scenario_are_refused_with_a_message() -> None:
    with pytest.raises(InputError, match=r"results\.scenario must be a Scenario, got dict"):
        ReportData.from_results(SimpleNamespace(scenario={}, summary=pd.DataFrame()))


def test_variant_names_fall_back_to_summary_order_and_sweep_values_map_to_variants() -> None:
    summary = pd.DataFrame(
        [("base", "grr", 0.9, 0.8, 1.0, 2), ("x=3", "grr", 0.9, 0.8, 1.0, 2)], columns=SUMMARY_COLUMNS
    )
    raw = SimpleNamespace(scenario=scenario(), variants=[], summary=summary, sweep={"path": "p", "values": {"x=3": 3}})
    got = ReportData.from_results(raw)
    assert got.variants == ["base", "x=3"]
    assert got.sweep is not None and got.sweep.values == {"x=3": 3}


def test_a_variant_resolves_its_own_overrides_on_the_base_scenario() -> None:
    d = data()
    assert d.resolved("base", "teams.strategic.csms") == 4
    assert d.resolved("more CSMs", "teams.strategic.csms") == 6
    assert d.resolved("more CSMs", "teams.nowhere.csms", "absent") == "absent"
    assert plan_label(d, "outcome plan") == "custom: value_realised"


def test_optional_tables_missing_a_needed_column_count_as_absent() -> None:
    d = data(needs=pd.DataFrame({"variant": ["base"]}))
    assert d.table("needs", "variant") is not None
    assert d.table("needs", "variant", "fate") is None
    assert d.table("touches") is None


def test_a_column_of_a_large_table_must_be_declared_before_a_section_reads_it() -> None:
    d = data(needs=pd.DataFrame({"variant": ["base"], "kind": ["raised"]}))
    with pytest.raises(ValueError, match=r"needs\.kind"):
        d.table("needs", "variant", "kind")


# --------------------------------------------------------------------------- headline table


def test_differences_are_coloured_only_when_their_interval_excludes_zero_in_the_better_direction() -> None:
    summary = pd.DataFrame(
        [(v, m, 0.9, 0.85, 0.95, 4) for v in ("base", "b") for m in ("grr", "comp_cost", "csm_utilization", "nps")],
        columns=SUMMARY_COLUMNS,
    )
    diffs = pd.DataFrame(
        [("b", "grr", 0.02, 0.01, 0.03, 4), ("b", "comp_cost", 5.0, 1.0, 9.0, 4),
         ("b", "csm_utilization", 0.1, 0.05, 0.15, 4), ("b", "nps", 1.0, -1.0, 3.0, 4)],
        columns=DIFF_COLUMNS,
    )  # fmt: skip
    table = comparison_table(
        ["base", "b"], summary, diffs, pd.DataFrame(columns=["variant", "target", "status"]), [], "b"
    )
    styles = {row[0].text: row[2].css for row in table.rows}
    assert styles == {
        "Gross revenue retention (GRR)": "good",  # higher is better, whole interval above 0
        "CS cost": "bad",  # lower is better, cost went up
        "CSM utilisation": "num",  # neither direction is better
        "NPS": "num",  # interval straddles 0
    }
    assert table.headers == ["Metric", "base", "b (recommended)"]
    assert plain(table.rows[0][2].change) == "Δ +2.0 pp (+1.0 to +3.0)"


def test_a_coloured_difference_smaller_than_the_usual_precision_shows_its_sign() -> None:
    """A red "±0.0 pp (±0.0 to ±0.0)" contradicts its colour: decimals are added until both
    bounds show their sign, and only for intervals that exclude zero."""
    summary = pd.DataFrame(
        [(v, m, 0.9, 0.85, 0.95, 4) for v in ("base", "b") for m in ("grr", "nrr", "nps", "logo_retention")],
        columns=SUMMARY_COLUMNS,
    )
    diffs = pd.DataFrame(
        [("b", "grr", -0.0003, -0.00047, -0.00013, 4), ("b", "nrr", -0.0000002, -0.0000004, -0.0000001, 4),
         ("b", "nps", -0.01, -0.02, 0.004, 4), ("b", "logo_retention", -0.0004, -0.0012, -0.0002, 4)],
        columns=DIFF_COLUMNS,
    )  # fmt: skip
    table = comparison_table(
        ["base", "b"], summary, diffs, pd.DataFrame(columns=["variant", "target", "status"]), [], "b"
    )
    cells = {row[0].text: row[2] for row in table.rows}
    grr = cells["Gross revenue retention (GRR)"]
    assert (grr.css, plain(grr.change)) == ("bad", "Δ −0.03 pp (−0.05 to −0.01)")
    assert plain(cells["Logo retention"].change) == "Δ −0.04 pp (−0.12 to −0.02)"
    # At most three extra decimals: a difference below that still reads as zero.
    assert plain(cells["Net revenue retention (NRR)"].change) == "Δ 0.0000 pp (0.0000 to 0.0000)"
    assert (cells["NPS"].css, plain(cells["NPS"].change)) == ("num", "Δ 0.0 (0.0 to 0.0)")  # includes 0: as usual


def test_the_by_segment_table_shows_each_segments_rows_with_paired_differences() -> None:
    summary = pd.DataFrame(
        [(v, f"{m}@{seg}", 0.9, 0.85, 0.95, 4) for v in ("base", "more CSMs", "outcome plan")
         for seg in ("enterprise", "smb") for m in ("grr", "jit_share")],
        columns=SUMMARY_COLUMNS,
    )  # fmt: skip
    diffs = pd.DataFrame([("more CSMs", "grr@smb", 0.02, 0.01, 0.03, 4)], columns=DIFF_COLUMNS)
    table = segment_table(data(summary=summary, comparisons=diffs))
    assert table is not None
    assert [row[0].text for row in table.rows] == [
        "Gross revenue retention (GRR), enterprise", "Needs guided just in time, enterprise",
        "Gross revenue retention (GRR), smb", "Needs guided just in time, smb",
    ]  # fmt: skip
    assert table.headers == ["Segment and metric", "base", "more CSMs", "outcome plan"]
    smb_grr = table.rows[2][2]
    assert (smb_grr.css, plain(smb_grr.change)) == ("good", "Δ +2.0 pp (+1.0 to +3.0)")


def test_a_per_segment_metric_reads_as_the_companys_with_its_segment() -> None:
    assert describe_target("grr@smb >= 88%") == "Gross revenue retention (GRR), smb ≥ 88.0%"
    info = metric_info("p90_time_to_guidance_days@enterprise")
    assert (info.kind, info.better, plain(info.value(4.25))) == ("days", "lower", "4.2 d")


def test_no_by_segment_table_without_per_segment_figures() -> None:
    assert segment_table(data()) is None  # results written before per-segment metrics existed


def test_the_by_team_table_shows_each_teams_utilisation_and_books_with_paired_differences() -> None:
    summary = pd.DataFrame(
        [(v, f"{m}@{team}", 0.8, 0.75, 0.85, 4) for v in ("base", "more CSMs", "outcome plan")
         for team in ("strategic", "pool") for m in ("csm_utilization", "accounts_per_csm", "arr_per_csm")],
        columns=SUMMARY_COLUMNS,
    )  # fmt: skip
    diffs = pd.DataFrame([("more CSMs", "csm_utilization@strategic", -0.1, -0.12, -0.08, 4)], columns=DIFF_COLUMNS)
    table = team_table(data(summary=summary, comparisons=diffs))
    assert table is not None
    assert [row[0].text for row in table.rows] == [
        "CSM utilisation, strategic team", "Accounts per CSM, strategic team", "ARR per CSM, strategic team",
        "CSM utilisation, pool team", "Accounts per CSM, pool team", "ARR per CSM, pool team",
    ]  # fmt: skip
    assert table.headers == ["Team and metric", "base", "more CSMs", "outcome plan"]
    strategic = table.rows[0][2]
    assert plain(strategic.change) == "Δ −10.0 pp (−12.0 to −8.0)"
    assert strategic.css == "num", "less busy is neither better nor worse: no colour, as the company's row"


def test_no_by_team_table_without_per_team_figures_or_with_one_team() -> None:
    assert team_table(data()) is None  # results written before per-team metrics existed
    one = Scenario.model_validate({"segments": {"s": {"team": "solo"}}, "teams": {"solo": {"coverage": "named"}}})
    summary = pd.DataFrame([("base", "csm_utilization@solo", 0.8, 0.75, 0.85, 4)], columns=SUMMARY_COLUMNS)
    assert team_table(ReportData(one, ["base"], {"summary": summary})) is None  # its figures are the company's


def test_target_rows_show_each_variants_status() -> None:
    summary = pd.DataFrame([("base", "grr", 0.9, 0.85, 0.95, 4)], columns=SUMMARY_COLUMNS)
    status = pd.DataFrame([("base", "grr >= 0.9", "not met")], columns=["variant", "target", "status"])
    table = comparison_table(["base"], summary, None, status, ["grr"], "base")
    assert table.rows[-1][0] == Cell(
        "Target: Gross revenue retention (GRR) ≥ 90.0%", detail="grr >= 0.9", css="rowhead"
    )
    assert table.rows[-1][1] == Cell("not met", css="notmet")


# --------------------------------------------------------------------------- section numbers


def test_health_shares_are_band_means_over_replications_normalised_to_one() -> None:
    series = pd.DataFrame(
        {"variant": ["base"] * 2, "replication": [0, 1], "month": [1, 1],
         "health_red": [10, 30], "health_yellow": [20, 20], "health_green": [70, 50]}
    )  # fmt: skip
    row = health_shares(series).iloc[0]
    assert (row["health_red"], row["health_yellow"], row["health_green"]) == pytest.approx((0.2, 0.2, 0.6))


def test_fate_shares_count_needs_by_fate() -> None:
    needs = pd.DataFrame({"variant": ["base"] * 4, "fate": ["jit", "jit", "jit", "late"]})
    assert fate_shares(needs).loc["base"].to_dict() == {"jit": 0.75, "late": 0.25}


def test_deferred_share_compares_touches_with_the_named_teams_cadence() -> None:
    days = 3 * DAYS_PER_MONTH
    csms = pd.DataFrame(
        {"variant": ["base", "base"], "replication": [0, 0], "team": ["strategic", "pool"],
         "active_days": [days, days], "book_accounts": [10, 500], "touches": [20, 0]}
    )  # fmt: skip
    # default cadence: check-in every 30 days, QBR every 3 months that doubles as a check-in:
    # check-ins on days 30, 60, 90, then the QBR on day 91.3 -> 4 touches per account per quarter
    got = deferred_share(data(), csms)
    assert got["deferred"].tolist() == pytest.approx([1 - 20 / 40])  # the pooled team owes no cadence


@pytest.mark.parametrize(
    ("checkin", "qbr", "per_quarter"), [(30, 3, 4), (14, 3, 7), (120, 3, 1), (30, 0, 91.3125 / 30)]
)
def test_touches_due_count_check_ins_before_each_qbr_plus_the_qbr(
    checkin: float, qbr: float, per_quarter: float
) -> None:
    raw = scenario().model_dump(mode="json", exclude_none=True)
    raw["variants"] = [
        {"name": "x", "set": {"teams.strategic.checkin_days": checkin, "teams.strategic.qbr_months": qbr}}
    ]
    d = ReportData(Scenario.model_validate(raw), ["base", "x"], {"summary": pd.DataFrame(columns=SUMMARY_COLUMNS)})
    assert touches_per_day(d, "x", "strategic") * 3 * DAYS_PER_MONTH == pytest.approx(per_quarter)


def test_utilisation_is_customer_hours_over_available_hours() -> None:
    csms = pd.DataFrame(
        {"variant": ["base", "base"], "replication": [0, 0], "csm": ["a", "b"], "period": [0, 0],
         "hours_need": [10.0, 5.0], "hours_checkin": [20.0, 0.0], "available_hours": [60.0, 0.0]}
    )  # fmt: skip
    assert utilisation(csms)["utilisation"].tolist() == [0.5]  # a CSM with no available hours is left out


def test_guidance_waits_are_start_minus_arise_by_month_arisen() -> None:
    needs = pd.DataFrame(
        {"variant": ["base"] * 3, "replication": [0] * 3, "arise_day": [1.0, 2.0, 40.0],
         "start_day": [4.0, math.nan, 50.0]}
    )  # fmt: skip
    got = guidance_waits(needs)
    assert got[["month", "wait_days"]].values.tolist() == [[0, 3.0], [1, 10.0]]


def test_plan_cost_is_the_sum_of_payouts_per_year_covered() -> None:
    csms = pd.DataFrame(
        {"variant": ["base"] * 2, "replication": [0, 0], "period_start_day": [0.0, 182.625],
         "period_end_day": [182.625, 365.25], "payout_usd": [300.0, 700.0]}
    )  # fmt: skip
    assert annual_cost(csms)["cost"].tolist() == pytest.approx([1000.0])


def test_push_shares_count_touches_pushing_each_feature_over_all_touches() -> None:
    touches = pd.DataFrame({"variant": ["base"] * 4, "feature": ["A", "A", None, "B"]})
    assert push_shares(touches).loc["base"].to_dict() == {"A": 0.5, "B": 0.25}


def test_the_features_chart_says_how_many_touches_pushed_nothing() -> None:
    touches = pd.DataFrame({"variant": ["base"] * 4 + ["b"] * 2, "feature": ["A", "A", None, "B", None, "A"]})
    assert _unpushed(push_shares(touches)).startswith("The other 25.0% to 50.0% of proactive touches pushed no")
    assert "other 25.0% of" in _unpushed(push_shares(touches[touches["variant"] == "base"]))


def test_hours_split_leaves_the_rest_of_available_hours_as_slack() -> None:
    csms = pd.DataFrame({"variant": ["base"], "hours_need": [30.0], "hours_qbr": [10.0], "available_hours": [100.0]})
    assert hours_split(csms).loc["base"].to_dict() == pytest.approx({"need": 0.3, "qbr": 0.1, "slack": 0.6})


def test_payout_vs_outcome_shows_the_csms_pay_alignment_counts_with_their_books_value() -> None:
    """The chart plotted each CSM's payout against the needs they handled just in time, every CSM
    alike; pay alignment correlates pay per active day in the measured period with the value
    realised of the book at the end, over CSMs seated a full payout period. It shows the latter."""
    start, period = 3 * DAYS_PER_MONTH, 3 * DAYS_PER_MONTH  # the synthetic scenario: 3 months of warm-up
    csms = pd.DataFrame(
        [("a", start - period, start, period, 400.0),  # in the warm-up: not counted
         ("a", start, start + period, period, 100.0), ("a", start + period, start + 2 * period, period, 50.0),
         ("b", start + period, start + 2 * period, period, 30.0),
         ("c", start + period, start + 2 * period, 10.0, 0.0)],  # 10 days in a seat: left out
        columns=["csm", "period_start_day", "period_end_day", "active_days", "payout_usd"],
    ).assign(variant="base", replication=0)  # fmt: skip
    customers = pd.DataFrame({"csm": ["a", "a", "b", "c", "-1"], "final_value": [0.9, 0.7, 0.5, 0.2, 0.1]}).assign(
        variant="base", replication=0
    )
    got = payout_vs_outcome(data(), csms, customers)
    rows = [
        [csm, round(pay, 6), round(value, 6)] for csm, pay, value in got[["csm", "pay_per_year", "book_value"]].values
    ]
    assert rows == [["a", 300.0, 0.8], ["b", 120.0, 0.5]]  # $150 over half a year, $30 over a quarter


def test_differences_that_round_to_zero_have_no_sign() -> None:
    info = metric_info("grr")
    assert (plain(info.diff(-0.0004)), plain(info.diff(0.0004)), info.value(-0.0004)) == ("0.0 pp", "0.0 pp", "0.0%")
    assert plain(info.diff(-0.015, unit=False)) == "−1.5"


def test_the_attention_table_shows_both_touch_rates_with_paired_differences() -> None:
    summary = pd.DataFrame(
        [(v, m, 0.9, 0.85, 0.95, 4) for v in ("base", "more CSMs", "outcome plan")
         for m in ("touches_per_account_month", "touches_per_account_month_unscored")],
        columns=SUMMARY_COLUMNS,
    )  # fmt: skip
    diffs = pd.DataFrame([("outcome plan", "touches_per_account_month_unscored", -0.05, -0.08, -0.02, 4)],
                         columns=DIFF_COLUMNS)  # fmt: skip
    table = attention_table(data(summary=summary, comparisons=diffs))
    assert table is not None
    assert [row[0].text for row in table.rows] == [
        "Proactive touches, accounts with a named CSM", "Proactive touches, accounts that bought for no scored feature",
    ]  # fmt: skip
    assert table.headers == ["Who is touched", "base", "more CSMs", "outcome plan"]
    assert (table.rows[1][3].text, plain(table.rows[1][3].change)) == ("0.900", "Δ −0.050 (−0.080 to −0.020)")
    assert "(A, B)" in table.caption  # the synthetic product's scored features


def test_no_attention_table_without_touch_rates() -> None:
    assert attention_table(data()) is None  # results written before the metrics existed, or no named team
    nan_only = pd.DataFrame([("base", "touches_per_account_month_unscored", math.nan, math.nan, math.nan, 4)],
                            columns=SUMMARY_COLUMNS)  # fmt: skip
    assert attention_table(data(summary=nan_only)) is None


def test_summary_intervals_are_shown_inside_the_values_each_metric_can_take() -> None:
    rows = [
        ("p90_time_to_guidance_days", 7.5, -5.0, 20.0), ("p90_time_to_guidance_days@smb", 1.0, -1.0, 3.0),
        ("grr", 0.98, 0.9, 1.05), ("nrr", 1.1, 0.95, 1.25), ("pay_alignment", 0.5, -1.3, 1.2),
        ("nps", 90.0, 70.0, 110.0), ("comp_cost", 1e5, -2e4, 2.2e5), ("some_new_metric", 1.0, -3.0, 5.0),
        ("unmet_share", 0.0, math.nan, math.nan),
    ]  # fmt: skip
    summary = pd.DataFrame([("base", m, mean, lo, hi, 4) for m, mean, lo, hi in rows], columns=SUMMARY_COLUMNS)
    shown = ReportData.from_results(SimpleNamespace(scenario=scenario(), variants=["base"], summary=summary))
    got = shown.tables["summary"].set_index("metric")
    assert got.loc["p90_time_to_guidance_days", ["ci_low", "ci_high"]].tolist() == [0.0, 20.0]
    assert got.loc["p90_time_to_guidance_days@smb", ["ci_low", "ci_high"]].tolist() == [0.0, 3.0]
    assert got.loc["grr", ["ci_low", "ci_high"]].tolist() == [0.9, 1.0]
    assert got.loc["nrr", ["ci_low", "ci_high"]].tolist() == [0.95, 1.25]  # NRR may pass 100%
    assert got.loc["pay_alignment", ["ci_low", "ci_high"]].tolist() == [-1.0, 1.0]
    assert got.loc["nps", ["ci_low", "ci_high"]].tolist() == [70.0, 100.0]
    assert got.loc["comp_cost", ["ci_low", "ci_high"]].tolist() == [0.0, 2.2e5]
    assert got.loc["some_new_metric", ["ci_low", "ci_high"]].tolist() == [-3.0, 5.0]  # unknown: left alone
    assert got.loc["unmet_share", ["ci_low", "ci_high"]].isna().all()
    assert got["mean"].tolist() == [mean for _, mean, _, _ in rows]  # means are never moved
    assert summary.loc[0, "ci_low"] == -5.0  # the results' own table is untouched


def _waiting(uncovered: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        [(v, r, m, m * DAYS_PER_MONTH, u) for v in ("base", "more CSMs", "outcome plan") for r in (0, 1)
         for m, u in enumerate(uncovered)],
        columns=["variant", "replication", "month", "day", "uncovered"],
    )  # fmt: skip


def test_accounts_without_a_csm_are_charted_only_when_some_run_had_them() -> None:
    colours = {"base": "#111111", "more CSMs": "#222222", "outcome plan": "#333333"}

    def charts(timeseries: pd.DataFrame) -> list[str]:
        return [c.chart_id for c in workload.build(data(timeseries=timeseries), colours).charts()]

    assert "chart-uncovered" in charts(_waiting([0, 0, 3, 5]))
    assert "chart-uncovered" not in charts(_waiting([0, 0, 0, 0])), "every book had room: nothing to show"
    assert "chart-uncovered" not in charts(_waiting([0, 1]).drop(columns="uncovered")), "results without the column"


def test_the_end_of_run_dots_leave_out_churned_and_not_yet_live_customers() -> None:
    from simulator.report.sections.health import end_state

    customers = pd.DataFrame(
        {"variant": ["base"] * 4, "replication": [0] * 4, "final_engagement": [0.9, 0.1, 0.2, 0.8],
         "final_value": [1.0, 0.0, 0.0, 0.5], "churned": [False, True, False, False],
         "live_day": [-30.0, 10.0, math.nan, 40.0]}
    )  # fmt: skip
    kept = end_state(customers)
    assert kept["final_engagement"].tolist() == [0.9, 0.8]
    assert end_state(customers.assign(churned=customers["churned"].astype(str)))["final_value"].tolist() == [1.0, 0.5]
    assert len(end_state(customers.drop(columns=["live_day"]))) == 4  # older tables: every customer


def test_a_time_to_guidance_target_brings_the_share_never_met_beside_it() -> None:
    from simulator.report.sections.headline import unmet_companions

    targets = ["grr >= 0.9", "p90_time_to_guidance_days <= 14", "mean_time_to_guidance_days@smb <= 5"]
    assert unmet_companions([t.split()[0] for t in targets]) == ["unmet_share", "unmet_share@smb"]


def test_an_option_faster_only_because_it_drops_needs_is_called_out() -> None:
    from simulator.report.sections.headline import dropped_needs

    summary = pd.DataFrame(
        [("base", "unmet_share", 0.11, 0.10, 0.12, 10), ("desk", "unmet_share", 0.25, 0.24, 0.26, 10),
         ("even", "unmet_share", 0.11, 0.10, 0.12, 10)],
        columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"],
    )  # fmt: skip
    comparisons = pd.DataFrame(
        [("desk", "unmet_share", 0.14, 0.13, 0.15, 10), ("even", "unmet_share", 0.0, -0.01, 0.01, 10)],
        columns=["variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high", "n"],
    )
    data = ReportData(
        Scenario.model_validate({"targets": ["p90_time_to_guidance_days <= 14"]}),
        ["base", "desk", "even"],
        {"summary": summary, "comparisons": comparisons},
        {},
    )
    [line] = dropped_needs(data, "desk", ["unmet_share"])
    assert "desk leaves 25.0% of needs never met, against 11.0% for base, which the time-to-guidance target" in line
    assert dropped_needs(data, "even", ["unmet_share"]) == []  # no clear difference: nothing to say
    assert dropped_needs(data, "base", ["unmet_share"]) == []


def test_a_recommended_option_that_works_a_team_flat_out_is_called_out_unless_a_target_holds_it() -> None:
    from simulator.report.sections.headline import stretched_teams

    rows = [
        ("base", "csm_utilization@named", 0.87), ("base", "csm_utilization@pool", 0.93),
        ("lean", "csm_utilization@named", 0.968), ("lean", "csm_utilization@pool", 0.80),
        ("base", "csm_utilization", 0.9), ("lean", "csm_utilization", 0.95),
    ]  # fmt: skip
    summary = pd.DataFrame(rows, columns=["variant", "metric", "mean"]).assign(ci_low=0.0, ci_high=1.0, n=10)
    data = ReportData(Scenario.model_validate({}), ["base", "lean"], {"summary": summary}, {})
    [line] = stretched_teams(data, "lean", ["grr"])
    assert line.startswith("lean keeps the named team's CSMs busy 96.8% of their productive time (87.0% in base)")
    assert "'csm_utilization@named <= 0.85'" in line
    assert stretched_teams(data, "lean", ["csm_utilization@named"]) == []
    assert stretched_teams(data, "lean", ["csm_utilization"]) != [], (
        "the company's figure does not hold one of two teams"
    )
    [own] = stretched_teams(data, "base", [])  # the baseline itself: no comparison with itself
    assert own.startswith("base keeps the pool team's CSMs busy 93.0% of their productive time: almost no slack")
    alone = summary[summary["metric"] != "csm_utilization@pool"]
    data = ReportData(Scenario.model_validate({}), ["base", "lean"], {"summary": alone}, {})
    assert stretched_teams(data, "lean", ["csm_utilization"]) == [], "one team: the company's figure is the team's"
    assert len(stretched_teams(data, "lean", [])) == 1


def test_provenance_timings_read_as_seconds_and_counts() -> None:
    from simulator.report.sections.method import provenance_facts

    timings = {"wall_seconds": 18.974, "runs_executed": 80, "runs_resumed": 0, "run_seconds_mean": 0.4551,
               "run_cpu_seconds_total": 34.957, "queue_depth": 3, "note": None}  # fmt: skip
    meta = {"version": "0.1.0", "seed": 1, "timings": timings}
    facts = dict(provenance_facts(ReportData(Scenario.model_validate({}), ["base"], {}, meta)).items)
    assert facts["Timings"] == (
        "wall clock 19.0 s; runs executed 80; runs resumed 0; per run 0.46 s; CPU time of the runs 35.0 s; "
        "queue depth 3; note –"
    )


def test_retention_whiskers_say_overlap_is_not_sameness() -> None:
    """Each option's own interval overlaps another's long before their paired difference
    stops being significant; the caption must send the reader to the paired table."""
    summary = pd.DataFrame(
        [("base", "grr", 0.967, 0.960, 0.973, 4), ("more CSMs", "grr", 0.958, 0.948, 0.969, 4)],
        columns=SUMMARY_COLUMNS,
    )
    report = data(summary=summary)
    block = _retention_bars(report, dict.fromkeys(report.variants, "#000"))
    assert "do not mean no difference" in block.chart.caption and "paired differences" in block.chart.caption


@pytest.mark.parametrize(
    "text",
    [
        format_usd(-636_000),
        metric_info("comp_cost").diff(-579_000),
        metric_info("grr").diff(0.015),
        metric_info("grr").diff(-0.002),
        metric_info("nps").value(-12.5),
        metric_info("p90_time_to_guidance_days").value(7.1),
        metric_info("p90_time_to_guidance_days").diff(-3.0),
    ],
)
def test_a_signed_value_and_its_unit_never_break_apart(text: str) -> None:
    """No break opportunity inside a value: a sign is word-joined to its number, a unit has a no-break space."""
    assert " " not in text
    for i, ch in enumerate(text[:-1]):
        if ch in "−+±":
            assert text[i + 1] == "\u2060", text


def test_plain_gives_ordinary_text_for_terminals_and_files() -> None:
    assert plain(format_usd(-636_000)) == "−$636k"
    assert plain(metric_info("p90_time_to_guidance_days").value(7.1)) == "7.1 d"


def test_a_dollar_difference_and_its_interval_ends_read_at_one_scale() -> None:
    """ "Δ +$6,103 (+$1,580 to +$11k)" mixed two styles in one cell."""
    summary = pd.DataFrame(
        [("base", "comp_cost", 1.0e6, 0.99e6, 1.01e6, 4), ("b", "comp_cost", 1.006e6, 0.996e6, 1.016e6, 4)],
        columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"],
    )
    diffs = pd.DataFrame([("b", "comp_cost", 6103.0, 1580.0, 11_000.0, 4)], columns=DIFF_COLUMNS)
    table = comparison_table(
        ["base", "b"], summary, diffs, pd.DataFrame(columns=["variant", "target", "status"]), [], "b"
    )
    cells = {row[0].text: row[2] for row in table.rows}
    assert plain(cells["CS cost"].change) == "Δ +$6k (+$2k to +$11k)"


def test_dollars_like_a_larger_value_take_its_scale() -> None:
    assert plain(format_usd(1580, like=11_000)) == "$2k"
    assert plain(format_usd(1580)) == "$1,580"
    assert plain(format_usd(-250_000, like=1.2e6)) == "−$0.25M"


def test_a_zero_difference_has_no_sign_and_no_plus_minus() -> None:
    info = metric_info("nps")
    assert info.diff(0.0) == "0.0"
    assert "±" not in info.diff(0.01) + metric_info("grr").diff(0.0)
