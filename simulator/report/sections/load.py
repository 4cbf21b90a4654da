"""Load over time: each team's utilisation in the run's last 12 months beside its average.

The summary's utilisation is an average over the measured period: a team whose customers
grow against fixed seats runs well above it by the end (the default scenario's named team,
20 replications: 77% in the first measured quarter, 96% in the last, 87.6% averaged). The
last 12 months come from the per-CSM table (``csms.csv``: one row per CSM and pay period,
with its team and hours), not from the monthly time series, whose ``busy_share`` pools every
team's CSMs; a pay period straddling their start is weighed by its share inside them, as the
summary's metric does with the warm-up (:func:`~simulator.results.metrics.csm_time`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from simulator.report.bands import SHARE, band
from simulator.report.formats import format_interval, format_value
from simulator.report.page import Cell
from simulator.report.source import ReportData
from simulator.results.metrics import csm_time
from simulator.scenario.schema import DAYS_PER_MONTH, team_metric

LAST_YEAR_DAYS = 12 * DAYS_PER_MONTH

MATERIAL = 0.03
"""The last 12 months' utilisation is shown beside the average when they differ by at
least this much (3 percentage points: on a 10-CSM team, about a third of a CSM's time)."""

_EPS = 1e-6


@dataclass(frozen=True)
class Trend:
    """A team's utilisation in one option: the average over the measured period (the
    summary's) and over its last 12 months (mean and 95% interval across replications)."""

    variant: str
    team: str
    average: float
    last: float
    low: float
    high: float

    @property
    def material(self) -> bool:
        return abs(self.last - self.average) >= MATERIAL


def last_year_window(data: ReportData) -> tuple[float, float] | None:
    """The last 12 months of the run, or None when the measured period is no longer."""
    low, high = data.scenario.warmup_days, data.scenario.horizon_days
    return (high - LAST_YEAR_DAYS, high) if high - low > LAST_YEAR_DAYS + _EPS else None


def last_year_months(data: ReportData) -> str:
    """The last 12 months as a reader counts them: "months 25-36" of a 36-month run."""
    months = round(data.scenario.horizon_months)
    return f"months {months - 11}-{months}"


def last_year_runs(data: ReportData) -> pd.DataFrame | None:
    """``variant, replication, team, utilisation`` over the last 12 months: the team's
    hours of customer work over its available hours, as ``csm_utilization@TEAM``."""
    window = last_year_window(data)
    needed = ("variant", "replication", "team", "period_start_day", "period_end_day", "active_days", "available_hours")
    csms = data.table("csms", *needed)
    if window is None or csms is None or not any(c.startswith("hours_") for c in csms.columns):
        return None
    hours, available, _ = csm_time(csms, window)
    keys = ["variant", "replication", "team"]
    runs = csms[keys].assign(hours=hours, available=available).groupby(keys, as_index=False)[["hours", "available"]]
    sums = runs.sum()
    sums = sums[sums["available"] > 0]
    return sums.assign(utilisation=sums["hours"] / sums["available"])


def trends(data: ReportData) -> dict[tuple[str, str], Trend]:
    """``(variant, team) -> Trend`` for each team whose utilisation the summary holds."""
    runs = last_year_runs(data)
    if runs is None or runs.empty:
        return {}
    summary = data.tables["summary"]
    metrics = zip(summary["variant"].astype(str), summary["metric"].astype(str), summary["mean"], strict=True)
    averages = {(v, m): float(x) for v, m, x in metrics}
    shares = band(runs, ["variant", "team"], "utilisation", within=SHARE)
    out = {}
    for variant, team, last, low, high in zip(*(shares[c] for c in shares.columns), strict=True):
        average = averages.get((str(variant), team_metric("csm_utilization", str(team))), math.nan)
        if not math.isnan(average):
            out[(str(variant), str(team))] = Trend(str(variant), str(team), average, last, low, high)
    return out


def trend_row(data: ReportData, team: str, found: dict[tuple[str, str], Trend]) -> list[Cell] | None:
    """The by-team table's row of ``team``'s last-year utilisation, when in some option it
    differs from the average by :data:`MATERIAL` or more; None otherwise."""
    mine = [found.get((v, team)) for v in data.variants]
    if not any(t is not None and t.material for t in mine):
        return None
    head = Cell(
        f"CSM utilisation, {team} team, last 12 months",
        detail=f"% of productive time, {last_year_months(data)}",
        css="rowhead",
    )
    cells = [
        Cell(format_value("share", t.last), detail=format_interval("share", t.low, t.high), css="num")
        if t is not None
        else Cell("–", css="num")
        for t in mine
    ]
    return [head, *cells]
