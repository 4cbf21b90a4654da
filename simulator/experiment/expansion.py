"""From one scenario to a list of runs: variants (base, named variants, sweep points) x replications.

Overrides act on the base's plain data (:func:`simulator.scenario.variants.override_data`,
as the checks do), so a variant is validated exactly like a file, and every variant is
validated before anything runs. Each run is identified by a hash of what determines its numbers: the resolved
variant, the replication, the seed and the model version. Two variants that resolve to the
same scenario (a sweep point equal to the base) share their runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.errors import InputError, ScenarioError
from simulator.scenario.checks import validate_data
from simulator.scenario.overrides import apply_overrides, parse_assignment
from simulator.scenario.schema import Scenario, Sweep
from simulator.scenario.variants import override_data

BASELINE = "base"

_NOT_IN_RUN = {"name", "description", "replications", "targets", "variants", "sweep"}
"""Scenario fields that never change a run's numbers, left out of its identity."""


@dataclass(frozen=True)
class VariantSpec:
    """One option to simulate: its name, its overrides of the base, its resolved scenario."""

    name: str
    scenario: Scenario
    overrides: Mapping[str, Any] = field(default_factory=dict)
    kind: str = "variant"
    """``base``, ``variant`` (a named variant) or ``sweep`` (a sweep point)."""
    run_json: str = ""
    """Canonical JSON of what determines a run (the worker rebuilds the scenario from it)."""


@dataclass(frozen=True)
class RunSpec:
    """One replication of one variant, and the key its saved result is filed under."""

    variant: str
    replication: int
    key: str


_MODEL_SOURCES = ("scenario", "model", "engine", "results/tables.py", "results/metrics.py", "experiment/worker.py")
"""Source that decides a saved run's numbers; a change to any of it invalidates ``--resume``."""


@functools.cache
def model_version() -> str:
    """The version that invalidates saved runs when the model (or the saved format) changes.

    It fingerprints the model's own source besides ``__version__``: between releases the
    engine changes without a version bump, and ``--resume`` must not reuse runs of an
    older model.
    """
    from simulator.experiment.worker import PAYLOAD_FORMAT

    digest = source_fingerprint(Path(__file__).resolve().parent.parent, _MODEL_SOURCES)
    return f"{__version__}+runs{PAYLOAD_FORMAT}+model{digest}"


def source_fingerprint(root: Path, parts: Sequence[str]) -> str:
    """A short hash of the Python files under ``root/part`` for each part (files or folders)."""
    digest = hashlib.sha256()
    for part in parts:
        target = root / part
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def run_json(scenario: Scenario) -> str:
    """Canonical JSON (sorted keys) of the fields that determine a run's numbers."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude=_NOT_IN_RUN)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def run_key(variant: VariantSpec, replication: int) -> str:
    """A hash of (resolved variant, replication, seed, model version): the run's identity."""
    identity = json.dumps([variant.run_json, replication, variant.scenario.seed, model_version()])
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def with_sets(scenario: Scenario, sets: Sequence[str] | Mapping[str, Any]) -> Scenario:
    """The scenario with ``--set PATH=VALUE`` overrides applied to its plain data, revalidated."""
    pairs = dict(parse_assignment(s) for s in sets) if not isinstance(sets, Mapping) else dict(sets)
    if not pairs:
        return scenario
    written = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    try:
        data = apply_overrides(written, pairs, complete=scenario.model_dump(mode="json", by_alias=True))
    except InputError as exc:
        raise ScenarioError([f"--set: {exc}"]) from None
    resolved, problems = validate_data(data)
    if resolved is None:
        raise ScenarioError([f"--set: {p.text}" for p in problems])
    return resolved


def expand(scenario: Scenario) -> list[VariantSpec]:
    """The base, then each named variant, then each sweep point; all validated first.

    Raises ScenarioError listing every variant that does not validate.
    """
    named: list[tuple[str, str, dict[str, Any]]] = [(BASELINE, "base", {})]
    named += [(v.name, "variant", dict(v.set)) for v in scenario.variants]
    if scenario.sweep is not None:
        path = scenario.sweep.path
        named += [(sweep_name(path, x), "sweep", {path: x}) for x in scenario.sweep.points()]
    problems: list[str] = []
    specs = [s for name, kind, sets in named if (s := _resolve(scenario, name, kind, sets, problems)) is not None]
    problems += _duplicate_names(name for name, _, _ in named)
    if problems:
        raise ScenarioError(problems)
    return specs


def sweep_name(path: str, value: Any) -> str:
    """A sweep point's variant name, e.g. ``teams.strategic.csms=8``."""
    return Sweep(path=path, values=[value]).point_name(value)


def sweep_info(scenario: Scenario, variants: Sequence[VariantSpec]) -> dict[str, Any] | None:
    """``{"path": ..., "values": {variant name: value}}`` for the sweep's points, or None."""
    if scenario.sweep is None:
        return None
    path = scenario.sweep.path
    return {"path": path, "values": {v.name: v.overrides[path] for v in variants if v.kind == "sweep"}}


def plan_runs(variants: Iterable[VariantSpec], replications: Iterable[int]) -> list[RunSpec]:
    """Every (variant, replication), variants in order; the same replications for each (CRN)."""
    reps = list(replications)
    return [RunSpec(v.name, r, run_key(v, r)) for v in variants for r in reps]


def _resolve(base: Scenario, name: str, kind: str, sets: dict[str, Any], problems: list[str]) -> VariantSpec | None:
    label = {"base": "base scenario", "variant": f"variant {name!r}", "sweep": f"sweep point {name!r}"}[kind]
    try:
        scenario, found = validate_data(override_data(base, sets), whole=False)
    except InputError as exc:
        problems.append(f"{label}: {exc}")
        return None
    if scenario is None:
        problems += [f"{label}: {p.text}" for p in found]
        return None
    return VariantSpec(name=name, scenario=scenario, overrides=sets, kind=kind, run_json=run_json(scenario))


def _duplicate_names(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if name in seen:
            out.append(f"variant name {name!r} is used twice; variant and sweep names must be unique")
        seen.add(name)
    return out
