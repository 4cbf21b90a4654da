"""Check variants and sweeps: each must name real paths and yield a valid scenario.

A variant is validated exactly like the file: its overrides are applied to the base
scenario's plain data as written (:func:`override_data`, which refuses a path the complete
scenario lacks, as ``--set`` does) and the result validated in full, cross checks included. Each
problem is then pinned to the override that caused it, so the loader can point at that
override's own line (``variants.1.set.teams.pool.csms``), or at the variant when the
override breaks something elsewhere (moving a segment onto a digital team that cannot
detect its needs).
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from simulator.errors import InputError
from simulator.scenario.checks import base_data, validate_data
from simulator.scenario.experiment_spec import experiment_key_problem
from simulator.scenario.overrides import apply_overrides, cause_among, split_path
from simulator.scenario.problems import Loc, Problem, show

if TYPE_CHECKING:
    from simulator.scenario.schema import Scenario, Sweep


def override_problems(
    base: Scenario, sets: Mapping[str, Any], where: Loc, known: Container[tuple[Loc, str]] = ()
) -> Iterator[Problem]:
    """Problems of the variant at ``where`` (e.g. ``("variants", 1)``) whose overrides are ``sets``.

    ``known`` holds the base scenario's own ``(loc, message)`` problems, not repeated here.
    """

    yield from _overlaps(sets, where)
    good: dict[str, Any] = {}
    for path, value in sets.items():
        whole = experiment_key_problem(path)
        if whole is not None:
            yield Problem((*where, "set", path), f"{whole}; set it at the top level of the file")
            continue
        try:
            override_data(base, {path: value})
        except InputError as exc:
            yield Problem((*where, "set", path), str(exc).removeprefix(f"{path}: "))
        else:
            good[path] = value
    if not good:
        return
    for problem in _new_problems(override_data(base, good), known):
        yield _pinned(problem, good, where)


def _overlaps(sets: Mapping[str, Any], where: Loc) -> Iterator[Problem]:
    """A path set inside another path the same variant sets (``teams.pool.csms`` and
    ``teams.pool``): which value wins would depend on the order the keys are written."""
    for path in sets:
        for outer in sets:
            if path.startswith(outer + "."):
                yield Problem(where, f"{path} lies inside {outer}, which this variant also sets; set it once")


def sweep_problems(
    base: Scenario, sweep: Sweep, known: Container[tuple[Loc, str]] = (), names: Sequence[str] = ()
) -> Iterator[Problem]:
    """Problems of a sweep: a path no sweep may take or that does not exist (once), a point
    whose variant name repeats another's (``names``: the named variants'), then each value
    that fails."""

    whole = experiment_key_problem(sweep.path)
    if whole is not None:
        yield Problem(("sweep", "path"), f"{whole}; set it at the top level of the file", sweep.path)
        return
    points = sweep.points()
    yield from _repeated_points(sweep, names)
    try:
        override_data(base, {sweep.path: points[0]})
    except InputError as exc:
        yield Problem(("sweep", "path"), str(exc).removeprefix(f"{sweep.path}: "), sweep.path)
        return
    source = "values" if sweep.values is not None else "range"
    target = tuple(str(k) for k in split_path(sweep.path))
    for j, value in enumerate(points):
        for problem in _new_problems(override_data(base, {sweep.path: value}), known):
            if tuple(str(p) for p in problem.loc) == target and problem.message.startswith("unknown key"):
                yield Problem(("sweep", "path"), problem.message, sweep.path)  # the path, not this value
                return
            loc: Loc = ("sweep", source, j) if source == "values" else ("sweep", source)
            yield Problem(loc, f"{problem.path}: {problem.message}", problem.value)


def _repeated_points(sweep: Sweep, names: Sequence[str]) -> Iterator[Problem]:
    """A point named like an earlier point or a named variant, or the same number as an earlier
    point (``1`` and ``1.0``): the runs could not be told apart, or would be the same run twice."""
    points = sweep.points()
    seen: dict[Hashable, int] = {}
    for j, value in enumerate(points):
        name, number = sweep.point_name(value), _number(value)
        loc: Loc = ("sweep", "values", j) if sweep.values is not None else ("sweep", "range")
        earlier = seen.get(name, seen.get(number))
        if earlier is not None:
            same = f"both make the variant {name!r}" if name in seen else f"the same number as {show(points[earlier])}"
            yield Problem(loc, f"repeats sweep.values.{earlier} ({same}); give each value once", value)
        elif name in names:
            where = f"variants.{list(names).index(name)}"
            yield Problem(loc, f"makes the variant {name!r}, the name of {where} too; rename that variant", value)
        seen.setdefault(name, j)
        seen.setdefault(number, j)


def _number(value: Any) -> Hashable:
    """A sweep value as a number, so ``1`` and ``1.0`` are one point (true is no number here);
    a unique object for anything else, which then repeats only by its name."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:  # NaN equals nothing
        return ("number", value)
    return object()


def written_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data holding only what was written (defaults left out), without
    its variants and sweep: what overrides act on, as ``--set`` acts on the file. So a
    variant that changes a kind (``teams.pool.coverage: digital``) meets only the fields the
    file gave the old kind, not every default of it."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude={"variants", "sweep"})


def override_data(base: Scenario, sets: Mapping[str, Any]) -> dict[str, Any]:
    """The base scenario's plain data with a variant's (or a sweep point's) overrides applied,
    ready to validate; InputError for a path that does not exist in the complete scenario."""
    return apply_overrides(written_data(base), sets, complete=base_data(base))


def _new_problems(data: dict[str, Any], known: Container[tuple[Loc, str]]) -> list[Problem]:
    _, problems = validate_data(data, whole=False)
    return [p for p in problems if (p.loc, p.message) not in known]


def _pinned(problem: Problem, sets: Mapping[str, Any], where: Loc) -> Problem:
    """``problem`` placed on the override that caused it, or on the variant as a whole."""
    paths = list(sets)
    index = cause_among(problem, paths, beside=True)  # every problem here is the variant's own
    if index is None:
        return Problem(where, f"with this variant, {problem.path}: {problem.message}", problem.value)
    message = problem.message if problem.path == paths[index] else f"{problem.path}: {problem.message}"
    return Problem((*where, "set", paths[index]), message, problem.value)
