"""``csv_text`` writes exactly what pandas writes for the same rows (the folder's CSV bytes must not change)."""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.records import RunOutput
from simulator.results.tables import csv_text, frames

LEAD = {"variant": "@cssim-variant@", "replication": "3"}


def pandas_csv(rows: list[tuple[Any, ...]], columns: list[str], lead: dict[str, str]) -> str:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for position, (name, value) in enumerate(lead.items()):
        frame.insert(position, name, value)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text


FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=1e-6, max_value=1e-3),
    st.floats(min_value=1e14, max_value=1e17),
    st.sampled_from([0.0, -0.0, 1e-4, 9.999999999999999e-05, 1e15, 1e16, 5e-324, 0.1, 2.0**53]),
    st.floats(allow_nan=False).map(np.float64),
)
TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t;é-+1.')), max_size=6)
CELLS = {
    "float": FLOATS,
    "float_or_none": st.one_of(FLOATS, st.none()),
    "int": st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-5, 5).map(np.int64)),
    "int_and_float": st.one_of(st.integers(-1000, 1000), FLOATS),
    "int_or_none": st.one_of(st.integers(-1000, 1000), st.none()),
    "bool": st.one_of(st.booleans(), st.booleans().map(np.bool_)),
    "bool_or_none": st.one_of(st.booleans(), st.none()),
    "text": TEXT,
    "text_or_missing": st.one_of(TEXT, st.none(), st.just(math.nan)),
    "anything": st.one_of(TEXT, st.integers(-9, 9), st.booleans(), FLOATS, st.none()),
}


@st.composite
def tables(draw: Any) -> tuple[list[tuple[Any, ...]], list[str]]:
    kinds = draw(st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=5))
    count = draw(st.integers(0, 12))
    columns = [f"c{i}" for i in range(len(kinds))]
    cells = [draw(st.lists(CELLS[kind], min_size=count, max_size=count)) for kind in kinds]
    return list(zip(*cells, strict=True)) if count else [], columns


@settings(max_examples=400, deadline=None)
@given(tables())
def test_csv_text_is_byte_for_byte_what_pandas_writes(table: tuple[list[tuple[Any, ...]], list[str]]) -> None:
    rows, columns = table
    assert csv_text(rows, columns, LEAD) == pandas_csv(rows, columns, LEAD)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=200))
def test_floats_are_written_in_shortest_round_trip_form(values: list[float]) -> None:
    text = csv_text([(v,) for v in values], ["x"], LEAD)
    back = pd.read_csv(io.StringIO(text))["x"].to_numpy(dtype=float)
    assert np.array_equal(back, np.array(values), equal_nan=True)


def test_quoted_names_and_fields_and_an_empty_table() -> None:
    rows = [("a,b", 'say "hi"', "line\nbreak", 1.5), ("plain", "", "x", math.nan)]
    columns = ["seg,ment", "quote", "text", "value"]
    assert csv_text(rows, columns, LEAD) == pandas_csv(rows, columns, LEAD)
    assert csv_text([], ["a", "b"], LEAD) == "variant,replication,a,b\n" == pandas_csv([], ["a", "b"], LEAD)
    lone = [(math.nan,), (1.0,), ("",)]
    assert csv_text(lone, ["x"]) == pandas_csv(lone, ["x"], {}) == 'x\n""\n1.0\n""\n'


def test_frames_picks_tables_and_keeps_columns_of_empty_ones() -> None:
    output = RunOutput(customers=[], needs=[], csms=[], timeseries=[(0, 0.0) + (0,) * 12], touches=[], renewals=[],
                       surveys=[(1, "smb", 2.5, 9)], replication=4)  # fmt: skip
    picked = frames(output, ["surveys", "needs"])
    assert list(picked) == ["surveys", "needs"]
    assert list(picked["surveys"].columns) == ["customer", "segment", "day", "score", "replication"]
    assert picked["needs"].empty and "fate" in picked["needs"].columns
    assert set(frames(output)) == set(output.columns())
