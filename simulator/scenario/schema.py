"""The scenario file's schema: every parameter of the model, with its default and meaning.

The top-level :class:`Scenario` composes the section models, each in its own module
(product, segments, teams, health, compensation, experiment_spec, all deriving from
:class:`~simulator.scenario.strict.Strict`), and every public name is re-exported here so
``from simulator.scenario.schema import X`` is the one import the other layers need.
Descriptions flow into ``cssim schema`` and into docs/scenarios.md. Units are in the field
names or descriptions; the model's clock is days, converted from months at use
(:data:`DAYS_PER_MONTH`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, model_validator

from simulator.scenario.compensation import LOWER_IS_BETTER, Compensation, Component, Curve, Gate, Measure, MetricName
from simulator.scenario.distributions import Exponential, Fixed, Gamma, Lognormal
from simulator.scenario.experiment_spec import (
    MAX_SWEEP_POINTS,
    SEGMENT_METRICS,
    TARGET_METRICS,
    TEAM_METRICS,
    Sweep,
    SweepRange,
    Target,
    TargetText,
    Variant,
    segment_metric,
    team_metric,
)
from simulator.scenario.health import Health, HealthWeights, Nps
from simulator.scenario.product import Feature, Product
from simulator.scenario.segments import MAX_CUSTOMERS, Renewal, Segment
from simulator.scenario.strict import Probability, Share, Strict
from simulator.scenario.teams import (
    CSM_FIELDS,
    HUMAN_COVERAGE,
    MAX_CSMS,
    CsmDefaults,
    DigitalTeam,
    NamedTeam,
    PooledTeam,
    Team,
)

DAYS_PER_MONTH = 365.25 / 12
"""The one conversion between the scenario's months and the clock's days."""


def _default_segments() -> dict[str, Segment]:
    return {"customers": Segment()}


def _default_teams() -> dict[str, Any]:
    return {"pool": PooledTeam()}


class Scenario(Strict):
    """A whole planning question: the business, its CS organisation and the plan to test."""

    name: str = Field(
        default="Untitled scenario", min_length=1, max_length=200, description="Shown as the report's title."
    )
    description: str = Field(default="", max_length=20000, description="The question this scenario answers.")
    horizon_months: float = Field(default=36, ge=1, le=240, description="Simulated months (after time 0).")
    warmup_months: float = Field(default=6, ge=0, le=239, description="Months excluded from every metric.")
    replications: int = Field(default=20, ge=1, le=10_000, description="Independent replications per variant.")
    seed: int = Field(default=2027, ge=0, le=2**63 - 1, description="Root seed of every random stream.")
    product: Product = Field(default_factory=Product, description="The product.")
    segments: dict[str, Segment] = Field(
        default_factory=_default_segments, description="Customer segments keyed by name.", min_length=1
    )
    teams: dict[str, Team] = Field(default_factory=_default_teams, description="CS teams keyed by name.", min_length=1)
    csm: CsmDefaults = Field(default_factory=CsmDefaults, description="Defaults for every team's CSMs.")
    health: Health = Field(default_factory=Health, description="Health score and bands.")
    nps: Nps = Field(default_factory=Nps, description="NPS surveys.")
    compensation: Compensation = Field(default_factory=Compensation, description="The incentive plan.")
    targets: list[TargetText] = Field(
        default_factory=list, description="Goals such as 'grr >= 0.92', or 'grr@smb >= 0.88' for one segment."
    )
    variants: list[Variant] = Field(default_factory=list, description="Options compared against the base.")
    sweep: Sweep | None = Field(default=None, description="One path over several values.")

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        """Cross-field rules; the loader validates with ``context={"cross_checks": False}`` and
        runs :func:`~simulator.scenario.checks.problems_of` itself, to give each its own line."""
        from simulator.scenario.checks import cross_check

        if (info.context or {}).get("cross_checks", True):
            cross_check(self)
        return self

    # ---- resolved views the model uses (no logic beyond inheritance)

    @property
    def horizon_days(self) -> float:
        return self.horizon_months * DAYS_PER_MONTH

    @property
    def warmup_days(self) -> float:
        return self.warmup_months * DAYS_PER_MONTH

    def parsed_targets(self) -> list[Target]:
        return [Target.parse(t) for t in self.targets]

    def csm_for(self, team: str) -> CsmDefaults:
        """The CSM parameters of ``team``: its overrides on top of ``csm``."""
        spec = self.teams[team]
        own = {k: getattr(spec, k) for k in CSM_FIELDS if getattr(spec, k, None) is not None}
        return self.csm.model_copy(update=own)

    def compensation_for(self, team: str) -> Compensation:
        own = getattr(self.teams[team], "compensation", None)
        return own if own is not None else self.compensation

    def segments_of(self, team: str) -> dict[str, Segment]:
        return {name: seg for name, seg in self.segments.items() if seg.team == team}

    def desired_probs(self, segment: str) -> dict[str, float]:
        """Chance per feature that a customer of ``segment`` bought for it."""
        seg = self.segments[segment]
        if not seg.desired:
            return {f: 0.5 for f in self.product.features}
        return {f: seg.desired.get(f, 0.0) for f in self.product.features}


__all__ = [
    "DAYS_PER_MONTH", "HUMAN_COVERAGE", "LOWER_IS_BETTER", "MAX_CSMS", "MAX_CUSTOMERS", "MAX_SWEEP_POINTS",
    "SEGMENT_METRICS", "TARGET_METRICS", "TEAM_METRICS",
    "Compensation", "Component", "CsmDefaults", "Curve", "DigitalTeam", "Exponential", "Feature",
    "Fixed", "Gamma", "Gate", "Health", "HealthWeights", "Lognormal", "Measure", "MetricName", "NamedTeam", "Nps",
    "PooledTeam", "Probability", "Product", "Renewal", "Scenario", "Segment", "Share", "Strict", "Sweep",
    "SweepRange", "Target", "TargetText", "Team", "Variant", "segment_metric", "team_metric",
]  # fmt: skip
