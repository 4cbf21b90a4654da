"""The health and nps sections of a scenario: the health score, its bands, and NPS surveys."""

from __future__ import annotations

from pydantic import Field, model_validator

from simulator.scenario.strict import Probability, Share, Strict

MAX_WEIGHT = 1000
"""The largest weight of a health component or a feature's engagement: only their ratios
matter (they are normalised by their sum), and at 1e308 the sum overflowed to infinity and
made every customer Red."""


class HealthWeights(Strict):
    """Weights of the health components (normalised by their sum; each at most 1000)."""

    engagement: float = Field(
        default=0.3, ge=0, le=MAX_WEIGHT, description="Weight of engagement (weighted adopted features)."
    )
    value: float = Field(
        default=0.4, ge=0, le=MAX_WEIGHT, description="Weight of value realised (share of desired features adopted)."
    )
    responsiveness: float = Field(
        default=0.2, ge=0, le=MAX_WEIGHT, description="Weight of responsiveness (recent needs met in their window)."
    )
    relationship: float = Field(
        default=0.1, ge=0, le=MAX_WEIGHT, description="Weight of relationship (recency of human contact)."
    )

    @model_validator(mode="after")
    def _positive_sum(self) -> HealthWeights:
        if self.engagement + self.value + self.responsiveness + self.relationship <= 0:
            raise ValueError("health weights must have a positive sum, got all 0")
        return self


class Health(Strict):
    """The customer health score and its Red / Yellow / Green bands."""

    weights: HealthWeights = Field(default_factory=HealthWeights, description="Component weights.")
    red_below: Share = Field(default=0.4, description="Health below this is Red.")
    green_from: Share = Field(default=0.7, description="Health at or above this is Green.")
    responsiveness_days: float = Field(
        default=180, gt=0, le=3650, description="Needs that arose within this many days count as recent."
    )
    relationship_days: float = Field(
        default=60, gt=0, le=3650, description="Relationship decays as exp(-days since human contact / this)."
    )
    responsiveness_prior: Share = Field(default=0.5, description="Responsiveness of a customer with no recent needs.")

    @model_validator(mode="after")
    def _bands_ordered(self) -> Health:
        if self.red_below >= self.green_from:
            raise ValueError(f"red_below ({self.red_below}) must be less than green_from ({self.green_from})")
        return self


class Nps(Strict):
    """Periodic NPS surveys; answers rise with value realised and responsiveness."""

    every_months: float = Field(default=6, gt=0, le=120, description="Months between surveys of each customer.")
    response_rate: Probability = Field(default=0.3, description="Chance a surveyed customer answers.")
    base: float = Field(default=5.5, ge=0, le=10, description="Mean answer (0-10) at value and responsiveness 0.")
    value_effect: float = Field(default=3.5, ge=0, le=10, description="Points added at full value realised.")
    responsiveness_effect: float = Field(default=1.5, ge=0, le=10, description="Points added at full responsiveness.")
    noise_sd: float = Field(default=1.5, ge=0, le=10, description="Standard deviation of an answer around its mean.")
