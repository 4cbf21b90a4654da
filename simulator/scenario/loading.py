"""Load a scenario file: safe YAML, ``--set`` overrides, validation, and every problem at once.

Each problem reads ``FILE:LINE: dotted.path: what is wrong (got VALUE)``, or
``--set PATH=VALUE: dotted.path: ...`` when a command-line override caused it, so a CS
leader can fix the whole file in one pass instead of one error per run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simulator.errors import InputError, ScenarioError
from simulator.scenario.checks import validate_data
from simulator.scenario.document import MAX_BYTES, Document, DocumentError, decode, read_yaml
from simulator.scenario.overrides import apply_overrides, parse_assignment, split_path
from simulator.scenario.problems import Problem
from simulator.scenario.schema import Scenario

_KINDS = {list: "a list", str: "a single text value", int: "a single number", float: "a single number"}


def load_scenario(path: str | os.PathLike[str], sets: Sequence[str] = ()) -> Scenario:
    """Read, override (``--set PATH=VALUE`` strings) and validate the scenario file at ``path``.

    Raises :class:`~simulator.errors.ScenarioError` listing every problem found.
    """
    source = str(path)
    try:
        text = decode(_read_bytes(Path(path)))
    except DocumentError as exc:
        raise ScenarioError(_lines(source, exc.located)) from None
    return load_scenario_text(text, source=source, sets=sets)


def load_scenario_text(text: str, source: str = "<string>", sets: Sequence[str] = ()) -> Scenario:
    """Like :func:`load_scenario` for YAML already in memory; ``source`` names it in messages."""
    assignments, flag_problems = _parse_flags(sets)
    try:
        document = read_yaml(text)
    except DocumentError as exc:
        raise ScenarioError(_lines(source, exc.located) + flag_problems) from None
    if not isinstance(document.data, dict):
        kind = _KINDS.get(type(document.data), f"a {type(document.data).__name__}")
        message = f"a scenario must be a mapping of keys such as name, segments and teams, not {kind}"
        raise ScenarioError([*_lines(source, [(document.line_of(()), Problem((), message))]), *flag_problems])
    data, more = _override(document.data, assignments)
    scenario, problems = validate_data(data)
    lines = _place(problems, document, source, assignments)
    if scenario is None or flag_problems or more:
        raise ScenarioError(lines + flag_problems + more)
    return scenario


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a readable, reasonably small file."""
    try:
        if path.is_dir():
            raise _unreadable("is a directory, not a scenario file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _unreadable(f"is {size / 1e6:.1f} MB; a scenario file is at most {MAX_BYTES // 1_000_000} MB")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _unreadable("no such file") from None
    except OSError as exc:
        raise _unreadable(f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if len(raw) > MAX_BYTES:
        raise _unreadable(f"is larger than {MAX_BYTES // 1_000_000} MB, the limit for a scenario file")
    return raw


def _unreadable(message: str) -> DocumentError:
    return DocumentError([(0, Problem((), message))])


# --------------------------------------------------------------------------- --set flags


def _parse_flags(sets: Sequence[str]) -> tuple[list[tuple[str, str, Any]], list[str]]:
    """``(flag text, path, value)`` per good flag, and a message per bad one."""
    good: list[tuple[str, str, Any]] = []
    bad: list[str] = []
    for text in sets:
        try:
            path, value = parse_assignment(text)
        except InputError as exc:
            bad.append(str(exc) if str(exc).startswith("--set") else f"--set {text}: {exc}")
        else:
            good.append((text, path, value))
    return good, bad


def _override(data: dict[str, Any], assignments: list[tuple[str, str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The file's data with every applicable flag applied, and a message per flag that is not."""
    bad: list[str] = []
    for text, path, value in assignments:
        try:
            data = apply_overrides(data, {path: value})
        except InputError as exc:
            bad.append(f"--set {text}: {exc}")
    return data, bad


def _flag_for(problem: Problem, assignments: list[tuple[str, str, Any]]) -> str | None:
    """The last ``--set`` flag whose path contains the problem's, or lies under it."""
    here = tuple(str(p) for p in problem.loc)
    for text, path, _ in reversed(assignments):
        keys = tuple(str(k) for k in split_path(path))
        if here[: len(keys)] == keys or (here and keys[: len(here)] == here):
            return text
    return None


# --------------------------------------------------------------------------- formatting


def _place(problems: list[Problem], document: Document, source: str, flags: list[tuple[str, str, Any]]) -> list[str]:
    """Format each problem at its file line (sorted), or at the flag that caused it (last)."""
    in_file: list[tuple[int, Problem]] = []
    from_flags: list[str] = []
    for problem in problems:
        flag = _flag_for(problem, flags)
        if flag is None:
            in_file.append((document.line_of(problem.loc), problem))
        else:
            from_flags.append(f"--set {flag}: {problem.text}")
    in_file.sort(key=lambda pair: pair[0])
    return _lines(source, in_file) + from_flags


def _lines(source: str, located: list[tuple[int, Problem]]) -> list[str]:
    """``FILE:LINE: path: message``; line 0 means the file as a whole (no line, no path)."""
    return [f"{source}:{line}: {p.text}" if line else f"{source}: {p.message}" for line, p in located]
