"""The sizing search on its own: bisection, its confirmation, and the plain verdicts.

A fake evaluator stands in for the simulation: each target is met from some value on (or,
for a target that gets worse with the value, up to some value), so every answer is known
exactly and the number of values simulated can be counted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from simulator.errors import InputError
from simulator.scenario.schema import Target
from simulator.sizing.grid import Grid, Value
from simulator.sizing.outcome import Sizing, base_note
from simulator.sizing.search import FOUND, LOWEST, NONE, NOT_MONOTONE, Check, Probe, judge, search, verdict


def checks(*met: bool) -> tuple[Check, ...]:
    """Targets t0, t1, ... met or not (the numbers are placeholders the search never reads)."""
    return tuple(Check(f"t{i}", "grr", 0.9, 0.89, 0.91, "met" if m else "not met", m) for i, m in enumerate(met))


class Fake:
    """Targets met from ``from_value`` on (``None``: never); ``until`` makes one met only up to a value."""

    def __init__(self, from_value: Sequence[Value | None], until: Value | None = None) -> None:
        self.from_value, self.until = list(from_value), until
        self.calls: list[list[Value]] = []

    def __call__(self, values: Sequence[Value]) -> list[Probe]:
        self.calls.append(list(values))
        return [Probe(v, self._checks(v)) for v in values]

    def _checks(self, value: Value) -> tuple[Check, ...]:
        met = [start is not None and value >= start for start in self.from_value]
        if self.until is not None:
            met.append(value <= self.until)
        return checks(*met)

    @property
    def tried(self) -> int:
        return sum(len(c) for c in self.calls)


@pytest.mark.parametrize("answer", range(3, 31))
def test_bisection_finds_every_threshold_in_log_probes(answer: int) -> None:
    values = list(range(2, 31))
    fake = Fake([answer])
    probes = search(values, fake)
    found = verdict(probes, values, "teams.pool.csms", "interval")
    assert (found.status, found.answer) == (FOUND, answer)
    assert fake.tried <= 2 + math.ceil(math.log2(len(values) - 1)), f"{fake.tried} values simulated for {len(values)}"
    assert fake.calls[0] == [30, 2], "both ends first, in one batch"
    below = [p for p in probes if p.value == answer - 1]
    assert below and not below[0].met, "the neighbour below the answer was simulated and fails"
    assert len({p.value for p in probes}) == len(probes), "no value simulated twice"


def test_the_answer_is_where_the_last_target_is_met() -> None:
    values = list(range(1, 21))
    probes = search(values, Fake([4, 11, 7]))
    assert verdict(probes, values, "x", "interval").answer == 11


def test_on_a_coarse_grid_the_answer_is_a_grid_value() -> None:
    values = Grid.parse("4:20:4").values()
    probes = search(values, Fake([9]))
    found = verdict(probes, values, "x", "interval")
    assert found.answer == 12 and "at 8:" in found.message


def test_lowest_value_already_meeting_says_a_smaller_one_may_too() -> None:
    fake = Fake([1])
    probes = search([5, 6, 7, 8], fake)
    found = verdict(probes, [5, 6, 7, 8], "teams.pool.csms", "interval")
    assert (found.status, found.answer) == (LOWEST, 5)
    assert "lower LO" in found.message and fake.tried == 2


def test_no_value_in_range_says_so_and_names_the_misses() -> None:
    probes = search(list(range(2, 9)), Fake([3, None]))
    found = verdict(probes, list(range(2, 9)), "teams.pool.csms", "interval")
    assert (found.status, found.answer) == (NONE, None)
    assert "No value of teams.pool.csms from 2 to 8 meets every target" in found.message
    assert "t1 not met" in found.message and "Raise HI" in found.message


def test_a_target_that_worsens_with_the_value_is_reported_not_monotone() -> None:
    values = list(range(2, 21))
    probes = search(values, Fake([6], until=12))  # t1 like csm_utilization >= 0.75: lost as CSMs are added
    found = verdict(probes, values, "teams.pool.csms", "interval")
    assert found.status == NOT_MONOTONE and found.answer is None
    assert found.breaks and found.breaks[0].startswith("t1 is met at 2 but not at")
    assert "not monotone in teams.pool.csms" in found.message


def test_a_break_found_mid_search_stops_it() -> None:
    class Dip(Fake):
        """t0 met from 10 on; t1 met everywhere but at 10 (a dip the middle probe lands on)."""

        def _checks(self, value: Value) -> tuple[Check, ...]:
            return checks(value >= 10, value != 10)

    values = list(range(2, 19))
    fake = Dip([])
    probes = search(values, fake)
    found = verdict(probes, values, "x", "interval")
    assert fake.calls == [[18, 2], [10]], "the search stops at the probe that breaks monotonicity"
    assert found.status == NOT_MONOTONE and found.breaks == ("t1 is met at 2 but not at 10",)
    assert "The smallest value tried that meets every target is 18" in found.message


def test_a_single_value_range() -> None:
    assert verdict(search([7], Fake([7])), [7], "x", "interval").answer == 7
    assert verdict(search([7], Fake([8])), [7], "x", "interval").status == NONE


def test_interval_rule_needs_the_whole_interval_and_mean_rule_only_the_mean() -> None:
    target = Target.parse("grr >= 0.92")
    straddling = (0.925, 0.91, 0.94)
    assert judge(target, *straddling, "interval").met is False
    assert judge(target, *straddling, "interval").status == "undecided"
    assert judge(target, *straddling, "mean").met is True
    assert judge(target, 0.93, 0.921, 0.94, "interval").met is True
    assert judge(target, math.nan, math.nan, math.nan, "mean").met is False
    lower = Target.parse("p90_time_to_guidance_days <= 7")
    assert judge(lower, 6.0, 5.0, 6.9, "interval").met and not judge(lower, 6.0, 5.0, 7.1, "interval").met


@pytest.mark.parametrize(
    ("text", "values"),
    [("4:8", [4, 5, 6, 7, 8]), ("4:20:4", [4, 8, 12, 16, 20]), ("4:9:2", [4, 6, 8]), ("3:3", [3]),
     ("0.5:1.5:0.25", [0.5, 0.75, 1.0, 1.25, 1.5]), ("0.1:0.3:0.1", [0.1, 0.2, 0.3]), ("2.0:4", [2, 3, 4]),
     ("0.7:1:0.1", [0.7, 0.8, 0.9, 1.0]), ("-1:-0.8:0.1", [-1.0, -0.9, -0.8]),
     ("1e-11:4e-11:1e-11", [1e-11, 2e-11, 3e-11, 4e-11])],  # once rounded to 10 decimals: four zeros
)  # fmt: skip
def test_grid_values(text: str, values: list[Value]) -> None:
    assert Grid.parse(text).values() == values


@pytest.mark.parametrize(
    ("text", "message"),
    [("4-20", "expected LO:HI or LO:HI:STEP"), ("4:20:2:1", "expected LO:HI"), ("a:20", "LO is not a number"),
     ("4:", "HI is not a number"), ("20:4", "LO (20) must not be above HI (4)"), ("4:20:0", "STEP must be above 0"),
     ("4:20:-1", "STEP must be above 0"), ("4:nan", "HI must be a finite number"),
     ("1:100000", "more than 1000 values")],
)  # fmt: skip
def test_grid_errors_name_the_flag_and_the_part(text: str, message: str) -> None:
    with pytest.raises(InputError, match="--values") as caught:
        Grid.parse(text)
    assert message in str(caught.value)


def sized(path: str, values: list[Value], fake: Fake) -> Sizing:
    probes = search(values, fake)
    found = verdict(probes, values, path, "interval")
    return Sizing(path, Grid(values[0], values[-1], 1), "interval", ("t0",), 3, tuple(probes), found)


@pytest.mark.parametrize(
    ("fake", "base", "note"),
    [
        (Fake([6]), 6, "The report's base is the smallest team that met every target: 6 CSMs on the strategic team."),
        (Fake([1]), 2, "The report's base is the smallest team tried: 2 CSMs on the strategic team."),
        (Fake([None]), 12, "The report's base is the largest team tried: 12 CSMs on the strategic team."),
        (Fake([6], until=9), 12, "The report's base is the largest team tried: 12 CSMs on the strategic team."),
    ],
)
def test_the_reports_base_is_named_in_plain_words_with_why_it_is_the_base(fake: Fake, base: int, note: str) -> None:
    """The base of a sizing's report is the answer only when there is one: said as 'the smallest
    team that met every target' only then, and never as a dotted path."""
    sizing = sized("teams.strategic.csms", list(range(2, 13)), fake)
    assert sizing.base == base
    assert base_note(sizing) == note + " Every team size tried is shown as a point on the sweep."


def test_a_base_other_than_a_headcount_keeps_its_path() -> None:
    note = base_note(sized("segments.smb.needs_per_month", [1, 2, 3], Fake([2])))
    assert note == (
        "The report's base is the smallest value that met every target: segments.smb.needs_per_month = 2. "
        "Every value tried is shown as a point on the sweep."
    )
    one = base_note(sized("teams.pool.csms", [1, 2, 3], Fake([1])))
    assert "the smallest team tried: 1 CSM on the pool team." in one
