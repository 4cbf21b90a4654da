"""Every CSM default can be overridden by a team, within the same bounds (the scenario
file's contract: "``csm``: defaults for every team's CSMs; a team may override any")."""

from __future__ import annotations

import pytest

from simulator.errors import ScenarioError
from simulator.scenario.loading import load_scenario_text
from simulator.scenario.schema import Scenario
from simulator.scenario.teams import CSM_FIELDS, CsmDefaults, NamedTeam, PooledTeam

SCENARIO = """\
name: two teams
segments:
  ent: {team: named, initial_customers: 20}
  smb: {team: pool, initial_customers: 100}
teams:
  named: {coverage: named, csms: 2, effort_floor: 0.05, attention_span: 3, gaming: 0.2}
  pool: {coverage: pooled, csms: 2}
csm: {attention_span: 12}
"""


@pytest.mark.parametrize("team", [NamedTeam, PooledTeam])
def test_every_csm_default_has_a_team_override_with_the_same_bounds(team: type) -> None:
    for name in CSM_FIELDS:
        assert name in team.model_fields, f"teams cannot override csm.{name}"
        default = CsmDefaults.model_fields[name].metadata
        override = team.model_fields[name].metadata
        bounds = {type(m).__name__: m for m in default}
        if name == "productive_share":  # a Share (ge 0, le 1) with gt 0 on csm: the same bounds as gt 0, le 1
            del bounds["Ge"]
        assert {type(m).__name__: m for m in override} == bounds, name


def test_a_teams_override_reaches_its_csms_and_only_theirs() -> None:
    scenario = load_scenario_text(SCENARIO)
    named, pool = scenario.csm_for("named"), scenario.csm_for("pool")
    assert (named.effort_floor, named.attention_span, named.gaming) == (0.05, 3, 0.2)
    assert (pool.effort_floor, pool.attention_span, pool.gaming) == (Scenario().csm.effort_floor, 12, 0.6)


def test_an_override_out_of_bounds_is_refused_at_its_line() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(SCENARIO.replace("attention_span: 3", "attention_span: 0"), source="s.yaml")
    assert info.value.problems == ["s.yaml:6: teams.named.attention_span: must be >= 1 (got 0)"]
