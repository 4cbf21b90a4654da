"""The seeds' incentive effects emerge from the one behaviour rule (DESIGN section 3, docs/plans.md).

A small named team (4 CSMs, ~30 accounts each, the seeds' A B C D product) runs under
each plan with the same customers, needs and renewals (common random numbers). Each claim
is a paired difference across replications against a reference plan, asserted with its
95% Student-t interval (``simulator.results.statistics.interval``): the interval must
exclude zero in the claimed direction, so a claim that stops emerging fails rather than
passing on luck.

The team is calibrated so that choices matter (docs/plans.md, "what emerges"): busy CSMs
(utilisation ~0.9), needs rare enough that value realised stays near 0.75 rather than
saturating, pushes that adopt at 10%, and customers who take up a feature they did not
buy for at 60% of that chance (the seeds' premise that A and B can be pushed to anyone).
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simulator.engine import simulate
from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.need import Need
from simulator.model.plans.incentive import PlanIncentive
from simulator.model.plans.plan import Plan
from simulator.results.metrics import run_metrics
from simulator.results.statistics import interval
from simulator.results.tables import frames
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

REPLICATIONS = 6
ACTIVITY_REPLICATIONS = 3  # its effects are many standard errors wide, and its runs are the costliest
NRR_REPLICATIONS = 12  # touches come due on a cadence, so where they go shifts by ~10%: more runs to see it
SCORED = "AB"  # A and B: sticky and heavily weighted in the engagement score
UNSCORED = "CD"  # C and D: valuable, barely scored

TEAM: dict[str, Any] = {
    "horizon_months": 18,
    "warmup_months": 3,
    "seed": 5,
    "segments": {
        "ent": {
            "team": "t", "initial_customers": 110, "new_per_month": 3,
            "arr": {"dist": "lognormal", "median": 60000, "sigma": 0.8}, "contract_months": 12,
            "desired": {"A": 0.4, "B": 0.5, "C": 0.6, "D": 0.6}, "needs_per_month": 0.3, "initial_adoption": 0.3,
            "raise_prob": 0.6, "signal_prob": 0.3, "onboarding_hours": 30, "launch_days": 45,
            "push_adoption": 0.1, "undesired_adoption_factor": 0.6, "problem_share": 0.3, "problem_drop_prob": 0.6,
            "renewal": {"base_churn": 0.07, "expansion_prob": 0.3, "contraction_prob": 0.08},
        }
    },
    "teams": {
        "t": {"coverage": "named", "csms": 4, "max_accounts": 30, "checkin_days": 30, "checkin_hours": 1,
              "qbr_months": 3, "qbr_hours": 3, "renewal_prep_hours": 12}
    },
    "csm": {"annual_attrition": 0},
}  # fmt: skip


CURVES: dict[str, dict[str, Any]] = {
    "engagement_average": {"threshold": 0.3, "target": 0.5, "cap": 0.8},
    "engagement_threshold": {"share": 0.9},
    "threshold_plus_activity": {"share": 0.9, "contact_target": 1.0},
    "nrr": {"target": 1.0, "cap": 1.15},
    "customer_outcome": {"threshold": 0.4, "target": 0.7, "cap": 0.9, "jit_threshold": 0.5, "jit_target": 0.8},
}
"""Curves set where this team's books sit (engagement ~0.4-0.5, value ~0.75), not the preset defaults,
which are calibrated on scenarios/comp_plans.yaml's better-served book: a plan whose thresholds no book
comes near pays no gain for anything, and would show nothing of the behaviour rule."""


def team(
    plan: str, params: dict[str, Any] | None = None, segment: dict[str, Any] | None = None, **csm: Any
) -> Scenario:
    """The effects team under ``plan`` (its curve from CURVES, then ``params``), with ``segment``'s
    fields over the segment's and ``csm``'s over the CSMs'."""
    data = json.loads(json.dumps(TEAM))
    data["compensation"] = {"plan": plan, "params": {**CURVES.get(plan, {}), **(params or {})}}
    data["segments"]["ent"].update(segment or {})
    data["csm"].update(csm)
    return Scenario.model_validate(data)


