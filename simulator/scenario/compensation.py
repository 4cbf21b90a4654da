"""The compensation section of a scenario: the plan, its components, their gates and payout curves.

Each validator sits with the model it checks: a curve's own ordering on :class:`Curve`, its
direction against the metric on :class:`Component`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from simulator.scenario.problems import meant_share
from simulator.scenario.strict import Share, Strict

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

_SHARE = (0.0, 1.0, "a share")
METRIC_RANGES: dict[str, tuple[float, float, str]] = {
    "engagement_average": _SHARE,
    "engagement_share": _SHARE,
    "adoption_share": _SHARE,
    "nrr": (0.0, 100.0, "ARR after over ARR before"),
    "grr": _SHARE,
    "logo_retention": _SHARE,
    "nps": (-100.0, 100.0, "points"),
    "activity": (0.0, 1000.0, "touches per account per month"),
    "jit_share": _SHARE,
    "value_realised": _SHARE,
    "speed_to_launch": (0.0, 3650.0, "days"),
    "contact_coverage": _SHARE,
}
"""The values each metric can take (the last two are generous bounds, not hard limits). A curve
point or gate bar outside them is a slip (``target: 90`` for 0.9): a bar the metric can never
reach pays nothing for ever, one it can never miss pays in full whatever CSMs do."""


def range_problem(metric: str, what: str, value: float) -> str | None:
    """Why ``value``, given as ``what`` (``curve target``), lies outside ``metric``'s range, or None."""
    lo, hi, unit = METRIC_RANGES[metric]
    if lo <= value <= hi:
        return None
    meant = meant_share(lo, hi, value)
    hint = f"; did you mean {meant:g} ({value:g}%)?" if meant is not None else ""
    return f"{metric} runs from {lo:g} to {hi:g} ({unit}): {what} {value:g} lies outside it{hint}"


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

    @field_validator("at_least", "at_most")
    @classmethod
    def _bar_in_range(cls, bar: float | None, info: ValidationInfo) -> float | None:
        metric = info.data.get("metric")
        problem = None if bar is None or metric is None else range_problem(metric, str(info.field_name), bar)
        if problem is not None:
            raise ValueError(problem)
        return bar


class Component(Measure):
    """One measured part of a plan."""

    weight: float = Field(default=1.0, ge=0, le=10, description="Share of the variable target this component carries.")
    curve: Curve = Field(default_factory=Curve, description="Payout curve.")
    gate: Gate | None = Field(default=None, description="Optional gate.")

    @field_validator("curve")
    @classmethod
    def _curve_in_range(cls, c: Curve, info: ValidationInfo) -> Curve:
        metric = info.data.get("metric")
        for name, value in (("threshold", c.threshold), ("target", c.target), ("cap", c.cap)):
            problem = None if value is None or metric is None else range_problem(metric, name, value)
            if problem is not None:
                raise ValueError(problem)
        return c

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
    components: list[Component] | None = Field(
        default=None, description="Explicit components; they need `plan: custom` (any other plan takes none)."
    )
    no_data_payout: Share = Field(
        default=1.0,
        description="Payout share of a component with nothing to measure in a period (no renewals due, no survey "
        "answers, an empty book): 1 holds the CSM harmless at target, 0 pays nothing.",
    )

    @model_validator(mode="after")
    def _custom_has_components(self) -> Compensation:
        if self.components is not None and self.plan != "custom":
            if "plan" not in self.model_fields_set:  # the default, salary_only, would ignore them
                raise ValueError("components make a custom plan: add `plan: custom` next to them")
            raise ValueError(f"give either plan: {self.plan!r} or components (with plan: custom), not both")
        if self.plan == "custom" and not self.components:
            raise ValueError("plan: custom needs a non-empty `components` list")
        return self
