"""The 95% intervals a leader reads hold the truth 95% of the time.

Every number in the report is a mean over replications with a Student-t interval, and
every comparison a paired difference with its own (docs/validation.md section 11). Those
intervals are honest only if the replications are independent, the metric is unbiased
and the interval is built right. Here all three are checked against a truth known
exactly: with every renewal effect off, each customer renews with chance exactly 1 - p,
so a run's 12-month logo retention over N initial customers is Binomial(N, 1 - p) / N,
with mean 1 - p and standard deviation sqrt(p (1 - p) / N), whatever the CSMs do.

K independent experiments (seeds 1..K) of R replications each go through the code that
writes ``summary.csv`` and the comparisons (:func:`summarize`, :func:`compare`):

- the number of intervals holding 1 - p is Binomial(K, 0.95) if they are right, so it must
  lie in that distribution's central 99.9%; so must the paired differences' count, whose
  truth is the difference of the two retentions (p 0.2 against 0.3), and under common
  random numbers the difference's spread must be that of -Binomial(N, 0.1) / N;
- the mean half-width must match t * c4(R) * sigma / sqrt(R), within Z of its own standard
  errors (a sharper check of the interval's width than coverage, which hardly moves for
  intervals too wide);
- the runs' mean and spread must be the binomial's, and replications r and r' of the same
  experiment uncorrelated across experiments.

Each normal-theory check allows Z = 3.9 standard errors, so that the dozen of them together
(not each alone) would fail a right model about once in a thousand.

The control: a z interval (1.96 instead of t with R - 1 degrees of freedom) on the same runs
covers ~81% at R = 3 and must fall below the accepted range, so the check can fail.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simulator.experiment.worker import simulate_run
from simulator.results.statistics import compare, summarize, t_quantile
from simulator.scenario.schema import Scenario

EXPERIMENTS = 100
REPLICATIONS = 3
CUSTOMERS = 200
P_BASE, P_VARIANT = 0.2, 0.3
NO_EFFECTS = {"stickiness_effect": 0, "value_effect": 0, "responsiveness_effect": 0, "relationship_effect": 0}
METRIC = "logo_retention"
Z = 3.9  # standard errors allowed in each normal-theory check (see the module docstring)


def _scenario(seed: int, base_churn: float) -> Scenario:
    return Scenario.model_validate({
        "horizon_months": 12, "warmup_months": 0, "seed": seed,
        "segments": {"s": {"team": "pool", "initial_customers": CUSTOMERS, "new_per_month": 0, "contract_months": 12,
                           "needs_per_month": 0.05, "renewal": {"base_churn": base_churn, **NO_EFFECTS}}},
        "teams": {"pool": {"coverage": "pooled", "csms": 2}},
        "nps": {"response_rate": 0},
    })  # fmt: skip


def _binomial_range(k: int, p: float, mass: float = 0.999) -> tuple[int, int]:
    """The central ``mass`` of Binomial(k, p): the smallest lo and largest hi with
    P(X < lo) <= (1 - mass) / 2 and P(X > hi) <= (1 - mass) / 2."""
    pmf = [math.comb(k, x) * p**x * (1 - p) ** (k - x) for x in range(k + 1)]
    tail = (1 - mass) / 2
    lo, below = 0, 0.0
    while below + pmf[lo] <= tail:
        below += pmf[lo]
        lo += 1
    hi, above = k, 0.0
    while above + pmf[hi] <= tail:
        above += pmf[hi]
        hi -= 1
    return lo, hi


def _c4(n: int) -> float:
    """E[s] / sigma for a normal sample of n (s with n - 1 in the denominator)."""
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


@pytest.fixture(scope="module")
def experiments() -> list[dict[str, Any]]:
    """Per experiment: the per-run retentions of both variants and their summary and comparison rows."""
    out = []
    for seed in range(1, EXPERIMENTS + 1):
        rows = []
        for variant, p in (("base", P_BASE), ("higher churn", P_VARIANT)):
            scenario = _scenario(seed, p)
            for r in range(REPLICATIONS):
                rows.append((variant, r, METRIC, simulate_run(scenario, r).metrics[METRIC]))
        metrics = pd.DataFrame(rows, columns=["variant", "replication", "metric", "value"])
        variants = ["base", "higher churn"]
        summary = summarize(metrics, variants).set_index(["variant", "metric"])
        diff = compare(metrics, variants).set_index(["variant", "metric"])
        runs = {v: metrics[metrics["variant"] == v].sort_values("replication")["value"].to_numpy() for v in variants}
        out.append({"runs": runs, "summary": summary, "diff": diff.loc[("higher churn", METRIC)]})
    return out


def _sigma(p: float) -> float:
    return math.sqrt(p * (1 - p) / CUSTOMERS)


def test_summary_intervals_cover_the_truth_95_percent(experiments: list[dict[str, Any]]) -> None:
    truth = 1 - P_BASE
    rows = [e["summary"].loc[("base", METRIC)] for e in experiments]
    assert all(int(row["n"]) == REPLICATIONS for row in rows)
    covered = sum(row["ci_low"] <= truth <= row["ci_high"] for row in rows)
    lo, hi = _binomial_range(EXPERIMENTS, 0.95)
    assert lo <= covered <= hi, f"{covered} of {EXPERIMENTS} intervals hold {truth}; a right 95% interval: {lo}-{hi}"


def test_paired_difference_intervals_cover_the_truth_95_percent(experiments: list[dict[str, Any]]) -> None:
    truth = (1 - P_VARIANT) - (1 - P_BASE)
    covered = sum(e["diff"]["diff_ci_low"] <= truth <= e["diff"]["diff_ci_high"] for e in experiments)
    lo, hi = _binomial_range(EXPERIMENTS, 0.95)
    assert lo <= covered <= hi, f"{covered} of {EXPERIMENTS} paired intervals hold {truth:+.2f}; expected {lo}-{hi}"
    # Common random numbers: a customer churns when its renewal's uniform falls below p, and
    # both variants draw the same uniform, so the difference is -Binomial(N, 0.1) / N exactly:
    # a quarter of the variance independent runs would give (0.09 against 0.16 + 0.21).
    diffs = np.concatenate([e["runs"]["higher churn"] - e["runs"]["base"] for e in experiments])
    coupled = _sigma(P_VARIANT - P_BASE) ** 2
    ratio = diffs.var(ddof=1) / coupled
    assert abs(ratio - 1) <= Z * math.sqrt(2 / (diffs.size - 1)), f"difference variance {ratio:.3f} x coupled"


def test_half_width_matches_theory(experiments: list[dict[str, Any]]) -> None:
    sigma = _sigma(P_BASE)
    c4 = _c4(REPLICATIONS)
    expected = t_quantile(REPLICATIONS - 1) * c4 * sigma / math.sqrt(REPLICATIONS)
    halves = [(row["ci_high"] - row["ci_low"]) / 2 for row in (e["summary"].loc[("base", METRIC)] for e in experiments)]
    relative_se = math.sqrt(1 - c4**2) / c4 / math.sqrt(EXPERIMENTS)  # of the mean half-width
    ratio = float(np.mean(halves)) / expected
    assert abs(ratio - 1) <= Z * relative_se, f"mean half-width {ratio:.3f} x theory (+-{Z * relative_se:.3f})"


def test_runs_vary_like_the_binomial_and_independently(experiments: list[dict[str, Any]]) -> None:
    for variant, p in (("base", P_BASE), ("higher churn", P_VARIANT)):
        runs = np.array([e["runs"][variant] for e in experiments])  # experiments x replications
        values = runs.ravel()
        n = values.size
        assert abs(values.mean() - (1 - p)) <= Z * _sigma(p) / math.sqrt(n)
        ratio = values.var(ddof=1) / _sigma(p) ** 2
        assert abs(ratio - 1) <= Z * math.sqrt(2 / (n - 1)), f"{variant}: variance {ratio:.3f} x binomial"
        for a in range(REPLICATIONS):
            for b in range(a + 1, REPLICATIONS):
                r = np.corrcoef(runs[:, a], runs[:, b])[0, 1]
                assert abs(r) <= Z / math.sqrt(EXPERIMENTS), f"{variant}: replications {a} and {b} correlate {r:.2f}"


def test_control_z_interval_undercovers(experiments: list[dict[str, Any]]) -> None:
    """The check has power: 1.96 in place of t(R - 1) is too narrow at R = 3 (~81%)."""
    truth = 1 - P_BASE
    lo, _ = _binomial_range(EXPERIMENTS, 0.95)
    covered = 0
    for e in experiments:
        values = e["runs"]["base"]
        half = 1.959964 * values.std(ddof=1) / math.sqrt(values.size)
        covered += abs(values.mean() - truth) <= half
    assert covered < lo