@cache
def run(plan: str, replication: int) -> dict[str, pd.DataFrame]:
    """The tables of one replication (cached: several claims read the same runs)."""
    return frames(simulate(team(plan), replication))


def paired(stat: Any, plan: str, reference: str, replications: int = REPLICATIONS) -> tuple[float, float, float, int]:
    """(mean, ci_low, ci_high, n) of ``stat(plan run) - stat(reference run)`` over replications."""
    return interval([stat(run(plan, r), plan) - stat(run(reference, r), reference) for r in range(replications)])


def has(column: pd.Series, feature: str) -> pd.Series:
    return column.fillna("").astype(str).str.contains(feature, regex=False)


def adoption(tables: dict[str, pd.DataFrame], features: str, wanted: bool) -> float:
    """Share of (customer, feature) pairs in use at the end, over customers that did (or did not) buy for it."""
    cu = tables["customers"]
    used = pairs = 0
    for f in features:
        mine = has(cu["desired"], f) == wanted
        used += int((mine & has(cu["adopted"], f)).sum())
        pairs += int(mine.sum())
    return used / pairs


def metric(name: str) -> Any:
    def read(tables: dict[str, pd.DataFrame], plan: str) -> float:
        return run_metrics(tables, team(plan))[name]

    return read


def engagement(tables: dict[str, pd.DataFrame], plan: str) -> float:
    """Mean engagement score of live customers over the measured months."""
    ts = tables["timeseries"]
    ts = ts[ts["day"] > TEAM["warmup_months"] * 30.436875]
    return float((ts["engagement_mean"] * ts["live_customers"]).sum() / ts["live_customers"].sum())


def claim(result: tuple[float, float, float, int], sign: int, what: str) -> None:
    """The 95% interval of a paired difference lies wholly on the side ``sign`` of zero."""
    mean, low, high, n = result
    assert n >= 3, f"{what}: only {n} replications define it"
    bound = low if sign > 0 else high
    assert bound * sign > 0, f"{what}: paired difference {mean:+.4f}, 95% CI [{low:+.4f}, {high:+.4f}]"


# --------------------------------------------------------------------------- average score vs outcomes


def test_average_score_plan_raises_engagement_over_the_outcome_plan() -> None:
    claim(paired(engagement, "engagement_average", "customer_outcome"), +1, "engagement score")


def test_average_score_plan_pushes_the_scored_features_on_customers_who_did_not_buy_them() -> None:
    stat = lambda t, p: adoption(t, SCORED, wanted=False)  # noqa: E731
    claim(paired(stat, "engagement_average", "customer_outcome"), +1, "A/B in use where not bought for")


def test_average_score_plan_leaves_the_unscored_features_customers_bought_for() -> None:
    stat = lambda t, p: adoption(t, UNSCORED, wanted=True)  # noqa: E731
    claim(paired(stat, "engagement_average", "customer_outcome"), -1, "C/D in use where bought for")


def test_average_score_plan_realises_less_value() -> None:
    claim(paired(metric("value_realised"), "engagement_average", "customer_outcome"), -1, "value realised")


# --------------------------------------------------------------------------- activity


def touches(tables: dict[str, pd.DataFrame], plan: str) -> pd.DataFrame:
    t = tables["touches"]
    return t[t["day"] >= TEAM["warmup_months"] * 30.436875]


def test_activity_plan_brings_many_more_touches() -> None:
    claim(paired(lambda t, p: len(touches(t, p)), "activity", "salary_only", ACTIVITY_REPLICATIONS), +1, "touches")


def test_activity_plan_touches_are_shorter() -> None:
    hours = paired(lambda t, p: touches(t, p)["hours"].mean(), "activity", "salary_only", ACTIVITY_REPLICATIONS)
    claim(hours, -1, "hours per touch")


