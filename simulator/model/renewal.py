"""Renewal at each term end: churn, then expansion or contraction, as logistic functions.

Every probability is ``logistic(logit(base) + effects)`` where each effect is zero for a
customer at the reference state, so with all effects at 0 churn is exactly
``base_churn`` per renewal (the geometric-survival validation relies on this). The
uniforms come from the caller, pre-drawn per customer and renewal, so a renewal's luck
does not depend on staffing (common random numbers).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from simulator.scenario.schema import Renewal

_EDGE = 1e-12


def logit(p: float) -> float:
    p = min(max(p, _EDGE), 1 - _EDGE)
    return math.log(p / (1 - p))


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class RenewalOutcome(NamedTuple):
    arr_after: float
    churned: bool


class RenewalRules:
    """Churn, expansion and contraction chances of one segment."""

    __slots__ = ("_base", "_con", "_exp", "spec")

    def __init__(self, spec: Renewal) -> None:
        self.spec = spec
        self._base = logit(spec.base_churn)
        self._exp = logit(spec.expansion_prob)
        self._con = logit(spec.contraction_prob)

    def churn_probability(self, stickiness: float, value: float, responsiveness: float, relationship: float) -> float:
        """Chance of churning at this renewal, from the customer's state (all shares in [0, 1])."""
        s = self.spec
        if s.base_churn <= 0 or s.base_churn >= 1:
            return s.base_churn
        x = (
            self._base
            - s.stickiness_effect * stickiness
            + s.value_effect * (s.reference - value)
            + s.responsiveness_effect * (s.reference - responsiveness)
            + s.relationship_effect * (s.reference - relationship)
        )
        return logistic(x)

    def change_probabilities(self, value: float) -> tuple[float, float]:
        """(expansion, contraction) chances of a retained customer; their sum is capped at 1."""
        s = self.spec
        grow = 0.0 if s.expansion_prob <= 0 else logistic(self._exp + s.expansion_value_effect * (value - s.reference))
        shrink = (
            0.0 if s.contraction_prob <= 0 else logistic(self._con + s.contraction_value_effect * (s.reference - value))
        )
        if grow + shrink > 1:
            grow, shrink = grow / (grow + shrink), shrink / (grow + shrink)
        return grow, shrink

    def outcome(
        self, arr: float, churn_p: float, value: float, u_churn: float, u_change: float, u_size: float
    ) -> RenewalOutcome:
        """Apply one renewal with pre-drawn uniforms: churn, else expand / contract / flat.

        Sizes are exponential with the configured mean share (``-mean * log(u)``);
        contraction is capped at 90% of ARR (a customer cutting more than that churns in
        practice, and churn is modelled separately).
        """
        if u_churn < churn_p:
            return RenewalOutcome(0.0, True)
        grow, shrink = self.change_probabilities(value)
        size = -math.log(max(u_size, _EDGE))
        if u_change < grow:
            return RenewalOutcome(arr * (1 + self.spec.expansion_size * size), False)
        if u_change < grow + shrink:
            return RenewalOutcome(arr * (1 - min(0.9, self.spec.contraction_size * size)), False)
        return RenewalOutcome(arr, False)
