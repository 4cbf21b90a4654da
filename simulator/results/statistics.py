"""Intervals across replications: means, paired differences, targets, precision.

Every number a leader reads is a mean over independent replications with a 95% Student-t
interval: the replications are i.i.d. by construction (one set of named streams per
replication), so the t interval on their means is the textbook choice. Differences between
variants are *paired* by replication: replication r of every variant sees the same
customers (common random numbers), so the per-replication difference cancels most of the
demand noise and its interval is far narrower than the difference of two intervals.

A metric can be undefined in a run (no needs, so no time to guidance): such values are NaN
and are left out, so ``n`` counts the replications that define the metric.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from simulator.scenario.schema import Target

CONFIDENCE = 0.95

SUMMARY_COLUMNS = ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
COMPARISON_COLUMNS = ["variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high", "n"]
TARGET_COLUMNS = ["variant", "target", "metric", "op", "bar", "mean", "ci_low", "ci_high", "status"]

MET, NOT_MET, UNDECIDED = "met", "not met", "undecided"


# --------------------------------------------------------------------------- Student t


def _t_coverage(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with integer ``df`` (Abramowitz & Stegun 26.7.3-4, exact)."""
    theta = math.atan(t / math.sqrt(df))
    cos2, sin = math.cos(theta) ** 2, math.sin(theta)
    if df % 2 == 1:
        term, series = math.cos(theta), 0.0
        for k in range(1, (df - 1) // 2 + 1):
            series += term
            term *= cos2 * (2 * k) / (2 * k + 1)
        return 2 / math.pi * (theta + sin * series) if df > 1 else 2 * theta / math.pi
    term, series = 1.0, 0.0
    for k in range(1, df // 2 + 1):
        series += term
        term *= cos2 * (2 * k - 1) / (2 * k)
    return sin * series


@lru_cache(maxsize=1024)
def t_quantile(df: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided Student-t critical value: P(|T| <= t) = ``confidence``.

    Hand-written (bisection on the exact integer-df distribution function) so the package
    needs no scipy for one number; tests check it against published table values.
    """
    if df < 1 or not 0 < confidence < 1:
        raise ValueError(f"t_quantile needs df >= 1 and 0 < confidence < 1, got df {df}, confidence {confidence}")
    low, high = 0.0, 1.0
    while _t_coverage(high, df) < confidence:
        low, high = high, high * 2
    for _ in range(200):
        mid = (low + high) / 2
        if _t_coverage(mid, df) < confidence:
            low = mid
        else:
            high = mid
        if high - low <= 1e-13 * high:
            break
    return (low + high) / 2


# --------------------------------------------------------------------------- intervals


def interval(values: Any, confidence: float = CONFIDENCE) -> tuple[float, float, float, int]:
    """(mean, ci_low, ci_high, n) of the finite values; the interval is NaN when n < 2."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = t_quantile(n - 1, confidence) * float(x.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half, n


def summarize(run_metrics: pd.DataFrame, variants: list[str]) -> pd.DataFrame:
    """One row per variant and metric (variants in the given order, metrics in first-seen order)."""
    rows = []
    for (variant, metric), group in _grouped(run_metrics, variants):
        rows.append((variant, metric, *interval(group["value"])))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def compare(run_metrics: pd.DataFrame, variants: list[str]) -> pd.DataFrame:
    """Paired differences (variant - baseline) by replication, baseline = ``variants[0]``.

    Only replications where both sides define the metric are paired; the baseline itself has
    no row.
    """
    values = _by_replication(run_metrics)
    baseline = variants[0] if variants else ""
    rows = []
    for variant in variants[1:]:
        for metric in _metric_order(run_metrics):
            ours, base = values.get((variant, metric)), values.get((baseline, metric))
            if ours is None or base is None:
                continue
            diffs = [ours[r] - base[r] for r in sorted(ours.keys() & base.keys())]
            rows.append((variant, metric, *interval(diffs)))
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def _by_replication(run_metrics: pd.DataFrame) -> dict[tuple[str, str], dict[int, float]]:
    out: dict[tuple[str, str], dict[int, float]] = {}
    columns = (run_metrics[c].tolist() for c in ("variant", "metric", "replication", "value"))
    for variant, metric, replication, value in zip(*columns, strict=True):
        out.setdefault((variant, metric), {})[int(replication)] = float(value)
    return out


def _metric_order(run_metrics: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(run_metrics["metric"]))


def _grouped(run_metrics: pd.DataFrame, variants: list[str]) -> list[tuple[tuple[str, str], pd.DataFrame]]:
    groups = dict(tuple(run_metrics.groupby(["variant", "metric"], sort=False)))
    return [((v, m), groups[(v, m)]) for v in variants for m in _metric_order(run_metrics) if (v, m) in groups]


# --------------------------------------------------------------------------- targets


def target_status(target: Target, ci_low: float, ci_high: float) -> str:
    """Met when the whole interval satisfies the target, not met when none of it does,
    undecided when it straddles the bar (or there is no interval: fewer than 2 replications)."""
    if math.isnan(ci_low) or math.isnan(ci_high):
        return UNDECIDED
    if target.met_by(ci_low) and target.met_by(ci_high):
        return MET
    if not target.met_by(ci_low) and not target.met_by(ci_high):
        return NOT_MET
    return UNDECIDED


def evaluate_targets(summary: pd.DataFrame, targets: list[Target], variants: list[str]) -> pd.DataFrame:
    """One row per variant and target, with the metric's interval next to the status."""
    index = {
        (variant, metric): (float(mean), float(low), float(high))
        for variant, metric, mean, low, high in zip(
            *(summary[c].tolist() for c in ("variant", "metric", "mean", "ci_low", "ci_high")), strict=True
        )
    }
    rows = []
    for variant in variants:
        for target in targets:
            mean, low, high = index.get((variant, target.metric), (math.nan, math.nan, math.nan))
            status = target_status(target, low, high)
            rows.append((variant, str(target), target.metric, target.op, target.value, mean, low, high, status))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


# --------------------------------------------------------------------------- precision


def relative_half_widths(summary: pd.DataFrame, metrics: list[str]) -> pd.Series:
    """Half-width / |mean| of each (variant, metric) interval among ``metrics``.

    Infinite when the interval is missing (n < 2) or the mean is 0 with a non-zero width, so
    such a metric never counts as precise enough.
    """
    rows = summary[summary["metric"].isin(metrics)]
    half = (rows["ci_high"] - rows["ci_low"]) / 2
    rel = (half / rows["mean"].abs()).where(half > 0, 0.0)
    rel = rel.where(rows["ci_low"].notna() & rows["ci_high"].notna(), math.inf)
    rel = rel.replace([np.nan], math.inf)
    return pd.Series(rel.to_numpy(), index=pd.MultiIndex.from_frame(rows[["variant", "metric"]]), dtype=float)


def replications_needed(current: int, worst_relative: float, bound: float) -> int:
    """The replications the worst interval needs to shrink under ``bound`` (width ~ 1/sqrt(n)),
    at least one more than now."""
    if not math.isfinite(worst_relative):
        return current * 2
    return max(current + 1, math.ceil(current * (worst_relative / bound) ** 2))
