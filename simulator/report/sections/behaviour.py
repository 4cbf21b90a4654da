"""Section 6: behaviour: where CSM hours go and which features they push, per option.

This is where the seeds' gaming effects show: under an engagement-paid plan, pushes move
to the heavily weighted sticky features whatever customers bought for; under a threshold
plan, discretionary hours fall once books clear the bar, and CSMs who follow the money touch
the customers who bought for none of the scored features less (the write-off).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from simulator.report.charts import plot_text, style_figure
from simulator.report.formats import format_share
from simulator.report.page import Block, Section, Table, chart, note
from simulator.report.sections.comparison import metric_row
from simulator.report.sections.workload import hours_columns
from simulator.report.source import ReportData
from simulator.scenario.presets import scored_features

ACTIVITY_LABELS = {
    "onboarding": "onboarding", "need": "guiding needs", "checkin": "check-ins", "qbr": "business reviews",
    "renewal": "renewal prep", "session": "one-to-many sessions",
}  # fmt: skip
ACTIVITY_COLOURS = ("#4c72b0", "#55a868", "#8172b2", "#937860", "#da8bc3", "#64b5cd", "#8c8c8c", "#ccb974")
SLACK_COLOUR = "#e0e0e0"


def build(data: ReportData, colours: dict[str, str]) -> Section:
    blocks = [_hours_split(data), _features_pushed(data, colours)]
    attention = attention_table(data)
    if attention is not None:
        blocks.append(attention)
    return Section("behaviour", "CSM behaviour", blocks)


def hours_split(csms: pd.DataFrame) -> pd.DataFrame:
    """Share of available hours per activity and variant, plus ``slack`` (hours not used)."""
    columns = hours_columns(csms)
    totals = csms.groupby("variant")[[*columns, "available_hours"]].sum()
    shares = totals[columns].div(totals["available_hours"].where(totals["available_hours"] > 0), axis=0)
    shares.columns = [c.removeprefix("hours_") for c in columns]
    shares["slack"] = (1 - shares.sum(axis=1)).clip(lower=0)
    return shares


def _hours_split(data: ReportData) -> Block:
    csms = data.measured("csms", "period_start_day", "variant", "available_hours")
    if csms is None or not hours_columns(csms):
        return note("No per-CSM hours by activity in these results, so the split of CSM time is not shown.")
    shares = hours_split(csms).reindex(data.variants).dropna(how="all")
    labels = [plot_text(v) for v in shares.index]
    fig = go.Figure()
    for i, activity in enumerate(shares.columns):
        is_slack = activity == "slack"
        fig.add_trace(go.Bar(
            y=labels, x=(shares[activity] * 100).tolist(), orientation="h",
            name="unused (slack)" if is_slack else plot_text(ACTIVITY_LABELS.get(activity, activity)),
            marker_color=SLACK_COLOUR if is_slack else ACTIVITY_COLOURS[i % len(ACTIVITY_COLOURS)],
        ))  # fmt: skip
    style_figure(fig, "How CSM hours are spent", height=200 + 45 * len(labels))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="% of available productive hours", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return chart("chart-hours", fig, "All CSMs and periods pooled; slack is productive time with no customer work.")


def push_shares(touches: pd.DataFrame) -> pd.DataFrame:
    """Share of proactive touches that pushed each feature (rows: variants; columns: features)."""
    feature = touches["feature"].fillna("").astype(str)
    counts = touches.assign(feature=feature)[feature != ""].groupby(["variant", "feature"]).size().unstack(fill_value=0)
    return counts.div(touches.groupby("variant").size(), axis=0).fillna(0.0)


def _features_pushed(data: ReportData, colours: dict[str, str]) -> Block:
    touches = data.measured("touches", "day", "variant", "feature")
    if touches is None:
        return note("No proactive touches in these results (no named team), so pushed features are not shown.")
    shares = push_shares(touches)
    features = list(data.scenario.product.features)
    features += [f for f in shares.columns if f not in features]
    fig = go.Figure()
    shares = shares.reindex(columns=features, fill_value=0.0)
    for variant in data.variants:
        if variant in shares.index:
            pushed = shares.loc[[variant]].iloc[0]
            fig.add_trace(
                go.Bar(
                    x=[_feature_label(data, f) for f in features],
                    y=(pushed * 100).tolist(),
                    name=plot_text(variant),
                    marker_color=colours[variant],
                )
            )
    style_figure(fig, "Which features CSMs pushed in proactive touches", height=420)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="% of all proactive touches")
    caption = (
        "Features are labelled with their weight in the engagement score and their stickiness: a plan paying "
        "on engagement steers CSMs' pushes towards the heavy, sticky ones, whatever customers bought for. "
        + _unpushed(shares)
    )
    return chart("chart-features", fig, caption)


def _unpushed(shares: pd.DataFrame) -> str:
    """The touches the bars leave out (they pushed no feature), so small bars are read as such."""
    rest = 1.0 - shares.sum(axis=1)
    if rest.empty:
        return ""
    low, high = format_share(float(rest.min())), format_share(float(rest.max()))
    span = low if low == high else f"{low} to {high}"
    return f"The other {span} of proactive touches pushed no feature."


ATTENTION_METRICS = ("touches_per_account_month", "touches_per_account_month_unscored")


def attention_table(data: ReportData) -> Table | None:
    """Who gets proactive touches, per option: all accounts of named teams, and those that
    bought for none of the scored features; None when the summary has neither figure."""
    summary = data.table("summary", "variant", "metric", "mean", "ci_low", "ci_high")
    if summary is None:
        return None
    known = summary[summary["metric"].isin(ATTENTION_METRICS) & summary["mean"].notna()]
    metrics = [m for m in ATTENTION_METRICS if m in set(known["metric"])]
    if not metrics:
        return None
    rows = [metric_row(m, data.variants, summary, data.table("comparisons")) for m in metrics]
    scored = ", ".join(scored_features(data.scenario.product)) or "none"
    caption = (
        "Check-ins, business reviews and quick touches per account-month after go-live, over the measured "
        f"period. Scored features: those that carry the engagement score ({scored}). A plan paid on the "
        "score gains nothing from the customers who bought for none of them, so CSMs who follow the money "
        "can write them off: in each column, compare the second row with the first. Mean over replications, "
        f"95% interval, and (Δ) the paired difference against {data.variants[0]}."
    )
    return Table("attention", caption, ["Who is touched", *data.variants], rows)


def _feature_label(data: ReportData, feature: str) -> str:
    spec = data.scenario.product.features.get(feature)
    if spec is None:
        return plot_text(feature)
    return plot_text(f"{feature} (score weight {spec.engagement_weight:g}, sticky {spec.stickiness:g})")
