"""Intervals, paired differences and target verdicts across replications."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulator.results import statistics as st
from simulator.scenario.schema import Target

# Two-sided 95% Student-t critical values from published tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
T_TABLE_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 10: 2.228, 20: 2.086, 30: 2.042, 100: 1.984}


@pytest.mark.parametrize(("df", "expected"), sorted(T_TABLE_975.items()))
def test_t_quantile_matches_published_table(df: int, expected: float) -> None:
    assert st.t_quantile(df) == pytest.approx(expected, abs=6e-4)


def test_t_quantile_other_levels_and_large_df() -> None:
    assert st.t_quantile(5, 0.99) == pytest.approx(4.032, abs=6e-4)  # table, 0.995 one-sided
    assert st.t_quantile(10, 0.90) == pytest.approx(1.812, abs=6e-4)
    z, df = 1.959963985, 5000  # large df: Cornish-Fisher z + (z^3 + z) / (4 df), error O(1/df^2)
    assert st.t_quantile(df) == pytest.approx(z + (z**3 + z) / (4 * df), abs=1e-6)


def test_t_quantile_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="df >= 1"):
        st.t_quantile(0)


def test_interval_by_hand() -> None:
    mean, low, high, n = st.interval([1.0, 2.0, 3.0, 4.0])
    half = 3.182446305 * math.sqrt(5 / 3) / 2  # t(3) * sd / sqrt(n); sd^2 = 5/3
    assert (mean, n) == (2.5, 4)
    assert low == pytest.approx(2.5 - half, rel=1e-9)
    assert high == pytest.approx(2.5 + half, rel=1e-9)


def test_interval_drops_undefined_values_and_needs_two() -> None:
    assert st.interval([math.nan, 5.0, math.inf])[0] == 5.0
    mean, low, high, n = st.interval([math.nan, 5.0])
    assert (mean, n) == (5.0, 1) and math.isnan(low) and math.isnan(high)
    assert st.interval([])[3] == 0


@pytest.mark.parametrize("n", [3, 10])
def test_interval_coverage_is_95_percent(n: int) -> None:
    """Over many seeds, the interval holds the true mean ~95% of the time.

    With n = 3 a normal (z) interval would cover only ~81%, so this fails if the t quantile
    is dropped. Tolerance: 4 binomial standard errors of the observed coverage.
    """
    trials, true_mean = 4000, 3.0
    rng = np.random.default_rng(20240601 + n)
    samples = rng.normal(true_mean, 2.0, size=(trials, n))
    covered = 0
    for row in samples:
        _, low, high, _ = st.interval(row)
        covered += low <= true_mean <= high
    se = math.sqrt(0.95 * 0.05 / trials)
    assert abs(covered / trials - 0.95) < 4 * se, f"coverage {covered / trials:.4f} with n={n}"


def _run_metrics(values: dict[str, list[float]], metric: str = "grr") -> pd.DataFrame:
    rows = [(v, r, metric, x) for v, xs in values.items() for r, x in enumerate(xs)]
    return pd.DataFrame(rows, columns=["variant", "replication", "metric", "value"])


def test_summarize_keeps_variant_order_and_columns() -> None:
    rm = pd.concat([_run_metrics({"b": [1, 2, 3], "a": [4, 5, 6]}), _run_metrics({"b": [0, 0, 0]}, "nps")])
    summary = st.summarize(rm, ["b", "a"])
    assert list(summary.columns) == ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
    assert list(zip(summary["variant"], summary["metric"], strict=True)) == [("b", "grr"), ("b", "nps"), ("a", "grr")]
    assert summary["mean"].tolist() == [2.0, 0.0, 5.0]
    assert summary.iloc[1]["ci_low"] == summary.iloc[1]["ci_high"] == 0.0  # no spread: a point


def test_compare_pairs_by_replication() -> None:
    rm = _run_metrics({"base": [1.0, 5.0, 9.0, 2.0], "more": [1.5, 5.4, 9.6, 2.5]})
    row = st.compare(rm, ["base", "more"]).iloc[0]
    mean, low, high, n = st.interval([0.5, 0.4, 0.6, 0.5])
    assert (row["variant"], row["metric"], row["n"]) == ("more", "grr", n)
    assert (row["diff_mean"], row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((mean, low, high))
    unpaired_half = 2 * st.t_quantile(3) * float(np.std([1.0, 5.0, 9.0, 2.0], ddof=1)) / 2
    assert (high - low) / 2 < unpaired_half / 10  # pairing removes the shared noise


def test_compare_skips_replications_missing_on_either_side() -> None:
    rm = _run_metrics({"base": [1.0, math.nan, 3.0, 4.0], "v": [2.0, 2.0, math.nan, 5.0]})
    row = st.compare(rm, ["base", "v"]).iloc[0]
    assert row["n"] == 2 and row["diff_mean"] == pytest.approx(1.0)


def test_compare_with_one_variant_is_empty() -> None:
    assert st.compare(_run_metrics({"base": [1.0, 2.0]}), ["base"]).empty


def test_paired_difference_coverage() -> None:
    """The paired interval covers the true difference ~95% even with a large shared component."""
    trials, n, true_diff = 2000, 5, 0.3
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(trials):
        shared = rng.normal(0, 5, n)
        rm = _run_metrics(
            {"a": list(shared + rng.normal(0, 0.2, n)), "b": list(shared + true_diff + rng.normal(0, 0.2, n))}
        )
        row = st.compare(rm, ["a", "b"]).iloc[0]
        covered += row["diff_ci_low"] <= true_diff <= row["diff_ci_high"]
    assert abs(covered / trials - 0.95) < 4 * math.sqrt(0.95 * 0.05 / trials)


@pytest.mark.parametrize(
    ("text", "low", "high", "status"),
    [
        ("grr >= 0.92", 0.93, 0.95, st.MET),
        ("grr >= 0.92", 0.92, 0.95, st.MET),
        ("grr >= 0.92", 0.90, 0.94, st.UNDECIDED),
        ("grr >= 0.92", 0.85, 0.91, st.NOT_MET),
        ("grr > 0.92", 0.92, 0.95, st.UNDECIDED),
        ("p90_time_to_guidance_days <= 7", 3, 6, st.MET),
        ("p90_time_to_guidance_days <= 7", 6, 8, st.UNDECIDED),
        ("p90_time_to_guidance_days < 7", 7, 9, st.NOT_MET),
        ("grr >= 0.92", math.nan, math.nan, st.UNDECIDED),
    ],
)
def test_target_status(text: str, low: float, high: float, status: str) -> None:
    assert st.target_status(Target.parse(text), low, high) == status


def test_evaluate_targets_rows() -> None:
    rm = pd.concat([_run_metrics({"base": [0.95, 0.96, 0.97], "cut": [0.80, 0.81, 0.82]})])
    summary = st.summarize(rm, ["base", "cut"])
    out = st.evaluate_targets(summary, [Target.parse("grr >= 0.92"), Target.parse("nps >= 10")], ["base", "cut"])
    assert list(out.columns) == st.TARGET_COLUMNS
    status = dict(zip(zip(out["variant"], out["metric"], strict=True), out["status"], strict=True))
    assert status == {
        ("base", "grr"): st.MET,
        ("base", "nps"): st.UNDECIDED,  # not measured: no interval, no verdict
        ("cut", "grr"): st.NOT_MET,
        ("cut", "nps"): st.UNDECIDED,
    }
    assert out.iloc[0]["target"] == "grr >= 0.92" and out.iloc[0]["bar"] == 0.92


def test_relative_half_widths() -> None:
    summary = pd.DataFrame(
        [("a", "grr", 0.9, 0.88, 0.92, 5), ("a", "nps", 0.0, -1.0, 1.0, 5), ("a", "nrr", 1.0, math.nan, math.nan, 1)],
        columns=st.SUMMARY_COLUMNS,
    )
    rel = st.relative_half_widths(summary, ["grr", "nps", "nrr"])
    assert rel[("a", "grr")] == pytest.approx(0.02 / 0.9)
    assert math.isinf(rel[("a", "nps")]) and math.isinf(rel[("a", "nrr")])
    assert st.relative_half_widths(summary, ["grr"]).index.tolist() == [("a", "grr")]


def test_replications_needed_scales_with_square_of_width() -> None:
    assert st.replications_needed(10, 0.02, 0.01) == 40
    assert st.replications_needed(10, 0.0100001, 0.01) == 11
    assert st.replications_needed(10, math.inf, 0.01) == 20


def test_a_per_segment_target_reads_its_segment_row_of_the_summary() -> None:
    target = Target.parse("grr@smb >= 88%")
    assert (target.metric, target.segment, target.op, target.value) == ("grr@smb", "smb", ">=", 0.88)
    assert str(target) == "grr@smb >= 0.88"
    assert Target.parse("grr >= 0.9").segment is None
    rm = pd.concat([_run_metrics({"base": [0.95, 0.96, 0.97]}), _run_metrics({"base": [0.80, 0.81, 0.82]}, "grr@smb")])
    out = st.evaluate_targets(st.summarize(rm, ["base"]), [target, Target.parse("grr >= 0.88")], ["base"])
    assert dict(zip(out["metric"], out["status"], strict=True)) == {"grr@smb": st.NOT_MET, "grr": st.MET}


def test_a_per_team_target_reads_its_team_row_of_the_summary() -> None:
    target = Target.parse("csm_utilization@pool <= 85%")
    assert (target.metric, target.team, target.segment, target.op, target.value) == (
        "csm_utilization@pool",
        "pool",
        None,
        "<=",
        0.85,
    )
    assert str(target) == "csm_utilization@pool <= 0.85"
    rm = pd.concat([_run_metrics({"base": [0.80, 0.81, 0.82]}, "csm_utilization"),
                    _run_metrics({"base": [0.95, 0.96, 0.97]}, "csm_utilization@pool")])  # fmt: skip
    goals = [target, Target.parse("csm_utilization <= 0.85")]
    out = st.evaluate_targets(st.summarize(rm, ["base"]), goals, ["base"])
    assert dict(zip(out["metric"], out["status"], strict=True)) == {"csm_utilization@pool": st.NOT_MET,
                                                                   "csm_utilization": st.MET}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nps@smb >= 10", "'nps' has no per-segment or per-team figure"),
        ("comp_cost@pool <= 1e6", "'comp_cost' has no per-segment or per-team figure"),
        ("grr@ >= 0.9", "must read METRIC OP NUMBER"),
        ("grr@smb@x >= 0.9", "must read METRIC OP NUMBER"),
        ("gross@smb >= 0.9", "unknown metric 'gross'"),
    ],
)
def test_per_segment_targets_that_cannot_be_read_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Target.parse(text)
