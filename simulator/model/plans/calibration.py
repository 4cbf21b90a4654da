"""Is the plan well set? Pure functions the results layer applies to many CSMs and runs.

No pandas here (the model layer stays plain); numpy for quantiles and correlation.

- :func:`plan_cost`: what a plan costs is the sum of each person's payout. It is not the
  payout at the average attainment: with an accelerator (a convex curve) the sum is larger
  (Jensen), with a cap or a threshold it can be smaller.
- :func:`share_at_or_above_target`: practitioners aim for 55-65% of CSMs at or above target.
- :func:`cost_quantiles`: plan cost P10 / P50 / P90 across replications (finance budgets
  for the spread, not the mean).
- :func:`pay_for_performance`: correlation between each CSM's payout and the customer
  outcomes of their book; a plan that pays for the wrong thing shows a weak or negative one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

AT_TARGET_TOLERANCE = 1e-9
"""Attainment this close below 1 counts as at target (payout shares are sums of floats)."""


def plan_cost(payouts_usd: Iterable[float]) -> float:
    """Total variable pay: the sum of each person's payout."""
    return float(sum(payouts_usd))


def share_at_or_above_target(attainments: Iterable[float | None]) -> float:
    """Share of CSMs whose overall attainment is at least 1; NaN if none has an attainment.

    ``None`` (a salary-only plan has no attainment) is left out, as is NaN.
    """
    known = [a for a in attainments if a is not None and not math.isnan(a)]
    if not known:
        return math.nan
    return sum(a >= 1.0 - AT_TARGET_TOLERANCE for a in known) / len(known)


def cost_quantiles(costs_usd: Sequence[float], probs: Sequence[float] = (0.1, 0.5, 0.9)) -> dict[str, float]:
    """Quantiles of plan cost across replications, keyed ``p10``, ``p50``, ``p90``...

    Linear interpolation between order statistics (numpy's default), so with few
    replications P10 and P90 are honest interpolations, not invented tails.
    """
    if not costs_usd:
        raise ValueError("cost_quantiles needs at least one replication's cost, got none")
    for p in probs:
        if not 0 <= p <= 1:
            raise ValueError(f"quantile probabilities must be in [0, 1], got {p}")
    values = np.quantile(np.asarray(costs_usd, dtype=float), probs)
    return {f"p{round(100 * p):d}": float(v) for p, v in zip(probs, values, strict=True)}


def pay_for_performance(payouts: Sequence[float], outcomes: Sequence[float]) -> float:
    """Pearson correlation between CSMs' payouts and their books' customer outcomes.

    NaN when it is undefined: fewer than two CSMs, or no spread in either (a salary-only
    plan pays everyone 0, so its alignment is undefined, not zero).
    """
    if len(payouts) != len(outcomes):
        raise ValueError(f"payouts and outcomes must pair up, got {len(payouts)} and {len(outcomes)}")
    if len(payouts) < 2:
        return math.nan
    x = np.asarray(payouts, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])
