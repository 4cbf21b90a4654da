"""The recommendation rule, case by case: met all -> cheapest; else most met, fewest missed, nearest to
clearing the rest, cheapest."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator.report.sections.recommendation import margin, recommend, target_margins, target_statuses
from simulator.scenario.schema import Scenario, Target

T1, T2 = "grr >= 0.9", "p90_time_to_guidance_days <= 7"


def statuses(table: dict[str, tuple[str, str]]) -> pd.DataFrame:
    rows = [(v, t, s) for v, pair in table.items() for t, s in zip((T1, T2), pair, strict=True)]
    return pd.DataFrame(rows, columns=["variant", "target", "status"])


def test_among_options_meeting_every_target_the_cheapest_wins() -> None:
    table = {"base": ("met", "not met"), "b": ("met", "met"), "c": ("met", "met")}
    choice = recommend(["base", "b", "c"], statuses(table), {"base": 1.0, "b": 3.0, "c": 2.0}, 2)
    assert choice.variant == "c"
    assert choice.badge == "recommended"
    assert "lowest CS cost" in choice.reasons[0] and "b $3" in choice.reasons[0]


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


def test_among_options_tied_on_the_counts_the_nearest_to_clearing_wins_over_the_cheapest() -> None:
    """Nothing clears GRR >= 0.92: the fewest CSMs are cheapest and furthest from it (lemkin_check's shape)."""
    scenario = Scenario.model_validate({"targets": ["grr >= 0.92"]})
    summary = pd.DataFrame(
        [("6 CSMs", "grr", 0.920, 0.895, 0.945, 4), ("11 CSMs", "grr", 0.935, 0.915, 0.955, 4)],
        columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"],
    )
    statuses = target_statuses(scenario, None, summary)
    assert set(statuses["status"]) == {"undecided"}
    costs = {"6 CSMs": 1.0, "11 CSMs": 2.0}
    choice = recommend(["6 CSMs", "11 CSMs"], statuses, costs, 1, target_margins(scenario, summary))
    assert choice.variant == "11 CSMs"
    assert choice.badge == "closest to targets"
    assert any("nearer to clearing" in line and "6 CSMs" in line for line in choice.reasons)
    assert recommend(["6 CSMs", "11 CSMs"], statuses, costs, 1).variant == "6 CSMs"  # without margins: cost


def test_margins_match_the_results_targets_table_whatever_the_number_is_written_as() -> None:
    scenario = Scenario.model_validate({"targets": ["grr >= 0.90"]})
    summary = pd.DataFrame(
        [("base", "grr", 0.89, 0.87, 0.91, 4), ("b", "grr", 0.9, 0.89, 0.91, 4)],
        columns=["variant", "metric", "mean", "ci_low", "ci_high", "n"],
    )
    results_table = pd.DataFrame(  # evaluate_targets writes str(Target): 'grr >= 0.9'
        [("base", "grr >= 0.9", "undecided"), ("b", "grr >= 0.9", "undecided")], columns=["variant", "target", "status"]
    )
    choice = recommend(["base", "b"], results_table, {"base": 1.0, "b": 2.0}, 1, target_margins(scenario, summary))
    assert choice.variant == "b"


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("grr >= 0.9", 0.91, 0.95, 1.0),  # met: the whole interval clears the bar
        ("grr >= 0.9", 0.80, 0.85, -1.0),  # not met
        ("grr >= 0.9", 0.88, 0.94, 1 / 3),  # centre 0.91, half-width 0.03: one third of it above the bar
        ("grr >= 0.9", 0.86, 0.92, -1 / 3),
        ("p90_time_to_guidance_days <= 14", 10.0, 20.0, -0.2),  # centre 15: a fifth of the half-width too slow
        ("p90_time_to_guidance_days <= 14", 4.0, 4.0, 1.0),  # no spread, on the right side
        ("p90_time_to_guidance_days <= 14", 15.0, 15.0, -1.0),
        ("grr >= 0.9", math.nan, math.nan, 0.0),  # one replication: no interval
    ],
)
def test_margin_is_the_continuous_form_of_the_status(text: str, low: float, high: float, expected: float) -> None:
    assert margin(Target.parse(text), low, high) == pytest.approx(expected)


def test_when_every_option_meets_the_targets_the_reasons_say_they_do_not_separate_them() -> None:
    one = pd.DataFrame(
        [("base", T1, "met"), ("b", T1, "met"), ("c", T1, "met")], columns=["variant", "target", "status"]
    )
    choice = recommend(["base", "b", "c"], one, {"base": 3.0, "b": 1.0, "c": 2.0}, 1)
    assert choice.variant == "b"
    assert choice.reasons[0].startswith("All 3 options meet the target (")
    assert any("do not tell the options apart" in line for line in choice.reasons)
    table = {"base": ("met", "not met"), "b": ("met", "met"), "c": ("met", "met")}
    some = recommend(["base", "b", "c"], statuses(table), {"base": 1.0, "b": 3.0, "c": 2.0}, 2)
    assert some.reasons[0].startswith("2 options meet both targets (")
    both = recommend(["base", "b"], statuses({"base": ("met", "met"), "b": ("met", "met")}), {"base": 2.0, "b": 1.0}, 2)
    assert both.reasons[0].startswith("Both options meet both targets (")
    only = recommend(["base", "b"], statuses({"base": ("met", "not met"), "b": ("met", "met")}), {}, 2)
    assert only.reasons[0].startswith("b is the only option that meets both targets (")
    three = pd.DataFrame(
        [(v, t, "met") for v in ("base", "b") for t in (T1, T2, "nrr >= 1")], columns=["variant", "target", "status"]
    )
    assert recommend(["base", "b"], three, {}, 3).reasons[0].startswith("Both options meet all 3 targets (")
    assert not any("do not tell" in line for line in some.reasons)


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
