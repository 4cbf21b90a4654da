"""Payout curves by hand: every shape, and the edges (at threshold, at target, at cap, beyond)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulator.model.plans.curves import curve_payout, max_payout
from simulator.scenario.schema import Component, Curve

LINEAR = Curve(threshold=0.0, target=1.0)
JUMP = Curve(threshold=0.7, target=0.9, threshold_payout=0.5)
STEP = Curve(threshold=0.9, target=0.9)
ACCELERATED = Curve(threshold=0.5, target=1.0, cap=1.5, accelerator=2.0)
DECELERATED = Curve(threshold=0.0, target=1.0, cap=2.0, accelerator=0.5)
FLAT_ABOVE = Curve(threshold=0.0, target=1.0, cap=2.0, accelerator=0.0)
FASTER_LAUNCH = Curve(threshold=60, target=30, cap=15, threshold_payout=0.25)


@pytest.mark.parametrize(
    ("curve", "value", "expected"),
    [
        (LINEAR, -0.1, 0.0),  # short of the threshold
        (LINEAR, 0.0, 0.0),  # at a zero threshold paying 0
        (LINEAR, 0.5, 0.5),
        (LINEAR, 1.0, 1.0),  # at target
        (LINEAR, 2.0, 1.0),  # no cap given: no upside
        (JUMP, 0.69, 0.0),
        (JUMP, 0.7, 0.5),  # exactly at threshold: the threshold payout
        (JUMP, 0.8, 0.75),
        (JUMP, 0.9, 1.0),
        (JUMP, 1.0, 1.0),
        (STEP, 0.8999, 0.0),
        (STEP, 0.9, 1.0),  # a step pays 1 from the bar on
        (STEP, 1.0, 1.0),
        (ACCELERATED, 0.75, 0.5),  # slope 2 below target
        (ACCELERATED, 1.25, 2.0),  # 1 + 2 x 2 x 0.25
        (ACCELERATED, 1.5, 3.0),  # at cap
        (ACCELERATED, 2.0, 3.0),  # above cap: flat
        (DECELERATED, 1.5, 1.25),
        (DECELERATED, 3.0, 1.5),
        (FLAT_ABOVE, 1.7, 1.0),
    ],
)
def test_higher_is_better_shapes(curve: Curve, value: float, expected: float) -> None:
    assert curve_payout(curve, value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(61, 0.0), (60, 0.25), (45, 0.625), (30, 1.0), (20, 1.25), (15, 1.375), (5, 1.375)],
)
def test_lower_is_better_mirrors_the_curve(days: float, expected: float) -> None:
    # slope below target 0.75 / 30 per day faster; above target the same slope up to the cap at 15 days
    assert curve_payout(FASTER_LAUNCH, days, lower_is_better=True) == pytest.approx(expected)


def test_lower_is_better_step() -> None:
    step = Curve(threshold=30, target=30)
    assert [curve_payout(step, d, lower_is_better=True) for d in (29, 30, 31)] == [1.0, 1.0, 0.0]


def test_max_payout_is_the_payout_at_cap() -> None:
    assert max_payout(ACCELERATED) == pytest.approx(3.0)
    assert max_payout(FASTER_LAUNCH) == pytest.approx(1.375)
    assert max_payout(STEP) == 1.0
    assert max_payout(LINEAR) == 1.0


@given(
    threshold=st.floats(0, 1),
    span=st.floats(0.01, 1),
    upside=st.floats(0, 1),
    threshold_payout=st.floats(0, 1),
    accelerator=st.floats(0, 5),
    a=st.floats(-1, 4),
    b=st.floats(-1, 4),
)
def test_payout_is_monotone_and_bounded(
    threshold: float, span: float, upside: float, threshold_payout: float, accelerator: float, a: float, b: float
) -> None:
    curve = Curve(
        threshold=threshold,
        target=threshold + span,
        cap=threshold + span + upside,
        threshold_payout=threshold_payout,
        accelerator=accelerator,
    )
    low, high = sorted((a, b))
    assert 0.0 <= curve_payout(curve, low) <= curve_payout(curve, high) + 1e-12 <= max_payout(curve) + 2e-12


def test_curve_errors_name_the_values() -> None:
    with pytest.raises(ValidationError, match=r"threshold 0\.8, target 0\.5"):
        Curve(threshold=0.8, target=0.5, cap=0.9)
    with pytest.raises(ValidationError, match="step curve"):
        Curve(threshold=0.9, target=0.9, cap=1.0)


def test_component_checks_curve_direction_against_metric() -> None:
    with pytest.raises(ValidationError, match="speed_to_launch is lower-is-better"):
        Component(metric="speed_to_launch", curve=Curve(threshold=10, target=30))
    with pytest.raises(ValidationError, match="nrr is higher-is-better"):
        Component(metric="nrr", curve=Curve(threshold=1.1, target=1.0, cap=0.9))
    assert Component(metric="speed_to_launch", curve=FASTER_LAUNCH).curve == FASTER_LAUNCH
