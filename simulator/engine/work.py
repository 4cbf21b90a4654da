"""CSM time: pick the next task through the decision point, do it, apply its effects.

Each CSM is a small state machine driven by SimPy callbacks rather than a process per
CSM: a task is one wake-up with a callback (cheaper than resuming a generator; queued as
a timeout would be, without the Timeout object: :mod:`simulator.engine.wakes`), and an
idle CSM holds no pending event at all unless a due touch will wake it. New work wakes
an idle CSM directly. Task hours are drawn when the task starts, from per-team streams
(exponential ones a block at a time, the same numbers: :mod:`simulator.engine.draws`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulator.engine.draws import HourDraws
from simulator.engine.options import CHECKIN, QBR, QUICK, Task
from simulator.engine.wakes import wake_after
from simulator.model.decisions import NEED, ONBOARD, PREP, SESSION, TOUCH, Option, choose
from simulator.model.need import QUEUED

if TYPE_CHECKING:
    from simulator.engine.coverage import Coverage
    from simulator.engine.world import World
    from simulator.model.csm import Csm

ACTIVITY = {NEED: "need", ONBOARD: "onboarding", PREP: "renewal", SESSION: "session"}


class Work:
    """Runs every human CSM's work cycle."""

    def __init__(self, world: World, on_leave: Callable[[Csm], None]) -> None:
        self.world = world
        self.env = world.env
        self.on_leave = on_leave
        streams = world.streams
        self.hours = {name: HourDraws(streams[f"work:{name}"]) for name in world.coverage}
        self.fast = {name: getattr(team, "best", None) for name, team in world.coverage.items()}
        """Each team's ``best`` (a coverage may choose without building every option), or None;
        looked up once rather than by ``getattr`` at every decision."""
        self.checkin_rng = {name: streams[f"checkin:{name}"] for name in world.coverage}
        self.push_rng = {name: streams[f"push:{name}"] for name in world.coverage}

    def start_next(self, csm: Csm) -> None:
        """If ``csm`` is free, choose and begin its next task, or rest until there is one."""
        csm.wake += 1
        if csm.busy or not csm.active:
            return
        if csm.leaving:
            self.on_leave(csm)
            return
        team = self.world.coverage[csm.team]
        now = self.env._now
        fast = self.fast[csm.team]
        best = fast(csm, now) if fast is not None else choose(csm, team.choices(csm, now), now)
        if best is None:
            self._rest(csm, team, now)
            return
        team.taken(csm, best)
        self._begin(csm, team, best, now)

    def _rest(self, csm: Csm, team: Coverage, now: float) -> None:
        rest = getattr(team, "rest", None)
        if rest is not None:
            rest(csm)
        next_due = getattr(team, "next_due", None)
        if next_due is None:
            return
        when = next_due(csm, now)
        if when == float("inf"):
            return
        wake = csm.wake
        wake_after(self.env, max(when - now, 0.0), lambda _e: self.start_next(csm) if csm.wake == wake else None)

    def _begin(self, csm: Csm, team: Coverage, option: Option, now: float) -> None:
        kind = option.kind
        c = option.customer
        if kind == NEED:
            need = option.need
            assert need is not None and c is not None
            self.world.start_service(need, csm)
            dist = c.rules.features.hours[need.feature] if need.kind == "adopt" else c.rules.problem_hours
            activity = "need"
        elif kind == TOUCH:
            spec = team.spec
            touch = option.touch_kind
            dist = (
                spec.checkin_hours if touch == CHECKIN else spec.qbr_hours if touch == QBR else spec.quick_touch_hours
            )
            activity = QBR if touch == QBR else CHECKIN  # a quick touch is time on check-ins
        elif kind == ONBOARD:
            assert c is not None
            dist, activity = c.rules.onboarding_hours, "onboarding"
        elif kind == PREP:
            dist, activity = team.spec.renewal_prep_hours, "renewal"
        else:
            dist, activity = team.spec.session_hours, "session"
        hours = self.hours[team.name].draw(dist)
        csm.busy = True
        csm.task_kind = activity
        csm.task_from = now
        # csm.duration_days(hours, now), its full-speed case written out (once per task)
        days = hours / (csm.hours_per_day * 1.0) if csm.ramp_days <= 0 else csm.duration_days(hours, now)
        wake_after(self.env, days, lambda _e: self._finish(csm, team, option, hours, now))

    def _finish(self, csm: Csm, team: Coverage, option: Option, hours: float, started: float) -> None:
        world = self.world
        now = self.env._now
        world.recorder.credit(csm, now)
        csm.busy = False
        kind = option.kind
        c = option.customer
        if kind == NEED:
            assert option.need is not None
            world.work_done(option.need, option.p_adopt, csm)
        elif kind == TOUCH:
            assert c is not None
            self._touch_done(csm, team, option, hours, started)
        elif kind == ONBOARD:
            assert c is not None
            if not c.churned:
                c.contact(now)
                world.onboarded(c)
        elif kind == PREP:
            assert c is not None
            if not c.churned:
                c.contact(now)
        elif kind == SESSION:
            self._session_done(csm, team, option.payload)
        self.start_next(csm)

    def _touch_done(self, csm: Csm, team: Coverage, option: Option, hours: float, started: float) -> None:
        world = self.world
        now = self.env._now
        c = option.customer
        assert c is not None
        kind = option.touch_kind
        world.recorder.touched(csm)
        adopted = False
        if not c.churned and kind == QUICK:  # logged activity: no contact, detection or push
            c.touches += 1
            csm.incentive.on_touch(csm, c, kind, now)
        elif not c.churned:
            c.contact(now)
            c.last_touch = now
            c.touches += 1
            world.found_at_checkin(c, self.checkin_rng[team.name])
            f = option.feature
            if f >= 0 and not c.has(f) and self.push_rng[team.name].random() < option.p_adopt:
                adopted = True
                world.adopt(c, f, csm)
            csm.incentive.on_touch(csm, c, kind, now)
        world.recorder.touch_row(csm, c, started, kind, option.feature, hours, adopted)
        touched = getattr(team, "touched", None)
        if touched is not None:
            touched(csm, c, kind, now)

    def _session_done(self, csm: Csm, team: Coverage, task: Task) -> None:
        """A one-to-many session serves each waiting need of the pool with ``session_reach``."""
        world = self.world
        now = self.env._now
        reach = team.spec.session_reach
        rng = self.checkin_rng[team.name]
        for need in list(getattr(team, "waiting", ())):
            if need.state == QUEUED and rng.random() < reach:
                c = need.customer
                world.start_service(need, csm)
                lateness = need.lateness(now)
                chance = c.rules.guided_chance(c.wants(need.feature), lateness) if need.kind == "adopt" else 0.0
                world.work_done(need, chance, csm)


__all__ = ["Work"]
