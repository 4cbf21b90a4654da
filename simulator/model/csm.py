"""A CSM seat-holder: capacity, ramp, book, work lists and per-period tallies.

Capacity is in *productive hours per calendar day* (hours_per_week x productive_share / 7)
times a ramp factor for new hires, so a task of h hours occupies the CSM for
``h / (hours_per_day * productivity)`` days. Work lists are owned here but filled and
drained by the engine's coverage policies; the choice among them goes through
:func:`simulator.model.decisions.choose`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from simulator.model.customer import Customer
    from simulator.model.decisions import Incentive
    from simulator.model.need import Need
    from simulator.scenario.schema import CsmDefaults

ACTIVITIES: Final = ("onboarding", "need", "checkin", "qbr", "renewal", "session")
"""What CSM time is spent on; the ``hours_<activity>`` columns of the csms table."""


class Csm:
    """One person in a seat. A replacement hire is a new :class:`Csm` with a new id."""

    __slots__ = (
        "active", "attention", "book", "book_arr", "busy", "due", "effort_floor", "gaming", "hire_day", "hours_per_day",
        "id", "incentive", "job", "leave_day", "leaving", "neutral", "pending", "plan_state", "quick", "ramp_days",
        "ramp_start", "ready", "salary", "seat", "task_from", "task_kind", "tasks", "team", "variable_target", "wake",
    )  # fmt: skip

    def __init__(
        self, cid: int, team: str, seat: int, params: CsmDefaults, hire_day: float, incentive: Incentive, ramped: bool
    ) -> None:
        from simulator.scenario.schema import DAYS_PER_MONTH

        self.id = cid
        self.team = team
        self.seat = seat
        self.hours_per_day = params.hours_per_week * params.productive_share / 7.0
        self.hire_day = hire_day
        self.ramp_days = 0.0 if ramped else params.ramp_months * DAYS_PER_MONTH
        self.ramp_start = params.ramp_start
        self.gaming = params.gaming
        self.effort_floor = params.effort_floor
        self.attention = params.attention_span
        self.salary = params.salary
        self.variable_target = params.variable_target
        self.incentive = incentive
        self.neutral = bool(getattr(incentive, "neutral", False))
        """A plan that never pays for anything: there is no money to follow, so ``gaming`` is moot."""
        self.active = True
        self.leaving = False
        self.leave_day = float("inf")
        self.busy = False
        self.task_kind = ""
        self.task_from = hire_day
        self.book: dict[int, Customer] = {}
        self.book_arr = 0.0
        self.pending: list[Need] = []
        self.tasks: list[Any] = []
        self.due: list[tuple[float, int, str, Customer]] = []
        self.ready: list[tuple[float, int, str, Customer]] = []
        self.quick: list[tuple[float, int, str, Customer]] = []
        self.wake = 0
        self.plan_state: Any = None
        self.job: Any = None
        """The engine's handle on this CSM's task in progress (opaque here)."""

    def productivity(self, now: float) -> float:
        """Share of full speed: ``ramp_start`` on the first day rising linearly to 1."""
        if self.ramp_days <= 0:
            return 1.0
        progress = (now - self.hire_day) / self.ramp_days
        return 1.0 if progress >= 1 else self.ramp_start + (1 - self.ramp_start) * max(progress, 0.0)

    def duration_days(self, hours: float, now: float) -> float:
        """Calendar days a task of ``hours`` occupies this CSM, started at ``now``."""
        if self.ramp_days <= 0:  # productivity(now) is 1.0: no call (once per task)
            return hours / (self.hours_per_day * 1.0)
        return hours / (self.hours_per_day * self.productivity(now))

    def take(self, customer: Customer) -> None:
        self.book[customer.id] = customer
        self.book_arr += customer.arr
        customer.csm = self

    def release(self, customer: Customer) -> None:
        if self.book.pop(customer.id, None) is not None:
            self.book_arr -= customer.arr
        if customer.csm is self:
            customer.csm = None
