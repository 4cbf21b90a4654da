"""A guidance need: a moment when a customer is ready to adopt a feature or has a problem.

Its life: it *arises*; it may be *detected* (raised by the customer, revealed by usage
signals, or found at a check-in); a detected need waits in a work list until a CSM
*starts* guidance (on time if within the window, else late) or it *expires*. Every need
ends in exactly one fate, so needs are conserved: created = jit + late + expired + open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from simulator.model.customer import Customer
    from simulator.model.segment import SegmentRules

ADOPT: Final = "adopt"
PROBLEM: Final = "problem"

OPEN: Final = "open"
JIT: Final = "jit"
LATE: Final = "late"
EXPIRED: Final = "expired"
FATES = (JIT, LATE, EXPIRED, OPEN)

RAISED: Final = "raised"
SIGNAL: Final = "signal"
CHECKIN: Final = "checkin"
"""``detected_by`` values (empty while latent)."""

LATENT: Final = 0
QUEUED: Final = 1
IN_SERVICE: Final = 2
DONE: Final = 3
"""``state`` values."""

_NAN: Final = float("nan")
"""No date yet (one NaN object, not a ``float("nan")`` call per date per need)."""


class Need:
    """One need, with its timestamps, fate and the uniform that decides its outcome."""

    __slots__ = (
        "adopted", "arise_day", "csm", "customer", "detect_day", "detected_by", "end_day", "fate", "feature", "hours",
        "id", "kind", "offer", "start_day", "state", "u_outcome",
    )  # fmt: skip

    offer: tuple[float, float | None, int]
    """Set by a pooled team when it queues the need (what guidance offers while on time); unset before."""

    def __init__(
        self, nid: int, customer: Customer, kind: str, feature: int, arise_day: float, u_outcome: float
    ) -> None:
        self.id = nid
        self.customer = customer
        self.kind = kind
        self.feature = feature
        self.arise_day = arise_day
        self.u_outcome = u_outcome
        self.detect_day = _NAN  # a constant, not float("nan") three times a need
        self.detected_by = ""
        self.start_day = _NAN
        self.end_day = _NAN
        self.fate = OPEN
        self.csm = -1
        self.state = LATENT
        self.adopted = False
        self.hours = 0.0

    @property
    def waiting(self) -> bool:
        """Detected and not yet taken up by anyone."""
        return self.state == QUEUED

    @property
    def wanted(self) -> bool:
        return self.customer.wants(self.feature)

    def lateness(self, day: float) -> float:
        """Days past the just-in-time window at ``day`` (<= 0 means on time)."""
        return day - self.arise_day - self.customer.rules.window_days

    def expiry_day(self) -> float:
        expiry = self.customer.rules.expiry_days
        return float("inf") if expiry is None else self.arise_day + expiry


_new = object.__new__
_COMPILED = not __file__.endswith((".py", ".pyc"))
"""Compiled by mypyc (docs/design.md): its classes are built by calling them, fast there."""


def new_need(nid: int, customer: Customer, kind: str, feature: int, arise_day: float, u_outcome: float) -> Need:
    """``Need(nid, customer, kind, feature, arise_day, u_outcome)`` without calling the class:
    one need per arising need of a run, and Python 3.11 does not specialise class calls
    (measured 0.46 us against 0.21 us). A unit test holds the two equal. Compiled, the
    class call is the fast path, and ``object.__new__`` refuses a compiled class."""
    if _COMPILED:
        return Need(nid, customer, kind, feature, arise_day, u_outcome)
    need: Need = _new(Need)
    need.id = nid
    need.customer = customer
    need.kind = kind
    need.feature = feature
    need.arise_day = arise_day
    need.u_outcome = u_outcome
    need.detect_day = _NAN
    need.detected_by = ""
    need.start_day = _NAN
    need.end_day = _NAN
    need.fate = OPEN
    need.csm = -1
    need.state = LATENT
    need.adopted = False
    need.hours = 0.0
    return need


def pick(customer: Customer, u_kind: float, u_feature: float) -> tuple[str, int] | None:
    """What a new need is about, from two pre-drawn uniforms and the customer's state.

    A problem (chance ``problem_share``) concerns a feature in use; otherwise readiness to
    adopt a feature not yet in use: one it bought for with chance ``desired_need_share``
    (when such remain), else any other. Uniform among the candidates. ``None`` when no
    feature qualifies (nothing in use and nothing left to adopt).

    The candidates depend only on the adopted and desired features, so they are worked
    out once per pair (:func:`candidates`) and kept in the segment's ``picks`` table.
    """
    rules = customer.rules
    key = customer.adopted << rules.features.count | customer.desired
    found = rules.picks.get(key)
    if found is None:
        found = rules.picks[key] = candidates(rules, customer.adopted, customer.desired)
    problems, full, wanted, others, share = found
    if problems and (u_kind < rules.problem_share or full):
        kind, group, u = PROBLEM, problems, u_feature
    elif full:
        return None
    elif u_feature < share:
        kind, group, u = ADOPT, wanted, u_feature / share
    else:
        kind, group, u = ADOPT, others, (u_feature - share) / (1.0 - share)
    last = len(group) - 1
    at = int(u * (last + 1))
    return kind, group[last if last < at else at]  # min(at, last), without the builtin's keyword parsing


Candidates = tuple[tuple[int, ...], bool, tuple[int, ...], tuple[int, ...], float]
"""(features in use, nothing left to adopt, unused desired ones, unused others, share of the desired)."""


def candidates(rules: SegmentRules, used: int, desired: int) -> Candidates:
    """:func:`pick`'s candidate features for a customer using ``used`` who bought for ``desired``."""
    members = rules.features.member_of
    unused = rules.features.full & ~used
    wanted = members(unused & desired)
    others = members(unused & ~desired)
    share = rules.desired_share if wanted and others else (1.0 if wanted else 0.0)
    return members(used), not unused, wanted, others, share
