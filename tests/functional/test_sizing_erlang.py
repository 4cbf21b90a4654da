"""``size`` on a pooled team whose answer theory knows: the Erlang C staffing number.

A pooled team facing Poisson needs with exponential guidance hours, every need raised at
once and never expiring, is an M/M/c queue; with 1 productive hour per calendar day a
1-hour need is a 1-day service, so ``mean_time_to_guidance_days`` is the queue's mean wait
Wq(c) = C(c, A) / (c - A) days for A Erlangs of load. The smallest c with Wq(c) <= 0.1 day
is computed here from the formula, independently of the engine. ``size`` must return it,
or one more: the interval rule counts a target met only when the whole 95% interval clears
the bar, so a staffing level whose true wait is just under the bar may stay undecided.

The loads are chosen so the level below the answer misses the bar by at least 40%, and the
one above clears it several times over: the search can be wrong only if an interval from 5
replications misses its own truth by far more than its width. Each run is 8 months of a
few thousand needs (about 0.2 s); a search simulates about 5 levels.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.scenario.schema import Scenario
from simulator.sizing import Sizing, size

BAR_DAYS = 0.1
TARGET = f"mean_time_to_guidance_days <= {BAR_DAYS}"
LOADS = (4.0, 6.0, 9.0)
"""Offered load in Erlangs (needs per day x mean guidance days)."""


def erlang_c(servers: int, offered: float) -> float:
    """P(wait > 0) in M/M/c, from the textbook sum (Erlang B recursion avoided for clarity)."""
    term = total = 1.0
    for k in range(1, servers):
        term *= offered / k
        total += term
    top = term * offered / servers * servers / (servers - offered)
    return top / (total + top)


def mean_wait(servers: int, offered: float) -> float:
    return erlang_c(servers, offered) / (servers - offered)


def erlang_staffing(offered: float, bar: float) -> int:
    """The smallest c (c > A, a stable queue) whose Erlang C mean wait is at most ``bar``."""
    c = int(offered) + 1
    while mean_wait(c, offered) > bar:
        c += 1
    return c


def pooled_queue(offered: float, customers: int = 400) -> Scenario:
    per_day = offered  # mean service 1 day
    data: dict[str, Any] = {
        "name": f"M/M/c at {offered:g} Erlangs",
        "horizon_months": 8, "warmup_months": 1, "seed": 31, "replications": 5,
        "product": {"features": {"A": {"engagement_weight": 1, "stickiness": 0, "self_serve": 0,
                                       "guidance_hours": {"dist": "exponential", "mean": 1.0}}}},
        "segments": {"s": {
            "team": "pool", "initial_customers": customers, "new_per_month": 0, "contract_months": 120,
            "desired": {"A": 1.0}, "initial_adoption": 0, "needs_per_month": per_day * 30.4375 / customers,
            "problem_share": 0, "need_expiry_days": None, "raise_prob": 1, "signal_prob": 0, "guided_adoption": 0,
            "renewal": {"base_churn": 0, "expansion_prob": 0, "contraction_prob": 0},
        }},
        "teams": {"pool": {"coverage": "pooled", "csms": 2, "renewal_prep_hours": {"dist": "fixed", "value": 0}}},
        "csm": {"hours_per_week": 10.0, "productive_share": 0.7, "annual_attrition": 0, "ramp_months": 0},
        "nps": {"response_rate": 0},
    }  # fmt: skip
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def sized() -> dict[float, Sizing]:
    """One search per load over the same range, serial (workers=1) to keep the test cheap."""
    return {
        load: size(pooled_queue(load), path="teams.pool.csms", values="4:20", targets=[TARGET], workers=1)
        for load in LOADS
    }


def test_theory_margins_make_the_check_decisive() -> None:
    for load in LOADS:
        c = erlang_staffing(load, BAR_DAYS)
        assert mean_wait(c - 1, load) >= 1.4 * BAR_DAYS if c - 1 > load else True
        assert mean_wait(c + 1, load) <= 0.4 * BAR_DAYS


@pytest.mark.parametrize("load", LOADS)
def test_size_returns_the_erlang_c_staffing_number(sized: dict[float, Sizing], load: float) -> None:
    sizing = sized[load]
    theory = erlang_staffing(load, BAR_DAYS)
    table = {
        p.value: f"{p.checks[0].mean:.3f} [{p.checks[0].ci_low:.3f}, {p.checks[0].ci_high:.3f}]" for p in sizing.probes
    }
    assert sizing.answer in (theory, theory + 1), (
        f"{load:g} Erlangs: size says {sizing.answer}, Erlang C says {theory} "
        f"(Wq {mean_wait(theory, load):.3f} d); probes {table}"
    )
    below = next(p for p in sizing.probes if p.value == sizing.answer - 1)
    assert not below.met, "the neighbour below the answer was simulated and misses the target"
    assert len(sizing.probes) <= 2 + 4, f"bisection over 17 values simulated {len(sizing.probes)}"


def test_more_demand_never_yields_fewer_csms(sized: dict[float, Sizing]) -> None:
    answers = [sized[load].answer for load in LOADS]
    assert all(a is not None for a in answers)
    assert answers == sorted(answers), f"answers by load {dict(zip(LOADS, answers, strict=True))}"
    assert answers[0] < answers[-1], "more than doubling the load must need more CSMs"


def test_the_report_data_hold_every_probe_as_a_sweep_point(sized: dict[float, Sizing]) -> None:
    sizing = sized[LOADS[0]]
    assert sizing.results is not None
    results = sizing.results
    assert results.variants[0] == "base" and len(results.variants) == 1 + len(sizing.probes)
    assert results.scenario.teams["pool"].csms == sizing.answer
    assert results.meta["sizing"]["answer"] == sizing.answer
    waits = results.summary[results.summary["metric"] == "mean_time_to_guidance_days"].set_index("variant")["mean"]
    assert waits["base"] == waits[f"teams.pool.csms={sizing.answer}"], "the base is the answer's own runs"
