"""The scenario file's schema: every parameter of the model, with its default and meaning.

Frozen pydantic models with ``extra="forbid"``: a typo is an error, never a silently ignored
key. Descriptions flow into ``cssim schema`` and into docs/scenarios.md. Units are in the
field names or descriptions; the model's clock is days, converted from months at use
(:data:`DAYS_PER_MONTH`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from simulator.scenario.distributions import Days, Exponential, Fixed, Gamma, Hours, Lognormal, Money

DAYS_PER_MONTH = 365.25 / 12
"""The one conversion between the scenario's months and the clock's days."""

MAX_CUSTOMERS = 10_000_000
MAX_CSMS = 100_000
MAX_SWEEP_POINTS = 1000

Probability = Annotated[float, Field(ge=0, le=1)]
Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """Base of every scenario model: immutable, no unknown keys, no NaN or infinity."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        serialize_by_alias=True,
        populate_by_name=True,
        validate_default=True,
    )


# --------------------------------------------------------------------------- product


class Feature(Strict):
    """A product capability a customer may adopt."""

    engagement_weight: float = Field(
        default=0.25, ge=0, description="Weight of this feature in the engagement score (weights are normalised)."
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
    """The product's features (the seeds' A, B sticky and scored; C, D valuable)."""

    features: dict[str, Feature] = Field(
        default_factory=_default_features, description="Features keyed by name.", min_length=1
    )


# --------------------------------------------------------------------------- segments


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


# --------------------------------------------------------------------------- CSMs and teams


class CsmDefaults(Strict):
    """Defaults for every team's CSMs; any team may override any of them."""

    hours_per_week: float = Field(default=40, gt=0, le=100, description="Contracted working hours per week.")
    productive_share: Share = Field(
        default=0.7, gt=0, description="Share of hours available for customer work (the rest is admin, meetings)."
    )
    annual_attrition: float = Field(default=0.15, ge=0, le=5, description="Departures per CSM per year (Poisson).")
    hiring_lag_days: float = Field(default=60, ge=0, le=3650, description="Days a seat stays vacant after a departure.")
    ramp_months: float = Field(default=3, ge=0, le=36, description="Months for a new hire to reach full productivity.")
    ramp_start: Share = Field(default=0.5, description="Productivity of a new hire on day one (rises linearly to 1).")
    salary: float = Field(default=90000, ge=0, le=10_000_000, description="Base salary per year, USD.")
    variable_target: float = Field(
        default=22500,
        ge=0,
        le=10_000_000,
        description="Variable pay at 100% attainment per year, USD (OTE = salary + this).",
    )
    gaming: Share = Field(default=0.6, description="How strongly CSMs follow the money (0 customer only, 1 plan only).")
    effort_floor: float = Field(
        default=0.002,
        ge=0,
        le=10,
        description="Score per CSM hour below which a CSM skips discretionary proactive work (docs/model.md).",
    )
    attention_span: int = Field(
        default=8, ge=1, le=1000, description="Pending items (oldest first) a CSM weighs when picking the next task."
    )


_CSM_FIELDS = tuple(CsmDefaults.model_fields)


class _HumanTeam(Strict):
    """Fields shared by teams of people; ``None`` inherits the scenario's ``csm`` default."""

    csms: int = Field(default=5, ge=1, le=MAX_CSMS, description="Seats (CSMs) in the team.")
    renewal_prep_hours: Hours = Field(
        default=Gamma(mean_value=4.0, cv=0.5), description="CSM hours of preparation before each renewal."
    )
    hours_per_week: float | None = Field(default=None, gt=0, le=100, description="Override of csm.hours_per_week.")
    productive_share: float | None = Field(default=None, gt=0, le=1, description="Override of csm.productive_share.")
    annual_attrition: float | None = Field(default=None, ge=0, le=5, description="Override of csm.annual_attrition.")
    hiring_lag_days: float | None = Field(default=None, ge=0, le=3650, description="Override of csm.hiring_lag_days.")
    ramp_months: float | None = Field(default=None, ge=0, le=36, description="Override of csm.ramp_months.")
    ramp_start: float | None = Field(default=None, ge=0, le=1, description="Override of csm.ramp_start.")
    salary: float | None = Field(default=None, ge=0, le=10_000_000, description="Override of csm.salary.")
    variable_target: float | None = Field(
        default=None, ge=0, le=10_000_000, description="Override of csm.variable_target."
    )
    gaming: float | None = Field(default=None, ge=0, le=1, description="Override of csm.gaming.")
    compensation: Compensation | None = Field(
        default=None, description="This team's own plan (default: the scenario's)."
    )


class NamedTeam(_HumanTeam):
    """High-touch: each customer has one CSM, a capped book and a proactive cadence."""

    coverage: Literal["named"] = "named"
    max_accounts: int = Field(default=50, ge=1, le=100_000, description="Book size cap per CSM.")
    overflow: Literal["reassign", "uncovered"] = Field(
        default="reassign",
        description=(
            "When every book is full: 'reassign' puts the customer on the smallest book over the cap; "
            "'uncovered' leaves it without a CSM until a seat frees."
        ),
    )
    checkin_days: float = Field(
        default=30, gt=0, le=3650, description="Days between proactive check-ins with each customer."
    )
    checkin_hours: Hours = Field(default=Gamma(mean_value=1.0, cv=0.3), description="CSM hours per check-in.")
    qbr_months: float = Field(default=3, ge=0, le=60, description="Months between business reviews (0: none).")
    qbr_hours: Hours = Field(
        default=Gamma(mean_value=3.0, cv=0.3), description="CSM hours per business review (prep + delivery)."
    )
    quick_touch_hours: Hours = Field(
        default=Fixed(value=0.25),
        description=(
            "CSM hours of a quick logged touch (a ping that counts as activity but finds nothing, pushes "
            "nothing and builds no relationship); 0 disables them. Only a plan that pays for activity makes "
            "them worth doing."
        ),
    )


class PooledTeam(_HumanTeam):
    """Low-touch: one shared queue served by any CSM of the pool, reactive."""

    coverage: Literal["pooled"] = "pooled"
    sessions_per_month: float = Field(
        default=0, ge=0, le=1000, description="One-to-many sessions (webinars, office hours) per month."
    )
    session_hours: Hours = Field(default=Fixed(value=2.0), description="Pool hours one session consumes.")
    session_reach: Share = Field(
        default=0.1, description="Share of the pool's customers with a pending need that a session serves."
    )


class DigitalTeam(Strict):
    """Tech-touch: no human; in-app guidance, detection only through usage signals."""

    coverage: Literal["digital"] = "digital"
    effectiveness: Share = Field(
        default=0.4, description="Adoption chance of in-app guidance relative to a CSM's in-window guidance."
    )
    cost_per_customer_month: float = Field(
        default=3, ge=0, le=1_000_000, description="Cost of the digital programme per customer per month, USD."
    )
    delivery_days: Days = Field(default=Fixed(value=1), description="Days from detection to in-app guidance.")


Team = Annotated[NamedTeam | PooledTeam | DigitalTeam, Field(discriminator="coverage")]

HUMAN_COVERAGE = ("named", "pooled")


# --------------------------------------------------------------------------- health, NPS


class HealthWeights(Strict):
    """Weights of the health components (normalised by their sum)."""

    engagement: float = Field(default=0.3, ge=0, description="Weight of engagement (weighted adopted features).")
    value: float = Field(default=0.4, ge=0, description="Weight of value realised (share of desired features adopted).")
    responsiveness: float = Field(
        default=0.2, ge=0, description="Weight of responsiveness (recent needs met in their window)."
    )
    relationship: float = Field(default=0.1, ge=0, description="Weight of relationship (recency of human contact).")

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


# --------------------------------------------------------------------------- compensation

MetricName = Literal[
    "engagement_average",
    "engagement_share",
    "adoption_share",
    "nrr",
    "grr",
    "logo_retention",
    "nps",
    "activity",
    "jit_share",
    "value_realised",
    "speed_to_launch",
    "contact_coverage",
]

LOWER_IS_BETTER = frozenset({"speed_to_launch"})
"""Metrics where smaller is better: their curves run threshold >= target >= cap."""


class Curve(Strict):
    """Payout as a share of the component's target pay, linear within tiers.

    Short of ``threshold``: 0. At ``threshold``: ``threshold_payout``, rising linearly to 1 at
    ``target``; past target the slope is ``accelerator`` times the slope below, up to the
    payout at ``cap`` and flat beyond. ``threshold == target`` is a step: 1 from the bar on.
    For metrics where lower is better (speed_to_launch) the inequalities reverse: give
    threshold >= target >= cap.
    """

    threshold: float = Field(default=0.0, description="Metric value where payout starts.")
    target: float = Field(default=1.0, description="Metric value paying 100%.")
    cap: float | None = Field(
        default=None, description="Metric value above which payout stops rising (null: target, no upside)."
    )
    threshold_payout: float = Field(default=0.0, ge=0, le=1, description="Payout share at the threshold.")
    accelerator: float = Field(default=1.0, ge=0, le=10, description="Slope above target relative to below.")

    @model_validator(mode="after")
    def _ordered(self) -> Curve:
        cap = self.target if self.cap is None else self.cap
        up = self.threshold <= self.target <= cap
        down = self.threshold >= self.target >= cap
        if not (up or down):
            raise ValueError(
                f"curve needs threshold <= target <= cap (or all reversed for lower-is-better), "
                f"got threshold {self.threshold}, target {self.target}, cap {self.cap}"
            )
        if self.threshold == self.target and cap != self.target:
            raise ValueError(
                f"a step curve (threshold == target == {self.target:g}) has no slope to accelerate past target; "
                f"drop cap (got {self.cap:g}) or put the threshold short of the target"
            )
        return self


_METRIC_DETAIL = {"engagement_share": "level", "adoption_share": "features", "contact_coverage": "min_touches"}


class Measure(Strict):
    """A metric of the CSM's own book, with the one detail some metrics need."""

    metric: MetricName = Field(description="Metric of the CSM's own book.")
    level: float | None = Field(
        default=None, ge=0, le=1, description="engagement_share: the engagement score a customer must reach."
    )
    features: list[str] | None = Field(
        default=None, min_length=1, description="adoption_share: a customer counts if it uses any of these features."
    )
    min_touches: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="contact_coverage: touches per account per period that count as full contact.",
    )

    @model_validator(mode="after")
    def _detail_fits_metric(self) -> Measure:
        wanted = _METRIC_DETAIL.get(self.metric)
        for metric, detail in _METRIC_DETAIL.items():
            given = getattr(self, detail) is not None
            if detail == wanted and not given:
                raise ValueError(f"metric {self.metric} needs `{detail}`")
            if detail != wanted and given:
                raise ValueError(f"`{detail}` applies only to metric {metric}, not {self.metric}")
        return self


