"""Coverage models: who serves a customer's needs and how work reaches a CSM.

One small class per ``coverage`` kind, looked up in :data:`COVERAGE` (adding a model is a
class and an entry, never an ``if kind == ...`` in the engine):

- :class:`Named`: each customer has one CSM (smallest book first, capped at
  ``max_accounts``; ``overflow`` says what happens when every book is full); needs go to
  that CSM's own list; check-ins and QBRs come due on a cadence.
- :class:`Pooled`: one shared queue of needs and tasks served by any CSM of the team.
- :class:`Digital`: no human; needs found by usage signals get in-app guidance after
  ``delivery_days`` at ``effectiveness`` times a CSM's adoption chance.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from itertools import islice
from typing import TYPE_CHECKING, Any, Final

import simpy

from simulator.engine.demand import PREP_LEAD_DAYS
from simulator.engine.options import OptionBuilder, Task, session_option
from simulator.engine.recorder import QueueStat
from simulator.model.benefit import ONBOARDING_BENEFIT
from simulator.model.customer import NEVER
from simulator.model.decisions import MIN_HOURS, NEED, ONBOARD, PREP, SESSION, Option, choose, new_option
from simulator.model.need import ADOPT, QUEUED, Need
from simulator.scenario.schema import DAYS_PER_MONTH, DigitalTeam, PooledTeam

if TYPE_CHECKING:
    from simulator.engine.work import Work
    from simulator.engine.world import World
    from simulator.model.csm import Csm
    from simulator.model.customer import Customer


_INF: Final = float("inf")


class Coverage:
    """What every coverage model answers; the defaults are those of a team with no humans."""

    kind = ""
    human = True
    hears_raised = True
    sees_signals = True
    serve_next: Callable[[Csm, float], bool] | None = None
    """``serve_next(csm, now)``: a coverage's own way to choose and begin a free CSM's next
    task (or put the CSM to rest), returning False when it does not apply (the engine then
    chooses by the plain rule). Read through the instance's ``start_fast``."""

    def __init__(self, world: World, name: str, spec: Any) -> None:
        self.world = world
        self.name = name
        self.spec = spec
        self.queue = QueueStat(f"{name} needs", name)
        self.csms: list[Csm] = []
        self.work: Work | None = None
        self.options = OptionBuilder(world.health)
        self.prep_mean = spec.renewal_prep_hours.mean if self.human else 0.0
        # read per need or per decision: instance attributes (bound once) read faster than class ones
        self.hears_raised, self.sees_signals = self.hears_raised, self.sees_signals
        self.start_fast = self.serve_next

    def sign(self, c: Customer, initial: bool) -> None:
        """A customer joined the team (at time 0 if ``initial``)."""

    def onboard(self, c: Customer) -> bool:
        """Queue onboarding work; False when nobody onboards (the customer launches alone)."""
        return False

    def launched(self, c: Customer) -> None:
        """The customer went live."""

    def route(self, need: Need) -> None:
        """A detected need enters the team's work."""
        raise NotImplementedError

    def prepare_renewal(self, c: Customer) -> None:
        """Renewal preparation comes due (``PREP_LEAD_DAYS`` before the renewal)."""

    def lost(self, c: Customer) -> None:
        """The customer churned."""

    def choices(self, csm: Csm, now: float) -> list[Option]:
        """The options ``csm`` weighs now."""
        return []

    def taken(self, csm: Csm, option: Option) -> None:
        """Remove the chosen option's item from its list."""

    def rest(self, csm: Csm) -> None:
        """``csm`` found nothing worth doing now (a pool keeps it to wake on new work)."""

    def next_due(self, csm: Csm, now: float) -> float:
        """When ``csm``, resting, should look again unprompted (a named book's cadence); inf: never."""
        return _INF

    def touched(self, csm: Csm, c: Customer, kind: str, now: float) -> None:
        """``csm`` finished a touch of ``c`` of kind ``kind`` (a named book schedules the next)."""

    def joined(self, csm: Csm) -> None:
        self.csms.append(csm)

    def left(self, csm: Csm) -> None:
        self.csms.remove(csm)

    def _prep_task(self, c: Customer) -> Task | None:
        if self.prep_mean <= 0:
            return None
        lead = min(PREP_LEAD_DAYS, c.rules.term_days / 2)
        return Task(PREP, c, self.prep_mean, deadline=self.world.now + lead)

    def _wake(self, csm: Csm) -> None:
        if not csm.busy and csm.active and self.work is not None:
            self.work.start_next(csm)


