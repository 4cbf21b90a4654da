"""Workload, continued: what happens to needs, how much proactive work slips, and book sizes.

"Proactive work deferred" compares the check-ins and QBRs named CSMs actually held with
the cadence the scenario asks for (``checkin_days``, ``qbr_months``) on the accounts in
their books: when CSMs are overloaded, proactive work slips first. Touches are discretionary
in the model, and a late touch restarts the clock, so slipping shows as fewer touches.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulator.report.charts import error_bars, plot_text, reference_line, share_bars, style_figure
from simulator.report.formats import metric_info
from simulator.report.page import Block, chart, note
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH, team_metric
from simulator.scenario.summary import ACCOUNTS_PER_CSM, ARR_PER_CSM_RULE, TOUCH

FATES = (
    ("jit", "just in time", "#2e8b57"),
    ("late", "late", "#e6b422"),
    ("expired", "expired unmet", "#c0392b"),
    ("open", "still open at the end", "#95a5a6"),
)


def blocks(data: ReportData, colours: dict[str, str]) -> list[Block]:
    return [_fates(data), _deferred(data, colours), _ratios(data, colours)]


def fate_shares(needs: pd.DataFrame) -> pd.DataFrame:
    """Share of needs by fate per variant (rows: variants, columns: fates, each row sums to 1)."""
    counts = needs.groupby(["variant", "fate"]).size().unstack(fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def _fates(data: ReportData) -> Block:
    needs = data.measured("needs", "arise_day", "variant", "fate")
    if needs is None:
        return note("No needs table in these results, so the just-in-time share is not shown.")
    shares = fate_shares(needs).reindex(data.variants).fillna(0.0)
    fig = go.Figure()
    labels = [plot_text(v) for v in data.variants]
    for fate, label, colour in FATES:
        if fate in shares.columns:
            fig.add_trace(
                go.Bar(y=labels, x=(shares[fate] * 100).tolist(), name=label, orientation="h", marker_color=colour)
            )
    style_figure(fig, "What happened to customers' needs", height=180 + 40 * len(labels))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="% of needs", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return chart("chart-need-fates", fig, "Just in time = guidance started within the need's window.")


def deferred_share(data: ReportData, csms: pd.DataFrame) -> pd.DataFrame:
    """``variant, replication, deferred``: 1 - touches held / touches the cadence asks for (named teams).

    A CSM-period owes ``book_accounts x active days x cadence`` touches; CSM-periods of
    teams with no cadence (pooled) owe none and are left out.
    """
    days = csms["active_days"] if "active_days" in csms.columns else csms["period_end_day"] - csms["period_start_day"]
    pairs = list(zip(csms["variant"], csms["team"], strict=True))
    rates = {pair: touches_per_day(data, *pair) for pair in set(pairs)}
    due = pd.Series([rates[pair] for pair in pairs], index=csms.index) * csms["book_accounts"] * days
    frame = csms[["variant", "replication", "touches"]].assign(due=due)[due > 0]
    runs = frame.groupby(["variant", "replication"], as_index=False)[["touches", "due"]].sum()
    runs["deferred"] = (1 - runs["touches"] / runs["due"]).clip(lower=0, upper=1)
    return runs[["variant", "replication", "deferred"]]


def touches_per_day(data: ReportData, variant: str, team: str) -> float:
    """Proactive touches one account of a named team is due per day.

    Check-ins every ``checkin_days`` and a QBR every ``qbr_months``; a QBR also counts as
    the check-in (the engine restarts the check-in clock), so a QBR cycle of Q days holds
    ceil(Q / checkin_days) touches: the check-ins before the QBR, then the QBR.
    """
    if data.resolved(variant, f"teams.{team}.coverage") != "named":
        return 0.0
    checkin = float(data.resolved(variant, f"teams.{team}.checkin_days", 0) or 0)
    qbr_days = float(data.resolved(variant, f"teams.{team}.qbr_months", 0) or 0) * DAYS_PER_MONTH
    if checkin <= 0:
        return 0.0
    return math.ceil(qbr_days / checkin) / qbr_days if qbr_days > 0 else 1 / checkin


def _deferred(data: ReportData, colours: dict[str, str]) -> Block:
    needed = ("variant", "replication", "team", "period_start_day", "period_end_day", "book_accounts", "touches")
    csms = data.measured("csms", "period_start_day", *needed)
    runs = deferred_share(data, csms) if csms is not None else None
    if runs is None or runs.empty:
        return note("No named (high-touch) team with a proactive cadence here, so there is no proactive work to defer.")
    fig = share_bars(runs, "deferred", data.variants, colours)
    style_figure(fig, "Proactive work deferred (named teams)", height=360)
    fig.update_yaxes(title_text="% of scheduled touches not held", rangemode="tozero")
    caption = (
        "Scheduled: each account in a named book gets a check-in every check-in interval and a QBR every QBR "
        "interval (a QBR doubles as the check-in). Whiskers: 95% intervals over replications."
    )
    return chart("chart-deferred", fig, caption)


def team_figures(data: ReportData, metric: str) -> list[str]:
    """The teams with CSMs whose own ``metric`` the summary holds (``csm_utilization@pool``);
    none when the scenario has a single team, whose figures are the company's."""
    if len(data.scenario.teams) < 2:
        return []
    present = set(data.tables["summary"]["metric"])
    return [
        name
        for name, team in data.scenario.teams.items()
        if team.coverage != "digital" and team_metric(metric, name) in present
    ]


