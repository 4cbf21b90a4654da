"""Named (high-touch) coverage: one CSM per customer, capped books, a proactive cadence.

Books: a new customer goes to the smallest book under ``max_accounts``. When every book
is full, ``overflow: reassign`` puts it on the smallest book anyway (over the cap) and
``overflow: uncovered`` leaves it without a CSM until a seat frees up. A departing CSM's
customers are spread the same way over the teammates (or wait, uncovered, for the
replacement), and their relationship starts again from nothing. A new hire first takes
uncovered customers, then (``reassign``) accounts from the largest books until books are
even, each move again resetting the relationship.

Cadence: each customer has a next check-in and next QBR date; a per-CSM heap holds them
(a hint: an entry is valid only while it still matches the customer's date and CSM), so
no per-customer timer is pending. Due touches are *discretionary*: the decision rule may
postpone them, and an overloaded CSM's proactive work slips first, as in the field.
"""

from __future__ import annotations

import heapq
from math import exp
from typing import TYPE_CHECKING

from simulator.engine.coverage import COVERAGE, Coverage
from simulator.engine.options import CHECKIN, QBR, QUICK, Task, drop_first, quick_option, touch_option
from simulator.model import benefit
from simulator.model.benefit import ONBOARDING_BENEFIT
from simulator.model.customer import NEVER
from simulator.model.decisions import MIN_HOURS, NEED, ONBOARD, TOUCH, Option, choose
from simulator.model.need import QUEUED, Need
from simulator.scenario.schema import DAYS_PER_MONTH, NamedTeam

if TYPE_CHECKING:
    from simulator.engine.world import World
    from simulator.model.csm import Csm
    from simulator.model.customer import Customer

Entry = tuple[float, int, str, "Customer"]

_NO_DAY = float("inf")
"""A due date that never comes (no QBRs)."""

RECONSIDER_DAYS = 2.0
"""An idle CSM who put off due touches looks at them again after this many days."""


