"""A pooled team with Poisson needs and exponential guidance hours is an M/M/c queue.

Erlang C (written here independently of the engine) gives the chance a need waits and the
mean wait. Each point runs several independent replications; the simulated estimates
must lie within 3 standard errors (of the replication means) of the formula. The points
span c = 1..50 and utilisation 0.5..0.95; heavier load gets a longer warm-up, since an
M/M/c queue relaxes over roughly 1 / (c (1 - sqrt(rho))^2) service times (31 days at
c = 50, rho = 0.95, with 1-day services).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from core_theory import mmc_scenario

from simulator.engine import simulate
from simulator.results.tables import frames


def erlang_c(servers: int, offered: float) -> float:
    """P(wait > 0) in M/M/c with ``offered`` = arrival rate x mean service time (Erlangs)."""
    term = 1.0
    total = 1.0  # sum of A^k / k! for k < c, built incrementally
    for k in range(1, servers):
        term *= offered / k
        total += term
    top = term * offered / servers * servers / (servers - offered)  # A^c / c! * c / (c - A)
    return top / (total + top)


def test_erlang_c_formula_matches_field_vector() -> None:
    # Reference vector: A = 10 Erlang, c = 14, AHT 180 s -> P(wait) 0.17413, mean wait 7.836 s.
    p = erlang_c(14, 10.0)
    assert p == pytest.approx(0.17413, abs=5e-6)
    assert p * 180 / (14 - 10) == pytest.approx(7.836, abs=5e-4)


POINTS = [  # servers, utilisation, months, warm-up months, replications
    (1, 0.5, 24, 1, 6),
    (5, 0.8, 36, 1, 6),
    (20, 0.9, 12, 1, 6),
    (50, 0.95, 12, 3, 6),
]
"""Runs are long enough that each replication's mean wait is roughly normal: with short runs
the per-run mean of a right-skewed wait is usually below its expectation and the spread
of a few runs understates the error (measured: 6-month runs at c = 5 fell 3 SE short)."""


@pytest.mark.parametrize(("servers", "rho", "months", "warmup", "reps"), POINTS)
def test_pooled_team_matches_erlang_c(servers: int, rho: float, months: float, warmup: float, reps: int) -> None:
    scenario = mmc_scenario(servers, rho, months=months, warmup=warmup)
    waits, waited = [], []
    for r in range(reps):
        needs = frames(simulate(scenario, r))["needs"]
        cut = scenario.horizon_days - 10  # needs arising later may still be waiting at the end
        measured = needs[(needs["arise_day"] >= scenario.warmup_days) & (needs["arise_day"] < cut)]
        assert measured["fate"].isin(["jit", "late"]).all(), "every measured need must have been served"
        wait = (measured["start_day"] - measured["arise_day"]).to_numpy()
        waits.append(wait.mean())
        waited.append((wait > 0).mean())
    offered = rho * servers  # mean service time is 1 day (1 hour at 1 productive hour per day)
    p_theory = erlang_c(servers, offered)
    w_theory = p_theory / (servers - offered)
    for name, values, theory in (("P(wait>0)", waited, p_theory), ("mean wait", waits, w_theory)):
        est = float(np.mean(values))
        se = float(np.std(values, ddof=1) / math.sqrt(len(values)))
        assert abs(est - theory) <= 3 * se, (
            f"M/M/{servers} at rho {rho}: {name} simulated {est:.4f} +- {se:.4f} (SE), Erlang C {theory:.4f}"
        )
