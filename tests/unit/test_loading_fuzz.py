"""Mutated scenarios: the loader returns a Scenario or raises ScenarioError, nothing else.

Starting from valid scenarios (the shipped default and a small one with a variant and a
sweep), hypothesis drops a key, replaces a value with one of another type, renames a key,
adds a stray key, or edits the YAML text itself. Any other exception (KeyError, TypeError,
RecursionError, a pydantic error escaping) would reach a CS leader as a traceback.
Derandomized, so CI sees the same examples on every run; a failure found once is kept in
hypothesis' example database locally.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import ScenarioError
from simulator.scenario.loading import load_scenario_text
from simulator.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent.parent
SMALL = """\
name: fuzz
horizon_months: 12
warmup_months: 2
segments:
  ent: {team: named, initial_customers: 20, arr: {dist: lognormal, median: 50000, sigma: 0.5}, desired: {A: 0.5}}
  smb: {team: pool, initial_customers: 100, arr: 8000}
teams:
  named: {coverage: named, csms: 2, max_accounts: 15}
  pool: {coverage: pooled, csms: 2}
targets: [grr >= 0.9]
variants:
  - {name: more, set: {teams.pool.csms: 3}}
sweep: {path: teams.named.csms, values: [2, 3]}
"""
BASES = [yaml.safe_load(SMALL), yaml.safe_load((ROOT / "scenarios" / "default.yaml").read_text())]
for base in BASES:  # the mutations start from valid scenarios
    load_scenario_text(yaml.safe_dump(base))

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node`` (mapping keys and list indexes)."""
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in items:
        out.append((*prefix, key))
        out.extend(paths(child, (*prefix, key)))
    return out


def mutate(data: dict[str, Any], path: tuple[Any, ...], how: str, value: Any, name: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    parent: Any = out
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "drop":
        del parent[last]
    elif how == "retype":
        parent[last] = value
    elif how == "rename" and isinstance(parent, dict):
        parent[name] = parent.pop(last)
    elif how == "add" and isinstance(parent, dict):
        parent[name] = value
    return out


def load_is_clean(text: str) -> None:
    try:
        result = load_scenario_text(text, source="fuzz.yaml")
    except ScenarioError as error:
        assert error.problems, "a ScenarioError must list its problems"
        assert all(line.strip() for line in error.problems)
    else:
        assert isinstance(result, Scenario)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_data_loads_or_raises_scenario_error(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(BASES))
    path = data.draw(st.sampled_from(paths(base)))
    how = data.draw(st.sampled_from(["drop", "retype", "rename", "add"]))
    mutated = mutate(base, path, how, data.draw(ANY_VALUE), data.draw(st.text(min_size=1, max_size=10)))
    load_is_clean(yaml.safe_dump(mutated, allow_unicode=True))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    position=st.integers(min_value=0, max_value=len(SMALL)),
    cut=st.integers(min_value=0, max_value=8),
    insert=st.text(alphabet=":{}[]-#&*!|>'\"\t\n ,.0123456789abcxyz", max_size=6),
)
def test_edited_text_loads_or_raises_scenario_error(position: int, cut: int, insert: str) -> None:
    load_is_clean(SMALL[:position] + insert + SMALL[position + cut :])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(sets=st.lists(st.tuples(st.sampled_from(paths(BASES[0])), ANY_VALUE), max_size=3))
def test_set_flags_load_or_raise_scenario_error(sets: list[tuple[tuple[Any, ...], Any]]) -> None:
    flags = []
    for path, value in sets:
        dumped = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()
        flags.append(".".join(str(p) for p in path) + "=" + dumped)
    try:
        load_scenario_text(SMALL, sets=flags)
    except ScenarioError as error:
        assert all(line.startswith("--set ") for line in error.problems), error.problems
