"""The headline comparison table: each main metric per variant, with intervals and paired differences.

Rows are metrics (the headline set plus any metric a target names), columns are variants,
baseline first. A difference is marked good or bad only when its 95% interval excludes
zero, in the direction the metric's catalogue entry calls better.
"""

from __future__ import annotations

import math

import pandas as pd

from simulator.report.formats import (
    HEADLINE_METRICS,
    MetricInfo,
    common_scale,
    describe_target,
    format_interval,
    metric_info,
    reads_zero,
)
from simulator.report.page import Cell, Table
from simulator.report.sections.recommendation import MET, NOT_MET

STATUS_STYLE = {MET: "met", NOT_MET: "notmet"}


def comparison_table(
    variants: list[str],
    summary: pd.DataFrame,
    comparisons: pd.DataFrame | None,
    statuses: pd.DataFrame,
    target_metrics: list[str],
    best: str,
    badge: str = "recommended",
    names: dict[str, str] | None = None,
) -> Table:
    """``names``: a column's heading when not its variant's name (the base of a sweep: "base (6 CSMs)")."""
    metrics = table_metrics(summary, target_metrics)
    rows = [metric_row(m, variants, summary, comparisons) for m in metrics]
    rows += [_target_row(t, variants, statuses) for t in pd.unique(statuses["target"])]
    shown = {v: (names or {}).get(v, v) for v in variants}
    headers = ["Metric", *[f"{shown[v]} ({badge})" if v == best else shown[v] for v in variants]]
    caption = (
        "Mean over replications, its 95% interval, and (Δ) the paired difference against the baseline "
        f"({variants[0]}) with its own 95% interval: green when better and red when worse with 95% confidence "
        "(shown with more decimals when a confident difference is smaller than the usual precision)."
    )
    return Table("comparison", caption, headers, rows)


def table_metrics(summary: pd.DataFrame, target_metrics: list[str]) -> list[str]:
    """The table's metric rows: the headline set, then any other metric a target names, that the summary has."""
    return [m for m in dict.fromkeys([*HEADLINE_METRICS, *target_metrics]) if m in set(summary["metric"])]


def metric_row(metric: str, variants: list[str], summary: pd.DataFrame, comparisons: pd.DataFrame | None) -> list[Cell]:
    """The metric's label, then per variant its mean and interval and (after the first) the
    paired difference against the first, coloured when its interval excludes zero."""
    info = metric_info(metric)
    head = Cell(info.label, detail=info.unit, css="rowhead")
    cells = [head]
    for i, variant in enumerate(variants):
        cells.append(
            _value_cell(info, _row(summary, variant, metric), None if i == 0 else _row(comparisons, variant, metric))
        )
    return cells


def _row(frame: pd.DataFrame | None, variant: str, metric: str) -> pd.Series | None:
    if frame is None:
        return None
    hit = frame[(frame["variant"] == variant) & (frame["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def _value_cell(info: MetricInfo, stats: pd.Series | None, diff: pd.Series | None) -> Cell:
    if stats is None:
        return Cell("–", css="num")
    interval = format_interval(info.kind, stats["ci_low"], stats["ci_high"])
    if diff is None:
        return Cell(info.value(stats["mean"]), detail=interval, css="num")
    css = diff_style(info, diff["diff_ci_low"], diff["diff_ci_high"])
    return Cell(info.value(stats["mean"]), detail=interval, css=css or "num", change=f"Δ {_diff_text(info, diff)}")


def _diff_text(info: MetricInfo, diff: pd.Series) -> str:
    low, high = diff["diff_ci_low"], diff["diff_ci_high"]
    extra = digits_to_show_sign(info, low, high)
    like = common_scale(diff["diff_mean"], low, high)  # dollars: the mean and its ends at one scale
    bounds = (
        f"{info.diff(low, unit=False, extra=extra, like=like)} to {info.diff(high, unit=False, extra=extra, like=like)}"
    )
    interval = "" if math.isnan(low) or math.isnan(high) else f" ({bounds})"
    return info.diff(diff["diff_mean"], extra=extra, like=like) + interval


def digits_to_show_sign(info: MetricInfo, low: float, high: float, most: int = 3) -> int:
    """Extra decimals so a difference whose interval excludes zero (coloured better or
    worse) shows its sign on both bounds instead of reading "0.0 (0.0 to 0.0)"; none
    when the interval includes zero, and at most ``most``."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return 0
    extra = 0
    while extra < most and any(reads_zero(info.diff(x, extra=extra)) for x in (low, high)):
        extra += 1
    return extra


def diff_style(info: MetricInfo, low: float, high: float) -> str:
    if info.better == "neither" or math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return ""
    up = low > 0
    return "good" if up == (info.better == "higher") else "bad"


def _target_row(target: str, variants: list[str], statuses: pd.DataFrame) -> list[Cell]:
    cells = [Cell(f"Target: {describe_target(target)}", detail=target, css="rowhead")]
    for variant in variants:
        hit = statuses[(statuses["variant"] == variant) & (statuses["target"] == target)]
        status = str(hit["status"].iloc[0]) if not hit.empty else "–"
        cells.append(Cell(status, css=STATUS_STYLE.get(status, "undecided" if status != "–" else "")))
    return cells
