"""Section 7: sweep and sizing: each headline metric against the swept value, with target lines."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulator.report.charts import NEUTRAL, TARGET_COLOUR, plot_text, style_figure, translucent
from simulator.report.formats import OP_SYMBOLS, metric_info
from simulator.report.page import Block, Section, chart, note
from simulator.report.sections import sizing
from simulator.report.source import ReportData

SWEEP_METRICS = (
    "grr", "nrr", "logo_retention", "csm_utilization", "p90_time_to_guidance_days", "arr_lost", "comp_cost",
)  # fmt: skip
COLUMNS = 2


def build(data: ReportData, colours: dict[str, str]) -> Section:
    extra = sizing.blocks(data, colours)
    if data.sweep is None:
        return Section("sweep", "Sweep and sizing", [*extra] if extra else [note(no_sweep(data), code=True)])
    return Section("sweep", "Sweep and sizing", [_sweep_chart(data), *extra])


def no_sweep(data: ReportData) -> str:
    """What to run to see outcomes against headcount, with this scenario's own team in the command."""
    teams = [name for name, team in data.scenario.teams.items() if getattr(team, "csms", None) is not None]
    path = f"teams.{teams[0]}.csms" if teams else "teams.TEAM.csms"
    return (
        "This run compares the options listed above, not a range of values, so there is no curve to show. "
        f"To see the outcomes against headcount, add `sweep: {{path: {path}, values: [...]}}` to the scenario; "
        f"for the smallest headcount that meets every target, run `cssim size SCENARIO --vary {path} "
        "--values LO:HI`."
    )


def sweep_metrics(data: ReportData) -> list[str]:
    """Metrics a target names first, then the usual headline ones, if the summary has them."""
    present = set(data.tables["summary"]["metric"])
    targeted = [t.metric for t in data.scenario.parsed_targets()]
    return [m for m in dict.fromkeys([*targeted, *SWEEP_METRICS]) if m in present]


def _sweep_chart(data: ReportData) -> Block:
    assert data.sweep is not None
    metrics = sweep_metrics(data)
    if not metrics:
        return note("The summary has none of the metrics a sweep chart shows.")
    points = [(v, x) for v, x in data.sweep.values.items() if v in data.variants]
    numeric = all(isinstance(x, Number) and not isinstance(x, bool) for _, x in points)
    if numeric:
        points.sort(key=lambda p: float(p[1]))
    rows = math.ceil(len(metrics) / COLUMNS)
    titles = [plot_text(panel_title(data, m)) for m in metrics]
    fig = make_subplots(rows=rows, cols=COLUMNS, subplot_titles=titles, vertical_spacing=0.4 / rows)
    for i, metric in enumerate(metrics):
        _add_metric(fig, data, metric, points, numeric, i // COLUMNS + 1, i % COLUMNS + 1)
    style_figure(fig, plot_text(f"Headline metrics against {data.sweep.axis}"), height=120 + 260 * rows)
    fig.update_layout(showlegend=False)
    fig.update_xaxes(title_text=plot_text(data.sweep.axis), row=rows)
    if numeric and len(points) <= 12:
        fig.update_xaxes(tickvals=[x for _, x in points])  # ticks at the values run, not in between
    caption = "Line: mean over replications; band: 95% interval; dashed: the scenario's targets." + units_note(metrics)
    return chart("chart-sweep", fig, caption)


def panel_title(data: ReportData, metric: str) -> str:
    """A panel's metric, with its targets: said above the panel, not written over its line."""
    info = metric_info(metric)
    bars = [f"{OP_SYMBOLS[t.op]} {info.value(t.value)}" for t in data.scenario.parsed_targets() if t.metric == metric]
    return info.label + (f" (target {', '.join(bars)})" if bars else "")


def units_note(metrics: list[str]) -> str:
    """The units an axis names only in short ("USD/yr"), in full."""
    long = [metric_info(m) for m in metrics]
    said = [f"{info.label} in {info.unit}" for info in long if info.axis_unit not in ("%", info.unit)]
    return f" {'; '.join(said)}." if said else ""


def _add_metric(
    fig: go.Figure, data: ReportData, metric: str, points: list[tuple[str, Any]], numeric: bool, row: int, col: int
) -> None:
    where = {"row": row, "col": col}
    summary = data.tables["summary"]
    info = metric_info(metric)
    rows = summary[summary["metric"] == metric].set_index("variant")
    kept = [(v, x) for v, x in points if v in rows.index]
    xs = [x if numeric else plot_text(x) for _, x in kept]
    scale = 100.0 if info.kind == "share" else 1.0
    stats = rows.loc[[v for v, _ in kept], ["mean", "ci_low", "ci_high"]].astype(float) * scale
    mean, low, high = (stats[c].tolist() for c in ("mean", "ci_low", "ci_high"))
    fig.add_trace(
        go.Scatter(
            x=xs + xs[::-1],
            y=high + low[::-1],
            fill="toself",
            fillcolor=translucent(NEUTRAL),
            mode="none",
            hoverinfo="skip",
            showlegend=False,
        ),
        **where,
    )
    fig.add_trace(go.Scatter(x=xs, y=mean, mode="lines+markers", line={"color": NEUTRAL}, name=info.label), **where)
    fig.update_yaxes(title_text=info.axis_unit, **where)
    for target in data.scenario.parsed_targets():
        if target.metric == metric:
            fig.add_hline(y=target.value * scale, line_dash="dash", line_color=TARGET_COLOUR, row=row, col=col)
