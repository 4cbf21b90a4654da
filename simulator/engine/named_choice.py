"""What a named-team CSM does next: the decision rule over needs, tasks and touches.

:class:`NamedChoice` is the half of :class:`~simulator.engine.named.Named` that chooses;
the other half keeps books and the check-in cadence. Choosing is the named team's hot
path (a decision runs at every task end and wake-up), so besides the plain
:meth:`NamedChoice.choices` it has written-out versions of :func:`choose` over them: one
on floats for a neutral (salary-only) CSM and one that prices quick touches on a scratch
option for a paid CSM. Property tests hold whole runs under both equal to the plain rule.
"""

from __future__ import annotations

import heapq
from math import exp
from typing import TYPE_CHECKING

from simulator.engine.coverage import Coverage
from simulator.engine.options import CHECKIN, QUICK, drop_stale, live_tasks, quick_option, touch_option
from simulator.model import benefit
from simulator.model.benefit import ONBOARDING_BENEFIT
from simulator.model.customer import NEVER
from simulator.model.decisions import MIN_HOURS, NEED, ONBOARD, Option, choose
from simulator.model.need import QUEUED

if TYPE_CHECKING:
    from simulator.model.csm import Csm
    from simulator.model.customer import Customer

Entry = tuple[float, int, str, "Customer"]
"""A due or quick touch in a CSM's heap: (day, sequence, kind, customer)."""


class NamedChoice(Coverage):
    """The decision half of a named team (mixed into :class:`~simulator.engine.named.Named`)."""

    hours: dict[str, float]
    """Mean hours per touch kind."""
    divisors: dict[str, float]
    """What a touch's benefit is divided by in its score (its hours, floored)."""

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
            stale = False
            for task in tasks:
                c = task.customer
                if now > task.deadline or (c is not None and c.churned):  # Task.stale
                    stale = True
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
            if stale:  # never chosen again: drop them (the same choices, a shorter list to scan)
                tasks[:] = live_tasks(tasks, now)
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

        A customer rarely has two valid entries of one kind (a customer handed back to a
        CSM who still holds its old entry); such twins count against the span like any
        other. They score the same, so after the first one's comparison (strictly higher
        wins) a twin can never win: it is counted and not scored. A twin not side by side
        with its first is scored, to the same effect.
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
        drop_stale(csm.tasks, now)  # as _neutral_best() does
        opts.extend(self.options.tasks(csm.tasks, span, now))
        return opts

    def _least_active(self, csm: Csm, span: int) -> list[Entry]:
        """The ``span`` customers of the book touched longest ago (stale heap entries dropped).

        The heap is sorted in place instead of popped and pushed back: a sorted list is a
        heap, entries are totally ordered (a unique sequence number follows the day), and
        it stays nearly sorted between decisions (one entry pushed per touch), so the sort
        is cheap. The same entries come out in the same order, and the stale entries
        passed on the way are dropped, as popping would.
        """
        heap = csm.quick
        heap.sort()
        out: list[Entry] = []
        i, n = 0, len(heap)
        while i < n and len(out) < span:
            day, _, _, c = entry = heap[i]
            i += 1
            if c.csm is csm and not c.churned and c.live and day == c.last_activity:
                out.append(entry)
        if len(out) < i:  # stale entries passed: drop them (still sorted, so still a heap)
            heap[:i] = out
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
