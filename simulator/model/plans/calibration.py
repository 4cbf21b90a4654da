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
- :func:`suggest_target`: from a run's per-period attainments of one component (the
  ``attainment_<component>`` column of csms.csv), the metric value that a given share of
  CSM-periods reached: the target that would have put that share at or above it. CSMs
  respond to the plan, so rerun with the suggestion and check (docs/plans.md section 5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from simulator.errors import InputError
from simulator.model.plans.curves import PayoutCurve
from simulator.scenario.schema import Curve

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


WELL_SET_SHARE = 0.6
"""The middle of the 55-65% of CSMs at or above target that practitioners aim for."""


def metric_from_attainment(curve: Curve, attainment: float, *, lower_is_better: bool = False) -> float:
    """The metric value ``curve`` paid ``attainment`` for; -inf / +inf where the curve is flat.

    Where the curve is flat the value is only known to lie beyond a point: nothing paid means
    at or short of the threshold (-inf, or +inf for a lower-is-better metric); the curve's
    most means at or past the cap (the target when there is no upside).
    """
    pay = PayoutCurve(curve, lower_is_better)
    worst, best = (math.inf, -math.inf) if lower_is_better else (-math.inf, math.inf)
    top = 1.0 if pay.step or pay.accelerated == 0 else 1.0 + pay.accelerated * (pay.cap - pay.target)
    if attainment >= top - AT_TARGET_TOLERANCE:
        return best
    if attainment <= AT_TARGET_TOLERANCE or attainment < pay.threshold_payout - AT_TARGET_TOLERANCE:
        return worst
    if attainment <= 1.0:
        x = pay.threshold + (attainment - pay.threshold_payout) / pay.slope
    else:
        x = pay.target + (attainment - 1.0) / pay.accelerated
    return pay.sign * x


def suggest_target(
    curve: Curve, attainments: Iterable[float], share: float = WELL_SET_SHARE, *, lower_is_better: bool = False
) -> float:
    """The metric value ``share`` of the periods reached, read back from their attainments on ``curve``.

    Attainments that are NaN (no attainment: salary only) are left out. The value is an
    order statistic, never an interpolation, so at least ``share`` of the periods reached it.
    An :class:`InputError` says which way to move the curve when the answer lies where the
    curve is flat (too many CSMs at the top, or too many paid nothing).
    """
    if not 0 < share < 1:
        raise InputError(f"suggest_target: share must be between 0 and 1 (exclusive), got {share}")
    sign = -1.0 if lower_is_better else 1.0
    known = sorted(sign * metric_from_attainment(curve, a, lower_is_better=lower_is_better)
                   for a in attainments if not math.isnan(a))  # fmt: skip
    if not known:
        raise InputError("suggest_target: no attainments to read (salary only, or no periods)")
    value = known[math.floor((1.0 - share) * len(known))]
    if value == math.inf:
        raise InputError(
            f"suggest_target: more than {share:.0%} of the periods are at the top of the curve (target "
            f"{curve.target}, cap {curve.cap}), so how far past it they went is unknown: raise the cap "
            "(or the target) and rerun"
        )
    if value == -math.inf:
        raise InputError(
            f"suggest_target: fewer than {share:.0%} of the periods got past the threshold ({curve.threshold}), "
            "so where they stood is unknown: lower the threshold and rerun"
        )
    return sign * value
