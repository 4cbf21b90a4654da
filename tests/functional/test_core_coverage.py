"""Coverage models compared on the same customers (common random numbers): the digital
programme is the cheapest and leaves the least adoption."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.engine import simulate
from simulator.results.metrics import run_metrics
from simulator.results.tables import frames
from simulator.scenario.schema import Scenario

REPLICATIONS = 3
TEAMS: dict[str, dict[str, Any]] = {
    "named": {"coverage": "named", "csms": 4, "max_accounts": 60, "checkin_days": 30, "qbr_months": 0},
    "pooled": {"coverage": "pooled", "csms": 3},
    "digital": {"coverage": "digital", "effectiveness": 0.4, "cost_per_customer_month": 3},
}


def scenario(coverage: str) -> Scenario:
    return Scenario.model_validate({
        "horizon_months": 15, "warmup_months": 3, "seed": 8,
        "segments": {"s": {"team": coverage, "initial_customers": 150, "new_per_month": 4, "needs_per_month": 0.6,
                           "signal_prob": 0.4}},
        "teams": {coverage: TEAMS[coverage]},
    })  # fmt: skip


@pytest.fixture(scope="module")
def results() -> dict[str, list[dict[str, float]]]:
    out: dict[str, list[dict[str, float]]] = {}
    for coverage in TEAMS:
        s = scenario(coverage)
        runs = []
        for r in range(REPLICATIONS):
            tables = frames(simulate(s, r))
            metrics = run_metrics(tables, s)
            needs = tables["needs"]
            metrics["adopted_per_need"] = float(needs.loc[needs["kind"] == "adopt", "adopted"].mean())
            runs.append(metrics)
        out[coverage] = runs
    return out


@pytest.mark.parametrize("human", ["named", "pooled"])
def test_digital_is_cheapest_in_every_replication(results: dict, human: str) -> None:
    for r in range(REPLICATIONS):
        digital, other = results["digital"][r]["comp_cost"], results[human][r]["comp_cost"]
        assert digital < other / 10, f"replication {r}: digital costs {digital:,.0f} vs {human} {other:,.0f}"


@pytest.mark.parametrize("human", ["named", "pooled"])
@pytest.mark.parametrize("metric", ["adopted_per_need", "value_realised"])
def test_digital_has_the_lowest_adoption(results: dict, human: str, metric: str) -> None:
    for r in range(REPLICATIONS):
        digital, other = results["digital"][r][metric], results[human][r][metric]
        assert digital < other, f"replication {r}: {metric} digital {digital:.3f} vs {human} {other:.3f}"
