"""The product section of a scenario: the features customers may adopt."""

from __future__ import annotations

from pydantic import Field

from simulator.scenario.distributions import Gamma, Hours
from simulator.scenario.health import MAX_WEIGHT
from simulator.scenario.strict import Probability, Strict


class Feature(Strict):
    """A product capability a customer may adopt."""

    engagement_weight: float = Field(
        default=0.25,
        ge=0,
        le=MAX_WEIGHT,
        description="Weight of this feature in the engagement score (weights are normalised; at most 1000).",
    )
    stickiness: float = Field(
        default=0.2, ge=0, le=5, description="How much adopting it lowers renewal churn (log-odds), wanted or not."
    )
    guidance_hours: Hours = Field(
        default=Gamma(mean_value=2.0, cv=0.5), description="CSM hours to guide adoption of this feature."
    )
    self_serve: Probability = Field(
        default=0.1, description="Chance a customer adopts it without human help when a need for it passes unmet."
    )


def _default_features() -> dict[str, Feature]:
    sticky = {"engagement_weight": 0.35, "stickiness": 0.6, "guidance_hours": 2.0, "self_serve": 0.10}
    valuable = {"engagement_weight": 0.15, "stickiness": 0.1, "guidance_hours": 3.0, "self_serve": 0.05}
    return {name: Feature.model_validate(sticky if name in "AB" else valuable) for name in "ABCD"}


class Product(Strict):
    """The product's features (e.g. A, B sticky and heavily scored; C, D valuable, not sticky)."""

    features: dict[str, Feature] = Field(
        default_factory=_default_features, description="Features keyed by name.", min_length=1
    )
