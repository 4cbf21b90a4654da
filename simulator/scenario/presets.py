"""Named incentive-plan presets, each a small parameter model expanding into plan components.

A preset is data, not behaviour: it only says which metrics of the CSM's book pay and on
which curves. How CSMs respond is derived from those components by the plan-gain rule
(simulator.model.plans.gain), so a new preset here induces behaviour with no new code.
docs/plans.md documents every preset with the seed sentence it models and its defaults.

The curve defaults are calibrated, not round: each puts about 60% of CSM-quarters at or
above target on scenarios/comp_plans.yaml (docs/plans.md section 5 has the measured shares
and how to recalibrate for another book). ``activity`` and ``nps`` keep round defaults:
no target lands them there (every CSM reaches any activity target; a quarter's NPS rests
on a handful of answers).

Each preset's parameters are a frozen pydantic model with ``extra="forbid"``: an unknown
or out-of-range parameter is reported as ``compensation.params.NAME: what is wrong``.
Adding a preset is one class and one registry entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.scenario.schema import Compensation, Component, Curve, Product, Scenario


class Preset(BaseModel):
    """Base of every preset: its parameters, with defaults, and its expansion."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def components(self, product: Product, period_months: int) -> list[Component]:
        raise NotImplementedError


class Tiered(Preset):
    """A preset whose main component has the usual curve parameters.

    Count metrics (activity, contact coverage) start their curves at 0: they are read on
    the period so far, so a threshold above 0 would leave every touch early in a period
    with no gain for the one-step-ahead CSM (docs/plans.md, "myopia").
    """

    metric: ClassVar[str]
    threshold: float = 0.0
    target: float = 1.0
    cap: float | None = None
    threshold_payout: float = Field(default=0.0, ge=0, le=1)
    accelerator: float = Field(default=1.0, ge=0, le=10)

    def curve(self) -> Curve:
        return Curve(
            threshold=self.threshold,
            target=self.target,
            cap=self.cap,
            threshold_payout=self.threshold_payout,
            accelerator=self.accelerator,
        )

    def main(self, weight: float = 1.0) -> Component:
        return Component(metric=self.metric, weight=weight, curve=self.curve())  # type: ignore[arg-type]

    def components(self, product: Product, period_months: int) -> list[Component]:
        return [self.main()]


class SalaryOnly(Preset):
    """No variable pay: every CSM follows customer benefit alone."""

    def components(self, product: Product, period_months: int) -> list[Component]:
        return []


class EngagementAverage(Tiered):
    """Average engagement score of the book."""

    metric = "engagement_average"
    threshold: float = Field(default=0.8, ge=0, le=1)
    target: float = Field(default=0.86, ge=0, le=1)
    cap: float | None = Field(default=0.95, ge=0, le=1)
    accelerator: float = Field(default=1.5, ge=0, le=10)


class EngagementThreshold(Preset):
    """Share of the book over a bar: using any of ``features`` (default), or engagement >= ``level``."""

    share: float = Field(default=0.945, gt=0, le=1, description="Share of the book that must clear the bar (target).")
    threshold: float | None = Field(default=None, ge=0, le=1, description="Share where pay starts (share - 0.2).")
    threshold_payout: float = Field(default=0.5, ge=0, le=1)
    level: float | None = Field(default=None, ge=0, le=1, description="Bar as an engagement score.")
    features: list[str] | None = Field(default=None, min_length=1, description="Bar as using any of these.")

    @model_validator(mode="after")
    def _one_bar(self) -> EngagementThreshold:
        if self.level is not None and self.features is not None:
            raise ValueError("give either level (an engagement score) or features (uses any of them), not both")
        return self

    def curve(self) -> Curve:
        start = max(0.0, round(self.share - 0.2, 9)) if self.threshold is None else self.threshold
        return Curve(threshold=start, target=self.share, threshold_payout=self.threshold_payout)

    def bar(self, product: Product, weight: float = 1.0) -> Component:
        if self.level is not None:
            return Component(metric="engagement_share", level=self.level, weight=weight, curve=self.curve())
        features = self.features or top_weighted(product)
        return Component(metric="adoption_share", features=features, weight=weight, curve=self.curve())

    def components(self, product: Product, period_months: int) -> list[Component]:
        return [self.bar(product)]


