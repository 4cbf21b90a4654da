"""A named CSM learns of an account it is handed at once, and no dead task travels with it.

An idle CSM rests until its own book's next due touch (or for good, with an empty book).
An account handed to it (an initial book at day 0, a departed colleague's customer, an
uncovered customer when a seat frees up) brings touches that may come due sooner, so the
CSM must look again in that instant; otherwise a team whose customers raise no needs never
touches anyone. A renewal preparation left past its deadline can never be chosen again: it
is dropped, not carried in the CSM's list for the rest of the run or handed to an heir.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from simulator.engine import named_choice, simulate
from simulator.engine.named import Named
from simulator.engine.options import live_tasks
from simulator.engine.work import Work
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

CHECKIN_DAYS = 14


def scenario(segment: dict[str, Any], team: dict[str, Any], csm: dict[str, Any], months: int = 6) -> Scenario:
    base: dict[str, Any] = {
        "horizon_months": months,
        "warmup_months": 0,
        "seed": 5,
        "segments": {"a": {"team": "named", **segment}},
        "teams": {"named": {"coverage": "named", "checkin_days": CHECKIN_DAYS, "qbr_months": 3, **team}},
        "csm": csm,
    }
    return Scenario.model_validate(apply_overrides(base, {}))


def test_initial_books_are_worked_on_cadence_though_no_customer_raises_a_need() -> None:
    quiet = scenario(
        {"initial_customers": 30, "new_per_month": 0, "needs_per_month": 0},
        {"csms": 3, "max_accounts": 20, "renewal_prep_hours": {"dist": "fixed", "value": 0}},
        {"annual_attrition": 0},
    )
    out = simulate(quiet, 0)
    first: dict[int, float] = {}
    for _csm, customer, day, _kind, *_ in out.touches:
        first[customer] = min(day, first.get(customer, day))
    assert len(first) == 30, "every initial account is touched"
    # each initial account's first check-in is due within one interval; 3 CSMs for 30
    # one-hour touches have the time to make it on the day
    assert max(first.values()) <= CHECKIN_DAYS
    due = 30 * quiet.horizon_months * DAYS_PER_MONTH / CHECKIN_DAYS  # check-ins, QBRs standing in for some
    assert len(out.touches) >= 0.9 * due


@contextmanager
def watching(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Log every look a CSM takes and every live account handed to a resting CSM."""
    seen: dict[str, Any] = {"log": [], "handed_by": set(), "stale_handed": 0, "caller": "sign"}
    give, start_next = Named._give, Work.start_next

    def watched_give(
        self: Named, c: Any, csm: Any, pending: Any = None, tasks: Any = None, reset: bool = False
    ) -> None:
        now = self.world.now
        seen["stale_handed"] += sum(t.stale(now) for t in tasks or ())
        seen["handed_by"].add(seen["caller"])
        if csm.active and not csm.busy and c.live:  # logged first: the give may wake the CSM inside
            seen["log"].append(("given", csm.id, now, seen["caller"]))
        give(self, c, csm, pending, tasks, reset)

    def watched_start(self: Work, csm: Any) -> None:
        seen["log"].append(("looks", csm.id, self.env._now, ""))
        start_next(self, csm)

    def by(caller: str) -> Any:
        method = getattr(Named, caller)

        def wrapped(self: Named, *args: Any) -> None:
            outer, seen["caller"] = seen["caller"], caller
            method(self, *args)
            seen["caller"] = outer

        return wrapped

    monkeypatch.setattr(Named, "_give", watched_give)
    monkeypatch.setattr(Work, "start_next", watched_start)
    for caller in ("left", "lost", "joined"):
        monkeypatch.setattr(Named, caller, by(caller))
    yield seen


@pytest.mark.parametrize("overflow", ["uncovered", "reassign"])
def test_a_resting_csm_handed_a_live_account_looks_at_it_in_the_same_instant(
    monkeypatch: pytest.MonkeyPatch, overflow: str
) -> None:
    churning = scenario(
        {"initial_customers": 40, "new_per_month": 2, "needs_per_month": 0.2, "contract_months": 6},
        {"csms": 5, "max_accounts": 10, "overflow": overflow},
        {"annual_attrition": 3.0, "hiring_lag_days": 20},
        months=24,
    )
    with watching(monkeypatch) as seen:
        simulate(churning, 0)
    log = seen["log"]
    unseen = [
        (who, day, caller)
        for i, (what, who, day, caller) in enumerate(log)
        if what == "given" and not any(e[:3] == ("looks", who, day) for e in log[i + 1 :] if e[2] == day)
    ]
    assert unseen == []
    handed = {caller for what, _, _, caller in log if what == "given"}
    ways = {"sign", "left", "lost"} if overflow == "uncovered" else {"sign", "left"}  # reassign leaves none waiting
    assert ways <= handed, "the case must hand resting CSMs accounts in each way"


def test_dead_renewal_preparations_are_dropped_and_never_handed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    overloaded = scenario(  # renewals every 6 months, far more preparation than 3 CSMs can do
        {"initial_customers": 60, "new_per_month": 2, "needs_per_month": 1.5, "contract_months": 6},
        {"csms": 3, "max_accounts": 25, "renewal_prep_hours": 12},
        {"annual_attrition": 2.0, "hiring_lag_days": 20},
        months=36,
    )
    held: dict[str, int] = {}
    collect = simulate.__globals__["_collect"]

    def counted(world: Any, *args: Any) -> Any:
        now = world.now
        held["stale"] = sum(t.stale(now) for csm in world.csms for t in csm.tasks)
        held["live"] = sum(not t.stale(now) for csm in world.csms for t in csm.tasks)
        return collect(world, *args)

    def dropping(tasks: list[Any], now: float) -> list[Any]:
        kept = live_tasks(tasks, now)
        held["dropped"] = held.get("dropped", 0) + len(tasks) - len(kept)
        return kept

    monkeypatch.setitem(simulate.__globals__, "_collect", counted)
    monkeypatch.setattr(named_choice, "live_tasks", dropping)
    with watching(monkeypatch) as seen:
        simulate(overloaded, 0)
    assert held["dropped"] > 100, "the case must leave many preparations undone"
    assert seen["stale_handed"] == 0
    assert "left" in seen["handed_by"], "the case must hand over departed CSMs' books"
    # kept, the dead preparations pile up with the horizon (510 here, beside 13 live tasks)
    assert held["stale"] <= held["live"]
