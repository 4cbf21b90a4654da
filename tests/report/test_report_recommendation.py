"""The recommendation rule, case by case: met all -> cheapest; else most met, fewest missed, cheapest."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator.report.sections.recommendation import recommend, target_statuses
from simulator.scenario.schema import Scenario

T1, T2 = "grr >= 0.9", "p90_time_to_guidance_days <= 7"


def statuses(table: dict[str, tuple[str, str]]) -> pd.DataFrame:
    rows = [(v, t, s) for v, pair in table.items() for t, s in zip((T1, T2), pair, strict=True)]
    return pd.DataFrame(rows, columns=["variant", "target", "status"])


def test_among_options_meeting_every_target_the_cheapest_wins() -> None:
    table = {"base": ("met", "not met"), "b": ("met", "met"), "c": ("met", "met")}
    choice = recommend(["base", "b", "c"], statuses(table), {"base": 1.0, "b": 3.0, "c": 2.0}, 2)
    assert choice.variant == "c"
    assert choice.badge == "recommended"
    assert "lowest comp cost" in choice.reasons[0] and "b $3" in choice.reasons[0]


def test_the_only_option_meeting_every_target_wins_even_if_dearer() -> None:
    table = {"base": ("met", "undecided"), "b": ("met", "met")}
    choice = recommend(["base", "b"], statuses(table), {"base": 1.0, "b": 9.0}, 2)
    assert choice.variant == "b"
    assert "only option" in choice.reasons[0]


def test_without_a_winner_most_met_then_fewest_missed_then_cheapest() -> None:
    table = {"base": ("met", "not met"), "b": ("met", "undecided"), "c": ("not met", "not met")}
    choice = recommend(["base", "b", "c"], statuses(table), {"base": 1.0, "b": 5.0, "c": 0.5}, 2)
    assert choice.variant == "b"  # same met count as base, but nothing clearly missed
    assert choice.badge == "closest to targets"
    assert any("more replications" in line for line in choice.reasons)


def test_a_full_tie_on_targets_goes_to_the_cheaper_and_says_so() -> None:
    table = {"base": ("met", "not met"), "b": ("met", "not met")}
    choice = recommend(["base", "b"], statuses(table), {"base": 2.0, "b": 1.0}, 2)
    assert choice.variant == "b"
    assert any("ties on targets with base" in line for line in choice.reasons)


def test_equal_everything_keeps_the_scenario_order() -> None:
    table = {"base": ("met", "met"), "b": ("met", "met")}
    choice = recommend(["base", "b"], statuses(table), {"base": 1.0, "b": 1.0}, 2)
    assert choice.variant == "base"


def test_missing_cost_ranks_after_known_cost() -> None:
    table = {"base": ("met", "met"), "b": ("met", "met")}
    choice = recommend(["base", "b"], statuses(table), {"b": 1.0}, 2)
    assert choice.variant == "b"


def test_no_targets_ranks_on_cost_alone_and_asks_for_targets() -> None:
    empty = pd.DataFrame(columns=["variant", "target", "status"])
    choice = recommend(["base", "b"], empty, {"base": 2.0, "b": 1.0}, 0)
    assert choice.variant == "b"
    assert choice.badge == "cheapest"
    assert any("Add targets" in line for line in choice.reasons)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.91, 0.95, "met"), (0.80, 0.85, "not met"), (0.88, 0.93, "undecided"), (math.nan, math.nan, "undecided")],
)
def test_statuses_fall_back_to_summary_intervals_when_results_have_no_target_table(
    low: float, high: float, expected: str
) -> None:
    scenario = Scenario.model_validate({"targets": [T1]})
    summary = pd.DataFrame(
        [("base", "grr", 0.9, low, high, 4)], columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"]
    )
    table = target_statuses(scenario, None, summary)
    assert table.to_dict("records") == [{"variant": "base", "target": T1, "status": expected}]