class ThresholdPlusActivity(EngagementThreshold):
    """The threshold plus a minimum contact cadence with every account: keep calling customers once they
    clear the bar, the engagement-score article's fix."""

    share: float = Field(default=0.92, gt=0, le=1, description="Share of the book that must clear the bar (target).")
    min_touches: int | None = Field(default=None, ge=1, le=1000, description="Touches per account per period.")
    contact_weight: float = Field(default=0.4, ge=0, le=1)
    contact_threshold: float = Field(default=0.0, ge=0, le=1)
    contact_target: float = Field(default=0.95, ge=0, le=1)

    def components(self, product: Product, period_months: int) -> list[Component]:
        contact = Component(
            metric="contact_coverage",
            min_touches=self.min_touches or period_months,
            weight=self.contact_weight,
            curve=Curve(threshold=self.contact_threshold, target=self.contact_target),
        )
        return [self.bar(product, weight=1.0 - self.contact_weight), contact]


class Nrr(Tiered):
    """Net revenue retention of the renewals due in the period."""

    metric = "nrr"
    threshold: float = Field(default=0.85, ge=0, le=10)
    target: float = Field(default=1.01, ge=0, le=10)
    cap: float | None = Field(default=1.2, ge=0, le=10)
    threshold_payout: float = Field(default=0.5, ge=0, le=1)
    accelerator: float = Field(default=2.0, ge=0, le=10)


class Nps(Tiered):
    """NPS of the period's survey answers from the book, in points (-100..100)."""

    metric = "nps"
    threshold: float = Field(default=0.0, ge=-100, le=100)
    target: float = Field(default=30.0, ge=-100, le=100)
    cap: float | None = Field(default=60.0, ge=-100, le=100)
    threshold_payout: float = Field(default=0.25, ge=0, le=1)


class Activity(Tiered):
    """Touches per account per month."""

    metric = "activity"
    threshold: float = Field(default=0.0, ge=0, le=100)
    target: float = Field(default=1.5, ge=0, le=100)
    cap: float | None = Field(default=3.0, ge=0, le=100)


class CustomerOutcome(Tiered):
    """Value realised on the features each customer bought for, plus just-in-time guidance."""

    metric = "value_realised"
    threshold: float = Field(default=0.85, ge=0, le=1)
    target: float = Field(default=0.94, ge=0, le=1)
    cap: float | None = Field(default=1.0, ge=0, le=1)
    threshold_payout: float = Field(default=0.25, ge=0, le=1)
    accelerator: float = Field(default=1.5, ge=0, le=10)
    jit_weight: float = Field(default=0.3, ge=0, le=1)
    jit_threshold: float = Field(default=0.7, ge=0, le=1)
    jit_target: float = Field(default=0.87, ge=0, le=1)

    def components(self, product: Product, period_months: int) -> list[Component]:
        jit = Component(
            metric="jit_share",
            weight=self.jit_weight,
            curve=Curve(threshold=self.jit_threshold, target=self.jit_target),
        )
        return [self.main(weight=1.0 - self.jit_weight), jit]


class NrrEngagement(Nrr):
    """Composite: NRR of the period's renewals plus the book's average engagement (health)."""

    target: float = Field(default=1.0, ge=0, le=10)
    engagement_weight: float = Field(default=0.4, ge=0, le=1)
    engagement_threshold: float = Field(default=0.75, ge=0, le=1)
    engagement_target: float = Field(default=0.88, ge=0, le=1)

    def components(self, product: Product, period_months: int) -> list[Component]:
        curve = Curve(threshold=self.engagement_threshold, target=self.engagement_target)
        engagement = Component(metric="engagement_average", weight=self.engagement_weight, curve=curve)
        return [self.main(weight=1.0 - self.engagement_weight), engagement]


