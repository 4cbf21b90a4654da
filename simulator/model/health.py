"""Customer health: engagement, value realised, responsiveness, relationship, and bands.

Each component is in [0, 1] and O(1) to compute from the customer's state:

- engagement: the normalised engagement weights of the features it uses (the vendor's
  score, which counts features whether the customer wanted them or not);
- value realised: share of the features it bought for that it uses;
- responsiveness: share of its recent needs (arisen within ``responsiveness_days``) that
  were met inside their window; ``responsiveness_prior`` when it has none;
- relationship: ``exp(-days since human contact / relationship_days)``; 0 if never.

Health is their weighted average; bands are Red below ``red_below`` and Green from
``green_from``. *Satisfaction* is health without engagement: the customer's own view,
which the decision point uses as the scale of customer benefit.
"""

from __future__ import annotations

import math

from simulator.model.customer import Customer
from simulator.model.features import FeatureSet
from simulator.scenario.schema import Health

RED, YELLOW, GREEN = "red", "yellow", "green"


class HealthRules:
    """The scenario's health weights, bands and decay constants."""

    __slots__ = ("features", "green_from", "prior", "red_below", "rel_days", "resp_days", "sat_weights", "weights")

    def __init__(self, spec: Health, features: FeatureSet) -> None:
        w = spec.weights
        total = w.engagement + w.value + w.responsiveness + w.relationship
        self.weights = (w.engagement / total, w.value / total, w.responsiveness / total, w.relationship / total)
        own = w.value + w.responsiveness + w.relationship
        self.sat_weights = (w.value / own, w.responsiveness / own, w.relationship / own) if own > 0 else (1.0, 0.0, 0.0)
        self.red_below = spec.red_below
        self.green_from = spec.green_from
        self.resp_days = spec.responsiveness_days
        self.rel_days = spec.relationship_days
        self.prior = spec.responsiveness_prior
        self.features = features

    def engagement(self, c: Customer) -> float:
        return self.features.engagement(c.adopted)

    def responsiveness(self, c: Customer, now: float) -> float:
        recent = c.recent
        if recent and recent[0][0] < now - self.resp_days:  # something to forget
            c.forget_before(now - self.resp_days)
        return c.recent_jit / len(recent) if recent else self.prior

    def relationship(self, c: Customer, now: float) -> float:
        return math.exp(-(now - c.last_contact) / self.rel_days) if c.last_contact > -math.inf else 0.0

    def components(self, c: Customer, now: float) -> tuple[float, float, float, float]:
        """(engagement, value, responsiveness, relationship) at ``now``."""
        return self.engagement(c), c.value, self.responsiveness(c, now), self.relationship(c, now)

    def score(self, c: Customer, now: float) -> float:
        e, v, r, rel = self.components(c, now)
        we, wv, wr, wrel = self.weights
        return we * e + wv * v + wr * r + wrel * rel

    def band(self, score: float) -> str:
        if score < self.red_below:
            return RED
        return GREEN if score >= self.green_from else YELLOW

    def satisfaction_gain(self, c: Customer, value_gain: float, jit_gain: float, contact: bool, now: float) -> float:
        """Expected rise of the customer's satisfaction (health without engagement).

        ``value_gain`` is the expected rise in value realised, ``jit_gain`` 1 when the
        action meets a need inside its window (raising responsiveness by the share one
        more on-time need adds), ``contact`` whether it is human contact.
        """
        wv, wr, wrel = self.sat_weights
        gain = wv * value_gain
        if jit_gain:
            recent = c.recent
            if recent:
                c.forget_before(now - self.resp_days)
            n = len(recent) if recent else 0
            resp = c.recent_jit / n if n else self.prior
            gain += wr * jit_gain * (1.0 - resp) / (n + 1)
        if contact and c.last_contact > -math.inf:
            gain += wrel * (1.0 - math.exp(-(now - c.last_contact) / self.rel_days))
        elif contact:
            gain += wrel
        return gain
