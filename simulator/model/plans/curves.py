"""Payout curves: a metric value in, a payout share of the component's target out.

A curve is piecewise linear in three tiers, the shape comp plans use (threshold, target,
cap, accelerator). Evaluating it is a pure function of the schema's :class:`Curve`, so the
plan, the gain computation and the tests all read the same rule.

Lower-is-better metrics (speed_to_launch) are handled by mirroring: the value and the
curve's points are negated, which turns ``threshold >= target >= cap`` into the usual
increasing order, so one formula serves both directions.
"""

from __future__ import annotations

from simulator.scenario.schema import Curve


def curve_payout(curve: Curve, value: float, *, lower_is_better: bool = False) -> float:
    """Payout share (1 at target) that ``curve`` attaches to a metric ``value``.

    Short of the threshold: 0. At the threshold: ``threshold_payout``, then linear to 1 at
    the target; past the target ``accelerator`` times that slope up to the cap, flat beyond.
    A step curve (threshold == target) pays 1 from the bar on.
    """
    sign = -1.0 if lower_is_better else 1.0
    x = sign * value
    threshold, target, cap = sign * curve.threshold, sign * curve.target, sign * _cap(curve)
    if x < threshold:
        return 0.0
    if threshold == target:
        return 1.0
    slope = (1.0 - curve.threshold_payout) / (target - threshold)
    if x <= target:
        return curve.threshold_payout + slope * (x - threshold)
    return 1.0 + curve.accelerator * slope * (min(x, cap) - target)


def max_payout(curve: Curve) -> float:
    """The most the curve can pay (its payout at the cap)."""
    if curve.threshold == curve.target:
        return 1.0
    slope = (1.0 - curve.threshold_payout) / abs(curve.target - curve.threshold)
    return 1.0 + curve.accelerator * slope * abs(_cap(curve) - curve.target)


def _cap(curve: Curve) -> float:
    return curve.target if curve.cap is None else curve.cap
