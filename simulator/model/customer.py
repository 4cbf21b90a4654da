"""A customer's state: contract, features, contacts and recent service, kept compact.

One object per customer for the whole run, with ``__slots__`` (no per-instance dict):
at 100,000 customers every byte counts. Everything here is plain state plus O(1)
updates; the rules that read it live in :mod:`simulator.model.health` and
:mod:`simulator.model.renewal`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from simulator.model.csm import Csm
    from simulator.model.need import Need
    from simulator.model.segment import SegmentRules

NEVER: Final = float("-inf")
"""``last_contact`` of a customer no human has spoken to."""

NONE_YET: Final = float("inf")
"""``recent_from`` with nothing remembered."""


class Customer:
    """One account: who covers it, what it bought for, what it uses, how it was served."""

    __slots__ = (
        "adopted",
        "arr",
        "arr_start",
        "churn_day",
        "churned",
        "csm",
        "desired",
        "due_checkin",
        "due_qbr",
        "epoch",
        "id",
        "last_activity",
        "last_contact",
        "last_touch",
        "live_day",
        "n_desired",
        "needs",
        "needs_jit",
        "open_needs",
        "plan_data",
        "recent",
        "recent_from",
        "recent_jit",
        "recent_n",
        "resp_gain",
        "rules",
        "segment",
        "signed_day",
        "team",
        "touches",
    )  # fmt: skip

    def __init__(
        self, cid: int, segment: str, rules: SegmentRules, team: str, signed_day: float, arr: float, desired: int
    ) -> None:
        self.id = cid
        self.segment = segment
        self.rules = rules
        self.team = team
        self.signed_day = signed_day
        self.live_day = float("inf")
        self.arr_start = arr
        self.arr = arr
        self.desired = desired
        self.n_desired = desired.bit_count()
        self.adopted = 0
        self.csm: Csm | None = None
        self.last_contact = NEVER
        self.last_touch = NEVER
        self.last_activity = NEVER
        self.churned = False
        self.churn_day = float("nan")
        self.needs = 0
        self.needs_jit = 0
        self.touches = 0
        self.recent: list[tuple[float, bool]] | None = None
        self.recent_jit = 0
        self.resp_gain: float | None = None
        """What meeting a need on time adds to satisfaction through responsiveness, as the pooled
        choice last worked it out; None once the recent needs changed (every change below resets it)."""
        self.recent_n = 0
        """``len(recent)``, kept beside it (see :attr:`recent_from`)."""
        self.recent_from = NONE_YET
        """Arise day of the oldest need in ``recent`` (infinity when none). With
        :attr:`recent_n` it lets the monthly health pass over every customer read
        responsiveness without touching the list and its tuples: that memory was half the
        pass's time (~3.5% of a run)."""
        self.open_needs: list[Need] = []
        self.due_checkin = float("inf")
        self.due_qbr = float("inf")
        self.epoch = 0
        self.plan_data: Any = None

    # ---- state queries

    @property
    def live(self) -> bool:
        return not self.churned and self.live_day != float("inf")

    def has(self, feature: int) -> bool:
        return bool(self.adopted >> feature & 1)

    def wants(self, feature: int) -> bool:
        return bool(self.desired >> feature & 1)

    @property
    def value(self) -> float:
        """Value realised: share of the features it bought for that it uses, in [0, 1]."""
        return (self.adopted & self.desired).bit_count() / self.n_desired

    # ---- updates

    def adopt(self, feature: int) -> None:
        self.adopted |= 1 << feature

    def drop(self, feature: int) -> None:
        self.adopted &= ~(1 << feature)

    def contact(self, day: float) -> None:
        self.last_contact = day

    def record_service(self, arise_day: float, jit: bool, horizon_days: float, now: float) -> None:
        """Remember whether a resolved need was met in its window (for responsiveness)."""
        recent = self.recent
        if recent is None:
            recent = self.recent = []
        recent.append((arise_day, jit))
        self.recent_jit += jit
        self.resp_gain = None
        self.forget_before(now - horizon_days)
        self.recent_n, self.recent_from = len(recent), recent[0][0] if recent else NONE_YET

    def forget_before(self, day: float) -> None:
        recent = self.recent
        if not recent or recent[0][0] >= day:
            return
        n = len(recent)
        k = 0
        while k < n and recent[k][0] < day:  # oldest first: cut the prefix once
            self.recent_jit -= recent[k][1]
            k += 1
        del recent[:k]
        self.resp_gain = None
        self.recent_n = n - k
        self.recent_from = recent[0][0] if k < n else NONE_YET
