"""The decision point: every choice a CSM makes goes through :func:`choose`.

Choices: which pending need or task first, which customer to touch, which feature to
push in a touch, and whether to do discretionary proactive work at all. The engine
builds the candidate :class:`Option` objects; this module scores them

    score = ((1 - g) * customer_benefit + g * plan_gain) / hours

with ``g`` the CSM's ``gaming`` and picks the best. Behaviour therefore comes from this one
rule and the plan's :meth:`Incentive.plan_gain`, never from per-plan code in the engine.

**Customer benefit** is on one scale for every option: the expected rise in the
customer's *satisfaction*, which is its health score without the vendor's engagement
component (see :mod:`simulator.model.health`), in [0, 1]: value realised (share of the
features it bought for that it uses), responsiveness (needs met in their window) and
relationship (recency of human contact). Onboarding a customer is worth 1 (nothing
else can happen before launch). It is deliberately not weighted by ARR: a customer-first
CSM treats accounts alike; ARR-weighting is what an NRR plan adds through plan_gain.

**Plan gain** is the expected change in the CSM's payout the plan attaches to the option,
from the plan's components and the CSM's book statistics, in the plan's own unit (scaled
to the order of customer benefit; see docs/plans.md). The plans layer
supplies an :class:`Incentive`; :class:`NoIncentive` (salary only) returns 0 for every
option. Incentives keep per-CSM state in ``csm.plan_state`` and per-customer state in
``customer.plan_data`` (both ``None`` until the incentive sets them).

**Hooks.** The engine tells the CSM's incentive what happened, so it can keep book
statistics for the current period incrementally (all ``now`` in days):

- ``on_book(csm, customer, joined, now)``: a customer joined or left the CSM's book;
- ``on_adopt(csm, customer, feature, now)`` / ``on_drop(...)``: a feature index adopted or abandoned;
- ``on_touch(csm, customer, kind, now)``: a proactive touch ("checkin", "qbr", or "quick": a logged
  activity that reaches nobody) done;
- ``on_need_met(csm, customer, need, jit, now)``: guidance on a need started (jit: in its window);
- ``on_need_expired(csm, customer, need, now)``: a need of the CSM's customer lapsed unmet
  (so a plan on the just-in-time share counts the needs left to expire);
- ``on_renewal(csm, customer, arr_before, arr_after, churned, now)``;
- ``on_survey(csm, customer, score, now)``: an NPS answer (0-10);
- ``on_launch(csm, customer, days, now)``: onboarding ended, ``days`` from signing to live;
- ``close_period(csm, period, start_day, end_day) -> Payout``: at each compensation
  period end (and for a CSM who leaves, at the end of the period they leave in).

A customer without a CSM (pooled and digital coverage, or uncovered) raises no hooks;
pooled CSMs receive hooks for the customers they serve (``on_need_met``, ``on_adopt``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

if TYPE_CHECKING:
    from simulator.model.csm import Csm
    from simulator.model.customer import Customer
    from simulator.model.need import Need

MIN_HOURS: Final = 0.05
"""Floor on an option's hours in the per-hour score (a zero-hour option is not infinitely good)."""

NEED: Final = "need"
"""Option kinds: NEED, ONBOARD, PREP, TOUCH, PUSH, SESSION."""
ONBOARD: Final = "onboard"
PREP: Final = "prep"
TOUCH: Final = "touch"
PUSH: Final = "push"
SESSION: Final = "session"


class Option:
    """One thing a CSM could do next, with what the scoring rule and the plan need to know.

    ``feature`` / ``p_adopt``: the feature this option may get adopted and the chance it
    does (-1 / 0 when none). ``jit``: it meets a need inside its window. ``activity``: it
    counts as a customer touch. ``discretionary``: proactive work the CSM may skip.
    ``payload`` is the engine's own task object, opaque here.
    """

    __slots__ = ("activity", "customer", "customer_benefit", "discretionary", "feature", "hours", "jit", "kind", "need",
                 "p_adopt", "payload", "plan_gain", "score", "touch_kind")  # fmt: skip

    def __init__(
        self,
        kind: str,
        hours: float,
        customer_benefit: float,
        customer: Customer | None = None,
        *,
        feature: int = -1,
        p_adopt: float = 0.0,
        jit: bool = False,
        activity: bool = False,
        discretionary: bool = False,
        need: Need | None = None,
        touch_kind: str = "",
        payload: Any = None,
    ) -> None:
        self.kind = kind
        self.hours = hours
        self.customer_benefit = customer_benefit
        self.customer = customer
        self.feature = feature
        self.p_adopt = p_adopt
        self.jit = jit
        self.activity = activity
        self.discretionary = discretionary
        self.need = need
        self.touch_kind = touch_kind
        self.payload = payload
        self.plan_gain = 0.0
        self.score = 0.0

    def __repr__(self) -> str:
        who = self.customer.id if self.customer is not None else "-"
        return f"Option({self.kind}, customer={who}, feature={self.feature}, hours={self.hours:.2f})"


_new = object.__new__
_COMPILED = not __file__.endswith((".py", ".pyc"))
"""Compiled by mypyc (docs/design.md): its classes are built by calling them, fast there."""


