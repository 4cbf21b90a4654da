"""The answer box's caveats: what the recommended option gives up against the base, its cost
beside the base's, and when a sweep's targets cannot see the swept change."""

from __future__ import annotations

import pandas as pd

from simulator.report.formats import plain
from simulator.report.page import Callout, Table
from simulator.report.sections.headline import blind_targets, build, cost_beside_base, worse_than_base
from simulator.report.source import ReportData, SweepInfo
from simulator.scenario.schema import Scenario

SUMMARY = ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
COMPARISONS = ["variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high", "n"]


def _hvl() -> ReportData:
    """The pooled desk's shape: it alone meets both targets, and is clearly worse on retention."""
    summary = pd.DataFrame(
        [
            ("base", "grr", 0.950, 0.93, 0.97, 10), ("desk", "grr", 0.931, 0.91, 0.95, 10),
            ("base", "nrr", 1.071, 1.04, 1.10, 10), ("desk", "nrr", 1.045, 1.01, 1.08, 10),
            ("base", "p90_time_to_guidance_days", 30.6, 26.0, 35.0, 10),
            ("desk", "p90_time_to_guidance_days", 8.6, 6.4, 10.8, 10),
            ("base", "csm_utilization", 0.82, 0.81, 0.83, 10), ("desk", "csm_utilization", 0.80, 0.79, 0.81, 10),
            ("base", "jit_share", 0.686, 0.64, 0.72, 10), ("desk", "jit_share", 0.691, 0.64, 0.74, 10),
            ("base", "unmet_share", 0.114, 0.10, 0.12, 10), ("desk", "unmet_share", 0.254, 0.24, 0.26, 10),
            ("base", "comp_cost", 2.0e6, 1.9e6, 2.1e6, 10), ("desk", "comp_cost", 1.5e6, 1.4e6, 1.6e6, 10),
        ],
        columns=SUMMARY,
    )  # fmt: skip
    comparisons = pd.DataFrame(
        [
            ("desk", "grr", -0.019, -0.022, -0.016, 10), ("desk", "nrr", -0.027, -0.032, -0.021, 10),
            ("desk", "p90_time_to_guidance_days", -22.0, -25.7, -18.3, 10),
            ("desk", "csm_utilization", -0.015, -0.023, -0.006, 10),  # no better direction: never listed
            ("desk", "jit_share", 0.005, -0.016, 0.025, 10),  # interval spans zero
            ("desk", "unmet_share", 0.14, 0.13, 0.15, 10),  # lower is better: up is worse
            ("desk", "comp_cost", -5.0e5, -6e5, -4e5, 10),
        ],
        columns=COMPARISONS,
    )  # fmt: skip
    scenario = Scenario.model_validate({"targets": ["grr >= 0.9", "p90_time_to_guidance_days <= 14"]})
    targets = pd.DataFrame(
        [("base", "grr >= 0.9", "met"), ("base", "p90_time_to_guidance_days <= 14", "not met"),
         ("desk", "grr >= 0.9", "met"), ("desk", "p90_time_to_guidance_days <= 14", "met")],
        columns=["variant", "target", "status"],
    )  # fmt: skip
    return ReportData(scenario, ["base", "desk"], {"summary": summary, "comparisons": comparisons, "targets": targets})


def _answer_lines(data: ReportData) -> tuple[str, list[str]]:
    callout = build(data, {}).blocks[1]
    assert isinstance(callout, Callout)
    return callout.title, callout.lines


def test_the_answer_lists_every_outcome_the_recommended_option_is_clearly_worse_on() -> None:
    data = _hvl()
    [line] = worse_than_base(data, "desk", ["grr", "nrr", "csm_utilization", "p90_time_to_guidance_days",
                                            "jit_share", "unmet_share", "comp_cost"])  # fmt: skip
    assert line.startswith("Against base, desk is worse with 95% confidence on 3 outcomes in the table: ")
    assert (
        "Gross revenue retention (GRR) −1.9 pp; Net revenue retention (NRR) −2.7 pp; Needs never met +14.0 pp"
        in plain(line)
    )
    for absent in ("utilisation", "time to guidance", "just in time", "CS cost"):
        assert absent not in line
    assert "The targets do not weigh these" in line
    assert worse_than_base(data, "base", ["grr"]) == []
    title, items = _answer_lines(data)
    assert title == "Recommended: desk"
    assert any(item.startswith("Against base, desk is worse") for item in items)


