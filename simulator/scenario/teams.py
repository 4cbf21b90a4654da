"""The teams and csm sections of a scenario: named, pooled and digital coverage, CSM defaults.

A team of people may carry its own compensation plan, so this module reads the plan's
model from :mod:`simulator.scenario.compensation` (which needs nothing from here).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from simulator.scenario.compensation import Compensation
from simulator.scenario.distributions import Days, Fixed, Gamma, Hours
from simulator.scenario.strict import Share, Strict

MAX_CSMS = 100_000


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


CSM_FIELDS = tuple(CsmDefaults.model_fields)
"""The CSM parameters a team may override; :meth:`Scenario.csm_for` layers them on ``csm``."""


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
    effort_floor: float | None = Field(default=None, ge=0, le=10, description="Override of csm.effort_floor.")
    attention_span: int | None = Field(default=None, ge=1, le=1000, description="Override of csm.attention_span.")
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
        default=0.1, description="Chance that a session serves each need waiting in the pool's queue (drawn per need)."
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


_HEADCOUNT = re.compile(r"teams\.([^.]+)\.csms")


def headcount_team(path: str) -> str | None:
    """The team whose headcount a dotted path sets (``teams.strategic.csms`` -> ``strategic``),
    else None: the commonest sweep and sizing path, which the page and the sizing answer
    call by what it counts rather than by the path."""
    found = _HEADCOUNT.fullmatch(path)
    return found.group(1) if found else None
