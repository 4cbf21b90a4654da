"""Needs are conserved and every fate is consistent with its timestamps.

created = met in window + met late + expired + open at the end, counted two independent
ways (the needs table and the customers' own counters), for every coverage model.
"""

from __future__ import annotations

import numpy as np
import pytest
from core_theory import mixed_scenario, run_tables


@pytest.fixture(scope="module")
def tables() -> dict:
    return run_tables(mixed_scenario(**{"teams.named.max_accounts": 14}), 1)


def test_every_need_has_exactly_one_known_fate(tables: dict) -> None:
    needs = tables["needs"]
    assert needs["need"].is_unique
    fates = needs["fate"].value_counts()
    assert set(fates.index) <= {"jit", "late", "expired", "open"}
    assert fates.sum() == len(needs)
    assert fates.get("jit", 0) > 0 and fates.get("late", 0) > 0 and fates.get("expired", 0) > 0


def test_created_equals_met_plus_expired_plus_open_per_customer(tables: dict) -> None:
    needs, customers = tables["needs"], tables["customers"]
    per_customer = needs.groupby("customer").size()
    counted = customers.set_index("customer")["needs"]
    assert counted.sum() == len(needs)
    assert (per_customer.reindex(counted.index, fill_value=0) == counted).all()
    jit = needs[needs["fate"] == "jit"].groupby("customer").size()
    assert (jit.reindex(counted.index, fill_value=0) == customers.set_index("customer")["needs_jit"]).all()


def test_fates_agree_with_timestamps(tables: dict) -> None:
    needs = tables["needs"]
    window = {"ent": 14.0, "mid": 14.0, "smb": 14.0}  # the segments' default need_window_days
    started = needs[needs["fate"].isin(["jit", "late"])]
    delay = started["start_day"] - started["arise_day"]
    on_time = delay <= started["segment"].map(window) + 1e-9
    assert (on_time == (started["fate"] == "jit")).all()
    assert (started["start_day"] >= started["detect_day"]).all()
    unmet = needs[needs["fate"].isin(["expired", "open"])]
    assert unmet["start_day"].isna().all()
    expired = needs[needs["fate"] == "expired"]
    assert (expired["end_day"] >= expired["arise_day"]).all()
    opened = needs[needs["fate"] == "open"]
    assert opened["end_day"].isna().all()
    assert (needs.loc[needs["detected_by"] == "", "detect_day"].isna()).all()
    assert np.isin(needs.loc[needs["team"] == "digital", "detected_by"].unique(), ["", "signal"]).all()
