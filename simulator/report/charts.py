"""Plotly building blocks shared by the sections: colours, layout, bands, embedding.

Every chart is readable without hovering (title, axis titles with units, a legend), uses
one colour per variant across the whole page, and is embedded with a fixed element id so
the same data always gives the same bytes. User-supplied text goes into figures through
:func:`plot_text`, which escapes the characters plotly.js would read as markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# The base is always neutral grey, whatever else the page shows, so the reference reads as one.
BASE_COLOUR = "#5f5f5f"
# Up to 6 other options, Okabe-Ito (without its black and its yellow, faint on white); up to 9,
# Paul Tol's "muted" scheme, also designed to stay apart for colour-blind readers. Past 9 the
# muted colours repeat, and the dash or marker symbol (VARIANT_DASHES, VARIANT_SYMBOLS) tells them apart.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
TOL_MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
# A sweep's points are ordered: a sequential ramp (viridis stops) after the grey base.
SEQUENTIAL = ("#440154", "#3b528b", "#21918c", "#5ec962", "#b5a615")
# A second channel beside colour where many options' lines or dots overlap: the base solid, a circle.
VARIANT_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
# Ten symbols against nine colours: a colour and its symbol repeat together only after 90 options.
VARIANT_SYMBOLS = (
    "circle", "square", "diamond", "triangle-up", "x", "triangle-down", "cross", "star", "pentagon", "hexagon",
)  # fmt: skip
HEALTH_COLOURS = {"red": "#c0392b", "yellow": "#e6b422", "green": "#2e8b57"}
NEUTRAL = "#34495e"
TARGET_COLOUR = "#a1261c"
CONFIG = {"displaylogo": False, "showSendToCloud": False, "responsive": True}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Chart:
    """A figure with its stable element id and a one-sentence reading guide."""

    chart_id: str
    figure: go.Figure
    caption: str = ""


def plot_text(text: object) -> str:
    """Escape ``&``, ``<`` and ``>`` so plotly.js shows user text literally, never as tags."""
    return html.escape(str(text), quote=False)


def variant_colours(variants: Sequence[str], *, ordered: bool = False) -> dict[str, str]:
    """One colour per variant for the whole page: the first (the base) grey, the others from a
    qualitative palette, or for ``ordered`` (a sweep's points) from a ramp in their order."""
    if not variants:
        return {}
    base, others = variants[0], list(variants[1:])
    if ordered:
        n = max(len(others) - 1, 1)
        return {base: BASE_COLOUR} | {v: _ramp(i / n) for i, v in enumerate(others)}
    palette = OKABE_ITO if len(others) <= len(OKABE_ITO) else TOL_MUTED
    return {base: BASE_COLOUR} | {v: palette[i % len(palette)] for i, v in enumerate(others)}


def variant_dash(variant: str, colours: dict[str, str]) -> str:
    """The variant's line dash, by its place on the page (``colours``' order): the base solid."""
    return VARIANT_DASHES[list(colours).index(variant) % len(VARIANT_DASHES)]


def variant_symbol(variant: str, colours: dict[str, str]) -> str:
    """The variant's marker symbol, by its place on the page: the base a circle."""
    return VARIANT_SYMBOLS[list(colours).index(variant) % len(VARIANT_SYMBOLS)]


def _ramp(t: float) -> str:
    stops = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in SEQUENTIAL]
    pos = t * (len(stops) - 1)
    lo = min(int(pos), len(stops) - 2)
    frac = pos - lo
    rgb = [round(a + (b - a) * frac) for a, b in zip(stops[lo], stops[lo + 1], strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def translucent(colour: str, alpha: float = 0.18) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def new_figure(title: str, x_title: str = "", y_title: str = "", *, height: int = 380) -> go.Figure:
    fig = go.Figure()
    style_figure(fig, title, height=height)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def style_figure(fig: go.Figure, title: str, *, height: int = 380) -> None:
    """The page's one chart style: white, light grid, legend below, no plotly template bloat."""
    fig.update_layout(
        template="none",
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 12, "color": "#222"},
        height=height,
        margin={"l": 70, "r": 20, "t": 60, "b": 100},
        paper_bgcolor="white",
        plot_bgcolor="white",
        # Legend pinned to the bottom of the figure (not the plot), so it never covers the x-axis title.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0,
            "traceorder": "normal",
        },
        hovermode="closest",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5", linecolor="#999", zeroline=False, automargin=True)
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5", linecolor="#999", zeroline=False, automargin=True)


def add_band(
    fig: go.Figure, frame: pd.DataFrame, x: str, *, name: str, colour: str, dash: str = "solid", **where: Any
) -> None:
    """A mean line with its shaded 95% interval (``frame`` from :func:`bands.band`)."""
    show = where.pop("showlegend", True)
    xs, low, high = frame[x].tolist(), frame["low"].tolist(), frame["high"].tolist()
    fig.add_trace(
        go.Scatter(
            x=xs + xs[::-1],
            y=high + low[::-1],
            fill="toself",
            fillcolor=translucent(colour),
            mode="none",
            hoverinfo="skip",
            showlegend=False,
            legendgroup=name,
            name=f"{name} 95% interval",
        ),
        **where,
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=frame["mean"].tolist(),
            mode="lines",
            name=name,
            legendgroup=name,
            showlegend=show,
            line={"color": colour, "width": 2, "dash": dash},
        ),
        **where,
    )


