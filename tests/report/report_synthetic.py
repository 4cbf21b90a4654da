"""Plausible random run tables for report tests, assembled into a real ``Results``.

The numbers are noise around sensible levels, not a simulation: report tests check how data
is shown, never what it says. Each variant gets a small, fixed shift so charts differ. The
statistics (summary, paired differences, target verdicts) are the results layer's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator.results.results import Results
from simulator.scenario.experiment_spec import TARGET_RANGES
from simulator.scenario.schema import (
    DAYS_PER_MONTH,
    SEGMENT_METRICS,
    TEAM_METRICS,
    Scenario,
    segment_metric,
    team_metric,
)

NAME = "Acme 2027 CS plan"
ACTIVITIES = ("onboarding", "need", "checkin", "qbr", "renewal", "session")


@dataclass(frozen=True)
class Names:
    """Every user-chosen name in the synthetic scenario, so escaping tests can make them hostile."""

    scenario: str = NAME
    description: str = "Should we add strategic CSMs or change the plan?"
    variants: tuple[str, ...] = ("more CSMs", "outcome plan")
    segments: tuple[str, str] = ("enterprise", "smb")
    teams: tuple[str, str] = ("strategic", "pool")  # a named team, a pooled team
    features: tuple[str, ...] = ("A", "B", "C", "D")


def scenario(names: Names = Names(), sweep: list[int] | None = None) -> Scenario:
    named, pooled = names.teams
    sets: list[dict[str, Any]] = [
        {f"teams.{named}.csms": 6},
        {"compensation": {"plan": "custom", "components": [{"metric": "value_realised"}]}},
    ]
    weights = dict(zip(names.features, (0.35, 0.35, 0.15, 0.15), strict=False))
    data: dict[str, Any] = {
        "name": names.scenario,
        "description": names.description,
        "horizon_months": 24,
        "warmup_months": 3,
        "replications": 4,
        "seed": 7,
        "product": {"features": {f: {"engagement_weight": weights.get(f, 0.1)} for f in names.features}},
        "segments": {names.segments[0]: {"team": named, "initial_customers": 30}, names.segments[1]: {"team": pooled}},
        "teams": {named: {"coverage": "named", "csms": 4}, pooled: {"coverage": "pooled", "csms": 3}},
        "compensation": {"plan": "custom", "components": [{"metric": "engagement_average"}]},
        "targets": ["grr >= 0.9", "p90_time_to_guidance_days <= 7"],
        "variants": [{"name": n, "set": s} for n, s in zip(names.variants, sets, strict=False)],
    }
    if sweep:
        data["sweep"] = {"path": f"teams.{named}.csms", "values": sweep}
    return Scenario.model_validate(data)


def synthetic_results(
    seed: int = 1, *, names: Names = Names(), replications: int = 4, sweep: list[int] | None = None
) -> Results:
    """Base, the named variants, then one variant per sweep value; ``replications`` each."""
    rng = np.random.default_rng(seed)
    scen = scenario(names, sweep)
    path = scen.sweep.path if scen.sweep else ""
    points = {f"{path}={x}": x for x in sweep or []}
    variants = ["base", *[v.name for v in scen.variants], *points]
    months = int(scen.horizon_months)
    tables = {
        "timeseries": _timeseries(rng, variants, replications, months),
        "customers": _customers(rng, variants, replications, names),
        "csms": _csms(rng, variants, replications, months, names),
        "needs": _needs(rng, variants, replications, months, names),
        "touches": _touches(rng, variants, replications, months, names),
    }
    meta = {
        "version": "0.1.0",
        "seed": scen.seed,
        "replications": replications,
        "date": "2027-01-15",
        "timings": {"wall_seconds": 12.5},
    }
    run_metrics = _run_metrics(rng, variants, replications)
    # Per-segment rows from a stream of their own, so the company's numbers stay as they were.
    segment_rows = _segment_metrics(np.random.default_rng(seed + 1000), variants, replications, list(scen.segments))
    team_rows = _team_metrics(np.random.default_rng(seed + 2000), variants, replications, list(scen.teams))
    run_metrics = _within_range(pd.concat([run_metrics, segment_rows, team_rows], ignore_index=True))
    return Results.build(
        scen, variants, run_metrics, tables, meta, sweep={"path": path, "values": points} if points else None
    )


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
    "touches_per_account_month": (0.9, 0.05),
    "touches_per_account_month_unscored": (0.8, 0.05),
    "arr_lost": (4.0e6, 2e5),
}


def _within_range(run_metrics: pd.DataFrame) -> pd.DataFrame:
    """Each value within what its metric can take (a GRR at most 1, however many variants shift it)."""
    ranges = [TARGET_RANGES[m.partition("@")[0]] for m in run_metrics["metric"]]
    low, high = (np.array([r[k] for r in ranges], dtype=float) for k in (0, 1))
    return run_metrics.assign(value=run_metrics["value"].clip(lower=low, upper=high))


def _run_metrics(rng: np.random.Generator, variants: list[str], reps: int) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        common = {m: rng.normal(0, sd) for m, (_, sd) in LEVELS.items()}  # common random numbers
        for i, v in enumerate(variants):
            for m, (mean, sd) in LEVELS.items():
                rows.append((v, r, m, mean * (1 + 0.03 * i) + common[m] + rng.normal(0, sd / 4)))
    return pd.DataFrame(rows, columns=["variant", "replication", "metric", "value"])


def _segment_metrics(rng: np.random.Generator, variants: list[str], reps: int, segments: list[str]) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        for k, segment in enumerate(segments):
            for i, v in enumerate(variants):
                for m in SEGMENT_METRICS:
                    mean, sd = LEVELS[m]
                    value = mean * (1 + 0.02 * k - 0.03 * i) + rng.normal(0, sd / 4)
                    rows.append((v, r, segment_metric(m, segment), value))
    return pd.DataFrame(rows, columns=["variant", "replication", "metric", "value"])


def _team_metrics(rng: np.random.Generator, variants: list[str], reps: int, teams: list[str]) -> pd.DataFrame:
    """The first team's books 4x smaller than the second's, as a named team's against a pool's."""
    rows = []
    for r in range(reps):
        for k, team in enumerate(teams):
            for i, v in enumerate(variants):
                for m in TEAM_METRICS:
                    mean, sd = LEVELS[m]
                    size = 1.0 if m == "csm_utilization" else (0.4, 1.6)[k]
                    rows.append((v, r, team_metric(m, team), mean * size * (1 - 0.03 * i) + rng.normal(0, sd / 4)))
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


def _customers(rng: np.random.Generator, variants: list[str], reps: int, names: Names, n: int = 40) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        for r in range(reps):
            for c in range(n):
                eng, val = rng.uniform(0.2, 0.8) + 0.05 * i, rng.uniform(0.2, 0.9) - 0.03 * i
                eng, val = min(eng, 1.0), max(val, 0.0)  # shares, however many variants
                rows.append(
                    (
                        v,
                        r,
                        c,
                        names.segments[c >= 10],
                        names.teams[c >= 10],
                        np.nan if c % 13 == 12 else 30.0 * c - 300.0,  # live_day: a few never went live
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
        "live_day",
        "arr_start_usd",
        "arr_end_usd",
        "churned",
        "final_engagement",
        "final_value",
        "final_health",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.assign(csm=[f"csm{c % 7}" for c in frame["customer"]])  # the CSM at the end, as in csms


def _csms(rng: np.random.Generator, variants: list[str], reps: int, months: int, names: Names) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        for r in range(reps):
            for c in range(7):
                for p in range(months // 3):
                    hours = rng.dirichlet(np.ones(len(ACTIVITIES))) * rng.uniform(250, 470) * (0.8 + 0.05 * i)
                    att = max(0.0, rng.normal(1.0 - 0.1 * i, 0.2))  # attainment: never below 0
                    rows.append(
                        (
                            v,
                            r,
                            f"csm{c}",
                            names.teams[c >= 4],
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


def _needs(
    rng: np.random.Generator, variants: list[str], reps: int, months: int, names: Names, n: int = 120
) -> pd.DataFrame:
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
                        names.segments[0],
                        names.teams[0],
                        str(rng.choice(names.features)),
                        arise,
                        start,
                        fate,
                        f"csm{int(rng.integers(0, 4))}",
                    )
                )
    cols = ["variant", "replication", "customer", "segment", "team", "feature", "arise_day", "start_day", "fate", "csm"]
    return pd.DataFrame(rows, columns=cols)


def _touches(
    rng: np.random.Generator, variants: list[str], reps: int, months: int, names: Names, n: int = 80
) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(variants):
        weights = np.array([1 + i, 1 + i, 1, 1][: len(names.features)], dtype=float)
        for r in range(reps):
            for k in range(n):
                feature = str(rng.choice(names.features, p=weights / weights.sum())) if rng.random() < 0.7 else ""
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
