"""What a scenario asks of the experiment: targets to meet, variants to compare, a sweep to run.

Targets are parsed here (not in the results layer) so a bad one is refused with the file's
other errors, on its own line.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from simulator.scenario.problems import did_you_mean, meant_share
from simulator.scenario.strict import Strict

MAX_SWEEP_POINTS = 1000

TARGET_METRICS = (
    "logo_retention", "grr", "nrr", "arr_lost", "health_green_share", "health_yellow_share", "health_red_share",
    "nps", "value_realised", "csm_utilization", "mean_time_to_guidance_days", "p90_time_to_guidance_days",
    "jit_share", "unmet_share", "speed_to_launch_days", "arr_per_csm", "accounts_per_csm",
    "variable_pay_per_csm", "comp_cost", "cost_per_retained_arr", "plan_cost", "share_at_target", "pay_alignment",
    "touches_per_account_month", "touches_per_account_month_unscored",
)  # fmt: skip
"""The metric names of ``summary.csv`` (the contract's, then the plan's calibration, then where proactive
touches go), the ones targets may name."""

SEGMENT_METRICS = (
    "logo_retention", "grr", "nrr", "arr_lost", "mean_time_to_guidance_days", "p90_time_to_guidance_days", "jit_share",
    "unmet_share", "speed_to_launch_days",
)  # fmt: skip
"""Metrics also given per segment, as ``METRIC@SEGMENT`` (``grr@smb``): the ones computed from
customers and needs alone, so a segment's figure means what the company's does."""

TEAM_METRICS = ("csm_utilization", "accounts_per_csm", "arr_per_csm")
"""Metrics also given per team with CSMs, as ``METRIC@TEAM`` (``csm_utilization@pool``): the
company's figures pool every CSM and count digitally covered accounts in the books, so a
named team of 15 accounts each and a pool of 100 read as one "183 accounts per CSM". No
metric is both per segment and per team, so the name after ``@`` is never ambiguous."""

_SHARE = (0.0, 1.0, "a share")
_DAYS = (0.0, math.inf, "days")
_USD = (0.0, math.inf, "USD")
TARGET_RANGES: dict[str, tuple[float, float, str]] = {
    "logo_retention": _SHARE, "grr": _SHARE, "nrr": (0.0, 100.0, "ARR after over ARR before"), "arr_lost": _USD,
    "health_green_share": _SHARE, "health_yellow_share": _SHARE, "health_red_share": _SHARE,
    "nps": (-100.0, 100.0, "points"), "value_realised": _SHARE, "csm_utilization": _SHARE,
    "mean_time_to_guidance_days": _DAYS, "p90_time_to_guidance_days": _DAYS, "jit_share": _SHARE,
    "unmet_share": _SHARE, "speed_to_launch_days": _DAYS, "arr_per_csm": _USD,
    "accounts_per_csm": (0.0, math.inf, "accounts"), "variable_pay_per_csm": _USD, "comp_cost": _USD,
    "cost_per_retained_arr": (0.0, math.inf, "USD per USD kept"), "plan_cost": _USD, "share_at_target": _SHARE,
    "pay_alignment": (-1.0, 1.0, "a correlation"), "touches_per_account_month": (0.0, math.inf, "touches"),
    "touches_per_account_month_unscored": (0.0, math.inf, "touches"),
}  # fmt: skip
"""The values each target metric can take: a bar outside them (``grr >= 90`` for 0.9) could
never be met, or never be missed, in any option."""


def bar_problem(metric: str, value: float) -> str | None:
    """Why a target's bar ``value`` on ``metric`` lies outside what the metric can take, or None."""
    lo, hi, unit = TARGET_RANGES[metric]
    if lo <= value <= hi:
        return None
    if hi == math.inf:
        return f"{metric} is at least {lo:g} ({unit}), so a bar of {value:g} says nothing"
    meant = meant_share(lo, hi, value)
    hint = f"; did you mean {meant:g} (or {value:g}%)?" if meant is not None else ""
    return f"{metric} runs from {lo:g} to {hi:g} ({unit}), so a bar of {value:g} says nothing{hint}"