class Gate(Measure):
    """A component pays only if another metric of the book clears a bar (no data: the gate is open)."""

    at_least: float | None = Field(default=None, description="The bar the metric must reach (higher is better).")
    at_most: float | None = Field(default=None, description="Or the bar it must not exceed (lower is better).")

    @model_validator(mode="after")
    def _one_bar(self) -> Gate:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError(f"gate on {self.metric} needs exactly one of at_least or at_most")
        return self


class Component(Measure):
    """One measured part of a plan."""

    weight: float = Field(default=1.0, ge=0, le=10, description="Share of the variable target this component carries.")
    curve: Curve = Field(default_factory=Curve, description="Payout curve.")
    gate: Gate | None = Field(default=None, description="Optional gate.")

    @model_validator(mode="after")
    def _curve_runs_the_right_way(self) -> Component:
        c = self.curve
        cap = c.target if c.cap is None else c.cap
        lower = self.metric in LOWER_IS_BETTER
        if (lower and not c.threshold >= c.target >= cap) or (not lower and not c.threshold <= c.target <= cap):
            order = "threshold >= target >= cap" if lower else "threshold <= target <= cap"
            kind = "lower" if lower else "higher"
            raise ValueError(
                f"metric {self.metric} is {kind}-is-better: its curve needs {order}, "
                f"got threshold {c.threshold:g}, target {c.target:g}, cap {c.cap}"
            )
        return self


