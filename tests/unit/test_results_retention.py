"""The retention metrics' ARR timeline gives exactly :func:`arr_at` (and so the same GRR/NRR floats)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.results import metrics
from simulator.results.metrics import _ArrTimeline, _retention, arr_at, cohort_starts


@st.composite
def books(draw: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    count = draw(st.integers(1, 12))
    ids = draw(st.permutations(list(range(100, 100 + count))))
    days = st.sampled_from([-30.0, 0.0, 30.4375, 200.0, 365.25, 400.0, 730.5])  # repeats: ties in day order
    arr = st.one_of(st.floats(0, 2e5), st.just(0.0))
    customers = pd.DataFrame(
        {"customer": ids, "signed_day": [draw(days) for _ in ids], "arr_start_usd": [draw(arr) for _ in ids]}
    )
    rows = draw(st.lists(st.tuples(st.sampled_from(ids), days, st.one_of(arr, st.just(math.nan))), max_size=30))
    renewals = pd.DataFrame(rows, columns=["customer", "day", "arr_after_usd"]).astype(
        {"customer": int, "day": float, "arr_after_usd": float}
    )
    return customers, renewals


@settings(max_examples=80, deadline=None)
@given(books(), st.sampled_from([-1.0, 0.0, 30.4375, 365.25, 500.0, 800.0]))
def test_timeline_is_arr_at(book: tuple[pd.DataFrame, pd.DataFrame], day: float) -> None:
    customers, renewals = book
    expected = arr_at(customers, renewals, day).to_numpy()
    assert np.array_equal(_ArrTimeline(customers, renewals).at(day), expected, equal_nan=True)


def _retention_by_arr_at(customers: pd.DataFrame, renewals: pd.DataFrame, window: tuple[float, float]) -> list[Any]:
    """The sums as first written: pandas Series from arr_at per cohort day."""
    start = kept = end = 0.0
    for lo, hi in cohort_starts(window):
        a, e = arr_at(customers, renewals, lo), arr_at(customers, renewals, hi)
        cohort = a > 0
        start += a[cohort].sum()
        kept += np.minimum(a[cohort], e[cohort]).sum()
        end += e[cohort].sum()
    return [start, kept, end]


@settings(max_examples=40, deadline=None)
@given(books())
def test_retention_rates_are_the_same_floats_as_summing_arr_at(book: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    customers, renewals = book
    window = (0.0, 800.0)
    start, kept, end = _retention_by_arr_at(customers, renewals, window)
    got = _retention(customers, renewals, window)
    expected_grr = metrics.grr(start, start - kept, 0.0)
    expected_nrr = metrics.nrr(start, end - kept, start - kept, 0.0)
    for name, value in (("grr", expected_grr), ("nrr", expected_nrr)):
        assert got[name] == value or (math.isnan(got[name]) and math.isnan(value)), name


def test_a_renewal_of_an_unknown_customer_is_refused() -> None:
    customers = pd.DataFrame({"customer": [1], "signed_day": [0.0], "arr_start_usd": [10.0]})
    renewals = pd.DataFrame({"customer": [2], "day": [5.0], "arr_after_usd": [12.0]})
    try:
        _ArrTimeline(customers, renewals)
    except ValueError as exc:
        assert "renewals name a customer" in str(exc)
    else:
        raise AssertionError("an unknown customer was accepted")
