"""Run tables are parsed when read: whole, or just the columns asked for, the same either way."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from simulator.results.results import LazyTable, Results
from simulator.scenario.schema import Scenario

CSV = b'variant,replication,day,fate,csm\n"base",0,1.5,jit,NA\n"base",1,,late,\n"b, c",0,3.25,"x ""y""",7\n'


def _results(needs: pd.DataFrame | LazyTable) -> Results:
    empty = pd.DataFrame()
    return Results(Scenario(), ["base"], empty, empty, empty, empty, sources={"needs": needs})


@pytest.mark.parametrize("split", [1, 20, 50])
def test_some_columns_read_as_the_whole_table_would_give_them(split: int) -> None:
    chunks = [CSV[:split], memoryview(CSV)[split:]]
    whole = LazyTable(chunks).read()
    some = LazyTable(chunks).read(["fate", "variant", "absent"])
    assert list(some.columns) == ["variant", "fate"]  # the table's order; an absent column is simply absent
    pd.testing.assert_frame_equal(some, whole[["variant", "fate"]], check_exact=True)
    assert whole["csm"].isna().tolist() == [False, True, False]  # only an empty field is missing: "NA" is a name


def test_a_column_read_leaves_the_table_unparsed_and_the_attribute_parses_it_once(tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_bytes(CSV)
    results = _results(LazyTable(path))
    assert list(results.table_columns("needs", ["day"]).columns) == ["day"]
    assert isinstance(results.sources["needs"], LazyTable)
    first = results.needs
    assert results.needs is first and results.sources["needs"] is first
    assert list(first.columns) == ["variant", "replication", "day", "fate", "csm"]


def test_tables_set_as_frames_and_missing_tables() -> None:
    results = _results(pd.DataFrame({"variant": ["base"], "fate": ["jit"], "csm": [1]}))
    assert list(results.table_columns("needs", ["csm", "variant"]).columns) == ["variant", "csm"]
    results.needs = results.needs.drop(columns=["csm"])
    assert list(results.needs.columns) == ["variant", "fate"]
    assert results.touches.empty and results.table_columns("touches", ["day"]).empty
    with pytest.raises(KeyError):
        results.table_columns("summary", ["metric"])


def test_columns_read_again_are_not_parsed_again_until_the_whole_table_is() -> None:
    table = LazyTable([CSV])
    some = table.read(["fate", "day"])
    assert table.read(["day", "fate"]) is some
    whole = table.read()
    assert table.read() is whole
    again = table.read(["fate", "day"])
    assert again is not some
    pd.testing.assert_frame_equal(again, some, check_exact=True)


def test_results_with_unparsed_tables_pickle() -> None:
    results = _results(LazyTable([memoryview(CSV)[:30], memoryview(CSV)[30:]]))
    back = pickle.loads(pickle.dumps(results))
    pd.testing.assert_frame_equal(back.needs, results.needs, check_exact=True)
