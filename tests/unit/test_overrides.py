"""Dotted-path overrides (``--set PATH=VALUE``, variants, sweeps) on plain scenario data."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.errors import InputError
from simulator.scenario.overrides import apply_overrides, cause_of, get_path, parse_assignment, split_path

DATA: dict[str, Any] = {
    "teams": {"pool": {"coverage": "pooled", "csms": 4}, "named": {"coverage": "named", "compensation": None}},
    "targets": ["grr >= 0.9", "nrr >= 1"],
    "segments": {"2024": {"team": "pool"}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("teams.pool.csms=6", ("teams.pool.csms", 6)),
        ("csm.gaming=0.25", ("csm.gaming", 0.25)),
        ("segments.smb.team=pool", ("segments.smb.team", "pool")),
        ("targets=[grr >= 0.9]", ("targets", ["grr >= 0.9"])),
        ("segments.a.arr={dist: fixed, value: 3}", ("segments.a.arr", {"dist": "fixed", "value": 3})),
        ("name=a=b", ("name", "a=b")),
        (" sweep = null", ("sweep", None)),
        ("description=", ("description", "")),
    ],
)
def test_parse_assignment_reads_value_as_yaml(text: str, expected: tuple[str, Any]) -> None:
    assert parse_assignment(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("teams.pool.csms", "expected PATH=VALUE"),
        ("=6", "expected PATH=VALUE"),
        ("teams..csms=6", "empty part"),
        ("x=[1, 2", "VALUE is not valid YAML"),
        ("x=!!python/object/apply:os.system [ls]", "not allowed"),
        ("x=[&a [1,1,1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], "
         "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c], "
         "&e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]]", "expands to more than"),
    ],
    ids=["no-equals", "no-path", "empty-part", "bad-yaml", "python-tag", "alias-bomb"],
)  # fmt: skip
def test_parse_assignment_refuses_bad_flags(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_assignment(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("segments.enterprise.onboarding_hours=1:30",
         "--set segments.enterprise.onboarding_hours=1:30: segments.enterprise.onboarding_hours: "
         "1:30 is read by YAML as 90 (base 60); write 1.5 or put it in quotes"),
        ("teams.pool.csms=010", "--set teams.pool.csms=010: teams.pool.csms: 010 is read by YAML as octal 8; write 10"),
        ("teams.pool={coverage: pooled, csms: -010}",
         "--set teams.pool={coverage: pooled, csms: -010}: teams.pool.csms: "
         "-010 is read by YAML as octal -8; write -10"),
        ("segments={NO: {team: pool}}",
         "--set segments={NO: {team: pool}}: segments.NO: YAML 1.1 reads NO as false, not as a name; "
         "put it in quotes ('NO')"),
    ],
    ids=["base-60", "octal", "octal-inside", "key-read-as-false"],
)  # fmt: skip
def test_parse_assignment_refuses_what_yaml_1_1_would_misread(text: str, message: str) -> None:
    # Once, csms=010 ran with 8 CSMs and onboarding_hours=1:30 with 90 hours, silently.
    with pytest.raises(InputError) as info:
        parse_assignment(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), ("0.5", 0.5), ("10", 10), ("-3", -3), ("1000.0", 1000.0), ("1.0e+3", 1000.0), ("0x10", 16),
     ("'1:30'", "1:30"), ("'010'", "010"), ("meet at 1:30", "meet at 1:30"), ("{'NO': 1}", {"NO": 1})],
)  # fmt: skip
def test_parse_assignment_still_reads_plain_numbers_and_quoted_text(raw: str, expected: Any) -> None:
    assert parse_assignment(f"x={raw}") == ("x", expected)


def test_split_path_reads_numbers_as_indexes() -> None:
    assert split_path("compensation.components.0.weight") == ["compensation", "components", 0, "weight"]


def test_apply_sets_nested_values_without_touching_the_input() -> None:
    out = apply_overrides(DATA, {"teams.pool.csms": 6, "targets.1": "nrr >= 1.05"})
    assert out["teams"]["pool"]["csms"] == 6 and out["targets"] == ["grr >= 0.9", "nrr >= 1.05"]
    assert DATA["teams"]["pool"]["csms"] == 4 and DATA["targets"][1] == "nrr >= 1"


def test_apply_finds_a_mapping_key_written_as_a_number() -> None:
    out = apply_overrides(DATA, {"segments.2024.team": "named"})
    assert out["segments"] == {"2024": {"team": "named"}}


def test_apply_creates_missing_mappings_unless_complete_lacks_them() -> None:
    assert apply_overrides(DATA, {"csm.gaming": 0.9})["csm"] == {"gaming": 0.9}
    with pytest.raises(InputError, match=r"teams.pol does not exist; did you mean 'pool'\? \(teams has: pool, named\)"):
        apply_overrides(DATA, {"teams.pol.csms": 3}, complete=DATA)


def test_complete_fills_a_part_the_data_leaves_out_from_its_defaults() -> None:
    written = {"teams": {"pool": {"coverage": "pooled"}}}
    complete = {**written, "csm": {"gaming": 0.6, "salary": 1}, "variants": []}
    assert apply_overrides(written, {"csm.gaming": 0.9}, complete=complete)["csm"] == {"gaming": 0.9, "salary": 1}
    empty = r"^variants.0: variants is an empty list, with no item 0; set the whole list instead$"
    with pytest.raises(InputError, match=empty):
        apply_overrides(written, {"variants.0.name": "x"}, complete=complete)


def test_complete_still_fills_an_optional_section_that_is_null() -> None:
    out = apply_overrides(DATA, {"teams.named.compensation.plan": "nrr"}, complete=DATA)
    assert out["teams"]["named"]["compensation"] == {"plan": "nrr"}
    out = apply_overrides(DATA, {"teams.named.compensation.params.share": 0.9}, complete=DATA)
    assert out["teams"]["named"]["compensation"] == {"params": {"share": 0.9}}


def test_complete_allows_a_new_last_key() -> None:
    """A new entry (a new team, a new desired feature) is a value, not a path to walk."""
    out = apply_overrides(DATA, {"teams.extra": {"coverage": "digital"}}, complete=DATA)
    assert out["teams"]["extra"] == {"coverage": "digital"}


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ({"teams.pool.csms.x": 1}, "teams.pool.csms is 4, not a mapping"),
        ({"targets.5": "x"}, "targets is a list of 2 items; use an index from 0 to 1"),
        ({"targets.x.y": 1}, "targets is a list of 2 items"),
    ],
)
def test_apply_refuses_paths_through_plain_values_and_past_lists(sets: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        apply_overrides(DATA, sets)


def test_an_empty_list_has_no_index() -> None:
    with pytest.raises(InputError, match="variants is an empty list, with no item 0; set the whole list instead"):
        apply_overrides({"variants": []}, {"variants.0.name": "x"})


def test_get_path() -> None:
    assert get_path(DATA, "teams.pool.csms") == 4
    assert get_path(DATA, "targets.0") == "grr >= 0.9"
    with pytest.raises(KeyError, match=re.escape("teams.pol.csms: no 'pol' here")):
        get_path(DATA, "teams.pol.csms")


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("teams", "pool", "csms"), 1),  # the deepest override containing the problem
        (("teams", "pool"), 0),
        (("segments",), 2),  # an override under the problem
        (("segments", "smb", "team"), 2),
        (("variants", 0, "set", "teams.pool.csms"), 3),  # a key holding dots
        (("seed",), None),
        ((), None),
    ],
)
def test_cause_of_picks_the_override_behind_a_problem(loc: tuple[str | int, ...], expected: int | None) -> None:
    paths = ["teams", "teams.pool.csms", "segments.smb", "variants.0.set.teams.pool.csms"]
    assert cause_of(loc, paths) == expected


def test_cause_of_prefers_the_last_of_equal_overrides() -> None:
    assert cause_of(("csm", "gaming"), ["csm.gaming", "csm.gaming"]) == 1
