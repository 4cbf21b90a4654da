"""Quick logged touches exist for plans that pay for activity, and only for them.

A quick touch is worth nothing to the customer (no contact, no detection, no push), so a
salary-only team never makes one; a plan that pays per touch makes them attractive per
hour, which is how "many short touches" can emerge from the behaviour rule.
"""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

from simulator.engine.simulate import simulate
from simulator.model.csm import Csm
from simulator.model.decisions import NoIncentive, Option, Payout
from simulator.results.tables import frames
from simulator.scenario.schema import Scenario


class PaysPerTouch(NoIncentive):
    """A stand-in plan: a fixed gain for every option that counts as a touch."""

    neutral = False

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        return 0.05 if option.activity else 0.0

    def close_period(self, csm: Csm, period: int, start_day: float, end_day: float) -> Payout:
        return Payout(0.0, 0.0, {})


SCENARIO = Scenario.model_validate({
    "horizon_months": 8, "warmup_months": 1, "seed": 4,
    "segments": {"s": {"team": "t", "initial_customers": 60, "new_per_month": 1, "needs_per_month": 0.4}},
    "teams": {"t": {"coverage": "named", "csms": 2, "checkin_days": 30, "qbr_months": 0}},
    "csm": {"annual_attrition": 0},
})  # fmt: skip


def run(monkeypatch: pytest.MonkeyPatch, incentive: object) -> dict[str, pd.DataFrame]:
    engine = importlib.import_module("simulator.engine.simulate")  # the module (the package re-exports the function)
    monkeypatch.setattr(engine, "incentive_for", lambda scenario, team: incentive)
    return frames(simulate(SCENARIO, 0))


def test_salary_only_team_makes_no_quick_touches(monkeypatch: pytest.MonkeyPatch) -> None:
    touches = run(monkeypatch, NoIncentive())["touches"]
    assert len(touches) > 0 and (touches["kind"] != "quick").all()


def test_paying_for_activity_brings_many_short_touches(monkeypatch: pytest.MonkeyPatch) -> None:
    base = run(monkeypatch, NoIncentive())
    paid = run(monkeypatch, PaysPerTouch())
    quick = paid["touches"][paid["touches"]["kind"] == "quick"]
    assert len(quick) > len(base["touches"]), "more touches in all"
    assert quick["hours"].max() == pytest.approx(0.25)
    assert (quick["feature"] == "").all() and not quick["adopted"].any()
    per_hour = {
        name: t["touches"]["adopted"].sum() / t["touches"]["hours"].sum()
        for name, t in (("base", base), ("paid", paid))
    }
    assert per_hour["paid"] < per_hour["base"], f"adoption per touch hour {per_hour}"