def test_the_answer_states_the_recommended_options_cost_beside_the_bases() -> None:
    data = _hvl()
    _, items = _answer_lines(data)
    assert "CS cost: $1.50M per year for desk, against $2.00M for base." in items
    assert cost_beside_base(data, "desk", ["desk ($1.50M per year; base $2.00M)"]) == []  # already said
    assert cost_beside_base(data, "base", []) == ["base costs $2.00M per year in CS cost."]


def _sizing(grr_high: float) -> ReportData:
    """``cssim size`` over the pool's headcount: the base is the smallest value, 6 CSMs its twin."""
    rows = []
    for variant, grr, p90 in (("base", 0.927, 6.9), ("6 CSMs", 0.927, 6.9), ("12 CSMs", grr_high, 5.0)):
        cost = 1e6 if variant != "12 CSMs" else 1.5e6
        rows += [
            (variant, "grr", grr, grr - 0.006, grr + 0.006, 4),
            (variant, "p90_time_to_guidance_days", p90, p90 - 3.3, p90 + 3.3, 4),
            (variant, "comp_cost", cost, cost - 1e5, cost + 1e5, 4),
        ]
    scenario = Scenario.model_validate(
        {
            "targets": ["grr >= 0.9", "p90_time_to_guidance_days <= 14"],
            "teams": {"pool": {"coverage": "pooled", "csms": 6}},
        }
    )
    sweep = SweepInfo("teams.pool.csms", {"6 CSMs": 6, "12 CSMs": 12}, "CSMs")
    summary = pd.DataFrame(rows, columns=SUMMARY)
    return ReportData(scenario, ["base", "6 CSMs", "12 CSMs"], {"summary": summary}, {}, sweep)


def test_a_sweep_whose_targets_do_not_move_says_so_and_suggests_scoped_targets() -> None:
    """GRR moves 0.1 pp and P90 1.9 d from 6 to 12 CSMs: less than the narrowest half-widths (0.6 pp, 3.3 d)."""
    data = _sizing(0.928)
    [line] = blind_targets(data, data.scenario.parsed_targets())
    assert line.startswith("The targets do not see this change: from 6 CSMs to 12 CSMs, no target's mean moves")
    assert "changes the pool team, which serves customers" in line
    assert "'grr@customers >= 0.9', 'p90_time_to_guidance_days@customers <= 14', 'csm_utilization@pool <= 0.85'" in line
    _, items = _answer_lines(data)
    assert line in items
    moved = _sizing(0.940)  # GRR up 1.3 pp: more than its half-width, the targets see the change
    assert blind_targets(moved, moved.scenario.parsed_targets()) == []
    assert blind_targets(_hvl(), _hvl().scenario.parsed_targets()) == []  # no sweep


def _busy(data: ReportData, pool: float, moved: bool = True) -> ReportData:
    """``_sizing`` with the pool's utilisation: ``pool`` at the base and its twin, 20 points less at 12 CSMs;
    with ``moved`` GRR rises 1.3 pp from 6 to 12 CSMs, so the targets see the change."""
    summary = data.tables["summary"]
    if moved:
        summary = summary.assign(mean=summary["mean"].mask((summary["variant"] == "12 CSMs")
                                 & (summary["metric"] == "grr"), 0.940))  # fmt: skip
    busy = [(v, "csm_utilization@pool", u, u - 0.01, u + 0.01, 4)
            for v, u in (("base", pool), ("6 CSMs", pool), ("12 CSMs", pool - 0.2))]  # fmt: skip
    tables = {"summary": pd.concat([summary, pd.DataFrame(busy, columns=SUMMARY)], ignore_index=True)}
    return ReportData(data.scenario, data.variants, tables, {}, data.sweep)


def advice(items: list[str]) -> list[str]:
    """The answer's lines that tell the reader to add a target."""
    return [i for i in items if "add a target" in i or "target such as" in i or "would see it" in i]


def test_the_advice_to_add_a_target_is_given_once_when_a_stretched_team_names_it() -> None:
    """``cssim size`` of default.yaml's strategic team over 6:14: both sizes meet every target,
    and the base, the cheapest, runs the team 99.9% busy. The answer said 'add a target for
    what matters most' and, a line below, which target: now only the second."""
    _, items = _answer_lines(_busy(_sizing(0.928), 0.999))
    assert len(advice(items)) == 1, items
    [line] = advice(items)
    assert line.startswith("base keeps the pool team's CSMs busy 99.9%") and "'csm_utilization@pool <= 0.85'" in line
    assert "Every option meets the targets, so they do not tell the options apart and the choice falls to cost " \
           "alone. Compare the outcomes in the table below before deciding." in items  # fmt: skip
    _, calm = _answer_lines(_busy(_sizing(0.928), 0.80))  # no team stretched: the general advice stays
    assert [line for line in advice(calm) if "add a target for what matters most" in line]


