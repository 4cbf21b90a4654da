"""Measurement 1: an M/M/c queue through cssim's full model and through its peers.

cssim runs the queue as a scenario: one pooled team of ``c`` CSMs at one productive hour
per calendar day (so hours are days), a few customers whose needs are raised at once, never
expire and never lead to adoption (so customers stay ready for more), exponential guidance
hours, and nothing else: no onboarding, renewal preparation, churn, attrition, sessions or
surveys. That is the textbook M/M/c queue, driven through the same engine, decision point
and records as any scenario (the validation suite checks it against Erlang C).

Each implementation's mean wait gets a 95% interval by batch means (the waits of one run
are correlated, so the naive standard error would be far too small), and every interval is
compared with Erlang C and with the others.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

SERVERS = 10
RHO = 0.85
MEAN_SERVICE_DAYS = 0.1
"""Short services keep 200,000 needs within the scenario's 240-month horizon limit."""
WARMUP_DAYS = 5.0
"""Needs arising earlier are not scored (the queue starts empty; it relaxes in ~2 days here)."""
BATCHES = 20
CUSTOMERS = 50
SEED = 2027


@dataclass(frozen=True)
class QueueRun:
    """One implementation's run: needs simulated, seconds taken, waits after warm-up."""

    name: str
    needs: int
    seconds: float
    waits: np.ndarray

    @property
    def per_second(self) -> float:
        return self.needs / self.seconds

    def interval(self) -> tuple[float, float, float]:
        """(mean, low, high): 95% batch-means interval of the mean wait (days)."""
        return batch_means(self.waits, BATCHES)


def arrival_rate() -> float:
    return RHO * SERVERS / MEAN_SERVICE_DAYS


def batch_means(values: np.ndarray, batches: int) -> tuple[float, float, float]:
    """Mean and 95% interval from ``batches`` consecutive batch means (t quantile, df = batches - 1)."""
    usable = len(values) // batches * batches
    means = values[:usable].reshape(batches, -1).mean(axis=1)
    mean = float(means.mean())
    half = T975[batches - 1] * float(means.std(ddof=1)) / math.sqrt(batches)
    return mean, mean - half, mean + half


T975 = {19: 2.093, 9: 2.262, 4: 2.776}
"""Student t 0.975 quantiles for the batch counts used."""


def erlang_c_wait(servers: int, offered: float, mean_service: float) -> tuple[float, float]:
    """(P(wait > 0), mean wait) of M/M/c by Erlang C, written out independently of cssim."""
    term = total = 1.0
    for k in range(1, servers):
        term *= offered / k
        total += term
    top = term * offered / servers * servers / (servers - offered)
    p_wait = top / (total + top)
    return p_wait, p_wait * mean_service / (servers - offered)


def scenario_data(needs: int) -> dict[str, Any]:
    """The M/M/c queue as a cssim scenario (plain data), long enough for about ``needs`` needs."""
    rate = arrival_rate()
    days = needs / rate
    months = days / 30.4375
    return {
        "name": f"M/M/{SERVERS} at rho {RHO}",
        "horizon_months": months,
        "warmup_months": 0,
        "seed": SEED,
        "product": {"features": {"A": {"engagement_weight": 1, "stickiness": 0, "self_serve": 0,
                                       "guidance_hours": {"dist": "exponential", "mean": MEAN_SERVICE_DAYS}}}},
        "segments": {"s": {
            "team": "pool", "initial_customers": CUSTOMERS, "new_per_month": 0, "contract_months": 120,
            "desired": {"A": 1.0}, "initial_adoption": 0, "needs_per_month": rate * 30.4375 / CUSTOMERS,
            "problem_share": 0, "need_expiry_days": None, "raise_prob": 1, "signal_prob": 0, "guided_adoption": 0,
            "renewal": {"base_churn": 0, "expansion_prob": 0, "contraction_prob": 0},
        }},
        "teams": {"pool": {"coverage": "pooled", "csms": SERVERS, "renewal_prep_hours": {"dist": "fixed", "value": 0}}},
        "csm": {"hours_per_week": 10.0, "productive_share": 0.7, "annual_attrition": 0, "ramp_months": 0},
        "nps": {"response_rate": 0},
    }  # fmt: skip


def run_cssim(needs: int) -> QueueRun:
    """Time ``simulate`` (demand draw, run, records); waits from its needs rows, served ones only."""
    from simulator.engine import simulate
    from simulator.scenario.schema import Scenario

    scenario = Scenario.model_validate(scenario_data(needs))
    started = time.perf_counter()
    out = simulate(scenario, 0)
    seconds = time.perf_counter() - started
    rows = sorted(out.needs, key=lambda r: r[6])  # arise_day
    served = [r for r in rows if r[6] >= WARMUP_DAYS and r[9] == r[9]]  # start_day not NaN
    waits = np.array([r[9] - r[6] for r in served])
    return QueueRun("cssim", len(out.needs), seconds, waits)


def run_peer(name: str, needs: int, seed: int = SEED) -> QueueRun:
    """Time one peer on ``needs`` needs; waits of those arriving after the warm-up."""
    import peers

    rate = arrival_rate()
    if name == "ciw":
        started = time.perf_counter()
        waits = peers.ciw_network(SERVERS, rate, MEAN_SERVICE_DAYS, needs, seed)
        seconds = time.perf_counter() - started
    else:
        draws = peers.Draws.exponential(needs, rate, MEAN_SERVICE_DAYS, seed)
        fn = {"heapq": peers.heapq_loop, "lindley": peers.lindley, "simpy": peers.simpy_resource}[name]
        started = time.perf_counter()
        waits = fn(SERVERS, draws)
        seconds = time.perf_counter() - started
    skip = int(WARMUP_DAYS * rate)
    return QueueRun(name, needs, seconds, np.asarray(waits[skip:]))


__all__ = ["QueueRun", "erlang_c_wait", "run_cssim", "run_peer", "scenario_data"]