PRESETS: dict[str, type[Preset]] = {
    "salary_only": SalaryOnly,
    "engagement_average": EngagementAverage,
    "engagement_threshold": EngagementThreshold,
    "threshold_plus_activity": ThresholdPlusActivity,
    "nrr": Nrr,
    "nps": Nps,
    "activity": Activity,
    "customer_outcome": CustomerOutcome,
    "nrr_engagement": NrrEngagement,
}
"""Preset name -> its parameter model (which expands into components)."""


def known_plans() -> list[str]:
    return sorted([*PRESETS, "custom"])


def top_weighted(product: Product) -> list[str]:
    """The most heavily weighted features, taken in weight order until they carry half the weight.

    With the seeds' product (A, B at 0.35; C, D at 0.15) this is [A, B]: "using A or B".
    """
    ranked = sorted(product.features.items(), key=lambda kv: (-kv[1].engagement_weight, kv[0]))
    total = sum(f.engagement_weight for _, f in ranked)
    chosen: list[str] = []
    carried = 0.0
    for name, feature in ranked:
        chosen.append(name)
        carried += feature.engagement_weight
        if carried >= total / 2:
            break
    return chosen


def scored_features(product: Product) -> list[str]:
    """The features that carry the engagement score: :func:`top_weighted`, when each of them
    weighs more than every other feature; none when the weights single nothing out.

    These are the features a plan paid on engagement rewards pushing, so the customers who
    bought for none of them are the ones such a plan can write off (the metric
    ``touches_per_account_month_unscored`` follows them).
    """
    chosen = top_weighted(product)
    rest = [f.engagement_weight for name, f in product.features.items() if name not in chosen]
    if not rest or min(product.features[name].engagement_weight for name in chosen) <= max(rest):
        return []
    return chosen


def expand(compensation: Compensation, product: Product) -> list[Component]:
    """The plan's components: the explicit list, or the preset's expansion of its params."""
    if compensation.components is not None:
        return list(compensation.components)
    preset = PRESETS[compensation.plan].model_validate(compensation.params)
    return preset.components(product, compensation.period_months)


def pays(scenario: Scenario) -> bool:
    """Whether some team with CSMs is on a plan with components (not salary only)."""
    return any(
        team.coverage != "digital" and expand(scenario.compensation_for(name), scenario.product)
        for name, team in scenario.teams.items()
    )


def param_problems(compensation: Compensation, product: Product) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """(key path under ``params``, message, offending value) for each bad preset parameter."""
    if compensation.components is not None or compensation.plan not in PRESETS:
        if compensation.params:
            yield (), f"plan {compensation.plan!r} takes no params (they belong to a preset)", compensation.params
        return
    model = PRESETS[compensation.plan]
    try:
        preset = model.model_validate(compensation.params)
    except ValidationError as exc:
        for err in exc.errors():
            key = tuple(str(p) for p in err["loc"])
            yield key, _message(err, model, compensation.plan), err.get("input")
        return
    for feature in getattr(preset, "features", None) or []:
        if feature not in product.features:
            yield ("features",), f"unknown feature {feature!r} (features: {', '.join(product.features)})", feature
    try:
        preset.components(product, compensation.period_months)
    except ValidationError as exc:
        for err in exc.errors():
            yield (), _message(err, model, compensation.plan), compensation.params


def _message(err: Any, model: type[Preset], plan: str) -> str:
    if err["type"] == "extra_forbidden":
        from difflib import get_close_matches

        names = list(model.model_fields)
        close = get_close_matches(str(err["loc"][-1]), names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown parameter of plan {plan}{hint} (it takes: {', '.join(names) or 'nothing'})"
    return str(err["msg"]).removeprefix("Value error, ")