def test_activity_plan_adopts_less_per_touch_hour() -> None:
    def per_hour(t: dict[str, pd.DataFrame], p: str) -> float:
        done = touches(t, p)
        return float(done["adopted"].sum() / done["hours"].sum())

    claim(paired(per_hour, "activity", "salary_only", ACTIVITY_REPLICATIONS), -1, "adoptions per touch hour")


# --------------------------------------------------------------------------- NRR


def arr_at_stake_per_touch_hour(tables: dict[str, pd.DataFrame], plan: str) -> float:
    """Touch hours weighted by the ARR each touched customer has up for renewal in the current pay period.

    A touch of a customer whose next renewal falls after the touch and before the pay period
    ends (quarters from day 0) carries that renewal's ARR; any other touch carries 0. The mean
    over touch hours rises when touches concentrate on big accounts near renewal.
    """
    done = touches(tables, plan).reset_index(drop=True)
    period = team(plan).compensation.period_months * DAYS_PER_MONTH
    ends = (np.floor(done["day"] / period) + 1) * period
    renewals = tables["renewals"][["customer", "day", "arr_before_usd"]].rename(columns={"day": "renewal_day"})
    pairs = done[["customer", "day"]].assign(end=ends, touch=done.index).merge(renewals, on="customer")
    due = (pairs["renewal_day"] >= pairs["day"]) & (pairs["renewal_day"] <= pairs["end"])
    stake = pairs[due].groupby("touch")["arr_before_usd"].max().reindex(done.index, fill_value=0.0)
    return float((stake * done["hours"]).sum() / done["hours"].sum())


def test_nrr_plan_concentrates_touches_on_big_accounts_near_renewal() -> None:
    """Under NRR, a touch pays only by lowering churn at a renewal due this pay period, in proportion
    to the ARR at stake; the outcome plan (same gaming) pays for value wherever it is. Check-ins come due
    on a cadence whatever the plan, so the shift is in which due touch goes first (~10% more ARR at
    stake per touch hour), hence more replications than the other claims."""
    stake = paired(arr_at_stake_per_touch_hour, "nrr", "customer_outcome", NRR_REPLICATIONS)
    claim(stake, +1, "ARR at stake per touch hour")


# --------------------------------------------------------------------------- behaviour only from the rule


def test_without_gaming_every_plan_gives_the_same_customer_outcomes() -> None:
    """gaming = 0: plan gain never enters a choice, so only payouts may differ (consistency check)."""
    base = frames(simulate(team("salary_only", gaming=0.0), 0))
    paid = {}
    for plan in ("engagement_average", "engagement_threshold", "activity", "nrr", "customer_outcome"):
        tables = frames(simulate(team(plan, gaming=0.0), 0))
        for name in ("customers", "needs", "touches", "renewals", "surveys", "timeseries"):
            pd.testing.assert_frame_equal(tables[name], base[name], obj=f"{plan}: {name}")
        paid[plan] = tables["csms"]["payout_usd"].sum()
    assert base["csms"]["payout_usd"].sum() == 0
    assert len(set(np.round(list(paid.values())))) == len(paid), f"payouts should differ by plan: {paid}"


def test_expired_needs_reach_the_csm_plan() -> None:
    """Every need of a covered customer that lapses is reported to its CSM's plan (on_need_expired)."""
    seen: list[int] = []

    class Counting(PlanIncentive):
        def on_need_expired(self, csm: Csm, customer: Customer, need: Need, now: float) -> None:
            seen.append(need.id)
            super().on_need_expired(csm, customer, need, now)

    scenario = team("customer_outcome")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importlib.import_module("simulator.engine.simulate"), "incentive_for",
                      lambda s, name: Counting(Plan.for_team(s, name), s))  # fmt: skip
        tables = frames(simulate(scenario, 1))
    needs = tables["needs"].merge(tables["customers"][["customer", "churn_day"]], on="customer")
    lapsed = needs[(needs["fate"] == "expired") & (needs["end_day"] != needs["churn_day"])]  # not closed by churn
    assert len(lapsed) > 0 and sorted(seen) == sorted(lapsed["need"].tolist())
