"""Section 4: workload: how busy CSMs are, what waits, and how long customers wait for guidance.

Utilisation here is per CSM and quarter (hours of customer work / available productive
hours), so its spread shows who is underwater, which an average hides.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from simulator.report.bands import NON_NEGATIVE, band
from simulator.report.charts import add_variant_bands, new_figure, plot_text, reference_line, shade_warmup
from simulator.report.page import Block, Section, Table, chart, note
from simulator.report.sections import books, coverage, load
from simulator.report.sections.comparison import metric_row
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH, TEAM_METRICS, team_metric


def build(data: ReportData, colours: dict[str, str]) -> Section:
    blocks: list[Block] = [_utilisation(data, colours)]
    by_team = team_table(data) or trend_table(data)
    if by_team is not None:
        blocks.append(by_team)
    blocks.append(_backlog(data, colours))
    waiting = _uncovered(data, colours)
    if waiting is not None:
        blocks.append(waiting)
    caps = books.caps_block(data)
    if caps is not None:
        blocks.append(caps)
    blocks.append(_time_to_guidance(data, colours))
    blocks += coverage.blocks(data, colours)
    return Section("workload", "CSM workload", blocks)


def team_table(data: ReportData) -> Table | None:
    """Each team's own utilisation and book per CSM, side by side across the options.

    The company's figures pool every CSM and count digitally covered accounts in the books:
    a named team at its book cap and a pool with slack average to a comfortable number.
    None when the scenario has a single team (its figures are the company's) or the results
    predate per-team metrics.
    """
    names = coverage.team_figures(data, "csm_utilization")
    if not names:
        return None
    summary, comparisons = data.tables["summary"], data.table("comparisons")
    found = load.trends(data)
    rows = []
    for name in names:
        for m in TEAM_METRICS:
            rows.append(metric_row(team_metric(m, name), data.variants, summary, comparisons))
            last = load.trend_row(data, name, found) if m == "csm_utilization" else None
            rows += [last] if last is not None else []
    caption = (
        "Each team's own CSMs (summary.csv rows such as csm_utilization@" + names[0] + "; a target can name them). "
        "Accounts: those of the segments the team covers, waiting for a book or not, over the CSMs in its seats. "
        f"Mean over replications, its 95% interval and (Δ) the paired difference against {data.variants[0]}."
        + (_LAST_YEAR if len(rows) > len(names) * len(TEAM_METRICS) else "")
    )
    return Table("by-team", caption, ["Team and metric", *data.variants], rows)


_LAST_YEAR = (
    " Utilisation is averaged over the measured period; where a team's last 12 months differ from that by 3 "
    "percentage points or more in some option, a row gives them (from csms.csv, per pay period) with their 95% "
    "interval: a team whose books grow against fixed seats runs hotter at the end than its average says."
)


def trend_table(data: ReportData) -> Table | None:
    """A single team's utilisation over the run beside its last 12 months, when they differ
    (:data:`~simulator.report.sections.load.MATERIAL`); the by-team table shows them otherwise."""
    found = load.trends(data)
    summary, comparisons = data.tables["summary"], data.table("comparisons")
    rows = []
    for team in dict.fromkeys(team for _, team in found):
        last = load.trend_row(data, team, found)
        if last is not None:
            rows += [metric_row(team_metric("csm_utilization", team), data.variants, summary, comparisons), last]
    if not rows:
        return None
    caption = f"Mean over replications, its 95% interval and (Δ) the paired difference against {data.variants[0]}."
    return Table("utilisation-trend", caption + _LAST_YEAR, ["Team and metric", *data.variants], rows)


def hours_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("hours_")]


def utilisation(csms: pd.DataFrame) -> pd.DataFrame:
    """``variant, replication, csm, period, utilisation`` for CSM-quarters with available hours."""
    busy = csms[hours_columns(csms)].sum(axis=1)
    out = csms[["variant", "replication", "csm", "period"]].copy()
    out["utilisation"] = busy / csms["available_hours"].where(csms["available_hours"] > 0)
    return out.dropna(subset=["utilisation"])


def _utilisation(data: ReportData, colours: dict[str, str]) -> Block:
    csms = data.measured("csms", "period_start_day", "variant", "replication", "csm", "period", "available_hours")
    if csms is None or not hours_columns(csms):
        return note("No per-CSM hours in these results, so the utilisation distribution is not shown.")
    util = utilisation(csms)
    fig = new_figure("CSM utilisation per quarter", "", "% of productive hours")
    for variant in data.variants:
        values = util.loc[util["variant"] == variant, "utilisation"] * 100
        if not values.empty:
            fig.add_trace(
                go.Box(
                    y=values.tolist(),
                    name=plot_text(variant),
                    marker_color=colours[variant],
                    boxpoints=False,
                    boxmean=True,
                    showlegend=False,
                )
            )
    reference_line(fig, 85, "85%: little slack left")
    caption = (
        "Hours of customer work / productive hours available, one value per CSM and quarter; box: middle half, "
        "line: median, dashed: mean, whiskers: range."
    )
    return chart("chart-utilisation", fig, caption)


def _backlog(data: ReportData, colours: dict[str, str]) -> Block:
    series = data.table("timeseries", "variant", "replication", "month", "backlog")
    if series is None:
        return note("No backlog over time in these results.")
    fig = new_figure("Backlog of detected needs waiting for a CSM", "month", "needs waiting")
    add_variant_bands(
        fig, band(series, ["variant", "month"], "backlog", within=NON_NEGATIVE), "month", data.variants, colours
    )
    shade_warmup(fig, data.scenario.warmup_months)
    return chart("chart-backlog", fig, "Needs detected but not yet started, at each month end; bands: 95% intervals.")


def _uncovered(data: ReportData, colours: dict[str, str]) -> Block | None:
    """Accounts of named teams without a CSM; None when no run ever had one (nothing to show).

    With ``overflow: uncovered`` new customers wait when every book is full, and a departed
    CSM's accounts wait for the replacement when no teammate has room: their detected needs
    wait for the CSM who takes them on, and nobody checks in meanwhile.
    """
    series = data.table("timeseries", "variant", "replication", "month", "uncovered")
    if series is None or not (series["uncovered"] > 0).any():
        return None
    fig = new_figure("Accounts without a CSM (named teams)", "month", "accounts")
    add_variant_bands(
        fig, band(series, ["variant", "month"], "uncovered", within=NON_NEGATIVE), "month", data.variants, colours
    )
    shade_warmup(fig, data.scenario.warmup_months)
    caption = (
        "Accounts of named teams with no CSM at each month end: waiting for room in a book (overflow: uncovered) "
        "or, when no teammate can take them, for a departed CSM's replacement. Bands: 95% intervals."
    )
    return chart("chart-uncovered", fig, caption)


def guidance_waits(needs: pd.DataFrame) -> pd.DataFrame:
    """Mean days from a need arising to guidance starting, per variant, replication and month arisen."""
    started = needs.dropna(subset=["start_day", "arise_day"])
    out = started[["variant", "replication"]].copy()
    out["month"] = (started["arise_day"] // DAYS_PER_MONTH).astype(int)
    out["wait_days"] = started["start_day"] - started["arise_day"]
    return out.groupby(["variant", "replication", "month"], as_index=False).agg(wait_days=("wait_days", "mean"))


def _time_to_guidance(data: ReportData, colours: dict[str, str]) -> Block:
    needs = data.table("needs", "variant", "replication", "arise_day", "start_day")
    if needs is None:
        return note("No needs table in these results, so time to guidance over time is not shown.")
    waits = guidance_waits(needs)
    if waits.empty:
        return note("No need was guided in these runs, so there is no time to guidance to show.")
    fig = new_figure("Time to guidance, by month the need arose", "month", "days from need to guidance")
    add_variant_bands(
        fig, band(waits, ["variant", "month"], "wait_days", within=NON_NEGATIVE), "month", data.variants, colours
    )
    shade_warmup(fig, data.scenario.warmup_months)
    for window, segments in windows(data).items():
        label = f"just-in-time window {window:g} d ({', '.join(segments)})"
        reference_line(fig, window, plot_text(label), colour="#555")
    caption = (
        "Guided needs only; needs never guided count in the fate chart below. The last months look quicker than they "
        "are: needs that arose then and were still waiting when the run ended are not in them yet."
    )
    return chart("chart-time-to-guidance", fig, caption)


def windows(data: ReportData) -> dict[float, list[str]]:
    """Each just-in-time window in the scenario, with the segments that have it."""
    out: dict[float, list[str]] = {}
    for name, segment in data.scenario.segments.items():
        out.setdefault(segment.need_window_days, []).append(name)
    return out