class Compensation(Strict):
    """The incentive plan: a preset with parameters, or explicit components."""

    period_months: int = Field(default=3, ge=1, le=12, description="Payout period in months (3: quarterly).")
    plan: str = Field(
        default="salary_only", description="A preset name (see docs/plans.md) or 'custom' with `components`."
    )
    params: dict[str, float | str | list[str]] = Field(default_factory=dict, description="Parameters of the preset.")
    components: list[Component] | None = Field(default=None, description="Explicit components (with plan: custom).")
    no_data_payout: Share = Field(
        default=1.0,
        description="Payout share of a component with nothing to measure in a period (no renewals due, no survey "
        "answers, an empty book): 1 holds the CSM harmless at target, 0 pays nothing.",
    )

    @model_validator(mode="after")
    def _custom_has_components(self) -> Compensation:
        if self.components is not None and self.plan not in ("custom", "salary_only"):
            raise ValueError(f"give either plan: {self.plan!r} or components (with plan: custom), not both")
        if self.plan == "custom" and not self.components:
            raise ValueError("plan: custom needs a non-empty `components` list")
        return self


_HumanTeam.model_rebuild()
NamedTeam.model_rebuild()
PooledTeam.model_rebuild()


# --------------------------------------------------------------------------- experiments

TARGET_METRICS = (
    "logo_retention", "grr", "nrr", "health_green_share", "health_yellow_share", "health_red_share",
    "nps", "value_realised", "csm_utilization", "mean_time_to_guidance_days", "p90_time_to_guidance_days",
    "jit_share", "unmet_share", "speed_to_launch_days", "arr_per_csm", "accounts_per_csm",
    "variable_pay_per_csm", "comp_cost", "cost_per_retained_arr", "plan_cost", "share_at_target", "pay_alignment",
)  # fmt: skip
"""The metric names of ``summary.csv`` (DESIGN section 6, then the plan's calibration), the ones targets may name."""