class Pooled(Coverage):
    """One queue, any CSM: needs and tasks are served in the order the decision rule picks."""

    kind = "pooled"

    def __init__(self, world: World, name: str, spec: PooledTeam) -> None:
        super().__init__(world, name, spec)
        self.waiting: deque[Need] = deque()
        self.tasks: deque[Task] = deque()
        self.idle: list[Csm] = []
        health = self.options.health
        wv, wr, wrel = health.sat_weights
        self._rule = (
            wv, wr, wrel, health.rel_days, health.prior,
            wv * 0.0,  # the value term of a need that adds no value
            health.resp_days, QUEUED, ADOPT, NEVER, MIN_HOURS,
        )  # fmt: skip
        """:meth:`serve_next`'s constants (the health rules' weights and horizons), read in one go per decision."""

    def onboard(self, c: Customer) -> bool:
        self._add_task(Task(ONBOARD, c, c.rules.onboarding_hours.mean))
        return True

    def route(self, need: Need) -> None:
        """Queue a detected need, and wake an idle CSM if there is one.

        The need's ``offer`` is worked out here: what guidance offers while the need is on
        time, ``(p_adopt, value term, bit)``: the parts of ``benefit.need_guidance`` that do
        not change while it waits on time (they depend on the segment and on the features the
        customer bought for): the adoption chance, and the value term ``wv * value_gain``,
        which applies while the customer does not use the feature ``bit`` (None: no value
        gain; bit 0: always). :meth:`serve_next` reads it at every decision.
        """
        c = need.customer
        rules = c.rules
        feature = need.feature
        bit = 1 << feature
        if need.kind == ADOPT:
            p = rules.guided
            if not c.desired & bit:
                need.offer = (p * rules.undesired_factor, None, bit)
            else:
                alone = rules.features.self_serve[feature]
                need.offer = (p, self._rule[0] * ((p - alone) / c.n_desired) if p > alone else None, bit)
        else:
            need.offer = (0.0, self._rule[0] * (rules.problem_drop / c.n_desired) if c.desired & bit else None, 0)
        q = self.queue  # q.arrive(now), written out (once per need)
        now = self.world.env._now
        q.area += q.length * (now - q.last)
        q.last = now
        q.length += 1
        q.arrivals += 1
        self.waiting.append(need)
        if self.idle:
            self._wake_one()

    def prepare_renewal(self, c: Customer) -> None:
        task = self._prep_task(c)
        if task is not None:
            self._add_task(task)

    def sessions(self) -> Generator[simpy.Event, Any, None]:
        """One-to-many sessions on a fixed cadence (``sessions_per_month``), each a task for one CSM."""
        if self.spec.sessions_per_month <= 0:
            return
        every = DAYS_PER_MONTH / self.spec.sessions_per_month
        env = self.world.env
        while True:
            yield env.timeout(every)
            self.tasks.appendleft(Task(SESSION, None, self.spec.session_hours.mean, deadline=env.now + every))
            self._wake_one()

    def choices(self, csm: Csm, now: float) -> list[Option]:
        while self.waiting and self.waiting[0].state != QUEUED:
            self.waiting.popleft()
        while self.tasks and self.tasks[0].stale(now):
            self.tasks.popleft()
        span = csm.attention
        opts = self.options.needs(self.waiting, span, now)
        if not self.tasks:
            return opts
        needs = list(opts)
        for task in islice(self.tasks, span):
            if task.kind == SESSION:
                opts.append(session_option(task, self.spec.session_reach, self.queue.length, needs))
        opts.extend(self.options.tasks((t for t in self.tasks if t.kind != SESSION), span, now))
        return opts

    def serve_next(self, csm: Csm, now: float) -> bool:  # type: ignore[override]
        """``choose(csm, self.choices(csm, now), now)`` and its start, without option objects.

        A neutral CSM (salary only) with no task pending weighs only the first ``span``
        waiting needs, each scored ``customer_benefit / max(hours, MIN_HOURS)``: the same
        floats in the same order as :func:`choose` over :meth:`choices`, with the same
        comparison (strictly higher wins, so ties go to the oldest), so the same need wins.
        It is taken off the list and begun straight away (``Work.begin_need``), or the CSM
        rests when no need waits. False (the plain rule applies) for a paid CSM or while
        tasks wait. A property test holds whole runs equal to the plain rule.
        """
        if not csm.neutral or self.tasks:
            return False
        waiting = self.waiting
        while waiting and waiting[0].state != QUEUED:
            waiting.popleft()
        if not waiting:
            self.rest(csm)  # nothing to weigh (choose over no options)
            return True
        # benefit.need_guidance written out with the per-decision constants read once (same
        # arithmetic in the same order; the property test compares whole runs with the plain rule)
        wv, wr, wrel, rel_days, prior, no_value, resp_days, queued, adopt, never, min_hours = self._rule
        forget = now - resp_days
        span = csm.attention
        top: Need | None = None
        top_score = _NO_SCORE
        top_p = 0.0
        seen = 0
        for need in waiting:
            if need.state != queued:
                continue
            c = need.customer
            rules = c.rules
            lateness = now - need.arise_day - rules.window_days
            if lateness <= 0:  # on time: the need's offer, worked out when it was queued
                p, value, bit = need.offer
                gain = value if value is not None and not c.adopted & bit else no_value
                recent = c.recent
                if recent and recent[0][0] < forget:  # forget_before(forget) has something to forget
                    c.forget_before(forget)
                term = c.resp_gain  # kept until the recent needs change (forgetting or a new one)
                if term is None:
                    n = len(recent) if recent else 0
                    term = c.resp_gain = wr * (1.0 - (c.recent_jit / n if n else prior)) / (n + 1)
                gain += term
            elif need.kind == adopt:
                feature = need.feature
                bit = 1 << feature
                p = rules.guided * (rules.late_factor * math.exp(-lateness / rules.window_days))
                if c.desired & bit:
                    alone = rules.features.self_serve[feature]
                    gain = wv * ((p - alone) / c.n_desired) if p > alone and not c.adopted & bit else no_value
                else:
                    p *= rules.undesired_factor
                    gain = no_value
            else:
                p = 0.0
                gain = wv * (rules.problem_drop / c.n_desired) if c.desired >> need.feature & 1 else no_value
            last = c.last_contact
            gain += wrel * (1.0 - math.exp(-(now - last) / rel_days)) if last > never else wrel
            hours = need.hours
            s = gain / (min_hours if hours < min_hours else hours)  # max(hours, MIN_HOURS)
            if s > top_score:
                top, top_score, top_p = need, s, p
            seen += 1
            if seen >= span:
                break
        if top is None:
            self.rest(csm)
            return True
        waiting.remove(top)  # taken
        assert self.work is not None
        self.work.begin_need(csm, self, top, top_p, now)
        return True

    def best(self, csm: Csm, now: float) -> Option | None:
        """``choose(csm, self.choices(csm, now), now)``, building the winner's option only.

        A neutral CSM (salary only) weighs the first ``span`` waiting needs, then the
        sessions among the first ``span`` tasks, then the first ``span`` live other tasks,
        each scored ``customer_benefit / max(hours, MIN_HOURS)`` (all required work: no
        effort floor): the same floats in the same order as :func:`choose` over
        :meth:`choices`, with the same comparison (strictly higher wins, so ties go to the
        earlier), so the same option wins. A property test holds whole runs equal to the
        plain rule. (With the SMB segment on the pool, ~200 tasks wait at each decision
        and the plain rule built ~16 options per decision: ~5% of such a run.)
        """
        waiting = self.waiting
        while waiting and waiting[0].state != QUEUED:
            waiting.popleft()
        if not csm.neutral:
            return choose(csm, self.choices(csm, now), now)
        tasks = self.tasks
        while tasks and tasks[0].stale(now):  # as choices() does
            tasks.popleft()
        if not waiting and not tasks:
            return None  # nothing to weigh (choose over no options)
        # benefit.need_guidance written out with the per-decision constants read once (same
        # arithmetic in the same order; the property test compares whole runs with the plain rule)
        health = self.options.health
        wv, wr, wrel = health.sat_weights
        rel_days, prior = health.rel_days, health.prior
        forget = now - health.resp_days
        span = csm.attention
        top: Need | None = None
        top_score = _NO_SCORE
        top_gain = top_p = 0.0
        top_jit = False
        gains: list[float] = []  # the weighed needs' benefits, for a session's worth
        seen = 0
        for need in waiting:
            if need.state != QUEUED:
                continue
            c = need.customer
            rules = c.rules
            feature = need.feature
            bit = 1 << feature
            lateness = now - need.arise_day - rules.window_days
            jit = lateness <= 0
            wanted = c.desired & bit
            if need.kind == ADOPT:
                p = rules.guided
                if lateness > 0:
                    p *= rules.late_factor * math.exp(-lateness / rules.window_days)
                if not wanted:
                    p *= rules.undesired_factor
                alone = rules.features.self_serve[feature]
                value_gain = (p - alone) / c.n_desired if wanted and p > alone and not c.adopted & bit else 0.0
            else:
                p = 0.0
                value_gain = rules.problem_drop / c.n_desired if wanted else 0.0
            gain = wv * value_gain
            if jit:
                if c.recent_from < forget:  # forget_before(forget) has something to forget
                    c.forget_before(forget)
                n = c.recent_n  # len(c.recent), kept on the customer
                resp = c.recent_jit / n if n else prior
                gain += wr * (1.0 - resp) / (n + 1)
            last = c.last_contact
            gain += wrel * (1.0 - math.exp(-(now - last) / rel_days)) if last > NEVER else wrel
            hours = need.hours
            s = gain / (MIN_HOURS if hours < MIN_HOURS else hours)  # max(hours, MIN_HOURS)
            if s > top_score:
                top, top_score, top_gain, top_p, top_jit = need, s, gain, p, jit
            gains.append(gain)
            seen += 1
            if seen >= span:
                break
        task, task_gain, task_score = self._best_task(span, now, gains, top_score) if tasks else (None, 0.0, top_score)
        if task is not None:
            option = new_option(task.kind, task.hours, task_gain, task.customer, -1, 0.0, False, False, False, None, "",
                                task)  # fmt: skip
            option.score = task_score
            return option
        if top is None:
            return None
        option = new_option(NEED, top.hours, top_gain, top.customer, top.feature, top_p, top_jit, False, False, top, "",
                            top)  # fmt: skip
        option.score = top_score
        return option

    def _best_task(self, span: int, now: float, gains: list[float], to_beat: float) -> tuple[Task | None, float, float]:
        """The task :func:`choose` would take over the needs (best score ``to_beat``): its
        benefit and score; None if no task scores higher.

        The options :meth:`choices` adds after the needs, scored as :func:`score` does for
        a neutral CSM: the sessions among the first ``span`` tasks (as
        :func:`session_option` prices them from the weighed needs' ``gains``), then the
        first ``span`` live other tasks (as :meth:`OptionBuilder.tasks` prices them).
        """
        best: Task | None = None
        best_gain, best_score = 0.0, to_beat
        worth = sum(gains) / len(gains) if gains else 0.0
        reach_waiting = self.spec.session_reach * self.queue.length
        for task in islice(self.tasks, span):
            if task.kind == SESSION:
                gain = reach_waiting * worth
                hours = task.hours
                s = gain / (MIN_HOURS if hours < MIN_HOURS else hours)
                if s > best_score:
                    best, best_gain, best_score = task, gain, s
        health = self.options.health
        wrel, rel_days = health.sat_weights[2], health.rel_days
        n = 0
        for task in self.tasks:
            c = task.customer
            if task.kind == SESSION or now > task.deadline or (c is not None and c.churned):  # sessions, Task.stale
                continue
            if task.kind == ONBOARD:
                gain = ONBOARDING_BENEFIT
            elif c is not None:  # benefit.contact, written out
                last = c.last_contact
                gain = wrel * (1.0 - math.exp(-(now - last) / rel_days)) if last > NEVER else wrel
            else:
                gain = 0.0
            hours = task.hours
            s = gain / (MIN_HOURS if hours < MIN_HOURS else hours)
            if s > best_score:
                best, best_gain, best_score = task, gain, s
            n += 1
            if n >= span:
                break
        return best, best_gain, best_score

    def taken(self, csm: Csm, option: Option) -> None:
        if option.kind == NEED:
            self.waiting.remove(option.payload)
        else:
            self.tasks.remove(option.payload)

    def rest(self, csm: Csm) -> None:
        if csm not in self.idle:
            self.idle.append(csm)

    def left(self, csm: Csm) -> None:
        super().left(csm)
        if csm in self.idle:
            self.idle.remove(csm)

    def _add_task(self, task: Task) -> None:
        self.tasks.append(task)
        self._wake_one()

    def _wake_one(self) -> None:
        while self.idle:
            csm = self.idle.pop(0)
            if csm.active and not csm.busy:
                if self.work is not None:
                    self.work.start_next(csm)  # _wake(csm), its checks made
                return


class Digital(Coverage):
    """In-app guidance: no CSM, no raised needs (nobody to raise them to), signals only."""

    kind = "digital"
    human = False
    hears_raised = False

    def __init__(self, world: World, name: str, spec: DigitalTeam) -> None:
        super().__init__(world, name, spec)
        self.delivery_rng = world.streams[f"delivery:{name}"]

    def route(self, need: Need) -> None:
        self.queue.arrive(self.world.now)
        delay = float(self.spec.delivery_days.sample(self.delivery_rng))
        self.world.agenda.at(self.world.now + delay, self.deliver, need)

    def deliver(self, need: Need) -> None:
        if need.state != QUEUED:
            return  # expired or the customer left first
        world = self.world
        world.start_service(need, None)
        c = need.customer
        lateness = need.lateness(world.now)
        chance = c.rules.guided_chance(c.wants(need.feature), lateness) * self.spec.effectiveness
        world.work_done(need, chance, None)


_NO_SCORE: Final = float("-inf")

COVERAGE: dict[str, type[Coverage]] = {"pooled": Pooled, "digital": Digital}
"""Coverage kind -> policy class (``named`` registers itself in :mod:`simulator.engine.named`)."""
