"""Turning a CSM's work lists into :class:`~simulator.model.decisions.Option` objects.

The CSM weighs at most ``attention_span`` items of each list (oldest first): a bounded
look that keeps a decision O(span) however long the backlog grows, and matches how
people work a queue. Hours in options are *expected* hours (the actual ones are drawn
when the task starts), so a choice never peeks at the future.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from simulator.model import benefit
from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.decisions import MIN_HOURS, NEED, ONBOARD, PREP, PUSH, SESSION, TOUCH, Option, choose, new_option
from simulator.model.health import HealthRules
from simulator.model.need import QUEUED, Need

CHECKIN: Final = "checkin"
QBR: Final = "qbr"
QUICK: Final = "quick"


class Task:
    """Work that is not a need: onboarding, renewal preparation, a one-to-many session."""

    __slots__ = ("customer", "deadline", "hours", "kind")

    def __init__(self, kind: str, customer: Customer | None, hours: float, deadline: float = float("inf")) -> None:
        self.kind = kind
        self.customer = customer
        self.hours = hours
        self.deadline = deadline

    def stale(self, now: float) -> bool:
        """Past its deadline undone, or its customer churned: it can never be chosen again."""
        c = self.customer
        return now > self.deadline or (c is not None and c.churned)


def live_tasks(tasks: list[Task], now: float) -> list[Task]:
    """``tasks`` without the stale ones, in the same order.

    A decision skips stale tasks without counting them against the attention span, so
    dropping them changes no choice; kept, they were scanned at every later decision (a
    renewal preparation left undone stays past its deadline for good), and a hand-over
    of nothing but stale tasks woke the heir for no work.
    """
    return [t for t in tasks if not t.stale(now)]


def drop_stale(tasks: list[Task], now: float) -> None:
    """Remove the stale tasks from ``tasks`` in place (see :func:`live_tasks`); no copy when there are none."""
    for task in tasks:
        if task.stale(now):
            tasks[:] = live_tasks(tasks, now)
            return


class OptionBuilder:
    """Options for needs, tasks and touches, priced on the satisfaction scale."""

    def __init__(self, health: HealthRules) -> None:
        self.health = health
        self.neutral_pushes: dict[tuple[str, int, int], Option] = {}
        """The push a neutral CSM chooses, by (segment, desired, adopted); filled by :meth:`push_for`."""
        self.push_benefits: dict[tuple[str, int, int], tuple[tuple[int, float, float], ...]] = {}
        """What :meth:`_push_benefits` gives, by (segment, desired, adopted)."""

    def needs(self, queue: Iterable[Need], span: int, now: float) -> list[Option]:
        """Options for the first ``span`` needs still waiting, oldest first."""
        out: list[Option] = []
        health = self.health
        guidance = benefit.need_guidance
        for need in queue:
            if need.state != QUEUED:
                continue
            gain, p_adopt, jit = guidance(health, need, now)
            out.append(new_option(NEED, need.hours, gain, need.customer, need.feature, p_adopt, jit, False, False, need,
                                  "", need))  # fmt: skip
            if len(out) >= span:
                break
        return out

    def tasks(self, tasks: Iterable[Task], span: int, now: float) -> list[Option]:
        out: list[Option] = []
        for task in tasks:
            if task.stale(now):
                continue
            c = task.customer
            if task.kind == ONBOARD:
                gain = benefit.ONBOARDING_BENEFIT
            elif c is not None:
                gain = benefit.contact(self.health, c, now)
            else:
                gain = 0.0
            out.append(new_option(task.kind, task.hours, gain, c, -1, 0.0, False, False, False, None, "", task))
            if len(out) >= span:
                break
        return out

    def need_option(self, need: Need, gain: float, p_adopt: float, jit: bool) -> Option:
        """The option :meth:`needs` builds for ``need``, from its :func:`benefit.need_guidance`."""
        return new_option(
            NEED, need.hours, gain, need.customer, need.feature, p_adopt, jit, False, False, need, "", need
        )

    def task_option(self, task: Task, gain: float) -> Option:
        """The option :meth:`tasks` builds for ``task``, worth ``gain``."""
        return new_option(task.kind, task.hours, gain, task.customer, -1, 0.0, False, False, False, None, "", task)

    def touch(self, csm: Csm, c: Customer, kind: str, hours: float, now: float, entry: Any) -> Option:
        """A check-in or QBR with ``c``, carrying the feature the CSM would push in it.

        The push is itself a choice through :func:`choose` among the features not in use
        (and pushing nothing), so a plan that pays for some features steers it. Under a
        neutral incentive (no plan gain) the choice depends only on the customer's
        features, so it is cached by (segment, desired, adopted).
        """
        push = self.push_for(csm, c, hours, now)
        return touch_option(
            c, kind, hours, benefit.touch_base(self.health, c, now) + push.customer_benefit, push, entry
        )

    def push_for(self, csm: Csm, c: Customer, hours: float, now: float) -> Option:
        """The feature to push in a touch with ``c`` (an option; ``feature`` -1 for none)."""
        if not (csm.gaming == 0 or csm.neutral):
            return self._paid_push(csm, c, hours, now)
        key = (c.segment, c.desired, c.adopted)
        best = self.neutral_pushes.get(key)
        if best is None:
            best = choose(csm, self._pushes(c, hours), now)
            assert best is not None  # pushes are all required options: one is always chosen
            self.neutral_pushes[key] = best
        return best

    def _paid_push(self, csm: Csm, c: Customer, hours: float, now: float) -> Option:
        """``choose(csm, self._pushes(c, hours), now)`` for a CSM who weighs plan gain.

        The same options in the same order, priced on one scratch option (the plan gain
        reads only its fields) and scored with :func:`score`'s arithmetic (pushes are
        required: no effort floor), so the winner is the same, ties included; only the
        winner becomes its own option. This runs for every due touch a paid CSM weighs.

        The choice reads only the gains of pushes (options without a contact), the
        customer's features, the hours and ``gaming``, so under an incentive with a
        ``memo`` (see :class:`~simulator.model.decisions.Incentive`) it is kept in the memo
        of the customer's prices and reused while they hold: under most plans a touch
        moves nothing the plan reads, so the same due touch is weighed again at the next
        decisions with the same gains.
        """
        g = csm.gaming
        incentive = csm.incentive
        memo_of = getattr(incentive, "memo", None)
        memo = memo_of(csm, c, now) if memo_of is not None else None
        key = (PUSH, hours, g, c.adopted)
        if memo is not None:
            best = memo.get(key)
            if best is not None:
                return best  # type: ignore[return-value]
        price = incentive.plan_gain
        per_hour = hours if hours > MIN_HOURS else MIN_HOURS  # max(hours, MIN_HOURS)
        scratch = Option(PUSH, hours, 0.0, c)
        gain = price(csm, scratch, now)
        best_score = ((1.0 - g) * 0.0 + g * gain) / per_hour  # pushing nothing: the first option
        top_f, top_p, top_benefit, top_gain = -1, 0.0, 0.0, gain
        for f, worth, p_adopt in self._push_benefits(c):
            scratch.customer_benefit, scratch.feature, scratch.p_adopt = worth, f, p_adopt
            gain = price(csm, scratch, now)
            s = ((1.0 - g) * worth + g * gain) / per_hour
            if s > best_score:
                best_score, top_f, top_p, top_benefit, top_gain = s, f, p_adopt, worth, gain
        best = Option(PUSH, hours, top_benefit, c, feature=top_f, p_adopt=top_p)
        best.plan_gain = top_gain
        best.score = best_score
        if memo is not None:
            memo[key] = best
        return best

    def _push_benefits(self, c: Customer) -> tuple[tuple[int, float, float], ...]:
        """(feature, customer benefit, adoption chance) of each push :meth:`_pushes` lists after
        pushing nothing, in its order: :func:`benefit.push` reads only the segment's rules and
        the customer's features, so they are remembered by (segment, desired, adopted)."""
        key = (c.segment, c.desired, c.adopted)
        known = self.push_benefits.get(key)
        if known is None:
            features = c.rules.features
            health = self.health
            pushes = [(f, benefit.push(health, c, f)) for f in features.members(features.full & ~c.adopted)]
            known = self.push_benefits[key] = tuple((f, g.benefit, g.p_adopt) for f, g in pushes)
        return known

    def _pushes(self, c: Customer, hours: float) -> list[Option]:
        pushes = [Option(PUSH, hours, 0.0, c)]
        features = c.rules.features
        for f in features.members(features.full & ~c.adopted):
            g = benefit.push(self.health, c, f)
            pushes.append(Option(PUSH, hours, g.benefit, c, feature=f, p_adopt=g.p_adopt))
        return pushes


