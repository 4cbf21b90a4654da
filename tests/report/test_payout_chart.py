"""The compensation section's payout chart against the pay_alignment metric it illustrates, on a real run."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_pages import figure
from typer.testing import CliRunner

from simulator.cli import app
from simulator.model.plans.calibration import pay_for_performance
from simulator.report.sections.compensation import payout_vs_outcome
from simulator.report.source import ReportData
from simulator.results.results import Results

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "comp_plans.yaml"


@pytest.fixture(scope="module")
def comp_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """comp_plans.yaml cut to 12 months and 2 replications (about 10 s): nine plans whose pay varies."""
    out = tmp_path_factory.mktemp("comp_plans") / "out"
    args = ["run", str(SCENARIO), "--out", str(out), "--replications", "2", "--workers", "1", "-q"]
    outcome = CliRunner().invoke(app, [*args, "--set", "horizon_months=12", "--set", "warmup_months=3"])
    assert outcome.exit_code == 0, outcome.output
    return out


def test_the_payout_chart_draws_the_points_pay_alignment_correlates(comp_plans: Path) -> None:
    """Per run, the correlation of the chart's dots is the run's pay_alignment, value for value:
    the same CSMs (a full payout period in a seat), pay and outcome (the book's value realised)."""
    data = ReportData.from_results(Results.load(comp_plans))
    points = payout_vs_outcome(data, data.tables["csms"], data.tables["customers"])
    runs = data.tables["run_metrics"]
    alignment = runs[runs["metric"] == "pay_alignment"].set_index(["variant", "replication"])["value"]
    got = {
        key: pay_for_performance(run["pay_per_day"].tolist(), run["book_value"].tolist())
        for key, run in points.groupby(["variant", "replication"])
    }
    assert set(got) == set(alignment.index)
    assert sum(r == r for r in got.values()) >= 2, "too few runs with an alignment: the test checks little"
    assert [
        key for key, r in got.items() if not (r == alignment[key] or (r != r and alignment[key] != alignment[key]))
    ] == []
    traces, layout = figure((comp_plans / "index.html").read_text(encoding="utf-8"), "chart-payout-outcome")
    assert sum(len(t["x"]) for t in traces) == len(points)  # every point: this run has 2 replications
    assert "value realised" in layout["xaxis"]["title"]["text"]
