"""Section 2: retention and revenue: who stays, and what the book is worth over time."""

from __future__ import annotations

import plotly.graph_objects as go

from simulator.report.bands import NON_NEGATIVE, band
from simulator.report.charts import add_variant_bands, error_bars, new_figure, plot_text, shade_warmup
from simulator.report.formats import metric_info
from simulator.report.page import Block, Section, Table, chart, note
from simulator.report.sections.comparison import metric_row
from simulator.report.source import ReportData
from simulator.scenario.schema import segment_metric

RETENTION = ("logo_retention", "grr", "nrr")
SEGMENT_ROWS = ("grr", "nrr", "logo_retention", "jit_share", "p90_time_to_guidance_days")
"""Each segment's rows in the by-segment table (``summary.csv`` has a few more per segment)."""


def build(data: ReportData, colours: dict[str, str]) -> Section:
    blocks: list[Block] = [_retention_bars(data, colours)]
    by_segment = segment_table(data)
    if by_segment is not None:
        blocks.append(by_segment)
    series = data.table("timeseries", "variant", "replication", "month")
    if series is None:
        blocks.append(note("No monthly time series in these results, so ARR and customers over time are not shown."))
        return Section("retention", "Retention and revenue", blocks)
    for column, title, axis in (
        ("arr_usd", "ARR over time", "ARR (USD)"),
        ("active_customers", "Active customers over time", "customers"),
    ):
        if column in series.columns:
            fig = new_figure(title, "month", axis)
            add_variant_bands(
                fig, band(series, ["variant", "month"], column, within=NON_NEGATIVE), "month", data.variants, colours
            )
            shade_warmup(fig, data.scenario.warmup_months)
            blocks.append(chart(f"chart-{column}", fig, "Lines are means over replications; bands their 95% interval."))
    return Section("retention", "Retention and revenue", blocks)


def _retention_bars(data: ReportData, colours: dict[str, str]) -> Block:
    summary = data.tables["summary"]
    present = [m for m in RETENTION if m in set(summary["metric"])]
    if not present:
        return note("The summary has no retention metrics (logo_retention, grr, nrr).")
    fig = new_figure("Retention per year, by option", "", "% per year")
    labels = [metric_info(m).label for m in present]
    for variant in data.variants:
        rows = summary[summary["variant"] == variant].set_index("metric").reindex(present)
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=(rows["mean"] * 100).tolist(),
                name=plot_text(variant),
                mode="markers",
                marker={"color": colours[variant], "size": 11, "symbol": "diamond"},
                error_y={**error_bars(rows["mean"], rows["ci_low"], rows["ci_high"], 100), "thickness": 2, "width": 6},
            )
        )
    fig.update_layout(scattermode="group", scattergap=0.5)
    shown = summary[summary["metric"].isin(present)]
    low, high = float(shown["ci_low"].fillna(shown["mean"]).min()), float(shown["ci_high"].fillna(shown["mean"]).max())
    pad = max((high - low) * 0.15, 0.005)
    fig.update_yaxes(range=[(low - pad) * 100, (high + pad) * 100])  # zoom on the data: bars from 0 would hide it
    caption = (
        "Logo retention counts customers; GRR and NRR count ARR of a 12-month cohort. "
        "Marks: means; whiskers: each option's own 95% interval. Overlapping whiskers do not mean "
        "no difference: every option serves the same customers, replication by replication, so "
        "the paired differences against base in section 1 are far tighter and say which differ."
    )
    return chart("chart-retention", fig, caption)


def segment_table(data: ReportData) -> Table | None:
    """Each segment's own retention and service, side by side across the options.

    The company's figures mix segments of very different coverage: moving SMB to a pool
    moves SMB's retention by more than the company's shows, and a digital segment's fixed
    delays can set the company's P90 time to guidance. None with a single segment
    (its figures are the company's) or results without per-segment metrics.
    """
    summary = data.tables["summary"]
    present = set(summary["metric"])
    names = [name for name in data.scenario.segments if segment_metric("grr", name) in present]
    if len(names) < 2:
        return None
    comparisons = data.table("comparisons")
    rows = [
        metric_row(segment_metric(metric, name), data.variants, summary, comparisons)
        for name in names
        for metric in SEGMENT_ROWS
        if segment_metric(metric, name) in present
    ]
    caption = (
        "Each segment's own figures (summary.csv rows such as grr@" + names[0] + "; a target can name them): mean over "
        f"replications, its 95% interval and (Δ) the paired difference against {data.variants[0]}, coloured as in "
        "section 1."
    )
    return Table("by-segment", caption, ["Segment and metric", *data.variants], rows)
