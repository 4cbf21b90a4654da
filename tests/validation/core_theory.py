"""Helpers for the theory checks: small scenarios built from plain dicts, run in-process.

(A plain module, not a conftest: pytest puts this folder on ``sys.path``, so tests import
it as ``core_theory``.)"""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulator.engine import simulate
from simulator.results.tables import frames
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.schema import Scenario

HOURS_PER_DAY_ONE = {"hours_per_week": 10.0, "productive_share": 0.7}
"""CSM settings giving exactly 1 productive hour per calendar day: hours == days."""


def mmc_scenario(servers: int, rho: float, *, customers: int = 1000, months: float = 6.0, warmup: float = 0.5,
                 mean_hours: float = 1.0, seed: int = 11) -> Scenario:  # fmt: skip
    """A pooled team facing Poisson needs with exponential guidance hours and nothing else.

    Every need is raised at once (raise_prob 1), never expires, never leads to adoption (so
    customers stay ready for more), there is no onboarding, no renewal prep, no churn, no
    attrition, no sessions: the textbook M/M/c queue with service time = hours (1 h/day).
    """
    rate_per_day = rho * servers / mean_hours
    data: dict[str, Any] = {
        "name": f"M/M/{servers} at rho {rho}",
        "horizon_months": months,
        "warmup_months": warmup,
        "seed": seed,
        "product": {"features": {"A": {"engagement_weight": 1, "stickiness": 0, "self_serve": 0,
                                       "guidance_hours": {"dist": "exponential", "mean": mean_hours}}}},
        "segments": {"s": {
            "team": "pool", "initial_customers": customers, "new_per_month": 0, "contract_months": 120,
            "desired": {"A": 1.0}, "initial_adoption": 0, "needs_per_month": rate_per_day * 30.4375 / customers,
            "problem_share": 0, "need_expiry_days": None, "raise_prob": 1, "signal_prob": 0, "guided_adoption": 0,
            "renewal": {"base_churn": 0, "expansion_prob": 0, "contraction_prob": 0},
        }},
        "teams": {"pool": {"coverage": "pooled", "csms": servers, "renewal_prep_hours": {"dist": "fixed", "value": 0}}},
        "csm": {**HOURS_PER_DAY_ONE, "annual_attrition": 0, "ramp_months": 0},
        "nps": {"response_rate": 0},
    }  # fmt: skip
    return Scenario.model_validate(data)


def with_overrides(scenario: Scenario, sets: dict[str, Any]) -> Scenario:
    data = scenario.model_dump(mode="json", by_alias=True)
    return Scenario.model_validate(apply_overrides(data, sets))


def run_tables(scenario: Scenario, replication: int = 0) -> dict[str, pd.DataFrame]:
    return frames(simulate(scenario, replication))


def mixed_scenario(**sets: Any) -> Scenario:
    """A small business exercising every mechanism: named (with attrition, so books move),
    pooled (with sessions) and digital coverage, onboarding, renewals, surveys."""
    data: dict[str, Any] = {
        "name": "mixed",
        "horizon_months": 12,
        "warmup_months": 2,
        "seed": 5,
        "segments": {
            "ent": {"team": "named", "initial_customers": 60, "new_per_month": 3, "needs_per_month": 1.0,
                    "arr": {"dist": "lognormal", "median": 100000, "sigma": 0.5}, "onboarding_hours": 20},
            "mid": {"team": "pool", "initial_customers": 150, "new_per_month": 6, "needs_per_month": 0.5},
            "smb": {"team": "digital", "initial_customers": 200, "new_per_month": 10, "needs_per_month": 0.3,
                    "signal_prob": 0.5},
        },
        "teams": {
            "named": {"coverage": "named", "csms": 4, "max_accounts": 16, "checkin_days": 14, "qbr_months": 3},
            "pool": {"coverage": "pooled", "csms": 2, "sessions_per_month": 2},
            "digital": {"coverage": "digital"},
        },
        "csm": {"annual_attrition": 1.0, "hiring_lag_days": 20, "ramp_months": 2},
    }  # fmt: skip
    scenario = Scenario.model_validate(data)
    return with_overrides(scenario, sets) if sets else scenario
