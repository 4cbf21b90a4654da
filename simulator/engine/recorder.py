"""Collects the run's rows and the time-weighted tallies behind them.

Busy time is accounted by intervals: a CSM's current task is credited from
``csm.task_from`` to now whenever the task ends or a month or period boundary passes, so
hours land in the month and period they were worked in and utilisation is exact.
"""

from __future__ import annotations

from simulator.engine.records import Row
from simulator.model.csm import ACTIVITIES, Csm
from simulator.model.customer import Customer
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import Need

_ACTIVITY_INDEX = {name: i for i, name in enumerate(ACTIVITIES)}


class QueueStat:
    """Length, arrivals, departures and the time integral of a queue's length (Little's law)."""

    __slots__ = ("area", "arrivals", "departures", "last", "length", "name", "team")

    def __init__(self, name: str, team: str) -> None:
        self.name, self.team = name, team
        self.length = self.arrivals = self.departures = 0
        self.area = self.last = 0.0

    def _advance(self, now: float) -> None:
        self.area += self.length * (now - self.last)
        self.last = now

    def arrive(self, now: float) -> None:
        self.area += self.length * (now - self.last)  # _advance, written out (once per need)
        self.last = now
        self.length += 1
        self.arrivals += 1

    def depart(self, now: float) -> None:
        self.area += self.length * (now - self.last)
        self.last = now
        self.length -= 1
        self.departures += 1

    def row(self, now: float) -> Row:
        self._advance(now)
        return (self.name, self.team, self.arrivals, self.departures, self.area, self.length, now)


class Recorder:
    """Rows of every table, plus per-CSM period hours and the month's busy time."""

    def __init__(self, features: FeatureSet, health: HealthRules) -> None:
        self.features = features
        self.health = health
        self.customers: list[Row] = []
        self.needs: list[Row] = []
        self.csms: list[Row] = []
        self.timeseries: list[Row] = []
        self.touches: list[Row] = []
        self.renewals: list[Row] = []
        self.surveys: list[Row] = []
        self.hours: dict[int, list[float]] = {}
        self.period_touches: dict[int, int] = {}
        self.month_busy_days = 0.0

    # ---- CSM time

    def credit(self, csm: Csm, now: float) -> None:
        """Credit the CSM's current task from its last credit up to ``now``."""
        if not csm.busy:
            return
        days = now - csm.task_from
        if days > 0:
            hours = self.hours.get(csm.id)
            if hours is None:
                hours = self.hours[csm.id] = [0.0] * len(ACTIVITIES)
            hours[_ACTIVITY_INDEX[csm.task_kind]] += days * csm.hours_per_day
            self.month_busy_days += days
        csm.task_from = now

    def touched(self, csm: Csm) -> None:
        self.period_touches[csm.id] = self.period_touches.get(csm.id, 0) + 1

    def period_row(
        self,
        csm: Csm,
        period: int,
        start: float,
        end: float,
        payout: tuple[float, float, dict[str, float]],
        components: tuple[str, ...],
    ) -> None:
        active = max(0.0, min(end, csm.leave_day) - max(start, csm.hire_day))
        hours = self.hours.pop(csm.id, [0.0] * len(ACTIVITIES))
        attainment, paid, parts = payout
        self.csms.append(
            (csm.id, csm.team, period, start, end, active, *hours, active * csm.hours_per_day, len(csm.book),
             csm.book_arr, self.period_touches.pop(csm.id, 0), attainment, paid, csm.salary * active / 365.25,
             csm.seat, *(parts.get(name, float("nan")) for name in components))
        )  # fmt: skip

    # ---- customers and needs

    def need_row(self, need: Need) -> None:
        c = need.customer
        self.needs.append(
            (need.id, c.id, c.segment, c.team, need.kind, self.features.names[need.feature], need.arise_day,
             need.detect_day, need.detected_by, need.start_day, need.end_day, need.fate, need.csm, need.adopted,
             bool(c.desired >> need.feature & 1))  # c.wants(feature), written out
        )  # fmt: skip

    def customer_row(self, c: Customer, now: float, initial: bool) -> None:
        day = c.churn_day if c.churned else now
        names = self.features.label
        self.customers.append(
            (c.id, c.segment, c.team, c.signed_day, c.live_day if c.live_day != float("inf") else float("nan"),
             c.arr_start, 0.0 if c.churned else c.arr, c.churned, c.churn_day, names(c.desired), names(c.adopted),
             c.needs, c.needs_jit, c.touches, self.health.score(c, day), self.health.engagement(c), c.value,
             initial, c.csm.id if c.csm is not None else -1)
        )  # fmt: skip

    def touch_row(
        self, csm: Csm, c: Customer, now: float, kind: str, feature: int, hours: float, adopted: bool
    ) -> None:
        name = self.features.names[feature] if feature >= 0 else ""
        self.touches.append((csm.id, c.id, now, kind, name, hours, adopted))

    def renewal_row(self, c: Customer, now: float, before: float, after: float, churned: bool) -> None:
        self.renewals.append((c.id, c.segment, now, before, after, churned))

    def survey_row(self, c: Customer, now: float, score: int) -> None:
        self.surveys.append((c.id, c.segment, now, score))
