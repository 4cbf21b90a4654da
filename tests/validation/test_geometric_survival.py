"""With CSM effects switched off, churn at each renewal is exactly ``base_churn``.

Every renewal effect (stickiness, value, responsiveness, relationship) set to 0 makes the
churn chance independent of the customer's state, while everything else still runs
(CSMs serve needs, features get adopted). Then the share of the initial book surviving k
renewals is (1 - p)^k: a binomial proportion checked within 3 standard errors. The
12-month logo retention metric must equal 1 - p likewise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from core_theory import with_overrides

from simulator.engine import simulate
from simulator.results.metrics import run_metrics
from simulator.results.tables import frames
from simulator.scenario.schema import Scenario

P_CHURN = 0.2
N = 3000
NO_EFFECTS = {"stickiness_effect": 0, "value_effect": 0, "responsiveness_effect": 0, "relationship_effect": 0}


@pytest.fixture(scope="module")
def run() -> tuple[Scenario, dict]:
    scenario = Scenario.model_validate({
        "horizon_months": 48, "warmup_months": 0, "seed": 3,
        "segments": {"s": {"team": "pool", "initial_customers": N, "new_per_month": 0, "contract_months": 12,
                           "needs_per_month": 0.2, "renewal": {"base_churn": P_CHURN, **NO_EFFECTS}}},
        "teams": {"pool": {"coverage": "pooled", "csms": 8}},
        "nps": {"response_rate": 0},
    })  # fmt: skip
    return scenario, frames(simulate(scenario, 0))


def test_survival_after_k_renewals_is_geometric(run: tuple[Scenario, dict]) -> None:
    _, tables = run
    renewals = tables["renewals"].sort_values(["customer", "day"])
    assert renewals["churned"].any() and tables["needs"]["adopted"].any(), "the model must be doing something"
    nth = renewals.groupby("customer").cumcount() + 1
    previous = N
    for k in range(1, 5):
        survived = renewals[(nth <= k)].groupby("customer")["churned"].any().pipe(lambda s: (~s).sum())
        reached = renewals[nth == k]["customer"].nunique()
        assert reached == previous  # everyone who survived k-1 renewals reaches the k-th inside 48 months
        share = survived / N
        expected = (1 - P_CHURN) ** k
        se = math.sqrt(expected * (1 - expected) / N)
        assert abs(share - expected) <= 3 * se, f"after {k} renewals: {share:.4f} vs (1-p)^k = {expected:.4f}"
        previous = survived


def test_logo_retention_metric_is_one_minus_p(run: tuple[Scenario, dict]) -> None:
    scenario, tables = run
    metrics = run_metrics(tables, scenario)
    se = math.sqrt(P_CHURN * (1 - P_CHURN) / (N * (1 - P_CHURN) ** 3))  # smallest cohort: the last one
    assert abs(metrics["logo_retention"] - (1 - P_CHURN)) <= 3 * se
    assert np.isfinite(metrics["grr"]) and metrics["grr"] <= 1


def test_effects_switched_on_change_churn(run: tuple[Scenario, dict]) -> None:
    """The control: with the effects on, churn depends on state and the geometric law breaks."""
    scenario, _ = run
    on = with_overrides(scenario, {"segments.s.renewal.value_effect": 8.0, "segments.s.renewal.reference": 0.9})
    renewals = frames(simulate(on, 0))["renewals"]
    first = renewals.sort_values("day").groupby("customer").head(1)
    share = 1 - first["churned"].mean()
    assert share < (1 - P_CHURN) - 6 * math.sqrt(P_CHURN * (1 - P_CHURN) / N)
