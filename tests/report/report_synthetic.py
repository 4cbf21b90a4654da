"""Plausible random run tables for report tests, assembled into a real ``Results``.

The numbers are noise around sensible levels, not a simulation: report tests check how data
is shown, never what it says. Each variant gets a small, fixed shift so charts differ. The
statistics (summary, paired differences, target verdicts) are the results layer's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulator.results.results import Results
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

NAME = "Acme 2027 CS plan"
ACTIVITIES = ("onboarding", "need", "checkin", "qbr", "renewal", "session")
FEATURES = ("A", "B", "C", "D")


def scenario(name: str = NAME, variant_names: tuple[str, ...] = ("more CSMs", "outcome plan")) -> Scenario:
    sets: list[dict[str, Any]] = [
        {"teams.strategic.csms": 6},
        {"compensation": {"plan": "custom", "components": [{"metric": "value_realised"}]}},
    ]
    return Scenario.model_validate(
        {
            "name": name,
            "description": "Should we add strategic CSMs or change the plan?",
            "horizon_months": 24,
            "warmup_months": 3,
            "replications": 4,
            "seed": 7,
            "segments": {"enterprise": {"team": "strategic", "initial_customers": 30}, "smb": {"team": "pool"}},
            "teams": {"strategic": {"coverage": "named", "csms": 4}, "pool": {"coverage": "pooled", "csms": 3}},
            "compensation": {"plan": "custom", "components": [{"metric": "engagement_average"}]},
            "targets": ["grr >= 0.9", "p90_time_to_guidance_days <= 7"],
            "variants": [{"name": n, "set": s} for n, s in zip(variant_names, sets, strict=False)],
        }
    )


def synthetic_results(seed: int = 1, *, name: str = NAME, replications: int = 4, **kw: Any) -> Results:
    """Three variants (baseline first) of a small two-team scenario, ``replications`` each."""
    rng = np.random.default_rng(seed)
    scen = scenario(name, **kw)
    variants = ["base", *[v.name for v in scen.variants]]
    months = int(scen.horizon_months)
    tables = {
        "timeseries": _timeseries(rng, variants, replications, months),
        "customers": _customers(rng, variants, replications),
        "csms": _csms(rng, variants, replications, months),
        "needs": _needs(rng, variants, replications, months),
        "touches": _touches(rng, variants, replications, months),
    }
    meta = {
        "version": "0.1.0",
        "seed": scen.seed,
        "replications": replications,
        "date": "2027-01-15",
        "timings": {"wall_seconds": 12.5},
    }
    return Results.build(scen, variants, _run_metrics(rng, variants, replications), tables, meta)


LEVELS = {
    "logo_retention": (0.88, 0.02),
    "grr": (0.91, 0.015),
    "nrr": (1.03, 0.02),
    "health_green_share": (0.45, 0.04),
    "health_yellow_share": (0.35, 0.03),
    "health_red_share": (0.20, 0.03),
    "nps": (22.0, 5.0),
    "value_realised": (0.55, 0.03),
    "csm_utilization": (0.78, 0.03),
    "mean_time_to_guidance_days": (4.0, 0.5),
    "p90_time_to_guidance_days": (8.0, 1.0),
    "jit_share": (0.7, 0.03),
    "unmet_share": (0.1, 0.02),
    "speed_to_launch_days": (20.0, 2.0),
    "arr_per_csm": (1.8e6, 1e5),
    "accounts_per_csm": (60.0, 3.0),
    "variable_pay_per_csm": (21000.0, 1500.0),
    "comp_cost": (8.0e5, 2e4),
    "cost_per_retained_arr": (0.08, 0.005),
}


def _run_metrics(rng: np.random.Generator, variants: list[str], reps: int) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        common = {m: rng.normal(0, sd) for m, (_, sd) in LEVELS.items()}  # common random numbers
        for i, v in enumerate(variants):
            for m, (mean, sd) in LEVELS.items():
                rows.append((v, r, m, mean * (1 + 0.03 * i) + common[m] + rng.normal(0, sd / 4)))
    return pd.DataFrame(rows, columns=["variant", "replication", "metric", "value"])


def _timeseries(rng: np.random.Generator, variants: list[str], reps: int, months: int) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        for r in range(reps):
            for m in range(months + 1):
                active = 130 + m * (1 + i * 0.2) + rng.normal(0, 3)
                green = max(0.3, 0.45 + 0.02 * i + rng.normal(0, 0.02))
                red = 0.2 - 0.01 * i
                rows.append(
                    (
                        v,
                        r,
                        m,
                        m * DAYS_PER_MONTH,
                        active,
                        active * 3e4,
                        green * active,
                        (1 - green - red) * active,
                        red * active,
                        max(0.0, 5 + rng.normal(0, 2) - i),
                        7 + (i == 1) * 2,
                        0.8 - 0.05 * i,
                    )
                )
    cols = [
        "variant",
        "replication",
        "month",
        "day",
        "active_customers",
        "arr_usd",
        "health_green",
        "health_yellow",
        "health_red",
        "backlog",
        "csms_active",
        "busy_share",
    ]
    return pd.DataFrame(rows, columns=cols)


def _customers(rng: np.random.Generator, variants: list[str], reps: int, n: int = 40) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        for r in range(reps):
            for c in range(n):
                eng, val = rng.uniform(0.2, 0.8) + 0.05 * i, rng.uniform(0.2, 0.9) - 0.03 * i
                rows.append(
                    (
                        v,
                        r,
                        c,
                        "enterprise" if c < 10 else "smb",
                        "strategic" if c < 10 else "pool",
                        3e4,
                        3.1e4,
                        bool(rng.random() < 0.1),
                        eng,
                        val,
                        (eng + val) / 2,
                    )
                )
    cols = [
        "variant",
        "replication",
        "customer",
        "segment",
        "team",
        "arr_start_usd",
        "arr_end_usd",
        "churned",
        "final_engagement",
        "final_value",
        "final_health",
    ]
    return pd.DataFrame(rows, columns=cols)


def _csms(rng: np.random.Generator, variants: list[str], reps: int, months: int) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        for r in range(reps):
            for c in range(7):
                for p in range(months // 3):
                    hours = rng.dirichlet(np.ones(len(ACTIVITIES))) * rng.uniform(250, 470) * (0.8 + 0.05 * i)
                    att = rng.normal(1.0 - 0.1 * i, 0.2)
                    rows.append(
                        (
                            v,
                            r,
                            f"csm{c}",
                            "strategic" if c < 4 else "pool",
                            p,
                            p * 91.3,
                            (p + 1) * 91.3,
                            91.3,
                            *hours,
                            480.0,
                            12 + c,
                            2e6 + rng.normal(0, 2e5),
                            int(rng.integers(20, 40)),
                            att,
                            max(0.0, 5625 * att),
                        )
                    )
    cols = [
        "variant",
        "replication",
        "csm",
        "team",
        "period",
        "period_start_day",
        "period_end_day",
        "active_days",
        *[f"hours_{a}" for a in ACTIVITIES],
        "available_hours",
        "book_accounts",
        "book_arr_usd",
        "touches",
        "attainment",
        "payout_usd",
    ]
    return pd.DataFrame(rows, columns=cols)


def _needs(rng: np.random.Generator, variants: list[str], reps: int, months: int, n: int = 120) -> pd.DataFrame:
    rows = []
    fates = ["jit", "late", "expired", "open"]
    for i, v in enumerate(variants):
        for r in range(reps):
            for k in range(n):
                arise = rng.uniform(0, months * DAYS_PER_MONTH)
                wait = rng.exponential(4 + i)
                fate = fates[int(rng.choice(4, p=[0.65, 0.2, 0.1, 0.05]))]
                start = arise + wait if fate in ("jit", "late") else np.nan
                rows.append(
                    (
                        v,
                        r,
                        k,
                        "enterprise",
                        "strategic",
                        str(rng.choice(FEATURES)),
                        arise,
                        start,
                        fate,
                        f"csm{int(rng.integers(0, 4))}",
                    )
                )
    cols = ["variant", "replication", "customer", "segment", "team", "feature", "arise_day", "start_day", "fate", "csm"]
    return pd.DataFrame(rows, columns=cols)


def _touches(rng: np.random.Generator, variants: list[str], reps: int, months: int, n: int = 80) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        weights = np.array([1 + i, 1 + i, 1, 1], dtype=float)
        for r in range(reps):
            for k in range(n):
                feature = str(rng.choice(FEATURES, p=weights / weights.sum())) if rng.random() < 0.7 else ""
                rows.append(
                    (
                        v,
                        r,
                        f"csm{k % 4}",
                        k,
                        rng.uniform(0, months * DAYS_PER_MONTH),
                        "checkin" if k % 4 else "qbr",
                        feature,
                        1.0,
                        bool(feature) and rng.random() < 0.5,
                    )
                )
    cols = ["variant", "replication", "csm", "customer", "day", "kind", "feature", "hours", "adopted"]
    return pd.DataFrame(rows, columns=cols)