_TARGET_RE = re.compile(
    r"^\s*([a-z_0-9]+)(?:@([^\s<>=@]+))?\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)\s*$"
)


def segment_metric(metric: str, segment: str) -> str:
    """The ``summary.csv`` name of ``metric`` over ``segment``'s customers alone."""
    return f"{metric}@{segment}"


def team_metric(metric: str, team: str) -> str:
    """The ``summary.csv`` name of ``metric`` over ``team``'s CSMs and the accounts it covers."""
    return f"{metric}@{team}"


class Target(Strict):
    """A parsed target such as ``grr >= 0.92``, for one segment ``grr@smb >= 0.88``, or for
    one team ``csm_utilization@pool <= 0.85``.

    ``metric`` is the name the target reads in ``summary.csv`` (``grr@smb``); ``segment``
    or ``team`` what it is about, if either (whether the scenario has it is checked with
    the scenario: :func:`scope_problem`).
    """

    metric: str
    op: Literal[">=", "<=", ">", "<"]
    value: float
    segment: str | None = None
    team: str | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse ``METRIC[@SEGMENT|@TEAM] OP NUMBER``; raise ValueError naming what is wrong."""
        match = _TARGET_RE.match(text) if isinstance(text, str) else None
        if not match:
            raise ValueError(
                f"target {text!r} must read METRIC OP NUMBER, e.g. 'grr >= 0.92', METRIC@SEGMENT OP NUMBER, "
                "e.g. 'grr@smb >= 0.88', or METRIC@TEAM OP NUMBER, e.g. 'csm_utilization@pool <= 0.85' "
                "(OP one of >= <= > <)"
            )
        metric, scope, op, number, percent = match.groups()
        if metric not in TARGET_METRICS:
            from difflib import get_close_matches

            close = get_close_matches(metric, TARGET_METRICS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known metrics: {', '.join(TARGET_METRICS)}"
            raise ValueError(f"target {text!r} names unknown metric {metric!r}{hint}")
        value = float(number) / (100 if percent else 1)
        problem = bar_problem(metric, value)
        if problem is not None:
            raise ValueError(f"target {text!r}: {problem}")
        if scope is None:
            return cls(metric=metric, op=op, value=value)  # type: ignore[arg-type]
        if metric in TEAM_METRICS:
            return cls(metric=team_metric(metric, scope), op=op, value=value, team=scope)  # type: ignore[arg-type]
        if metric not in SEGMENT_METRICS:
            raise ValueError(
                f"target {text!r}: {metric!r} has no per-segment or per-team figure; metrics per segment: "
                f"{', '.join(SEGMENT_METRICS)}; per team: {', '.join(TEAM_METRICS)}"
            )
        return cls(metric=segment_metric(metric, scope), op=op, value=value, segment=scope)  # type: ignore[arg-type]

    def scope_problem(self, segments: Collection[str], teams: Mapping[str, str]) -> str | None:
        """What is wrong with the segment or team this target names, or with a company metric
        the scenario can never give a value (no CSMs at all), given the scenario's segments
        and its teams' coverage (``{team: "named"|"pooled"|"digital"}``); None if nothing."""
        if self.segment is not None and self.segment not in segments:
            listed = ", ".join(segments)
            return f"unknown segment {self.segment!r}{did_you_mean(self.segment, segments)} (segments: {listed})"
        staffed = [name for name, coverage in teams.items() if coverage != "digital"]
        if self.team is None:
            return _undefined(self.metric, staffed, [name for name, coverage in teams.items() if coverage == "named"])
        listed = ", ".join(staffed)
        if self.team not in teams:
            return f"unknown team {self.team!r}{did_you_mean(self.team, staffed)} (teams with CSMs: {listed})"
        if self.team not in staffed:
            metric = self.metric.partition("@")[0]
            return f"team {self.team!r} is digital: it has no CSMs, so no {metric} (teams with CSMs: {listed})"
        return None

    def met_by(self, x: float) -> bool:
        return {">=": x >= self.value, "<=": x <= self.value, ">": x > self.value, "<": x < self.value}[self.op]

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


