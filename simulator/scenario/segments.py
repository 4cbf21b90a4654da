"""The segments section of a scenario: who the customers are, what they need, how they renew."""

from __future__ import annotations

from pydantic import Field

from simulator.scenario.distributions import Days, Fixed, Gamma, Hours, Lognormal, Money
from simulator.scenario.strict import Probability, Share, Strict

MAX_CUSTOMERS = 10_000_000


class Renewal(Strict):
    """What happens at each term end.

    Churn probability is ``logistic(logit(base_churn) - stickiness_effect * sum(adopted
    stickiness) + value_effect * (reference - value) + responsiveness_effect * (reference -
    responsiveness) + relationship_effect * (reference - relationship))``: with every effect
    at 0 churn is exactly ``base_churn`` per renewal, the geometric-survival check.
    """

    base_churn: Probability = Field(
        default=0.10, description="Churn chance per renewal for a customer at the reference state."
    )
    stickiness_effect: float = Field(
        default=1.0, ge=0, le=20, description="Log-odds of churn removed per unit of adopted stickiness."
    )
    value_effect: float = Field(
        default=2.5, ge=0, le=20, description="Log-odds of churn added per unit of value realised below the reference."
    )
    responsiveness_effect: float = Field(
        default=1.0, ge=0, le=20, description="Log-odds of churn added per unit of responsiveness below the reference."
    )
    relationship_effect: float = Field(
        default=0.5, ge=0, le=20, description="Log-odds of churn added per unit of relationship below the reference."
    )
    reference: Share = Field(
        default=0.5, description="Value, responsiveness and relationship at which churn equals base_churn."
    )
    expansion_prob: Probability = Field(
        default=0.20, description="Chance of expansion at renewal for a retained customer at the reference state."
    )
    expansion_size: Share = Field(default=0.20, description="Mean expansion as a share of ARR.")
    expansion_value_effect: float = Field(
        default=2.0,
        ge=0,
        le=20,
        description="Log-odds of expansion added per unit of value realised above the reference.",
    )
    contraction_prob: Probability = Field(
        default=0.08, description="Chance of contraction at renewal for a retained customer at the reference state."
    )
    contraction_size: Share = Field(default=0.25, description="Mean contraction as a share of ARR.")
    contraction_value_effect: float = Field(
        default=2.0,
        ge=0,
        le=20,
        description="Log-odds of contraction added per unit of value realised below the reference.",
    )


class Segment(Strict):
    """A group of customers with shared economics, needs and coverage."""

    team: str = Field(default="pool", description="Name of the team (in `teams`) that covers this segment.")
    initial_customers: int = Field(default=100, ge=0, le=MAX_CUSTOMERS, description="Live customers at time 0.")
    new_per_month: float = Field(default=5.0, ge=0, le=1_000_000, description="Mean new signings per month (Poisson).")
    arr: Money = Field(default=Lognormal(median=30000, sigma=0.6), description="ARR of a customer at signing, USD.")
    contract_months: int = Field(default=12, ge=1, le=120, description="Contract term; renewal at each term end.")
    desired: dict[str, Probability] = Field(
        default_factory=dict,
        description=(
            "Chance a customer bought for each feature (its desired outcome); unlisted features 0. "
            "Empty: 0.5 for every feature."
        ),
    )
    initial_adoption: Share = Field(
        default=0.5, description="Share of desired features an initial (already live) customer has adopted at time 0."
    )
    needs_per_month: float = Field(
        default=0.5, ge=0, le=100, description="Rate at which a live customer becomes ready for guidance."
    )
    desired_need_share: Share = Field(
        default=0.8,
        description="Share of adoption needs that concern a feature the customer bought for (while any is unadopted).",
    )
    problem_share: Share = Field(
        default=0.25,
        description="Share of needs that are problems with an adopted feature rather than readiness to adopt one.",
    )
    need_window_days: float = Field(
        default=14, gt=0, le=3650, description="Just-in-time window: guidance started within it is on time."
    )
    need_expiry_days: float | None = Field(
        default=60, gt=0, description="An unmet need lapses this long after it arises (null: never, as in M/M/c)."
    )
    late_adoption_factor: Share = Field(
        default=0.5, description="Adoption chance of late guidance relative to guidance in the window."
    )
    guided_adoption: Probability = Field(default=0.8, description="Adoption chance of guidance within the window.")
    raise_prob: Probability = Field(default=0.5, description="Chance the customer raises a need itself.")
    signal_prob: Probability = Field(
        default=0.2, description="Chance product-usage signals reveal a need (0 without such tooling)."
    )
    checkin_detect_prob: Probability = Field(
        default=0.7, description="Chance a named CSM's check-in finds a latent need."
    )
    problem_hours: Hours = Field(
        default=Gamma(mean_value=1.0, cv=0.5), description="CSM hours to resolve a problem need."
    )
    onboarding_hours: Hours = Field(
        default=Gamma(mean_value=10.0, cv=0.5), description="CSM hours to onboard a new customer."
    )
    launch_days: Days = Field(
        default=Fixed(value=14), description="Minimum days from signing to live, whatever the CSM hours."
    )
    problem_drop_prob: Probability = Field(
        default=0.3, description="Chance a customer stops using a feature when its problem need passes unresolved."
    )
    signal_delay_days: float = Field(
        default=3, ge=0, le=365, description="Days from a need arising to usage signals revealing it."
    )
    push_adoption: Probability = Field(
        default=0.3, description="Adoption chance when a CSM pushes a wanted feature at a check-in or QBR."
    )
    undesired_adoption_factor: Share = Field(
        default=0.4, description="Adoption chance of a feature the customer did not buy for, relative to a wanted one."
    )
    renewal: Renewal = Field(default_factory=Renewal, description="Renewal behaviour.")
