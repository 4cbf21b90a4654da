"""Expansion of a scenario into variants and runs, and the identity (key) of each run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.errors import ScenarioError
from simulator.experiment import expansion
from simulator.scenario.schema import Scenario, Variant


def _scenario(**extra: Any) -> Scenario:
    return Scenario.model_validate({"replications": 3, "seed": 11, **extra})


def test_base_then_variants_then_sweep_points() -> None:
    s = _scenario(
        variants=[{"name": "more", "set": {"teams.pool.csms": 8}}],
        sweep={"path": "teams.pool.csms", "values": [3, 4]},
    )
    specs = expansion.expand(s)
    assert [v.name for v in specs] == ["base", "more", "teams.pool.csms=3", "teams.pool.csms=4"]
    assert [v.kind for v in specs] == ["base", "variant", "sweep", "sweep"]
    assert [v.scenario.teams["pool"].csms for v in specs] == [5, 8, 3, 4]  # 5: the schema default
    assert all(not v.scenario.variants and v.scenario.sweep is None for v in specs)
    assert expansion.sweep_info(s, specs) == {
        "path": "teams.pool.csms",
        "values": {"teams.pool.csms=3": 3, "teams.pool.csms=4": 4},
    }


def test_sweep_range_points_are_named_by_value() -> None:
    s = _scenario(
        sweep={"path": "segments.customers.needs_per_month", "range": {"start": 0.5, "stop": 1.0, "step": 0.25}}
    )
    names = [v.name for v in expansion.expand(s)][1:]
    assert names == [f"segments.customers.needs_per_month={x}" for x in (0.5, 0.75, 1)]


def test_set_applies_to_every_variant_and_the_variant_wins_on_its_own_path() -> None:
    s = _scenario(variants=[{"name": "more", "set": {"teams.pool.csms": 8}}])
    s = expansion.with_sets(s, ["teams.pool.csms=2", "segments.customers.raise_prob=0.9"])
    specs = expansion.expand(s)
    assert [v.scenario.teams["pool"].csms for v in specs] == [2, 8]
    assert [v.scenario.segments["customers"].raise_prob for v in specs] == [0.9, 0.9]


def test_bad_set_is_reported_with_its_path() -> None:
    with pytest.raises(ScenarioError, match=r"--set: teams\.pool\.csms: must be >= 1"):
        expansion.with_sets(_scenario(), ["teams.pool.csms=0"])


def test_every_invalid_variant_is_reported_before_anything_runs() -> None:
    # The scenario validator already rejects bad variants; model_copy skips validation, so
    # this checks that expansion validates each variant itself.
    bad = _scenario().model_copy(
        update={
            "variants": [
                Variant(name="zero", set={"teams.pool.csms": 0}),
                Variant(name="typo", set={"teams.pool.csmz": 3}),
            ]
        }
    )
    with pytest.raises(ScenarioError) as info:
        expansion.expand(bad)
    problems = info.value.problems
    assert "variant 'zero': teams.pool.csms: must be >= 1 (got 0)" in problems, problems
    assert any("variant 'typo'" in p and "csmz" in p for p in problems), problems


def test_run_key_is_the_identity_of_what_determines_the_numbers() -> None:
    s = _scenario(variants=[{"name": "same as base", "set": {"teams.pool.csms": 5}}])
    base, same = expansion.expand(s)
    assert expansion.run_key(base, 0) == expansion.run_key(same, 0)  # same resolved scenario: shared run
    assert expansion.run_key(base, 0) != expansion.run_key(base, 1)
    renamed = expansion.expand(s.model_copy(update={"name": "Other", "targets": ["grr >= 0.9"], "replications": 9}))
    assert expansion.run_key(renamed[0], 0) == expansion.run_key(base, 0)  # name, targets, count: not in the run
    reseeded = expansion.expand(expansion.with_sets(s, ["seed=12"]))
    assert expansion.run_key(reseeded[0], 0) != expansion.run_key(base, 0)
    changed = expansion.expand(expansion.with_sets(s, ["segments.customers.raise_prob=0.51"]))
    assert expansion.run_key(changed[0], 0) != expansion.run_key(base, 0)


def test_plan_gives_every_variant_the_same_replications() -> None:
    specs = expansion.expand(_scenario(variants=[{"name": "more", "set": {"teams.pool.csms": 8}}]))
    plan = expansion.plan_runs(specs, range(3))
    assert [(r.variant, r.replication) for r in plan] == [(v, r) for v in ("base", "more") for r in range(3)]


def test_model_fingerprint_changes_with_any_model_source_so_resume_reuses_no_stale_run(tmp_path: Path) -> None:
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "a.py").write_text("RATE = 1\n")
    (tmp_path / "metrics.py").write_text("X = 1\n")
    parts = ("engine", "metrics.py")
    before = expansion.source_fingerprint(tmp_path, parts)
    assert expansion.source_fingerprint(tmp_path, parts) == before
    (tmp_path / "engine" / "a.py").write_text("RATE = 2\n")
    changed_engine = expansion.source_fingerprint(tmp_path, parts)
    (tmp_path / "metrics.py").write_text("X = 2\n")
    assert len({before, changed_engine, expansion.source_fingerprint(tmp_path, parts)}) == 3
    package = Path(expansion.__file__).parents[1]
    assert expansion.model_version().endswith(expansion.source_fingerprint(package, expansion._MODEL_SOURCES))