class Named(Coverage):
    """Books, own work lists and due touches per CSM."""

    kind = "named"

    def __init__(self, world: World, name: str, spec: NamedTeam) -> None:
        super().__init__(world, name, spec)
        self.cap = spec.max_accounts
        self.overflow = spec.overflow
        self.checkin_days = spec.checkin_days
        self.qbr_days = spec.qbr_months * DAYS_PER_MONTH
        self.hours = {CHECKIN: spec.checkin_hours.mean, QBR: spec.qbr_hours.mean, QUICK: spec.quick_touch_hours.mean}
        self.divisors = {kind: max(hours, MIN_HOURS) for kind, hours in self.hours.items()}
        """What a touch's benefit is divided by in its score (its hours, floored)."""
        self.uncovered: list[Customer] = []
        self.orphans: list[Need] = []
        self.history = world.streams[f"history:{name}"]
        self._seq = 0

    # ---- customers

    def sign(self, c: Customer, initial: bool) -> None:
        if initial:  # contact history and cadence already under way at time 0
            u = self.history.random(3)
            c.last_contact = c.last_touch = c.last_activity = -u[0] * self.checkin_days
            c.due_checkin = u[1] * self.checkin_days
            c.due_qbr = u[2] * self.qbr_days if self.qbr_days > 0 else float("inf")
        csm = self._book_for()
        if csm is None:
            self.uncovered.append(c)
        else:
            self._give(c, csm)

    def onboard(self, c: Customer) -> bool:
        if c.csm is None:
            return False
        c.csm.tasks.append(Task(ONBOARD, c, c.rules.onboarding_hours.mean))
        self._wake(c.csm)
        return True

    def launched(self, c: Customer) -> None:
        now = self.world.now
        c.due_checkin = now + self.checkin_days
        c.due_qbr = now + self.qbr_days if self.qbr_days > 0 else float("inf")
        if c.csm is not None:
            self._schedule(c.csm, c)
            self._track(c.csm, c)
            self._wake(c.csm)

    def route(self, need: Need) -> None:
        self.queue.arrive(self.world.now)
        csm = need.customer.csm
        if csm is None:
            self.orphans.append(need)
        else:
            csm.pending.append(need)
            self._wake(csm)

    def prepare_renewal(self, c: Customer) -> None:
        task = self._prep_task(c) if c.csm is not None else None
        if task is not None and c.csm is not None:
            c.csm.tasks.append(task)
            self._wake(c.csm)

    def lost(self, c: Customer) -> None:
        csm = c.csm
        if csm is None:
            if c in self.uncovered:
                self.uncovered.remove(c)
            return
        self._take_back(c, csm)
        if self.uncovered and len(csm.book) < self.cap:
            self._give(self.uncovered.pop(0), csm, reset=True)

    # ---- the CSM's choices

    def choices(self, csm: Csm, now: float) -> list[Option]:
        span = csm.attention
        opts = self._required(csm, now)
        for entry in self._ready(csm, now, span):
            opts.append(self.options.touch(csm, entry[3], entry[2], self.hours[entry[2]], now, entry))
        if self.hours[QUICK] > 0 and not csm.neutral and csm.gaming > 0:  # worth nothing to the customer
            for entry in self._least_active(csm, span):
                opts.append(quick_option(entry[3], self.hours[QUICK], entry))
        return opts

    def best(self, csm: Csm, now: float) -> Option | None:
        """``choose(csm, self.choices(csm, now), now)``, building one option at most.

        A neutral CSM (salary only) has no quick touches and no plan gain, so its options
        are needs, tasks, then due touches, each scored ``customer_benefit / hours``, and
        :func:`choose` keeps a running maximum over them in that order. This is that loop
        written out on floats (the benefits inlined with the same arithmetic, the same
        comparison: strictly higher, touches also at least the effort floor), so the
        winner is the same, ties included; only the winner becomes an :class:`Option`.
        A decision runs at every task end and wake-up, so this is the named team's hot
        path; a property test holds whole runs equal to the plain rule.
        """
        if not csm.neutral:
            top = choose(csm, self._priced_choices(csm, now), now)
            if self.hours[QUICK] > 0 and csm.gaming > 0:  # worth nothing to the customer
                return self._best_quick(csm, now, top)
            return top
        return self._neutral_best(csm, now)

    def _priced_choices(self, csm: Csm, now: float) -> list[Option]:
        """:meth:`choices` without the twin due touches (see :meth:`_best_touch`) and without
        the quick touches (:meth:`_best_quick` weighs them after these).

        A twin (the same customer and kind right after an entry: the same touch) would be
        the same option, priced the same, so under the strict comparison of :func:`choose`
        it could never win; the span already counted it in :meth:`_ready`. Each touch
        option costs a push choice and plan pricing, so twins are not built. A property
        test holds whole runs under paid plans equal to the plain rule.
        """
        span = csm.attention
        opts = self._required(csm, now)
        builder, hours = self.options, self.hours
        last: Entry | None = None
        for entry in self._ready(csm, now, span):
            if last is not None and entry[3] is last[3] and entry[2] == last[2] and entry[0] == last[0]:
                continue
            last = entry
            opts.append(builder.touch(csm, entry[3], entry[2], hours[entry[2]], now, entry))
        return opts

    def _best_quick(self, csm: Csm, now: float, top: Option | None) -> Option | None:
        """:func:`choose` carried on over the quick touches, from ``top`` (the winner so far).

        Quick touches come last in :meth:`choices`, and :func:`choose` is a running maximum,
        so going on from ``top`` and its score picks the same option. Up to ``span`` quick
        touches are weighed per decision and few win, so they are priced on one scratch
        option (the plan gain reads only its fields) and scored as :func:`score` does
        (customer benefit 0: the same arithmetic); only a winner becomes its own option.
        """
        hours = self.hours[QUICK]
        per_hour = hours if hours > MIN_HOURS else MIN_HOURS  # max(hours, MIN_HOURS)
        g = csm.gaming
        price = csm.incentive.plan_gain
        floor = csm.effort_floor
        best_score = top.score if top is not None else float("-inf")
        scratch: Option | None = None
        won: Entry | None = None
        won_gain = 0.0
        for entry in self._least_active(csm, csm.attention):
            if scratch is None:
                scratch = quick_option(entry[3], hours, entry)
            else:
                scratch.customer = entry[3]
            gain = price(csm, scratch, now)
            s = ((1.0 - g) * 0.0 + g * gain) / per_hour
            if s > best_score and s >= floor:
                won, won_gain, best_score = entry, gain, s
        if won is None:
            return top
        option = quick_option(won[3], hours, won)
        option.plan_gain = won_gain
        option.score = best_score
        return option

    def _neutral_best(self, csm: Csm, now: float) -> Option | None:
        span = csm.attention
        builder = self.options
        health = builder.health
        best_score = float("-inf")
        top_kind = ""  # "need", "task" or "touch": what won so far
        top: object = None
        top_gain = top_p = 0.0
        top_jit = False
        pending = csm.pending
        if len(pending) > 4 * span:  # keep the list short: drop needs that expired or left
            pending[:] = [n for n in pending if n.state == QUEUED]
        guidance = benefit.need_guidance
        n = 0
        for need in pending:
            if need.state != QUEUED:
                continue
            gain, p_adopt, jit = guidance(health, need, now)
            hours = need.hours
            s = gain / (MIN_HOURS if hours < MIN_HOURS else hours)  # max(hours, MIN_HOURS)
            if s > best_score:  # required work: no effort floor
                best_score, top_kind, top, top_gain, top_p, top_jit = s, NEED, need, gain, p_adopt, jit
            n += 1
            if n >= span:
                break
        tasks = csm.tasks
        if tasks:
            wrel, rel_days = health.sat_weights[2], health.rel_days
            n = 0
            for task in tasks:
                c = task.customer
                if now > task.deadline or (c is not None and c.churned):  # Task.stale
                    continue
                if task.kind == ONBOARD:
                    gain = ONBOARDING_BENEFIT
                elif c is not None:  # benefit.contact, written out
                    last = c.last_contact
                    gain = wrel * (1.0 - exp(-(now - last) / rel_days)) if last > NEVER else wrel
                else:
                    gain = 0.0
                hours = task.hours
                s = gain / (MIN_HOURS if hours < MIN_HOURS else hours)
                if s > best_score:
                    best_score, top_kind, top, top_gain = s, "task", task, gain
                n += 1
                if n >= span:
                    break
        touch = self._best_touch(csm, now, span, best_score)
        if touch is not None:
            entry, s, gain, push = touch
            option = touch_option(entry[3], entry[2], self.hours[entry[2]], gain, push, entry)
        elif top_kind == NEED:
            option = builder.need_option(top, top_gain, top_p, top_jit)  # type: ignore[arg-type]
            s = best_score
        elif top_kind:
            option = builder.task_option(top, top_gain)  # type: ignore[arg-type]
            s = best_score
        else:
            return None
        option.score = s  # plan_gain stays 0: no plan
        return option

    def _best_touch(self, csm: Csm, now: float, span: int, to_beat: float) -> tuple[Entry, float, float, Option] | None:
        """The first due touch scoring above ``to_beat`` and the effort floor: its entry,
        score, customer benefit and push (what :meth:`OptionBuilder.touch` would give).

        Scores ``OptionBuilder.touch(...).customer_benefit / hours`` with the benefit written out
        (:func:`benefit.touch_base` and the cached neutral push, same arithmetic), over the
        same entries :meth:`_ready` gives, in the same order.

        A customer may have several valid entries of one kind (each check-in schedules its
        QBR again at the same date), and they count against the span like any other. Twins
        score the same, so after the first one's comparison (strictly higher wins) a twin
        can never win: it is counted and not scored. Twins pop from the heap together, so
        they sit side by side in ``ready`` (more than half the entries weighed in the
        default scenario); a twin found elsewhere is scored, to the same effect.
        """
        due = csm.due
        ready = csm.ready
        while due and due[0][0] <= now:
            ready.append(heapq.heappop(due))
        if not ready:
            return None
        builder, divisors = self.options, self.divisors
        health = builder.health
        wv, _, wrel = health.sat_weights
        rel_days = health.rel_days
        pushes = builder.neutral_pushes
        floor = csm.effort_floor
        best_score = to_beat
        top: Entry | None = None
        top_gain = 0.0
        top_push: Option | None = None
        last_c: Customer | None = None
        last_kind = ""
        seg_rules = None  # the segment rules last read, and what discovery needs of them
        hidden = expiry = detect = guided = share = 0.0
        n = i = 0
        while i < len(ready) and n < span:
            entry = ready[i]
            day, _, kind, c = entry  # valid while it matches the customer's date and CSM
            if c.csm is not csm or c.churned or day != (c.due_checkin if kind == CHECKIN else c.due_qbr):
                del ready[i]
                continue
            i += 1
            n += 1
            if c is last_c and kind == last_kind:  # a twin of the entry just scored (see below)
                continue
            last_c, last_kind = c, kind
            last = c.last_contact
            gain = wrel * (1.0 - exp(-(now - last) / rel_days)) if last > NEVER else wrel
            rules = c.rules
            if rules is not seg_rules:
                seg_rules = rules
                hidden, expiry, detect = rules.hidden_rate, rules.expiry_days or 365.0, rules.checkin_detect
                guided, share = rules.guided, rules.desired_share
            desired, adopted = c.desired, c.adopted
            if (desired & ~adopted) == 0 or hidden <= 0:
                gain = gain + 0.0
            else:
                since = now - c.last_touch
                found = hidden * (expiry if expiry < since else since) * detect  # min(since, expiry)
                gain = gain + wv * found * guided * share / c.n_desired
            push = pushes.get((c.segment, desired, adopted))
            if push is None:
                push = builder.push_for(csm, c, self.hours[kind], now)
            gain = gain + push.customer_benefit
            s = gain / divisors[kind]
            if s > best_score and s >= floor:
                top, best_score, top_gain, top_push = entry, s, gain, push
        return (top, best_score, top_gain, top_push) if top is not None and top_push is not None else None

    def _required(self, csm: Csm, now: float) -> list[Option]:
        span = csm.attention
        if len(csm.pending) > 4 * span:  # keep the list short: drop needs that expired or left
            csm.pending[:] = [n for n in csm.pending if n.state == QUEUED]
        opts = self.options.needs(csm.pending, span, now)
        opts.extend(self.options.tasks(csm.tasks, span, now))
        return opts

    def taken(self, csm: Csm, option: Option) -> None:
        if option.kind == NEED:
            drop_first(csm.pending, option.payload)
        elif option.kind == TOUCH and option.touch_kind == QUICK:
            drop_first(csm.quick, option.payload)
            heapq.heapify(csm.quick)
        elif option.kind == TOUCH:
            drop_first(csm.ready, option.payload)
        else:
            drop_first(csm.tasks, option.payload)

    def touched(self, csm: Csm, c: Customer, kind: str, now: float) -> None:
        """A touch is done: the next one comes due a cadence later (a QBR also counts as a check-in)."""
        c.last_activity = now
        mine = c.csm is csm and not c.churned
        if mine:
            self._track(csm, c)
        if kind == QUICK:
            return
        c.due_checkin = now + self.checkin_days
        if kind == QBR:
            c.due_qbr = now + self.qbr_days
        if mine:
            self._schedule(csm, c)

    def next_due(self, csm: Csm, now: float) -> float:
        """When ``csm`` should look again with nothing to do: the next due touch, or in
        ``RECONSIDER_DAYS`` if due touches are being put off (their worth grows as the last
        contact recedes)."""
        due = csm.due[0][0] if csm.due else float("inf")
        return min(due, now + RECONSIDER_DAYS) if csm.ready else due

    # ---- seats

    def joined(self, csm: Csm) -> None:
        super().joined(csm)
        while self.uncovered and len(csm.book) < self.cap:
            self._give(self.uncovered.pop(0), csm, reset=True)
        if self.overflow == "reassign":
            self._rebalance(csm)

    def left(self, csm: Csm) -> None:
        super().left(csm)
        for c in sorted(csm.book.values(), key=lambda x: x.id):
            pending = [n for n in csm.pending if n.customer is c and n.state == QUEUED]
            tasks = [t for t in csm.tasks if t.customer is c]
            self._take_back(c, csm)
            heir = self._book_for()
            if heir is None:
                self.uncovered.append(c)
                self.orphans.extend(pending)
                if any(t.kind == ONBOARD for t in tasks):  # nobody left to onboard it: it launches alone
                    self.world.onboarded(c)
            else:
                self._give(c, heir, pending, tasks, reset=True)
        csm.pending.clear()
        csm.tasks.clear()

    # ---- internals

    def _book_for(self) -> Csm | None:
        active = [x for x in self.csms if x.active and not x.leaving]
        if not active:
            return None
        best = min(active, key=lambda x: (len(x.book), x.id))
        return best if len(best.book) < self.cap or self.overflow == "reassign" else None

    def _give(
        self,
        c: Customer,
        csm: Csm,
        pending: list[Need] | None = None,
        tasks: list[Task] | None = None,
        reset: bool = False,
    ) -> None:
        csm.take(c)
        if reset:
            c.last_contact = NEVER  # a new CSM starts the relationship again
        csm.incentive.on_book(csm, c, True, self.world.now)
        mine = [n for n in self.orphans if n.customer is c]
        for need in mine:
            self.orphans.remove(need)
        csm.pending.extend(pending or [])
        csm.pending.extend(mine)
        csm.tasks.extend(tasks or [])
        if c.live:
            self._schedule(csm, c)
            self._track(csm, c)
        if pending or mine or tasks:
            self._wake(csm)

    def _take_back(self, c: Customer, csm: Csm) -> None:
        csm.release(c)
        csm.incentive.on_book(csm, c, False, self.world.now)

    def _rebalance(self, csm: Csm) -> None:
        others = [x for x in self.csms if x is not csm and x.active and not x.leaving]
        while others:
            big = max(others, key=lambda x: (len(x.book), -x.id))
            if len(big.book) - len(csm.book) <= 1:
                return
            c = max(big.book.values(), key=lambda x: x.id)
            pending = [n for n in big.pending if n.customer is c and n.state == QUEUED]
            tasks = [t for t in big.tasks if t.customer is c]
            for item in pending:
                big.pending.remove(item)
            for task in tasks:
                big.tasks.remove(task)
            self._take_back(c, big)
            self._give(c, csm, pending, tasks, reset=True)

    def _track(self, csm: Csm, c: Customer) -> None:
        """Index ``c`` by its last touch of any kind, for quick-touch candidates (only for a
        CSM who weighs them: see :meth:`choices`)."""
        if self.hours[QUICK] > 0 and not csm.neutral and csm.gaming > 0:
            self._seq += 1
            heapq.heappush(csm.quick, (c.last_activity, self._seq, QUICK, c))

    def _schedule(self, csm: Csm, c: Customer) -> None:
        """Put ``c``'s next check-in, then its next QBR, on ``csm``'s due heap (runs per touch)."""
        day = c.due_checkin
        if day != _NO_DAY:
            self._seq += 1
            heapq.heappush(csm.due, (day, self._seq, CHECKIN, c))
        day = c.due_qbr
        if day != _NO_DAY:
            self._seq += 1
            heapq.heappush(csm.due, (day, self._seq, QBR, c))

    def _least_active(self, csm: Csm, span: int) -> list[Entry]:
        """The ``span`` customers of the book touched longest ago (stale heap entries dropped)."""
        heap = csm.quick
        out: list[Entry] = []
        while heap and len(out) < span:
            day, _, _, c = entry = heap[0]
            if c.csm is csm and not c.churned and c.live and day == c.last_activity:
                out.append(heapq.heappop(heap))
            else:
                heapq.heappop(heap)
        for entry in out:  # put the candidates back: only the chosen one is taken
            heapq.heappush(heap, entry)
        return out

    def _ready(self, csm: Csm, now: float, span: int) -> list[Entry]:
        """The first ``span`` valid due touches, most overdue first (stale entries dropped)."""
        due = csm.due
        ready = csm.ready
        while due and due[0][0] <= now:
            ready.append(heapq.heappop(due))
        out: list[Entry] = []
        i = 0
        while i < len(ready) and len(out) < span:
            entry = ready[i]
            day, _, kind, c = entry  # valid while it matches the customer's date and CSM
            if c.csm is csm and not c.churned and day == (c.due_checkin if kind == CHECKIN else c.due_qbr):
                out.append(entry)
                i += 1
            else:
                del ready[i]
        return out


COVERAGE["named"] = Named
