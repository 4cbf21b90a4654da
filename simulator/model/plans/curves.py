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
    return PayoutCurve(curve, lower_is_better)(value)


class PayoutCurve:
    """A curve with its tier points and slopes worked out once (it is evaluated very often)."""

    __slots__ = ("accelerated", "cap", "sign", "slope", "step", "target", "threshold", "threshold_payout")

    def __init__(self, curve: Curve, lower_is_better: bool = False) -> None:
        self.sign = -1.0 if lower_is_better else 1.0
        self.threshold = self.sign * curve.threshold
        self.target = self.sign * curve.target
        self.cap = self.sign * _cap(curve)
        self.threshold_payout = curve.threshold_payout
        self.step = curve.threshold == curve.target
        self.slope = 0.0 if self.step else (1.0 - curve.threshold_payout) / (self.target - self.threshold)
        self.accelerated = curve.accelerator * self.slope

    def __call__(self, value: float) -> float:
        x = self.sign * value
        if x < self.threshold:
            return 0.0
        if self.step:
            return 1.0
        if x <= self.target:
            return self.threshold_payout + self.slope * (x - self.threshold)
        return 1.0 + self.accelerated * (min(x, self.cap) - self.target)


def max_payout(curve: Curve) -> float:
    """The most the curve can pay (its payout at the cap)."""
    if curve.threshold == curve.target:
        return 1.0
    slope = (1.0 - curve.threshold_payout) / abs(curve.target - curve.threshold)
    return 1.0 + curve.accelerator * slope * abs(_cap(curve) - curve.target)


def _cap(curve: Curve) -> float:
    return curve.target if curve.cap is None else curve.cap