def shade_warmup(fig: go.Figure, warmup_months: float) -> None:
    """Grey out the warm-up months, which no metric counts; named in the legend, not over the lines."""
    if warmup_months > 0:
        fig.add_vrect(x0=0, x1=warmup_months, fillcolor="#888", opacity=0.12, line_width=0)
        legend_key(fig, "warm-up (not measured)", "#888", opacity=0.3)


def legend_key(
    fig: go.Figure, text: str, colour: str, *, dash: str | None = None, opacity: float = 1.0, **where: Any
) -> None:
    """A legend entry for a shape (a dashed line if ``dash``, else a shaded square), once per figure.

    A shape's own annotation sits inside the plot, where at 800 px it lands on bars, boxes or
    lines; the legend, below the plot, never covers data.
    """
    if any(getattr(trace, "name", None) == text for trace in fig.data):
        return
    if dash is None:
        marker = {"symbol": "square", "size": 12, "color": colour, "opacity": opacity}
        trace = go.Scatter(x=[None], y=[None], mode="markers", marker=marker, name=text, hoverinfo="skip")
    else:
        line = {"color": colour, "dash": dash, "width": 2}
        trace = go.Scatter(x=[None], y=[None], mode="lines", line=line, name=text, hoverinfo="skip")
    fig.add_trace(trace, **where)


LEGEND_ROW_PX = 21
LEGEND_COLUMNS_NARROW = 2  # entries a row holds on an 800 px screen, names of ~20 characters


def room_for_legend(figure: go.Figure) -> go.Figure:
    """``figure`` grown at the bottom by the rows its legend takes on a narrow screen.

    The legend sits below the plot in a fixed bottom margin; nine options and a reference
    line take five rows at 800 px, which ran over the x-axis title and squeezed the plot
    until its y-axis title rose into the chart's title. The plot keeps its height instead.
    """
    entries = [t for t in figure.data if t.showlegend is not False and t.name]
    if figure.layout.showlegend is False or len(entries) < 2:
        return figure
    rows = -(-len(entries) // LEGEND_COLUMNS_NARROW)
    extra = max(0, rows - 2) * LEGEND_ROW_PX
    if extra == 0:
        return figure
    grown = go.Figure(figure)
    margin = grown.layout.margin.b if grown.layout.margin.b is not None else 100
    grown.update_layout(height=(grown.layout.height or 380) + extra, margin={"b": margin + extra})
    return grown


def embed(chart: Chart, *, include_plotlyjs: bool) -> str:
    """The chart as an HTML fragment; plotly.js itself is inlined only when asked (first chart)."""
    return str(
        pio.to_html(
            room_for_legend(chart.figure),
            full_html=False,
            include_plotlyjs=include_plotlyjs,
            include_mathjax=False,
            div_id=chart.chart_id,
            config=CONFIG,
            default_width="100%",
            validate=True,
        )
    )


def add_variant_bands(
    fig: go.Figure, frame: pd.DataFrame, x: str, variants: Sequence[str], colours: dict[str, str], **where: Any
) -> None:
    """One :func:`add_band` per variant, in the scenario's order (legend order follows), each
    with its own dash as well as its colour: nine lines in one band cannot rest on colour alone."""
    for variant in variants:
        part = frame[frame["variant"] == variant]
        if not part.empty:
            dash = variant_dash(variant, colours)
            add_band(fig, part, x, name=plot_text(variant), colour=colours[variant], dash=dash, **where)


def error_bars(mean: pd.Series, low: pd.Series, high: pd.Series, scale: float = 1.0) -> dict[str, Any]:
    """Asymmetric whiskers from interval columns; a missing interval draws no whisker."""
    return {
        "type": "data",
        "symmetric": False,
        "array": ((high - mean) * scale).fillna(0).tolist(),
        "arrayminus": ((mean - low) * scale).fillna(0).tolist(),
    }


def reference_line(fig: go.Figure, y: float, text: str, *, colour: str = TARGET_COLOUR, **where: Any) -> None:
    """A dashed horizontal line (a target, a rule of thumb), named in the legend (readable in print)."""
    fig.add_hline(y=y, line_dash="dash", line_color=colour, **where)
    legend_key(fig, text, colour, dash="dash", **where)


def share_bars(runs: pd.DataFrame, value: str, variants: Sequence[str], colours: dict[str, str]) -> go.Figure:
    """Bars of a per-run share (0..1) per variant, in percent, with 95% interval whiskers."""
    from simulator.report.bands import SHARE, band

    stats = (
        band(runs, ["variant"], value, within=SHARE)
        .set_index("variant")
        .reindex(list(variants))
        .dropna(subset=["mean"])
    )
    return go.Figure(
        go.Bar(
            x=[plot_text(v) for v in stats.index],
            y=(stats["mean"] * 100).tolist(),
            marker_color=[colours[v] for v in stats.index],
            showlegend=False,
            error_y=error_bars(stats["mean"], stats["low"], stats["high"], 100),
        )
    )
