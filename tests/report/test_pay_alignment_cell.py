"""The pay alignment cell of the compensation table: a clipped interval and a short n are said."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
from report_synthetic import scenario

from simulator.report.formats import plain
from simulator.report.sections.compensation import _alignment_cell, alignment_detail
from simulator.report.source import ReportData


def row(mean: float, low: float, high: float, n: int) -> pd.Series:
    return pd.Series({"mean": mean, "low": low, "high": high, "n": n})


def test_an_interval_inside_the_scale_is_shown_as_it_is() -> None:
    assert plain(alignment_detail(row(0.41, -0.01, 0.82, 4), 4)) == "−0.01 to 0.82"


def test_an_interval_cut_to_the_scale_is_called_clipped() -> None:
    # comp_plans, engagement threshold: t interval -0.14 to 1.21, shown cut at 1
    assert plain(alignment_detail(row(0.53, -0.14, 1.0, 4), 4)) == (
        "−0.14 to 1.00, clipped: the 95% interval is wider than the scale"
    )


def test_fewer_runs_than_were_made_are_counted() -> None:
    # comp_plans, activity: two of four runs paid everyone the same, t interval -1.72 to 1.67
    got = plain(alignment_detail(row(-0.02, -1.0, 1.0, 2), 4))
    assert got == (
        "−1.00 to 1.00, clipped: the 95% interval is wider than the scale "
        "(n = 2 of 4: pay or books did not vary in the others)"
    )


def test_one_run_has_no_interval() -> None:
    got = alignment_detail(row(0.11, math.nan, math.nan, 1), 4)
    assert got == "too few runs for an interval (n = 1 of 4: pay or books did not vary in the others)"


def test_n_is_not_said_when_every_run_defines_it_or_the_runs_are_unknown() -> None:
    assert "n =" not in alignment_detail(row(0.2, -0.1, 0.5, 4), 4)
    assert "n =" not in alignment_detail(row(0.2, -0.1, 0.5, 3), None)


def test_the_table_cell_reads_the_clipped_summary_and_the_runs_made() -> None:
    values = [0.8, math.nan, -0.9, math.nan]  # two of four runs undefined
    runs = pd.DataFrame([("base", r, "pay_alignment", v) for r, v in enumerate(values)],
                        columns=["variant", "replication", "metric", "value"])  # fmt: skip
    summary = pd.DataFrame([("base", "pay_alignment", -0.05, -10.85, 10.75, 2)],
                           columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"])  # fmt: skip
    results = SimpleNamespace(scenario=scenario(), variants=["base"], summary=summary, run_metrics=runs)
    cell = _alignment_cell(ReportData.from_results(results), "base")
    assert plain(cell.text) == "−0.05"
    assert plain(cell.detail) == (
        "−1.00 to 1.00, clipped: the 95% interval is wider than the scale "
        "(n = 2 of 4: pay or books did not vary in the others)"
    )


def test_a_negative_correlation_has_the_pages_minus_sign_not_a_hyphen() -> None:
    assert "-" not in alignment_detail(row(0.41, -0.01, 0.82, 4), 4)
    assert alignment_detail(row(0.41, -0.01, 0.82, 4), 4).startswith("−")
