"""What an experiment with incentive plans writes: csms.csv per CSM and pay period, pay metrics with intervals.

One small real experiment (3 CSMs, 9 months, 3 replications) under three plans with
different components, written to a folder and read back as a user would: csms.csv must
hold one row per CSM and pay period with the payout and one ``attainment_<component>``
column per component of every plan in the experiment (empty where a variant's plan lacks
it), each payout must be what the plan's weights make of those attainments, and
summary.csv must carry ``plan_cost``, ``variable_pay_per_csm``, ``comp_cost``,
``cost_per_retained_arr``, ``share_at_target`` and ``pay_alignment`` with intervals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.experiment import run_experiment
from simulator.results.results import Results
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

VARIABLE_TARGET = 20_000.0
QUARTER_TARGET = VARIABLE_TARGET / 4
SCENARIO = {
    "horizon_months": 9, "warmup_months": 3, "replications": 3, "seed": 11,
    "segments": {"s": {"team": "t", "initial_customers": 45, "new_per_month": 2}},
    "teams": {"t": {"coverage": "named", "csms": 3, "max_accounts": 30}},
    "csm": {"variable_target": VARIABLE_TARGET, "annual_attrition": 0.8},  # some leave mid-period
    "variants": [
        {"name": "threshold+activity", "set": {"compensation.plan": "threshold_plus_activity"}},
        {"name": "outcome", "set": {"compensation.plan": "customer_outcome"}},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    run_experiment(Scenario.model_validate(SCENARIO), executor="local", workers=1, out_dir=folder)
    return folder


def test_csms_csv_has_a_row_per_csm_and_pay_period_with_attainment_per_component(out: Path) -> None:
    csms = pd.read_csv(out / "csms.csv")
    components = ["attainment_adoption_share", "attainment_contact_coverage", "attainment_value_realised",
                  "attainment_jit_share"]  # fmt: skip
    assert {"variant", "replication", "csm", "period", "attainment", "payout_usd", *components} <= set(csms.columns)
    assert not csms.duplicated(["variant", "replication", "csm", "period"]).any()
    assert set(csms["period"]) == {0, 1, 2}  # three quarters of the 9-month horizon
    base = csms[csms["variant"] == "base"]
    assert (base["payout_usd"] == 0).all() and base[["attainment", *components]].isna().all().all()
    mine = {"threshold+activity": components[:2], "outcome": components[2:]}
    for variant, own in mine.items():
        rows = csms[csms["variant"] == variant]
        assert rows[own].notna().all().all(), f"{variant}: its components' attainment is missing"
        assert rows[[c for c in components if c not in own]].isna().all().all(), f"{variant}: foreign columns"


def test_payout_is_the_weighted_attainments_of_the_period_prorated_by_days_in_the_seat(out: Path) -> None:
    """threshold_plus_activity pays 0.6 x the bar + 0.4 x contact coverage; customer_outcome 0.7 x value
    realised + 0.3 x just in time; each of a quarter's variable target, times the share of it in the seat."""
    csms = pd.read_csv(out / "csms.csv")
    weights = {"threshold+activity": {"adoption_share": 0.6, "contact_coverage": 0.4},
               "outcome": {"value_realised": 0.7, "jit_share": 0.3}}  # fmt: skip
    for variant, parts in weights.items():
        rows = csms[csms["variant"] == variant]
        share = sum(w * rows[f"attainment_{name}"] for name, w in parts.items())
        seat = (rows["active_days"] / (3 * DAYS_PER_MONTH)).clip(upper=1.0)
        np.testing.assert_allclose(rows["payout_usd"], share * QUARTER_TARGET * seat, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(rows["attainment"], share / sum(parts.values()), rtol=1e-9)
    assert (csms["active_days"] < 3 * DAYS_PER_MONTH - 1).any(), "no part-period CSM: proration untested"


def test_summary_has_the_pay_metrics_with_intervals(out: Path) -> None:
    summary = pd.read_csv(out / "summary.csv")

    def cell(variant: str, metric: str, column: str = "mean") -> float:
        row = summary[(summary["variant"] == variant) & (summary["metric"] == metric)]
        assert len(row) == 1, f"summary.csv: no single row for {variant} / {metric}"
        return float(row[column].iloc[0])

    for variant in ("threshold+activity", "outcome"):
        for metric in ("plan_cost", "variable_pay_per_csm", "comp_cost", "cost_per_retained_arr", "share_at_target"):
            assert cell(variant, metric, "n") == 3, (variant, metric)
            assert cell(variant, metric, "ci_low") <= cell(variant, metric) <= cell(variant, metric, "ci_high")
        assert 0 <= cell(variant, "share_at_target") <= 1
        assert -1 <= cell(variant, "pay_alignment") <= 1
        assert cell(variant, "comp_cost") > cell("base", "comp_cost")  # salaries plus variable pay
    assert cell("base", "plan_cost") == 0
    assert cell("base", "share_at_target", "n") == 0  # salary only has no target


def test_plan_cost_quantiles_read_back_from_the_folder(out: Path) -> None:
    runs = pd.read_csv(out / "run_metrics.csv")
    quantiles = Results.load(out).plan_cost_quantiles()
    for variant in ("threshold+activity", "outcome"):
        costs = runs[(runs["variant"] == variant) & (runs["metric"] == "plan_cost")]["value"].to_numpy()
        mine = quantiles[quantiles["variant"] == variant]
        p10, p50, p90, n = mine[["p10", "p50", "p90", "n"]].to_numpy(dtype=float)[0]
        assert n == 3 and p10 <= p50 <= p90
        assert p50 == pytest.approx(float(np.median(costs)))
