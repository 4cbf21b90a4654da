"""Check variants and sweeps: each must name real paths and yield a valid scenario.

A variant is validated exactly like the file: its overrides are applied to the base
scenario's plain data and the result validated in full, cross checks included. Each
problem is then pinned to the override that caused it, so the loader can point at that
override's own line (``variants.1.set.teams.pool.csms``), or at the variant when the
override breaks something elsewhere (moving a segment onto a digital team that cannot
detect its needs).
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from simulator.errors import InputError
from simulator.scenario.overrides import apply_overrides, cause_among, split_path
from simulator.scenario.problems import Loc, Problem

if TYPE_CHECKING:
    from simulator.scenario.schema import Sweep


def override_problems(
    base: dict[str, Any], sets: Mapping[str, Any], where: Loc, known: Container[tuple[Loc, str]] = ()
) -> Iterator[Problem]:
    """Problems of the variant at ``where`` (e.g. ``("variants", 1)``) whose overrides are ``sets``.

    ``known`` holds the base scenario's own ``(loc, message)`` problems, not repeated here.
    """

    good: dict[str, Any] = {}
    for path, value in sets.items():
        try:
            apply_overrides(base, {path: value}, strict=True)
        except InputError as exc:
            yield Problem((*where, "set", path), str(exc).removeprefix(f"{path}: "))
        else:
            good[path] = value
    if not good:
        return
    for problem in _new_problems(apply_overrides(base, good, strict=True), known):
        yield _pinned(problem, good, where)


def sweep_problems(base: dict[str, Any], sweep: Sweep, known: Container[tuple[Loc, str]] = ()) -> Iterator[Problem]:
    """Problems of a sweep: a path that does not exist (once), then each value that fails."""

    points = sweep.points()
    try:
        apply_overrides(base, {sweep.path: points[0]}, strict=True)
    except InputError as exc:
        yield Problem(("sweep", "path"), str(exc).removeprefix(f"{sweep.path}: "), sweep.path)
        return
    source = "values" if sweep.values is not None else "range"
    target = tuple(str(k) for k in split_path(sweep.path))
    for j, value in enumerate(points):
        for problem in _new_problems(apply_overrides(base, {sweep.path: value}, strict=True), known):
            if tuple(str(p) for p in problem.loc) == target and problem.message.startswith("unknown key"):
                yield Problem(("sweep", "path"), problem.message, sweep.path)  # the path, not this value
                return
            loc: Loc = ("sweep", source, j) if source == "values" else ("sweep", source)
            yield Problem(loc, f"{problem.path}: {problem.message}", problem.value)


def _new_problems(data: dict[str, Any], known: Container[tuple[Loc, str]]) -> list[Problem]:
    from simulator.scenario.checks import validate_data

    _, problems = validate_data(data)
    return [p for p in problems if (p.loc, p.message) not in known]


def _pinned(problem: Problem, sets: Mapping[str, Any], where: Loc) -> Problem:
    """``problem`` placed on the override that caused it, or on the variant as a whole."""
    paths = list(sets)
    index = cause_among(problem, paths)
    if index is None:
        return Problem(where, f"with this variant, {problem.path}: {problem.message}", problem.value)
    message = problem.message if problem.path == paths[index] else f"{problem.path}: {problem.message}"
    return Problem((*where, "set", paths[index]), message, problem.value)
