"""Load over time: a team's utilisation in the run's last 12 months beside its average, in
the by-team table and in the answer's "almost no slack" warning."""

from __future__ import annotations

import load_tables as tables
import pandas as pd
import pytest

from simulator.report.formats import plain
from simulator.report.page import Table
from simulator.report.sections import load, workload
from simulator.report.sections.headline import stretched_teams
from simulator.report.source import ReportData
from simulator.scenario.schema import Scenario

SUMMARY = tables.SUMMARY


def test_the_last_12_months_utilisation_is_hours_over_available_hours_of_the_last_four_quarters() -> None:
    data = tables.data(tables.csms({"base": tables.RISING, "lean": tables.FLAT}), {"base": 0.85, "lean": 0.87})
    found = load.trends(data)
    rising = found[("base", "named")]
    assert rising.last == pytest.approx(0.925)  # (0.92 + 0.93) / 2: the CSM who left adds no hours and no time
    assert rising.low < 0.925 < rising.high, "a t interval across the two replications"
    assert rising.average == 0.85, "the average is the summary's"
    assert rising.material and not found[("lean", "named")].material


def test_no_last_year_figure_when_the_measured_period_is_a_year_or_less() -> None:
    short = Scenario.model_validate({"horizon_months": 15, "warmup_months": 3})
    assert load.trends(tables.data(tables.csms({"base": tables.RISING}), {"base": 0.85}, short)) == {}


def test_the_by_team_table_adds_the_last_12_months_only_where_they_differ_from_the_average() -> None:
    def rows(csms: pd.DataFrame) -> list[str]:
        summary = pd.DataFrame(
            [
                (v, f"{m}@{t}", 0.85 if m == "csm_utilization" else 20.0, 0.8, 0.9, 2)
                for v in ("base", "lean")
                for t in ("named", "pool")
                for m in ("csm_utilization", "accounts_per_csm", "arr_per_csm")
            ],
            columns=SUMMARY,
        )
        data = ReportData(tables.scenario(), ["base", "lean"], {"summary": summary, "csms": csms})
        table = workload.team_table(data)
        assert isinstance(table, Table)
        return [plain(row[0].text) for row in table.rows]

    shown = rows(tables.csms({"base": tables.RISING, "lean": tables.FLAT}))
    assert shown[:2] == ["CSM utilisation, named team", "CSM utilisation, named team, last 12 months"]
    assert "CSM utilisation, named team, last 12 months" not in rows(
        tables.csms({"base": tables.FLAT, "lean": tables.FLAT})
    )


def test_the_answer_warns_when_the_last_year_runs_hot_though_the_average_does_not() -> None:
    data = tables.data(tables.csms({"base": tables.RISING, "lean": tables.FLAT}), {"base": 0.85, "lean": 0.87})
    [line] = stretched_teams(data, "base", ["grr"])
    assert line.startswith(
        "base keeps the named team's CSMs busy 92.5% of their productive time in the last 12 months; "
        "85.0% averaged over the run: almost no slack"
    )
    assert "plan headcount on the last 12 months, not the average" in line
    assert stretched_teams(data, "lean", ["grr"]) == [], "flat at 87%: under the threshold all along"
    [held] = stretched_teams(data, "base", ["csm_utilization@named"])
    assert "The target on its utilisation judges the average over the run, not the last 12 months." in held


def test_an_average_over_the_threshold_names_the_last_year_beside_it_only_when_it_differs() -> None:
    hot = [0.93] * 8
    data = tables.data(tables.csms({"base": tables.FLAT, "lean": hot}), {"base": 0.87, "lean": 0.93})
    [line] = stretched_teams(data, "lean", ["grr"])
    assert line.startswith("lean keeps the named team's CSMs busy 93.0% of their productive time (87.0% in base):")
    assert stretched_teams(data, "lean", ["csm_utilization@named"]) == [], "a target holds the average over it"


@pytest.fixture(scope="module")
def small_run() -> ReportData:
    return tables.small_run()


def test_over_the_whole_measured_period_the_report_reproduces_the_summarys_utilisation(
    small_run: ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last-year figure is the metric's own definition over another window."""
    monkeypatch.setattr(load, "last_year_window", lambda data: (data.scenario.warmup_days, data.scenario.horizon_days))
    [trend] = load.trends(small_run).values()
    assert trend.last == pytest.approx(trend.average)