CSM_METRICS = (
    "csm_utilization", "accounts_per_csm", "arr_per_csm", "variable_pay_per_csm", "share_at_target", "pay_alignment",
)  # fmt: skip
"""Company metrics with no value (NaN) when no team has CSMs: no hours, no seats, no pay to divide."""

PAY_METRICS = ("share_at_target", "pay_alignment")
"""Company metrics with no value (NaN) when no CSM is on a plan that pays: no attainment to
count, no payout to set against customers' outcomes. (``variable_pay_per_csm`` is 0 then.)"""

NAMED_METRICS = ("touches_per_account_month", "touches_per_account_month_unscored")
"""Company metrics with no value (NaN) without a named team, the only coverage with proactive touches."""


def _undefined(metric: str, staffed: list[str], named: list[str]) -> str | None:
    """Why a company-wide target on ``metric`` could never be met or missed, or None."""
    if metric in CSM_METRICS and not staffed:
        return f"every team is digital: no CSMs, so {metric} has no value; staff a team or drop the target"
    if metric in NAMED_METRICS and not named:
        return f"no team is named, the only coverage with proactive touches, so {metric} has no value"
    return None


def _parsable_target(text: str) -> str:
    Target.parse(text)
    return text


TargetText = Annotated[str, AfterValidator(_parsable_target)]
"""A target as written (``grr >= 0.92``), checked to parse so its error sits on its own line."""


EXPERIMENT_KEYS = {
    "seed": "replication r of every option must see the same customers: common random numbers",
    "replications": "every option runs the same replications",
    "horizon_months": "every option is measured over the same months, or their figures do not compare",
    "warmup_months": "every option is measured over the same months, or their figures do not compare",
    "targets": "every option is judged against the same targets",
    "variants": "variants do not nest",
    "sweep": "variants do not nest",
    "name": "it titles the report; a variant has its own name and description",
    "description": "it is the report's question; a variant has its own name and description",
}
"""Top-level keys that belong to the experiment as a whole, never to one variant, and why."""


def experiment_key_problem(path: str) -> str | None:
    """Why ``path`` may not be overridden by one variant or sweep point, or None if it may."""
    key = path.split(".", 1)[0]
    if key not in EXPERIMENT_KEYS:
        return None
    return f"{key} belongs to the experiment as a whole ({EXPERIMENT_KEYS[key]})"


class Variant(Strict):
    """A named set of overrides of dotted paths, compared against the base scenario."""

    name: str = Field(min_length=1, max_length=200, description="Name shown in the report.")
    description: str = Field(default="", max_length=5000, description="What this option is.")
    set: dict[str, Any] = Field(
        default_factory=dict,
        description="Dotted path -> value, e.g. {teams.pool.csms: 6}; each path once, none inside another "
        "(not teams.pool and teams.pool.csms); not seed, replications, horizon_months, warmup_months, targets, "
        "name or description, which every option shares.",
    )


class SweepRange(Strict):
    """An arithmetic range of values (``stop`` included when reached exactly), summed as
    written: 0 to 1 by 0.1 gives 0.3, not 0.30000000000000004."""

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
        return arithmetic(self.start, self.step, self.count())


def arithmetic(start: float, step: float, count: int) -> list[float]:
    """``count`` values from ``start`` by ``step``, summed in decimal as written, so steps of
    0.1 read 0.3, not 0.30000000000000004: each value names a variant (``csm.gaming=0.3``)."""
    first, by = Decimal(repr(start)), Decimal(repr(step))
    return [float(first + i * by) for i in range(count)]


class Sweep(Strict):
    """One dotted path over a list or range of values; each value becomes a variant."""

    path: str = Field(
        description="Dotted path to vary, e.g. teams.strategic.csms (not a key every option shares, such as seed)."
    )
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

    def point_name(self, value: Any) -> str:
        """A point's variant name, e.g. ``teams.strategic.csms=8``."""
        return f"{self.path}={value if isinstance(value, str) else json.dumps(value)}"

    def points(self) -> list[Any]:
        if self.values is not None:
            return list(self.values)
        assert self.range is not None
        return [int(v) if float(v).is_integer() else v for v in self.range.values()]
