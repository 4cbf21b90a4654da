"""Named books over their cap, and accounts left without a CSM: the book-caps table under
"CSM workload" and the answer's line for the recommended option."""

from __future__ import annotations

import load_tables as tables
import pandas as pd
import pytest

from simulator.report.formats import plain
from simulator.report.page import Callout, Paragraph, Table
from simulator.report.sections import books, headline, workload
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH, Scenario

EVEN = {"base": tables.FLAT, "lean": tables.FLAT}
"""Both options at 87% all along: only their books differ."""
AVERAGES = {"base": 0.87, "lean": 0.87}
BOOKS = {"base": [15, 16, 17, 18, 19, 20, 20, 20], "lean": [18, 19, 20, 21, 21, 22, 24, 25]}


def test_book_caps_count_the_period_ends_over_the_cap_and_the_books_at_the_end_and_at_peak() -> None:
    data = tables.data(tables.csms(EVEN, BOOKS), AVERAGES)
    found = {b.variant: b for b in books.book_caps(data)}
    assert not found["base"].over, "at the cap is not over it"
    lean = found["lean"]
    assert lean.ends == 7, "quarter 0 ends at the warm-up's end, before the measured period"
    assert lean.over_share == pytest.approx(5 / 7)
    assert lean.book[0] == 25 and lean.largest == 25 and lean.peak == 25, "the CSM who left holds no book"
    assert lean.ends_word == "quarter end"


def test_the_book_caps_table_and_the_answer_speak_only_of_options_over_the_cap() -> None:
    data = tables.data(tables.csms(EVEN, BOOKS), AVERAGES)
    block = books.caps_block(data)
    assert isinstance(block, Table)
    assert [plain(row[1].text) for row in block.rows] == ["0.0%", "20.0", "20.0"], "base: at the cap at most"
    assert plain(block.rows[0][2].text) == "71.4%" and block.rows[0][2].css == "bad"
    [line] = books.over_cap(data, "lean")
    assert line.startswith("lean puts more accounts on the named team's CSMs than their 20-account cap")
    assert "over the cap at 71.4% of the 7 quarter ends measured" in plain(line)
    assert books.over_cap(data, "base") == []
    within = tables.data(tables.csms(EVEN, {"lean": BOOKS["base"]}), AVERAGES)
    note = books.caps_block(within)
    assert isinstance(note, Paragraph) and "No named book went over its cap" in note.text


def test_a_variant_with_a_higher_cap_is_not_over_it() -> None:
    scenario = Scenario.model_validate(
        {
            **tables.scenario().model_dump(mode="json"),
            "variants": [{"name": "lean", "set": {"teams.named.max_accounts": 25}}],
        }
    )
    data = tables.data(tables.csms(EVEN, BOOKS), AVERAGES, scenario)
    assert books.over_cap(data, "lean") == []


def test_accounts_waiting_without_a_csm_are_counted_and_named_in_the_answer() -> None:
    months = range(25)
    waiting = pd.DataFrame(
        [(v, r, m, m * DAYS_PER_MONTH, (m - 20) + r if v == "lean" and m > 20 else 0) for v in ("base", "lean")
         for r in (0, 1) for m in months],
        columns=["variant", "replication", "month", "day", "uncovered"],
    )  # fmt: skip
    scenario = tables.scenario(overflow="uncovered")
    data = tables.data(
        tables.csms(EVEN),
        AVERAGES,
        scenario,
        timeseries=waiting,
    )
    counts = books.uncovered(data)
    assert list(counts) == ["lean"]
    assert counts["lean"].end[0] == 4.5 and counts["lean"].peak == 4.5
    assert counts["lean"].share == pytest.approx(4 / 22), "month ends 3-24 are measured; 21-24 had some"
    [line] = books.over_cap(data, "lean")
    assert plain(line).startswith("lean leaves accounts of the named team without a CSM: 4.5 at the end of the run")
    assert books.over_cap(data, "base") == []
    block = books.caps_block(data)
    assert isinstance(block, Table) and "Accounts without a CSM" in block.rows[0][0].text


@pytest.fixture(scope="module")
def small_run() -> ReportData:
    return tables.small_run()


def test_a_real_run_over_its_cap_says_so_in_the_answer(small_run: ReportData) -> None:
    callout = headline.build(small_run, {}).blocks[1]
    assert isinstance(callout, Callout)
    assert any("than their 18-account cap (overflow: reassign)" in line for line in callout.lines)
    section = workload.build(small_run, {"base": "#111111"})
    assert any(isinstance(b, Table) and b.table_id == "book-caps" for b in section.blocks)
