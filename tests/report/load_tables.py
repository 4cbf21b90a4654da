"""Small hand-made run tables for the load tests (utilisation over time, books over their cap).

(A plain module, not a conftest: pytest puts this folder on ``sys.path``, so tests import it.)"""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulator.experiment import run_experiment
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

QUARTER = 3 * DAYS_PER_MONTH
SUMMARY = ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
CSM_COLUMNS = [
    "variant", "replication", "csm", "team", "period", "period_start_day", "period_end_day", "active_days",
    "hours_need", "available_hours", "book_accounts",
]  # fmt: skip


def scenario(**named: Any) -> Scenario:
    """24 months, 3 of warm-up: a named team (cap 20) and a pool; the variant 'lean' is the same team."""
    return Scenario.model_validate(
        {
            "horizon_months": 24,
            "warmup_months": 3,
            "segments": {"ent": {"team": "named"}, "mm": {"team": "pool"}},
            "teams": {
                "named": {"coverage": "named", "csms": 2, "max_accounts": 20, **named},
                "pool": {"coverage": "pooled", "csms": 2},
            },
            "variants": [{"name": "lean", "set": {"teams.named.csms": 2}}],
        }
    )


def csms(utilisation: dict[str, list[float]], books: dict[str, list[int]] | None = None) -> pd.DataFrame:
    """Two replications, two named CSMs, 8 quarters: each quarter's utilisation per variant
    (replication 1 a point higher than 0), the same book for both CSMs, and a CSM who left
    (book 0, no hours) in every quarter, who must count in no book."""
    rows = []
    for variant, shares in utilisation.items():
        for r in (0, 1):
            for p, share in enumerate(shares):
                start, end = p * QUARTER, (p + 1) * QUARTER
                book = (books or {}).get(variant, [15] * 8)[p]
                for c in (0, 1):
                    rows.append((variant, r, c, "named", p, start, end, QUARTER, 400 * (share + 0.01 * r), 400.0, book))
                rows.append((variant, r, 9, "named", p, start, end, 10.0, 0.0, 0.0, 0))
    return pd.DataFrame(rows, columns=CSM_COLUMNS)


RISING = [0.70, 0.74, 0.78, 0.82, 0.86, 0.90, 0.94, 0.98]
"""Quarters 4-7 are the last 12 months: 0.92 (and 0.93 in replication 1); the average is lower."""
FLAT = [0.87] * 8


def default() -> Scenario:
    return scenario()


def data(
    csms: pd.DataFrame, averages: dict[str, float], scenario: Scenario | None = None, **tables: pd.DataFrame
) -> ReportData:
    summary = pd.DataFrame(
        [(v, "csm_utilization@named", mean, mean - 0.01, mean + 0.01, 2) for v, mean in averages.items()],
        columns=SUMMARY,
    )
    return ReportData(scenario or default(), list(averages), {"summary": summary, "csms": csms, **tables})


SMALL = {
    "horizon_months": 24,
    "warmup_months": 3,
    "replications": 2,
    "seed": 11,
    "segments": {"ent": {"team": "named", "initial_customers": 30, "new_per_month": 3}},
    "teams": {"named": {"coverage": "named", "csms": 2, "max_accounts": 18}},
    "targets": ["grr >= 0.5"],
}


def small_run() -> ReportData:
    """Books of 15 growing by 1.5 a month against a cap of 18, over two years."""
    return ReportData.from_results(run_experiment(Scenario.model_validate(SMALL), quiet=True))