COMPANY = "all accounts, all CSMs"
"""The company-wide bars of the book-size chart: not any CSM's book (see ``METRICS``)."""


def _ratios(data: ReportData, colours: dict[str, str]) -> Block:
    """ARR and accounts per CSM of all CSMs, then of each team with CSMs (``arr_per_csm@pool``).

    The company's ratio counts digitally covered accounts and pools a named team with a
    pool; set against one rule of thumb it can mislead either way, so each team's own
    books stand beside it when the results have them.
    """
    summary = data.tables["summary"]
    present = [m for m in ("arr_per_csm", "accounts_per_csm") if m in set(summary["metric"])]
    if not present:
        return note("The summary has no arr_per_csm or accounts_per_csm, so book sizes are not shown.")
    groups = [(COMPANY, ""), *((f"{name} team", f"@{name}") for name in team_figures(data, present[0]))]
    titles = [metric_info(m).team_label or metric_info(m).label for m in present]  # the bars name whose ratio
    fig = make_subplots(rows=1, cols=len(present), subplot_titles=titles)
    for col, metric in enumerate(present, start=1):
        scale = 1e6 if metric == "arr_per_csm" else 1.0
        for variant in data.variants:
            rows = summary[summary["variant"] == variant].set_index("metric").reindex([metric + at for _, at in groups])
            fig.add_trace(
                go.Bar(
                    x=[plot_text(label) for label, _ in groups],
                    y=(rows["mean"] / scale).tolist(),
                    name=plot_text(variant),
                    legendgroup=variant,
                    showlegend=col == 1,
                    marker_color=colours[variant],
                    error_y=error_bars(rows["mean"], rows["ci_low"], rows["ci_high"], 1 / scale),
                ),
                row=1,
                col=col,
            )
        fig.update_yaxes(title_text="ARR per CSM (USD millions)" if scale > 1 else "accounts per CSM", row=1, col=col)
        if metric == "arr_per_csm":
            reference_line(fig, ARR_PER_CSM_RULE / 1e6, "~$2M per CSM (SaaStr rule of thumb)", row=1, col=col)
    fig.update_layout(barmode="group")
    style_figure(fig, "Book size per CSM next to the field's rule of thumb", height=420)
    caption = (
        f"{COMPANY.capitalize()}: every account, digitally covered ones too, over every CSM in a seat (no CSM's "
        "book); each team: the accounts of the segments it covers over its own CSMs. The $2M rule ignores account "
        "complexity and segment; ~$1M is common while scaling or enterprise-heavy. Field ranges of accounts per "
        "CSM: "
        + ", ".join(
            f"{TOUCH[kind]} {low:,}-{high:,}" for kind, (low, high) in ACCOUNTS_PER_CSM.items() if kind != "digital"
        )
        + ". Whiskers: 95% intervals."
    )
    return chart("chart-book-size", fig, caption)
