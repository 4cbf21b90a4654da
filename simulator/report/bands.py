"""Means and 95% intervals across replications, for the report's over-time and per-run charts.

The summary table carries the intervals of every metric; charts of monthly series and of
per-replication shares need the same interval per group, computed with the results layer's
own Student-t interval so every interval on the page means the same thing.
"""

from __future__ import annotations

import pandas as pd

from simulator.results.statistics import interval


def band(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    """Mean and 95% interval of ``value`` across replications for each ``by`` group.

    ``frame`` holds one row per replication and group (aggregate first if it does not).
    Returns the ``by`` columns plus ``mean``, ``low``, ``high`` (NaN interval below 2
    replications), sorted by ``by``.
    """
    rows = [(*key, *interval(group[value].to_numpy())[:3]) for key, group in frame.groupby(by, sort=True)]
    return pd.DataFrame(rows, columns=[*by, "mean", "low", "high"])
