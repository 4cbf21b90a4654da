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

# Okabe-Ito, readable by colour-blind readers; past it a sequential ramp (sweeps are ordered).
QUALITATIVE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#882255")
SEQUENTIAL = ("#440154", "#3b528b", "#21918c", "#5ec962", "#b5a615")
HEALTH_COLOURS = {"red": "#c0392b", "yellow": "#e6b422", "green": "#2e8b57"}
NEUTRAL = "#34495e"
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
    """One colour per variant for the whole page; ``ordered`` (a sweep) uses a ramp."""
    if not ordered and len(variants) <= len(QUALITATIVE):
        return {v: QUALITATIVE[i] for i, v in enumerate(variants)}
    n = max(len(variants) - 1, 1)
    return {v: _ramp(i / n) for i, v in enumerate(variants)}


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


def add_band(fig: go.Figure, frame: pd.DataFrame, x: str, *, name: str, colour: str, **where: Any) -> None:
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
            line={"color": colour, "width": 2},
        ),
        **where,
    )


def shade_warmup(fig: go.Figure, warmup_months: float) -> None:
    """Grey out the warm-up months, which no metric counts."""
    if warmup_months > 0:
        fig.add_vrect(
            x0=0,
            x1=warmup_months,
            fillcolor="#888",
            opacity=0.12,
            line_width=0,
            annotation_text="warm-up",
            annotation_position="top left",
        )


def embed(chart: Chart, *, include_plotlyjs: bool) -> str:
    """The chart as an HTML fragment; plotly.js itself is inlined only when asked (first chart)."""
    return str(
        pio.to_html(
            chart.figure,
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
    """One :func:`add_band` per variant, in the scenario's order (legend order follows)."""
    for variant in variants:
        part = frame[frame["variant"] == variant]
        if not part.empty:
            add_band(fig, part, x, name=plot_text(variant), colour=colours[variant], **where)


def error_bars(mean: pd.Series, low: pd.Series, high: pd.Series, scale: float = 1.0) -> dict[str, Any]:
    """Asymmetric whiskers from interval columns; a missing interval draws no whisker."""
    return {
        "type": "data",
        "symmetric": False,
        "array": ((high - mean) * scale).fillna(0).tolist(),
        "arrayminus": ((mean - low) * scale).fillna(0).tolist(),
    }


def reference_line(
    fig: go.Figure, y: float, text: str, *, colour: str = "#a1261c", position: str = "top left", **where: Any
) -> None:
    """A labelled dashed horizontal line (a target, a rule of thumb), readable in print."""
    fig.add_hline(y=y, line_dash="dash", line_color=colour, annotation_text=text, annotation_position=position, **where)


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
            error_y=error_bars(stats["mean"], stats["low"], stats["high"], 100),
        )
    )
