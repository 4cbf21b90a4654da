"""Section 3: health: the Red / Yellow / Green mix over time, and engagement against value.

The second chart is where an engagement-paid plan shows: engagement rises while value
realised (the share of features customers bought for that they use) does not.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulator.report.charts import HEALTH_COLOURS, plot_text, style_figure, variant_symbol
from simulator.report.checks import truth
from simulator.report.page import Block, Section, chart, note
from simulator.report.source import ReportData

BANDS = (("red", "health_red"), ("yellow", "health_yellow"), ("green", "health_green"))


def build(data: ReportData, colours: dict[str, str]) -> Section:
    blocks: list[Block] = []
    series = data.table("timeseries", "variant", "month", *(column for _, column in BANDS))
    if series is None:
        blocks.append(note("No health counts over time in these results, so the health mix is not shown."))
    else:
        blocks.append(_mix_chart(series, data.variants, data.scenario.warmup_months))
    customers = data.table("customers", "variant", "replication", "final_engagement", "final_value")
    if customers is None:
        blocks.append(note("No per-customer engagement and value in these results, so their comparison is not shown."))
    else:
        blocks.append(_engagement_vs_value(customers, data.variants, colours))
    return Section("health", "Customer health", blocks)


def health_shares(series: pd.DataFrame) -> pd.DataFrame:
    """Mean share of customers in each band per variant and month (shares sum to 1)."""
    columns = [column for _, column in BANDS]
    means = series.groupby(["variant", "month"], sort=True)[columns].mean()
    total = means.sum(axis=1).replace(0, math.nan)
    return means.div(total, axis=0).fillna(0.0).reset_index()


def _mix_chart(series: pd.DataFrame, variants: list[str], warmup: float) -> Block:
    shares = health_shares(series)
    cols = min(len(variants), 3)
    rows = math.ceil(len(variants) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_yaxes=True,
        subplot_titles=[plot_text(v) for v in variants],
        vertical_spacing=0.18 / rows,
        horizontal_spacing=0.04,
    )
    for i, variant in enumerate(variants):
        part = shares[shares["variant"] == variant]
        where = {"row": i // cols + 1, "col": i % cols + 1}
        for band, column in BANDS:
            fig.add_trace(
                go.Scatter(
                    x=part["month"].tolist(),
                    y=(part[column] * 100).tolist(),
                    stackgroup=f"s{i}",
                    name=band.capitalize(),
                    legendgroup=band,
                    showlegend=i == 0,
                    mode="lines",
                    line={"width": 0.5, "color": HEALTH_COLOURS[band]},
                    fillcolor=HEALTH_COLOURS[band],
                ),
                **where,
            )
        if warmup > 0:
            fig.add_vline(x=warmup, line_dash="dot", line_color="#333", **where)
    style_figure(fig, "Health mix over time (mean over replications)", height=300 + 230 * rows)
    fig.update_yaxes(range=[0, 100], title_text="% of active customers", col=1)
    fig.update_xaxes(title_text="month", row=rows)
    caption = "Each panel is one option; the dotted line ends the warm-up, which metrics exclude."
    return chart("chart-health-mix", fig, caption)


def end_state(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers live at the end of the run (signed, onboarded, not churned): the dots
    are "at the end", and a churned customer's final engagement and value are those of the
    day it left (older tables without the columns: every customer)."""
    if {"churned", "live_day"} <= set(customers.columns):
        churned = truth(customers["churned"]).fillna(False).astype(bool)
        return customers[~churned & customers["live_day"].notna()]
    return customers


def _engagement_vs_value(customers: pd.DataFrame, variants: list[str], colours: dict[str, str]) -> Block:
    customers = end_state(customers)
    runs = customers.groupby(["variant", "replication"], sort=True)[["final_engagement", "final_value"]].mean()
    runs = runs.reset_index()
    fig = go.Figure()
    for variant in variants:
        part = runs[runs["variant"] == variant]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=(part["final_engagement"] * 100).tolist(),
                y=(part["final_value"] * 100).tolist(),
                mode="markers",
                name=plot_text(variant),
                marker={
                    "color": colours[variant],
                    "symbol": variant_symbol(variant, colours),
                    "size": 9,
                    "opacity": 0.8,
                    "line": {"width": 0.5, "color": "white"},
                },
            ),
        )
    style_figure(fig, "Engagement score vs value realised (one dot per replication)", height=420)
    fig.update_xaxes(title_text="engagement score at the end (%)")
    fig.update_yaxes(title_text="value realised at the end (%)")
    caption = (
        "Means over the customers live at the end of each replication (churned ones left out). Right: higher "
        "engagement score; up: customers use more of the features they bought for. The tables' value realised "
        "averages the whole measured period instead, so it differs a little. "
        "A plan that moves dots right but not up is buying engagement, not outcomes."
    )
    return chart("chart-engagement-value", fig, caption)
