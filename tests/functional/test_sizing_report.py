"""The report's sizing block, built from the plain record ``run_meta.json`` keeps under "sizing"."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from simulator.report.page import Callout, Table
from simulator.report.sections import sizing
from simulator.report.source import ReportData
from simulator.scenario.schema import Scenario


def record(status: str, answer: Any, probes: list[tuple[int, bool, str, float | None]]) -> dict[str, Any]:
    """A sizing record with one target, ``grr >= 0.92``: (value, met, status, mean) per probe."""
    return {
        "path": "teams.csm.csms", "values": {"lo": 4, "hi": 12, "step": 1, "count": 9}, "rule": "interval",
        "targets": ["grr >= 0.92"], "replications": 5, "status": status, "answer": answer,
        "message": f"the verdict: {status}", "breaks": [],
        "probes": [
            {"value": v, "met": met, "checks": [{"target": "grr >= 0.92", "metric": "grr", "mean": mean,
             "ci_low": None if mean is None else mean - 0.01, "ci_high": None if mean is None else mean + 0.01,
             "status": st, "met": met}]}
            for v, met, st, mean in probes
        ],
    }  # fmt: skip


def data(meta: dict[str, Any]) -> ReportData:
    summary = pd.DataFrame({"variant": ["base"], "metric": ["grr"], "mean": [0.9], "ci_low": [0.89],
                            "ci_high": [0.91], "n": [5]})  # fmt: skip
    return ReportData(Scenario(), ["base"], {"summary": summary}, meta)


FOUND = record("found", 9, [(4, False, "not met", 0.85), (8, False, "undecided", 0.918), (9, True, "met", 0.935),
                            (12, True, "met", 0.94)])  # fmt: skip


def test_found_answer_leads_with_the_value_and_says_how_it_was_searched() -> None:
    callout, table = sizing.blocks(data({"sizing": FOUND}), {})
    assert isinstance(callout, Callout) and isinstance(table, Table)
    assert callout.title == "Smallest teams.csm.csms meeting every target: 9"
    assert callout.lines[0] == "the verdict: found"
    assert "from 4 to 12 (step 1, 9 values) by bisection: 4 values simulated" in callout.lines[1]
    assert "same 5 replications" in callout.lines[1] and "whole 95% interval" in callout.lines[1]
    assert callout.lines[2] == "Targets: Gross revenue retention (GRR) ≥ 92.0%."


def test_table_has_a_row_per_value_with_each_verdict_styled() -> None:
    _, table = sizing.blocks(data({"sizing": FOUND}), {})
    assert isinstance(table, Table)
    assert table.headers == ["teams.csm.csms", "Gross revenue retention (GRR) ≥ 92.0%", "Every target met?"]
    assert [r[0].text for r in table.rows] == ["4", "8", "9", "12"]
    assert [r[0].detail for r in table.rows] == ["", "", "the answer", ""]
    assert [r[1].css for r in table.rows] == ["notmet", "undecided", "met", "met"]
    assert table.rows[1][1].text == "91.8%" and table.rows[1][1].detail == "90.8% to 92.8% · undecided"
    assert [r[2].text for r in table.rows] == ["no", "no", "yes", "yes"]


@pytest.mark.parametrize(
    ("status", "answer", "title"),
    [("none", None, "No value of teams.csm.csms in the range meets every target"),
     ("lowest", 4, "Every value tried meets the targets, the lowest (4) too"),
     ("not monotone", None, "Sizing teams.csm.csms: the targets do not improve steadily, so there is no single "
                            "answer")],
)  # fmt: skip
def test_other_outcomes_are_said_plainly(status: str, answer: Any, title: str) -> None:
    callout, _ = sizing.blocks(data({"sizing": record(status, answer, [(4, answer is not None, "met", 0.93)])}), {})
    assert isinstance(callout, Callout) and callout.title == title
    assert callout.css == ("recommendation" if answer is not None else "")


def test_missing_numbers_show_as_a_dash_and_no_record_shows_nothing() -> None:
    _, table = sizing.blocks(data({"sizing": record("none", None, [(4, False, "undecided", None)])}), {})
    assert isinstance(table, Table) and table.rows[0][1].text == "–" and table.rows[0][1].detail == "undecided"
    assert sizing.blocks(data({}), {}) == []
    assert sizing.blocks(data({"sizing": "not a record"}), {}) == []


def test_an_interval_reaching_past_what_the_metric_can_take_shows_its_possible_part() -> None:
    rec = record("found", 9, [(9, True, "met", 0.995)])  # interval 0.985 to 1.005: GRR cannot pass 100%
    _, table = sizing.blocks(data({"sizing": rec}), {})
    assert isinstance(table, Table) and table.rows[0][1].detail == "98.5% to 100.0% · met"
