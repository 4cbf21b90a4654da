"""A guidance need: a moment when a customer is ready to adopt a feature or has a problem.

Its life: it *arises*; it may be *detected* (raised by the customer, revealed by usage
signals, or found at a check-in); a detected need waits in a work list until a CSM
*starts* guidance (on time if within the window, else late) or it *expires*. Every need
ends in exactly one fate, so needs are conserved: created = jit + late + expired + open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.model.customer import Customer

ADOPT = "adopt"
PROBLEM = "problem"

OPEN = "open"
JIT = "jit"
LATE = "late"
EXPIRED = "expired"
FATES = (JIT, LATE, EXPIRED, OPEN)

RAISED = "raised"
SIGNAL = "signal"
CHECKIN = "checkin"
"""``detected_by`` values (empty while latent)."""

_NAN = float("nan")

LATENT, QUEUED, IN_SERVICE, DONE = range(4)
"""``state`` values."""


class Need:
    """One need, with its timestamps, fate and the uniform that decides its outcome."""

    __slots__ = (
        "adopted", "arise_day", "csm", "customer", "detect_day", "detected_by", "end_day", "fate", "feature", "hours",
        "id", "kind", "start_day", "state", "u_outcome",
    )  # fmt: skip

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


def new_need(nid: int, customer: Customer, kind: str, feature: int, arise_day: float, u_outcome: float) -> Need:
    """``Need(nid, customer, kind, feature, arise_day, u_outcome)`` without calling the class:
    one need per arising need of a run, and Python 3.11 does not specialise class calls
    (measured 0.46 us against 0.21 us). A unit test holds the two equal."""
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
    """
    rules = customer.rules
    members = rules.features.member_of
    used = customer.adopted
    unused = rules.features.full & ~used
    if used and (u_kind < rules.problem_share or not unused):
        options = members(used)
        return PROBLEM, options[min(int(u_feature * len(options)), len(options) - 1)]
    if not unused:
        return None
    wanted = members(unused & customer.desired)
    others = members(unused & ~customer.desired)
    share = rules.desired_share if wanted and others else (1.0 if wanted else 0.0)
    if u_feature < share:
        group, u = wanted, u_feature / share
    else:
        group, u = others, (u_feature - share) / (1.0 - share)
    return ADOPT, group[min(int(u * len(group)), len(group) - 1)]
