"""Means and 95% intervals across replications, for the report's over-time and per-run charts.

The summary table carries the intervals of every metric; charts of monthly series and of
per-replication shares need the same interval per group, computed with the results layer's
own Student-t interval so every interval on the page means the same thing.
"""

from __future__ import annotations

import math

import pandas as pd

from simulator.results.statistics import interval

SHARE = (0.0, 1.0)
NON_NEGATIVE = (0.0, math.inf)


def band(
    frame: pd.DataFrame, by: list[str], value: str, *, within: tuple[float, float] = (-math.inf, math.inf)
) -> pd.DataFrame:
    """Mean and 95% interval of ``value`` across replications for each ``by`` group.

    ``frame`` holds one row per replication and group (aggregate first if it does not).
    Returns the ``by`` columns plus ``mean``, ``low``, ``high`` (NaN interval below 2
    replications), sorted by ``by``. Interval ends are clipped to ``within``, the range the
    quantity can take (a share stays in [0, 1], a count at or above 0): with few
    replications a t interval can reach past it, and a band below zero customers misleads.
    """
    rows = [(*key, *interval(group[value].to_numpy())[:3]) for key, group in frame.groupby(by, sort=True)]
    out = pd.DataFrame(rows, columns=[*by, "mean", "low", "high"])
    out[["low", "high"]] = out[["low", "high"]].clip(lower=within[0], upper=within[1])
    return out
