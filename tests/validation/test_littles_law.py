"""Little's law on every queue, on the sample path.

Each team's queue of detected needs waiting for a start keeps its own time integral of
length (``area_days``), updated at every arrival and departure. Independently, the needs
table gives every need's time in that queue: from detection to start (or to expiry or
churn while waiting, or to the end of the run). Over a finite run the identity
``area = sum of times in queue`` is exact (L = lambda W with the end effects included), so
the tolerance is float rounding. It fails if a need leaves a queue without being counted,
is counted twice, or carries wrong timestamps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from core_theory import mixed_scenario, run_tables


def time_in_queue(needs: pd.DataFrame, end_day: float) -> pd.Series:
    detected = needs[needs["detect_day"].notna()]
    left = detected["start_day"].fillna(detected["end_day"]).fillna(end_day)
    return left - detected["detect_day"]


@pytest.mark.parametrize("overflow", ["reassign", "uncovered"])
def test_littles_law_holds_on_every_queue(overflow: str) -> None:
    tables = run_tables(mixed_scenario(**{"teams.named.overflow": overflow, "teams.named.max_accounts": 12}))
    needs, queues = tables["needs"], tables["queues"]
    assert set(queues["team"]) == {"named", "pool", "digital"}
    for row in queues.itertuples():
        mine = needs[needs["team"] == row.team]
        sojourn = time_in_queue(mine, row.end_day)
        assert row.arrivals == len(sojourn), f"{row.queue}: arrivals vs detected needs"
        assert row.arrivals - row.departures == row.end_length
        waiting_at_end = mine["detect_day"].notna() & mine["start_day"].isna() & mine["end_day"].isna()
        assert row.end_length == int(waiting_at_end.sum()), f"{row.queue}: needs still waiting at the end"
        assert row.area_days == pytest.approx(sojourn.sum(), rel=1e-9, abs=1e-6), row.queue
        lam, w, big_l = row.arrivals / row.end_day, sojourn.mean(), row.area_days / row.end_day
        assert big_l == pytest.approx(lam * w, rel=1e-9), f"{row.queue}: L = lambda W"
        assert np.isfinite(w) and w >= 0
