"""The option colours: one per option, far enough apart to tell at a glance, the base always grey."""

from __future__ import annotations

import itertools

import plotly.graph_objects as go
import pytest

from simulator.report.charts import (
    BASE_COLOUR,
    SEQUENTIAL,
    new_figure,
    room_for_legend,
    variant_colours,
    variant_dash,
    variant_symbol,
)

MIN_DELTA_E = 20.0
"""CIE76 distance in CIELAB; about 2 is just noticeable, 20 is told apart without looking twice."""


def lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIELAB (D65)."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        (0.2126 * r + 0.7152 * g + 0.0722 * b) / 1.0,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(lab(a), lab(b), strict=True)) ** 0.5)


def names(n: int) -> list[str]:
    return ["base", *(f"option {i}" for i in range(1, n))]


def test_lab_matches_known_values() -> None:
    assert lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.05)
    assert lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.1)


@pytest.mark.parametrize("n", range(2, 11))
def test_every_option_has_its_own_distinct_colour_up_to_ten(n: int) -> None:
    """With 9 options (comp_plans) the colours came from one purple-to-olive ramp, two of them ΔE 16 apart."""
    colours = variant_colours(names(n))
    assert len(set(colours.values())) == n
    closest = min(delta_e(a, b) for a, b in itertools.combinations(colours.values(), 2))
    assert closest >= MIN_DELTA_E, f"{n} options: two colours only ΔE {closest:.1f} apart"


@pytest.mark.parametrize("n", [2, 4, 7, 8, 9, 10, 14])
@pytest.mark.parametrize("ordered", [False, True])
def test_the_base_is_the_same_grey_however_many_options(n: int, ordered: bool) -> None:
    assert variant_colours(names(n), ordered=ordered)["base"] == BASE_COLOUR


def test_a_sweeps_points_run_along_the_ramp_in_order_after_the_grey_base() -> None:
    colours = variant_colours(names(8), ordered=True)
    points = list(colours.values())[1:]
    assert (points[0], points[-1]) == (SEQUENTIAL[0].lower(), SEQUENTIAL[-1].lower())
    steps = [delta_e(a, b) for a, b in itertools.pairwise(points)]
    assert min(steps) > 0 and min(delta_e(colours["base"], c) for c in points) >= MIN_DELTA_E


@pytest.mark.parametrize("n", [9, 12, 16])
def test_colour_is_not_the_only_cue_dash_and_symbol_differ_too(n: int) -> None:
    """Past the palette colours repeat; a colour with its dash, or with its symbol, never does."""
    colours = variant_colours(names(n))
    dashes = {(colours[v], variant_dash(v, colours)) for v in colours}
    symbols = {(colours[v], variant_symbol(v, colours)) for v in colours}
    assert len(dashes) == len(symbols) == n
    assert variant_dash("base", colours) == "solid" and variant_symbol("base", colours) == "circle"


def test_a_long_legend_gets_its_own_room_below_the_plot() -> None:
    """Nine options and a reference line took five legend rows at 800 px in a fixed 100 px margin:
    the plot shrank until its y-axis title ran into the chart's title."""
    fig = new_figure("t", "month", "y")
    for name in names(10):
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name=name))
    grown = room_for_legend(fig)
    height, margin = grown.layout.height, grown.layout.margin
    assert height - margin.t - margin.b == fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert margin.b >= fig.layout.margin.b + 3 * 21  # 5 rows of 2 at 800 px, 2 of them in the old margin
    few = new_figure("t", "month", "y")
    for name in names(3):
        few.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name=name))
    assert room_for_legend(few).layout.height == few.layout.height
