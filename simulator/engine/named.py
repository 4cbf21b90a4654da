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
from typing import TYPE_CHECKING

from simulator.engine.coverage import COVERAGE
from simulator.engine.named_choice import NamedChoice
from simulator.engine.options import CHECKIN, QBR, QUICK, Task, drop_first, live_tasks
from simulator.model.customer import NEVER
from simulator.model.decisions import MIN_HOURS, NEED, ONBOARD, TOUCH, Option
from simulator.model.need import QUEUED, Need
from simulator.scenario.schema import DAYS_PER_MONTH, NamedTeam

if TYPE_CHECKING:
    from simulator.engine.world import World
    from simulator.model.csm import Csm
    from simulator.model.customer import Customer

_NO_DAY = float("inf")
"""A due date that never comes (no QBRs)."""

RECONSIDER_DAYS = 2.0
"""An idle CSM who put off due touches looks at them again after this many days."""


class Named(NamedChoice):
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
        self.queue.arrive(self.world.env._now)  # world.now without the property call (once per need)
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
            self._schedule(csm, c, qbr=kind == QBR)

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
        now = self.world.now
        for c in sorted(csm.book.values(), key=lambda x: x.id):
            pending = [n for n in csm.pending if n.customer is c and n.state == QUEUED]
            tasks = live_tasks([t for t in csm.tasks if t.customer is c], now)
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
        """The active CSM with the smallest book (lowest id among equals), if it may take one more.

        Called at every signing and for each customer of a departing CSM, over every seat of
        the team, so the team's size times the customers signed: at 100,000 customers a
        ``min`` with a key function here was ~1% of all instructions. A plain loop picks the same CSM.
        """
        best: Csm | None = None
        best_size = 0
        for x in self.csms:
            if x.active and not x.leaving:
                size = len(x.book)
                if best is None or size < best_size or (size == best_size and x.id < best.id):
                    best, best_size = x, size
        if best is None:
            return None
        return best if best_size < self.cap or self.overflow == "reassign" else None

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
        elif c.live:
            self._nudge(csm)

    def _nudge(self, csm: Csm) -> None:
        """Wake ``csm`` at the end of this instant if it is resting: it has a new live account,
        whose touches may come due before the rest it is in (armed at its own book's next due
        touch, or never for an empty book) would end.

        Deferred rather than at once, so a CSM handed several accounts in one instant (the
        initial books at day 0, a departed colleague's book) looks at them all before it
        chooses. A rest ends on the CSM's wake count, so whichever wake comes first (this
        one, or new work) makes the others void.
        """
        if not csm.busy and csm.active and self.work is not None:
            self.work.look_again(csm, 0.0)

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
            self._give(c, csm, pending, live_tasks(tasks, self.world.now), reset=True)

    def _track(self, csm: Csm, c: Customer) -> None:
        """Index ``c`` by its last touch of any kind, for quick-touch candidates (only for a
        CSM who weighs them: see :meth:`choices`)."""
        if self.hours[QUICK] > 0 and not csm.neutral and csm.gaming > 0:
            self._seq += 1
            heapq.heappush(csm.quick, (c.last_activity, self._seq, QUICK, c))

    def _schedule(self, csm: Csm, c: Customer, qbr: bool = True) -> None:
        """Put ``c``'s next check-in, then its next QBR, on ``csm``'s due heap (runs per touch).

        After a check-in only the check-in moves: the QBR's entry already on the heap stays
        valid, and pushing it again would give the CSM a twin that takes a slot of the
        attention span without being a second touch to weigh.
        """
        day = c.due_checkin
        if day != _NO_DAY:
            self._seq += 1
            heapq.heappush(csm.due, (day, self._seq, CHECKIN, c))
        day = c.due_qbr
        if qbr and day != _NO_DAY:
            self._seq += 1
            heapq.heappush(csm.due, (day, self._seq, QBR, c))


COVERAGE["named"] = Named
