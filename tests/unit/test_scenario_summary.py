"""The ``cssim validate`` summary: per-team load computed from the scenario, by hand."""

from __future__ import annotations

import math

import pytest

from simulator.scenario.loading import load_scenario_text
from simulator.scenario.summary import ARR_PER_CSM_RULE, TeamLoad, describe, money, team_loads

TEXT = """\
name: summary
segments:
  big: {team: named, initial_customers: 30, new_per_month: 2, arr: {dist: fixed, value: 200000}}
  mid: {team: pool, initial_customers: 300, arr: {dist: lognormal, median: 20000, sigma: 0.5}}
  small: {team: pool, initial_customers: 100, arr: {dist: gamma, mean: 5000, cv: 1}}
  tiny: {team: app, initial_customers: 1000, arr: 1000}
teams:
  named: {coverage: named, csms: 3, max_accounts: 8}
  pool: {coverage: pooled, csms: 4}
  app: {coverage: digital, cost_per_customer_month: 2}
variants:
  - {name: bigger pool, set: {teams.pool.csms: 6}}
sweep: {path: teams.named.csms, values: [3, 4, 5]}
"""


@pytest.fixture(scope="module")
def loads() -> dict[str, TeamLoad]:
    return {load.name: load for load in team_loads(load_scenario_text(TEXT))}


def test_named_team_load(loads: dict[str, TeamLoad]) -> None:
    named = loads["named"]
    assert (named.customers, named.csms) == (30, 3)
    assert named.accounts_per_csm == 10
    assert named.arr_per_csm == 30 * 200_000 / 3 == ARR_PER_CSM_RULE


def test_pooled_team_adds_its_segments_with_their_mean_arr(loads: dict[str, TeamLoad]) -> None:
    pool = loads["pool"]
    mean_mid = 20_000 * math.exp(0.5**2 / 2)  # lognormal mean from its median
    assert pool.customers == 400
    assert pool.arr_usd == pytest.approx(300 * mean_mid + 100 * 5_000)
    assert pool.accounts_per_csm == 100


def test_digital_team_has_no_csms(loads: dict[str, TeamLoad]) -> None:
    app = loads["app"]
    assert (app.customers, app.csms) == (1000, 0)
    assert math.isnan(app.accounts_per_csm)


def test_describe_lists_everything_a_reader_checks() -> None:
    text = describe(load_scenario_text(TEXT))
    assert "summary: valid scenario" in text
    assert "high-touch 10-80: within; ARR 1.0x the rule" in text
    assert "low-touch 150-400: below" in text
    assert "$2,000/month" in text  # digital programme: 1000 customers x $2
    assert "note: 30 accounts exceed 3 x max_accounts 8" in text
    assert "bigger pool: teams.pool.csms=6" in text
    assert "Sweep: teams.named.csms over 3, 4, 5 (3 values)" in text
    assert "Runs: 100 (variants x replications)" in text  # (base + 1 variant + 3 sweep points) x 20


@pytest.mark.parametrize(("usd", "text"), [(2_040_000, "$2.04M"), (135_900, "$136k"), (8_381, "$8,381"), (0, "$0")])
def test_money(usd: float, text: str) -> None:
    assert money(usd) == text