def new_option(
    kind: str,
    hours: float,
    customer_benefit: float,
    customer: Customer | None,
    feature: int,
    p_adopt: float,
    jit: bool,
    activity: bool,
    discretionary: bool,
    need: Need | None,
    touch_kind: str,
    payload: Any,
) -> Option:
    """``Option(kind, hours, customer_benefit, customer, feature=..., ...)``, every field given
    in order, built without calling the class.

    The engine makes an option at every CSM decision (its winner, ~30,000 a run), and
    Python 3.11 does not specialise calls to a class: measured 0.48 us for the keyword
    call against 0.16 us for these attribute writes. A unit test holds the two equal.
    Compiled, the class call is the fast path, and ``object.__new__`` refuses a compiled class.
    """
    if _COMPILED:
        return Option(
            kind, hours, customer_benefit, customer, feature=feature, p_adopt=p_adopt, jit=jit, activity=activity,
            discretionary=discretionary, need=need, touch_kind=touch_kind, payload=payload,
        )  # fmt: skip
    o: Option = _new(Option)
    o.kind = kind
    o.hours = hours
    o.customer_benefit = customer_benefit
    o.customer = customer
    o.feature = feature
    o.p_adopt = p_adopt
    o.jit = jit
    o.activity = activity
    o.discretionary = discretionary
    o.need = need
    o.touch_kind = touch_kind
    o.payload = payload
    o.plan_gain = 0.0
    o.score = 0.0
    return o


class Payout(NamedTuple):
    """One CSM's result for one period: overall attainment, USD paid, per-component attainment."""

    attainment: float
    payout_usd: float
    components: dict[str, float]


class Incentive(Protocol):
    """What a compensation plan must provide to the engine (see the module docstring).

    Optionally, ``memo(csm, customer, now) -> dict | None``: a scratch dict that lives as
    long as the plan gains of the customer's options without a contact stay what they are
    (None: nothing to keep), where the engine keeps choices derived from them (a touch's
    push) across decisions. An incentive without it has every such choice made again.
    """

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        """Expected payout gain of ``option``. Read its fields, never keep the object: the
        engine prices quick touches and pushes on one scratch option it then reuses."""
        ...

    def on_book(self, csm: Csm, customer: Customer, joined: bool, now: float) -> None: ...
    def on_adopt(self, csm: Csm, customer: Customer, feature: int, now: float) -> None: ...
    def on_drop(self, csm: Csm, customer: Customer, feature: int, now: float) -> None: ...
    def on_touch(self, csm: Csm, customer: Customer, kind: str, now: float) -> None: ...
    def on_need_met(self, csm: Csm, customer: Customer, need: Need, jit: bool, now: float) -> None: ...
    def on_need_expired(self, csm: Csm, customer: Customer, need: Need, now: float) -> None: ...
    def on_renewal(
        self, csm: Csm, customer: Customer, arr_before: float, arr_after: float, churned: bool, now: float
    ) -> None: ...
    def on_survey(self, csm: Csm, customer: Customer, score: int, now: float) -> None: ...
    def on_launch(self, csm: Csm, customer: Customer, days: float, now: float) -> None: ...
    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Payout: ...


class NoIncentive:
    """Salary only: no plan gain, no payout, hooks ignored.

    ``neutral = True`` tells the engine that plan gain is always 0, so choices that depend
    only on customer benefit may be cached, and that the hooks do nothing, so the engine
    may skip calling them. An incentive without the attribute is not neutral.
    """

    neutral = True

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        return 0.0

    def on_book(self, csm: Csm, customer: Customer, joined: bool, now: float) -> None:
        return None

    def on_adopt(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        return None

    def on_drop(self, csm: Csm, customer: Customer, feature: int, now: float) -> None:
        return None

    def on_touch(self, csm: Csm, customer: Customer, kind: str, now: float) -> None:
        return None

    def on_need_met(self, csm: Csm, customer: Customer, need: Need, jit: bool, now: float) -> None:
        return None

    def on_need_expired(self, csm: Csm, customer: Customer, need: Need, now: float) -> None:
        return None

    def on_renewal(
        self, csm: Csm, customer: Customer, arr_before: float, arr_after: float, churned: bool, now: float
    ) -> None:
        return None

    def on_survey(self, csm: Csm, customer: Customer, score: int, now: float) -> None:
        return None

    def on_launch(self, csm: Csm, customer: Customer, days: float, now: float) -> None:
        return None

    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Payout:
        return Payout(float("nan"), 0.0, {})  # no plan, no attainment: undefined, not 0% of a target


def score(csm: Csm, option: Option, now: float) -> float:
    """Fill in ``option.plan_gain`` and ``option.score`` and return the score.

    Under a neutral incentive (salary only) there is no money to follow, so ``g`` is taken
    as 0: customer benefit counts in full, whatever the CSMs' ``gaming``.
    """
    if csm.neutral:
        option.plan_gain = 0.0
        option.score = option.customer_benefit / max(option.hours, MIN_HOURS)
        return option.score
    g = csm.gaming
    gain = csm.incentive.plan_gain(csm, option, now) if g > 0 else 0.0
    option.plan_gain = gain
    option.score = ((1.0 - g) * option.customer_benefit + g * gain) / max(option.hours, MIN_HOURS)
    return option.score


def choose(csm: Csm, options: list[Option], now: float) -> Option | None:
    """The best option, or ``None`` to do nothing for now.

    Options are scored with :func:`score`; ties go to the earlier option (callers list
    oldest first, so equal scores mean first come, first served). Required work (not
    ``discretionary``) is never skipped for idleness: it is done whenever nothing scores
    higher. Discretionary work is done only if its score reaches the CSM's
    ``effort_floor``: with no benefit and no gain above it, the CSM does less.
    """
    best: Option | None = None
    best_score = float("-inf")
    floor = csm.effort_floor
    for option in options:
        s = score(csm, option, now)
        if s > best_score and (not option.discretionary or s >= floor):
            best, best_score = option, s
    return best
