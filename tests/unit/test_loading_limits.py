"""Oversized and hostile YAML is refused before it can cost memory or time.

The limits are checked on the parser's event stream (which stops at the limit) and on the
composed node tree with aliases counted as expanded, never by building the data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import ScenarioError
from simulator.scenario.document import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, MAX_VALUES
from simulator.scenario.loading import load_scenario, load_scenario_text


def refused(text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source="s.yaml")
    (line,) = info.value.problems
    return line


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_the_line_where_it_explodes() -> None:
    # 10^5 values at a4 is the first level over the limit of 50,000.
    assert MAX_VALUES < 10**5 < 10**9
    assert refused(billion_laughs()) == (
        f"s.yaml:5: (top level): the document expands to more than {MAX_VALUES:,} values through aliases "
        "(an alias bomb?); refused"
    )


def test_aliases_within_the_limits_are_fine() -> None:
    scenario = load_scenario_text("csm: &c {salary: 1}\nteams: {p: {coverage: pooled, csms: 3}}\n"
                                  "segments: {s: {team: p}}\nvariants: [{name: v, set: {csm: *c}}]\n")  # fmt: skip
    assert scenario.variants[0].set == {"csm": {"salary": 1}}


def test_too_many_values_is_refused_while_parsing() -> None:
    text = "targets: [" + ", ".join(["grr >= 0.9"] * (MAX_VALUES + 10)) + "]\n"
    assert len(text) < MAX_BYTES
    assert f"has more than {MAX_VALUES:,} values" in refused(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused_without_recursing(depth: int) -> None:
    # Unchecked, 100,000 nested brackets crash libyaml's composer; the event scan stops early.
    assert f"nests deeper than {MAX_DEPTH} levels" in refused("description: " + "[" * depth + "]" * depth + "\n")


def test_aliases_cannot_nest_past_the_depth_limit() -> None:
    levels = ["x0: &x0 " + "[" * 20 + "1" + "]" * 20]
    levels += [f"x{i}: &x{i} " + "[" * 20 + f"*x{i - 1}" + "]" * 20 for i in range(1, 4)]
    assert f"nests deeper than {MAX_DEPTH} levels through aliases" in refused("\n".join(levels) + "\n")


def test_a_multi_megabyte_text_is_refused_before_parsing() -> None:
    line = refused("description: '" + "x" * (MAX_BYTES + 1) + "'\n")
    assert line.startswith("s.yaml:1: (top level): is 2.0 MB; a scenario file is at most 2 MB")


def test_a_multi_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50_000_000)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == [f"{path}: is 50.0 MB; a scenario file is at most 2 MB"]


def test_a_whole_number_too_long_to_read_is_refused_at_its_line() -> None:
    # Python refuses to read an int of over 4,300 digits (ValueError); it must not leak out.
    digits = "9" * 5000
    assert refused(f"name: x\nteams: {{pool: {{coverage: pooled, csms: {digits}}}}}\n") == (
        f"s.yaml:2: teams.pool.csms: a whole number of 5,000 characters; no scenario value needs over {MAX_DIGITS}"
    )
    key = "9" * 500  # as a key too (YAML keys stop at 1,024 characters)
    assert refused(f"name: x\n{key}: 1\n").startswith(f"s.yaml:2: {key}: a whole number of 500 characters")


def test_a_set_value_too_long_to_read_names_the_flag() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("name: x\n", sets=[f"teams.pool.csms={'9' * 5000}"])
    (line,) = info.value.problems
    assert line.startswith("--set teams.pool.csms=999") and "VALUE is a whole number of 5,000 characters" in line
    assert len(line) < 300