_TARGET_RE = re.compile(r"^\s*([a-z_0-9]+)\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)\s*$")


class Target(Strict):
    """A parsed target such as ``grr >= 0.92``."""

    metric: str
    op: Literal[">=", "<=", ">", "<"]
    value: float

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse ``METRIC OP NUMBER``; raise ValueError naming what is wrong."""
        match = _TARGET_RE.match(text) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"target {text!r} must read METRIC OP NUMBER, e.g. 'grr >= 0.92' (OP one of >= <= > <)")
        metric, op, number, percent = match.groups()
        if metric not in TARGET_METRICS:
            from difflib import get_close_matches

            close = get_close_matches(metric, TARGET_METRICS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known metrics: {', '.join(TARGET_METRICS)}"
            raise ValueError(f"target {text!r} names unknown metric {metric!r}{hint}")
        value = float(number) / (100 if percent else 1)
        return cls(metric=metric, op=op, value=value)  # type: ignore[arg-type]

    def met_by(self, x: float) -> bool:
        return {">=": x >= self.value, "<=": x <= self.value, ">": x > self.value, "<": x < self.value}[self.op]

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


def _parsable_target(text: str) -> str:
    Target.parse(text)
    return text


TargetText = Annotated[str, AfterValidator(_parsable_target)]
"""A target as written (``grr >= 0.92``), checked to parse so its error sits on its own line."""


class Variant(Strict):
    """A named set of overrides of dotted paths, compared against the base scenario."""

    name: str = Field(min_length=1, max_length=200, description="Name shown in the report.")
    description: str = Field(default="", max_length=5000, description="What this option is.")
    set: dict[str, Any] = Field(default_factory=dict, description="Dotted path -> value, e.g. {teams.pool.csms: 6}.")


class SweepRange(Strict):
    """An arithmetic range of values (``stop`` included when reached exactly)."""

    start: float
    stop: float
    step: float = Field(default=1, gt=0)

    def count(self) -> int:
        """How many values the range holds, computed without building them (a huge range is
        refused by :class:`Sweep` before anything is allocated)."""
        span = (self.stop - self.start) / self.step
        if not span < MAX_SWEEP_POINTS:  # also catches an infinite span
            return MAX_SWEEP_POINTS + 1
        return max(int(span + 1e-9) + 1, 0)

    def values(self) -> list[float]:
        return [self.start + i * self.step for i in range(self.count())]


class Sweep(Strict):
    """One dotted path over a list or range of values; each value becomes a variant."""

    path: str = Field(description="Dotted path to vary, e.g. teams.strategic.csms.")
    values: list[Any] | None = Field(default=None, description="The values, in order.")
    range: SweepRange | None = Field(default=None, description="Or a range {start, stop, step}.")

    @model_validator(mode="after")
    def _one_source(self) -> Sweep:
        if (self.values is None) == (self.range is None):
            raise ValueError("sweep needs exactly one of 'values' or 'range'")
        if self.values is not None and not self.values:
            raise ValueError("sweep values must not be empty")
        count = len(self.values) if self.values is not None else self.range.count() if self.range else 0
        if count > MAX_SWEEP_POINTS:
            raise ValueError(f"sweep has more than {MAX_SWEEP_POINTS} values")
        if count == 0:
            raise ValueError("sweep range is empty: stop must be at or above start")
        return self

    def points(self) -> list[Any]:
        if self.values is not None:
            return list(self.values)
        assert self.range is not None
        return [int(v) if float(v).is_integer() else v for v in self.range.values()]


# --------------------------------------------------------------------------- scenario


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
    horizon_months: float = Field(default=36, gt=0, le=240, description="Simulated months (after time 0).")
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
    targets: list[TargetText] = Field(default_factory=list, description="Goals such as 'grr >= 0.92'.")
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
        own = {k: getattr(spec, k) for k in _CSM_FIELDS if getattr(spec, k, None) is not None}
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
    "DAYS_PER_MONTH", "Compensation", "Component", "CsmDefaults", "Curve", "DigitalTeam", "Exponential",
    "Feature", "Fixed", "Gamma", "Gate", "Health", "HealthWeights", "Lognormal", "NamedTeam", "Nps",
    "PooledTeam", "Product", "Renewal", "Scenario", "Segment", "Sweep", "Target", "Team", "Variant",
]  # fmt: skip
