"""Presets: registry, defaults taken from the product, parameter validation at compensation.params.X."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from simulator.scenario.presets import PRESETS, expand, known_plans, param_problems, scored_features, top_weighted
from simulator.scenario.schema import Compensation, Feature, Product, Scenario

PRODUCT = Product()

REQUIRED = {
    "salary_only", "engagement_average", "engagement_threshold", "threshold_plus_activity", "nrr", "nps",
    "activity", "customer_outcome",
}  # fmt: skip


def test_every_required_preset_and_a_composite_is_registered() -> None:
    assert set(PRESETS) >= REQUIRED
    assert any(len(expand(Compensation(plan=name), PRODUCT)) > 1 for name in PRESETS), "no composite preset"
    assert "custom" in known_plans()


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_expands_with_defaults_and_validates_in_a_scenario(name: str) -> None:
    components = expand(Compensation(plan=name), PRODUCT)
    assert all(c.weight > 0 for c in components)
    assert sum(c.weight for c in components) == pytest.approx(0.0 if name == "salary_only" else 1.0)
    Scenario.model_validate({"compensation": {"plan": name}})


def test_top_weighted_features_carry_half_the_weight() -> None:
    assert top_weighted(PRODUCT) == ["A", "B"]
    even = Product(features={n: Feature(engagement_weight=1.0) for n in "WXYZ"})
    assert top_weighted(even) == ["W", "X"]
    skewed = Product(features={"P": Feature(engagement_weight=3.0), "Q": Feature(engagement_weight=1.0)})
    assert top_weighted(skewed) == ["P"]


def test_scored_features_are_the_top_weighted_only_when_they_outweigh_the_rest() -> None:
    assert scored_features(PRODUCT) == ["A", "B"]
    even = Product(features={n: Feature(engagement_weight=1.0) for n in "WXYZ"})
    assert scored_features(even) == []  # top_weighted picks W and X by name alone
    tied = Product(features={"P": Feature(engagement_weight=2.0), "Q": Feature(engagement_weight=1.0),
                             "R": Feature(engagement_weight=1.0), "S": Feature(engagement_weight=2.0)})  # fmt: skip
    assert scored_features(tied) == ["P", "S"]
    assert scored_features(Product(features={"only": Feature(engagement_weight=1.0)})) == []


def test_engagement_threshold_defaults_come_from_the_product() -> None:
    product = Product(features={"core": Feature(engagement_weight=0.6), "extra": Feature(engagement_weight=0.4)})
    [bar] = expand(Compensation(plan="engagement_threshold"), product)
    assert (bar.metric, bar.features, bar.curve.threshold, bar.curve.target) == (
        "adoption_share",
        ["core"],
        0.745,
        0.945,
    )


def test_engagement_threshold_accepts_the_design_example_level_and_share() -> None:
    [bar] = expand(Compensation(plan="engagement_threshold", params={"level": 0.35, "share": 0.9}), PRODUCT)
    assert (bar.metric, bar.level, bar.curve.target) == ("engagement_share", 0.35, 0.9)


def test_threshold_plus_activity_contact_minimum_defaults_to_monthly() -> None:
    _, contact = expand(Compensation(plan="threshold_plus_activity", period_months=6), PRODUCT)
    assert (contact.metric, contact.min_touches, contact.weight) == ("contact_coverage", 6, 0.4)


def problems(plan: str, params: dict[str, Any]) -> list[str]:
    return [".".join(("compensation", "params", *k)) + ": " + m for k, m, _ in param_problems(
        Compensation(plan=plan, params=params), PRODUCT)]  # fmt: skip


def test_unknown_parameter_is_named_with_a_suggestion() -> None:
    [message] = problems("engagement_threshold", {"shares": 0.9})
    assert message.startswith("compensation.params.shares: unknown parameter of plan engagement_threshold")
    assert "did you mean 'share'?" in message


@pytest.mark.parametrize(
    ("plan", "params", "where", "what"),
    [
        ("engagement_threshold", {"share": 1.5}, "compensation.params.share", "less than or equal to 1"),
        ("engagement_threshold", {"features": ["A", "Z"]}, "compensation.params.features", "unknown feature 'Z'"),
        ("engagement_threshold", {"level": 0.3, "features": ["A"]}, "compensation.params", "not both"),
        ("threshold_plus_activity", {"min_touches": 2.5}, "compensation.params.min_touches", "integer"),
        ("nrr", {"threshold": 1.2}, "compensation.params", "threshold 1.2, target 1"),
        ("customer_outcome", {"jit_threshold": 0.9}, "compensation.params", "jit_share is higher-is-better"),
        ("salary_only", {"target": 1.0}, "compensation.params.target", "unknown parameter"),
    ],
)
def test_bad_parameter_values_name_the_parameter(plan: str, params: dict[str, Any], where: str, what: str) -> None:
    found = problems(plan, params)
    assert any(m.startswith(where + ":") and what in m for m in found), found


def test_scenario_validation_reports_bad_params_for_teams_too() -> None:
    with pytest.raises(ValidationError, match=r"teams\.named\.compensation\.params\.shar: unknown parameter"):
        Scenario.model_validate(
            {
                "segments": {"s": {"team": "named"}},
                "teams": {"named": {"coverage": "named", "compensation": {"plan": "nrr", "params": {"shar": 1}}}},
            }
        )


def test_custom_plans_take_components_not_params() -> None:
    custom = {"plan": "custom", "components": [{"metric": "nps"}], "params": {"x": 1.0}}
    with pytest.raises(ValidationError, match=r"compensation\.params: plan 'custom' takes no params"):
        Scenario.model_validate({"compensation": custom})
    component = {"metric": "adoption_share", "features": ["A"], "gate": {"metric": "adoption_share",
                 "features": ["Q"], "at_least": 0.5}}  # fmt: skip
    with pytest.raises(ValidationError, match=r"components\.0\.gate\.features: unknown feature 'Q'"):
        Scenario.model_validate({"compensation": {"plan": "custom", "components": [component]}})


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({}, "components make a custom plan: add `plan: custom` next to them"),
        ({"plan": "salary_only"}, "give either plan: 'salary_only' or components (with plan: custom), not both"),
        ({"plan": "nrr"}, "give either plan: 'nrr' or components (with plan: custom), not both"),
    ],
)
def test_components_need_plan_custom(plan: dict[str, str], message: str) -> None:
    # salary_only, the default plan, once took components silently, and the report still called it salary only
    with pytest.raises(ValidationError, match=re.escape(message)):
        Compensation.model_validate({**plan, "components": [{"metric": "grr", "curve": {"threshold": 0.8}}]})


@pytest.mark.parametrize(
    ("component", "what"),
    [
        ({"metric": "engagement_share"}, "needs `level`"),
        ({"metric": "adoption_share", "features": []}, "at least 1 item"),
        ({"metric": "nrr", "level": 0.5}, "`level` applies only to metric engagement_share"),
        ({"metric": "contact_coverage"}, "needs `min_touches`"),
    ],
)
def test_component_details_must_fit_their_metric(component: dict[str, Any], what: str) -> None:
    with pytest.raises(ValidationError, match=what):
        Scenario.model_validate({"compensation": {"plan": "custom", "components": [component]}})


@pytest.mark.parametrize(
    ("component", "where", "what"),
    [
        (
            {"metric": "engagement_average", "curve": {"threshold": 80, "target": 86}},
            "components.0.curve",
            "engagement_average runs from 0 to 1 (a share): threshold 80 lies outside it; did you mean 0.8 (80%)?",
        ),
        ({"metric": "grr", "curve": {"threshold": 0.8, "target": 0.9, "cap": 1.2}}, "curve", "grr runs from 0 to 1"),
        (
            {"metric": "nps", "curve": {"threshold": -150, "target": 30}},
            "curve",
            "from -100 to 100 (points): threshold",
        ),
        (
            {"metric": "nrr", "curve": {"threshold": -0.5}},
            "curve",
            "nrr runs from 0 to 100 (ARR after over ARR before)",
        ),
        ({"metric": "speed_to_launch", "curve": {"threshold": 9000, "target": 30, "cap": 10}}, "curve", "3650 (days)"),
        (
            {"metric": "grr", "gate": {"metric": "engagement_share", "level": 0.5, "at_least": 90}},
            "components.0.gate.at_least",
            "engagement_share runs from 0 to 1 (a share): at_least 90 lies outside it; did you mean 0.9 (90%)?",
        ),
        (
            {"metric": "grr", "gate": {"metric": "jit_share", "at_most": -0.1}},
            "gate.at_most",
            "at_most -0.1 lies outside",
        ),
    ],
)
def test_curve_points_and_gate_bars_lie_in_their_metrics_range(
    component: dict[str, Any], where: str, what: str
) -> None:
    # Once, `target: 86` for a share validated, and the component paid nothing for ever.
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate({"compensation": {"plan": "custom", "components": [component]}})
    ((loc, message),) = [(".".join(map(str, e["loc"])), e["msg"]) for e in info.value.errors()]
    assert loc.endswith(where) and what in message
    edges = {
        "metric": "nps",
        "curve": {"threshold": -100, "target": 0, "cap": 100},
        "gate": {"metric": "grr", "at_least": 1},
    }
    Scenario.model_validate({"compensation": {"plan": "custom", "components": [edges]}})


def test_shipped_comp_plans_scenario_compares_the_main_presets() -> None:
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "scenarios" / "comp_plans.yaml"
    scenario = Scenario.model_validate(yaml.safe_load(path.read_text()))
    plans = {v.set["compensation.plan"] for v in scenario.variants}
    assert scenario.compensation.plan == "salary_only"
    assert plans == set(PRESETS) - {"salary_only"}
    assert scenario.description.strip()


def test_custom_plan_example_in_the_docs_validates() -> None:
    import re
    from pathlib import Path

    import yaml

    text = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert blocks, "docs/plans.md lost its custom-plan example"
    for block in blocks:
        Scenario.model_validate(yaml.safe_load(block))