def touch_option(c: Customer, kind: str, hours: float, gain: float, push: Option, entry: Any) -> Option:
    """A check-in or QBR with ``c`` worth ``gain`` (contact, discovery and ``push``)."""
    return new_option(TOUCH, hours, gain, c, push.feature, push.p_adopt, False, True, True, None, kind, entry)


def quick_option(c: Customer, hours: float, entry: Any) -> Option:
    """A quick logged touch: activity for the plan, nothing for the customer (benefit 0)."""
    return new_option(TOUCH, hours, 0.0, c, -1, 0.0, False, True, True, None, QUICK, entry)


def session_option(task: Task, reach: float, waiting: int, sample: list[Option]) -> Option:
    """A one-to-many session: it serves ``reach`` of the ``waiting`` needs, each worth about
    the average benefit of the needs the CSM is weighing (``sample``)."""
    worth = sum(o.customer_benefit for o in sample) / len(sample) if sample else 0.0
    return Option(SESSION, task.hours, reach * waiting * worth, None, payload=task)


def drop_first(items: list[Any], item: Any) -> None:
    """Remove ``item`` (by identity) from a short list."""
    for i, x in enumerate(items):
        if x is item:
            del items[i]
            return
    if type(item) is tuple:  # compiled (mypyc) code unboxes fixed-length tuples: an equal copy comes back
        for i, x in enumerate(items):
            if x == item:  # entries carry a unique sequence number: equal means the same entry
                del items[i]
                return


__all__ = [
    "CHECKIN",
    "NEED",
    "ONBOARD",
    "PREP",
    "QBR",
    "QUICK",
    "SESSION",
    "TOUCH",
    "OptionBuilder",
    "Task",
    "drop_stale",
    "live_tasks",
]
