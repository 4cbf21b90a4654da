"""The ``cssim validate`` summary: per-team load computed from the scenario, by hand."""

from __future__ import annotations

import math

import pytest

from simulator.scenario.loading import load_scenario_text
from simulator.scenario.summary import ARR_PER_CSM_RULE, TeamLoad, describe, expected_customers, money, team_loads

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


def test_accounts_expected_at_the_horizon_by_hand() -> None:
    """Churn at the reference state, spread over the term: after t months a customer is still
    there with chance (1 - p) ** (t / term); signings at a months^-1 add a * integral of that."""
    scenario = load_scenario_text(TEXT)
    big = scenario.segments["big"]  # 30 today, 2 a month, 10% churn per 12-month renewal (defaults)
    p, term, months = big.renewal.base_churn, big.contract_months, scenario.horizon_months
    kept = (1 - p) ** (months / term)
    assert expected_customers(big, months) == pytest.approx(30 * kept + 2 * term * (1 - kept) / -math.log(1 - p))
    assert expected_customers(big.model_copy(update={"renewal": big.renewal.model_copy(update={"base_churn": 0.0})}),
                              months) == 30 + 2 * months  # fmt: skip
    assert expected_customers(big, 0) == 30
    loads = {load.name: load for load in team_loads(scenario)}
    assert loads["named"].customers_at_horizon == pytest.approx(expected_customers(big, months))
    assert loads["named"].accounts_per_csm_at_horizon == pytest.approx(expected_customers(big, months) / 3)


def test_books_that_will_outgrow_the_cap_are_flagged_with_the_month() -> None:
    text = TEXT.replace("max_accounts: 8", "max_accounts: 12")  # 30 accounts fit 3 x 12 today
    scenario = load_scenario_text(text)
    big = scenario.segments["big"]
    month = next(m for m in range(100) if expected_customers(big, m) > 36)
    assert expected_customers(big, scenario.horizon_months) > 36, "the case this test is about"
    out = describe(scenario)
    assert (
        f"note: named's books expected to reach max_accounts 12 around month {month} at 3 CSMs "
        "(then overflow: reassign)" in out
    )
    assert "exceed" not in out
    roomy = describe(load_scenario_text(TEXT.replace("max_accounts: 8", "max_accounts: 80")))
    assert "note:" not in roomy


def test_describe_lists_everything_a_reader_checks() -> None:
    text = describe(load_scenario_text(TEXT))
    assert "summary: valid scenario" in text
    assert "high-touch 10-80: within; ARR 1.0x the rule" in text
    assert "low-touch 150-400: below" in text
    assert "$2,000/month" in text  # digital programme: 1000 customers x $2
    assert (
        "note: named's 30 accounts exceed 3 x max_accounts 8" in text
    )  # the team named: the note sits under the last row
    assert "bigger pool: teams.pool.csms=6" in text
    assert "Sweep: teams.named.csms over 3, 4, 5 (3 values)" in text
    assert "Runs: 100 (variants x replications)" in text  # (base + 1 variant + 3 sweep points) x 20


@pytest.mark.parametrize(("usd", "text"), [(2_040_000, "$2.04M"), (135_900, "$136k"), (8_381, "$8,381"), (0, "$0")])
def test_money(usd: float, text: str) -> None:
    assert money(usd) == text


@pytest.mark.parametrize(
    ("warmup", "memory", "noted"),
    [(6, 180, False), (5, 180, True), (0, 180, True), (2, 60, False), (1.9, 60, True)],
)
def test_a_warm_up_shorter_than_healths_memory_is_noted(warmup: float, memory: int, noted: bool) -> None:
    """180 days is 5.9 months: a 6-month warm-up covers it, 5 does not (months of 365.25 / 12 days)."""
    text = TEXT + f"warmup_months: {warmup}\nhealth: {{responsiveness_days: {memory}}}\n"
    note = [line for line in describe(load_scenario_text(text)).splitlines() if "memory of needs" in line]
    assert bool(note) is noted
    if noted:
        assert f"{memory}-day memory" in note[0] and f"~{memory / (365.25 / 12):.1f} months" in note[0]