def test_blind_targets_and_a_stretched_team_say_the_choice_falls_to_cost_and_suggest_each_target_once() -> None:
    _, items = _answer_lines(_busy(_sizing(0.928), 0.97, moved=False))
    said = " ".join(items)
    assert said.count("falls to cost alone") == 1, items
    assert said.count("'csm_utilization@pool <= 0.85'") == 1, items
    assert "'grr@customers >= 0.9', 'p90_time_to_guidance_days@customers <= 14'." in said  # the scoped ones stay
    assert len(advice(items)) == 2  # what would hold the busy team, what would see the change: not the same


def test_the_base_of_a_sweep_through_its_own_value_is_named_by_that_value() -> None:
    title, _ = _answer_lines(_sizing(0.928))
    assert title == "Recommended: base (6 CSMs)"
    table = build(_sizing(0.928), {}).blocks[-1]
    assert isinstance(table, Table)
    assert table.headers[1] == "base (6 CSMs) (recommended)"


def _with_arr_lost(data: ReportData, diff: tuple[float, float, float], cost: float = -5.0e5) -> ReportData:
    """``data`` with ARR lost of 1.2M a year for base and ``diff`` (mean, low, high) paired for desk."""
    mean, low, high = diff
    summary = pd.concat([data.tables["summary"], pd.DataFrame(
        [("base", "arr_lost", 1.2e6, 1.0e6, 1.4e6, 10), ("desk", "arr_lost", 1.2e6 + mean, 1.0e6, 1.9e6, 10)],
        columns=SUMMARY)], ignore_index=True)  # fmt: skip
    comparisons = data.tables["comparisons"]
    comparisons = comparisons.assign(
        diff_mean=comparisons["diff_mean"].where(comparisons["metric"] != "comp_cost", cost)
    )
    comparisons = pd.concat([comparisons, pd.DataFrame([("desk", "arr_lost", mean, low, high, 10)],
                                                       columns=COMPARISONS)], ignore_index=True)  # fmt: skip
    tables = {**data.tables, "summary": summary, "comparisons": comparisons}
    return ReportData(data.scenario, data.variants, tables)


def test_the_answer_sets_the_arr_a_cheaper_option_lets_go_beside_the_cost_it_saves() -> None:
    data = _with_arr_lost(_hvl(), (3.18e5, 2.86e5, 3.51e5))
    _, items = _answer_lines(data)
    [line] = [plain(i) for i in items if i.startswith("ARR lost")]
    assert line.startswith(
        "ARR lost to churn and contraction, against base: +$318k a year (95% interval +$286k to +$351k)."
    )
    assert "So desk saves $500k a year of CS cost and lets $318k a year more ARR go" in line
    assert "lowers the revenue of every year after" in line
    worse = next(i for i in items if i.startswith("Against base, desk is worse"))
    assert "ARR lost" not in worse  # said once, beside the cost


def test_arr_lost_within_the_noise_or_kept_reads_as_such() -> None:
    noise = _answer_lines(_with_arr_lost(_hvl(), (2.0e4, -3.0e4, 7.0e4)))[1]
    [line] = [plain(i) for i in noise if i.startswith("ARR lost")]
    assert "(95% interval −$30k to +$70k)" in line and "within the noise of 10 paired runs" in line
    assert "saves" not in line and "stays lost" not in line
    kept = _answer_lines(_with_arr_lost(_hvl(), (-2.0e5, -2.5e5, -1.5e5), cost=3.0e5))[1]
    [line] = [plain(i) for i in kept if i.startswith("ARR lost")]
    assert "So desk spends $300k a year more on CS and keeps $200k a year of ARR that the base lets go." in line


def test_no_arr_lost_sentence_without_the_metric_or_for_the_base() -> None:
    _, items = _answer_lines(_hvl())  # a results folder from before the metric
    assert not any(i.startswith("ARR lost") for i in items)
    from simulator.report.sections.headline import arr_lost_beside_cost

    assert arr_lost_beside_cost(_with_arr_lost(_hvl(), (1.0, 0.5, 1.5)), "base") == []
