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
from heapq import heappush
from typing import TYPE_CHECKING, Final

from simulator.engine.draws import HourDraws
from simulator.engine.options import CHECKIN, QBR, QUICK, Task
from simulator.engine.wakes import NORMAL, wake_after
from simulator.model.csm import ACTIVITIES
from simulator.model.decisions import NEED, ONBOARD, PREP, SESSION, TOUCH, Option, choose
from simulator.model.need import ADOPT, IN_SERVICE, JIT, LATE, QUEUED, Need

if TYPE_CHECKING:
    from simulator.engine.coverage import Coverage
    from simulator.engine.world import World
    from simulator.model.csm import Csm

ACTIVITY = {NEED: "need", ONBOARD: "onboarding", PREP: "renewal", SESSION: "session"}

NEED_HOURS: Final = ACTIVITIES.index("need")
"""Where a need's hours go in a CSM's period hours (the recorder's activity order)."""

_INF: Final = float("inf")


class TaskEnd:
    """The end of a CSM's task in progress, as SimPy's ``step`` sees an event (like
    :class:`~simulator.engine.wakes.Wake`), holding what the end needs.

    One per CSM, reused task after task: a CSM has one task at a time, and SimPy sets
    ``callbacks`` to None when it processes the event, so ``callbacks is None`` means no
    end is pending. Reusing it saves a closure, an event and a list per task. ``fire``
    is the callbacks tuple, built once (SimPy only iterates it).
    """

    __slots__ = ("_ok", "callbacks", "csm", "fire", "hours", "need", "option", "p_adopt", "started", "team")

    def __init__(self, csm: Csm, ended: Callable[[TaskEnd], None]) -> None:
        self._ok = True  # a slot: SimPy reads it per event, faster than a class attribute
        self.csm = csm
        self.fire = (ended,)
        self.callbacks: tuple[Callable[[TaskEnd], None], ...] | None = None
        self.team: Coverage | None = None
        self.option: Option | None = None
        self.need: Need | None = None
        self.p_adopt = 0.0
        self.hours = 0.0
        self.started = 0.0


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
        start = team.start_fast
        if start is not None and start(csm, now):
            return  # the coverage chose and began the task (or put the CSM to rest) itself
        fast = self.fast[csm.team]
        best = fast(csm, now) if fast is not None else choose(csm, team.choices(csm, now), now)
        if best is None:
            self._rest(csm, team, now)
            return
        team.taken(csm, best)
        self._begin(csm, team, best, now)

    def _rest(self, csm: Csm, team: Coverage, now: float) -> None:
        team.rest(csm)
        when = team.next_due(csm, now)
        if when == _INF:
            return
        self.look_again(csm, max(when - now, 0.0))

    def look_again(self, csm: Csm, delay: float) -> None:
        """Have resting ``csm`` choose again after ``delay`` days, unless something wakes it
        first: each wake counts, and a look armed before the latest wake is void."""
        wake = csm.wake
        wake_after(self.env, delay, lambda _e: self.start_next(csm) if csm.wake == wake else None)

    def _begin(self, csm: Csm, team: Coverage, option: Option, now: float) -> None:
        kind = option.kind
        c = option.customer
        if kind == NEED:
            assert option.need is not None
            self.begin_need(csm, team, option.need, option.p_adopt, now)
            return
        if kind == TOUCH:
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
        end = self._end_of(csm, team)
        end.option, end.hours, end.started = option, hours, now
        # csm.duration_days(hours, now), its full-speed case written out (once per task)
        self._schedule(end, hours / (csm.hours_per_day * 1.0) if csm.ramp_days <= 0 else csm.duration_days(hours, now))

    def begin_need(self, csm: Csm, team: Coverage, need: Need, p_adopt: float, now: float) -> None:
        """Guidance on ``need`` (taken off the team's list) starts now; it adopts with ``p_adopt``.

        The end of the task is remembered on the CSM's :class:`TaskEnd` (no option object:
        a need's end reads only the need and the chance). This runs once per served need,
        so ``world.start_service``, ``csm.duration_days`` and :meth:`_schedule` are written
        out here (same arithmetic, same order).
        """
        world = self.world
        c = need.customer
        rules = c.rules
        q = world.coverage[c.team].queue  # q.depart(now):
        q.area += q.length * (now - q.last)
        q.last = now
        q.length -= 1
        q.departures += 1
        need.state = IN_SERVICE
        need.start_day = now
        need.csm = csm.id
        jit = now - need.arise_day - rules.window_days <= 0  # need.lateness(now) <= 0
        need.fate = JIT if jit else LATE
        c.needs_jit += jit
        dist = rules.features.hours[need.feature] if need.kind == ADOPT else rules.problem_hours
        hours = self.hours[team.name].draw(dist)
        csm.busy = True
        csm.task_kind = "need"
        csm.task_from = now
        end: TaskEnd | None = csm.job  # typed here (the model does not know the engine's class): native access
        if end is None:
            end = self._end_of(csm, team)
        end.option = None
        end.need = need
        end.p_adopt = p_adopt
        # csm.duration_days(hours, now), its full-productivity case written out
        delay = hours / (csm.hours_per_day * 1.0) if csm.ramp_days <= 0 else csm.duration_days(hours, now)
        if end.callbacks is not None or delay < 0:
            self._schedule(end, delay)  # raises
        end.callbacks = end.fire
        env = self.env
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), end))  # type: ignore[arg-type,misc]

    def _end_of(self, csm: Csm, team: Coverage) -> TaskEnd:
        end: TaskEnd | None = csm.job
        if end is None:
            end = csm.job = TaskEnd(csm, self._ended)
        end.team = team
        return end

    def _schedule(self, end: TaskEnd, delay: float) -> None:
        """Queue ``end`` after ``delay`` days, exactly as :func:`~simulator.engine.wakes.wake_after` would."""
        if end.callbacks is not None:
            raise RuntimeError(f"CSM {end.csm.id} starts a task before the last one ended")
        if delay < 0:
            raise ValueError(f"negative delay {delay}")
        env = self.env
        end.callbacks = end.fire
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), end))  # type: ignore[arg-type,misc]

    def _ended(self, end: TaskEnd) -> None:
        """A task's end came up in SimPy's queue: a need's end handled here, other tasks by :meth:`_finish`."""
        csm = end.csm
        option = end.option
        if option is not None:
            assert end.team is not None
            self._finish(csm, end.team, option, end.hours, end.started)
            return
        world = self.world
        now = self.env._now
        days = now - csm.task_from  # world.recorder.credit(csm, now), written out (csm.busy: its task ends)
        if days > 0:
            rec = world.recorder
            hours = rec.hours.get(csm.id)
            if hours is None:
                hours = rec.hours[csm.id] = [0.0] * len(ACTIVITIES)
            hours[NEED_HOURS] += days * csm.hours_per_day
            rec.month_busy_days += days
        csm.task_from = now
        csm.busy = False
        world.work_done(end.need, end.p_adopt, csm)  # type: ignore[arg-type]
        self.start_next(csm)

    def _finish(self, csm: Csm, team: Coverage, option: Option, hours: float, started: float) -> None:
        world = self.world
        now = self.env._now
        world.recorder.credit(csm, now)
        csm.busy = False
        kind = option.kind
        c = option.customer
        if kind == TOUCH:
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
        team.touched(csm, c, kind, now)

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
