"""Load a scenario file: safe YAML, ``--set`` overrides, validation, and every problem at once.

Each problem reads ``FILE:LINE: dotted.path: what is wrong (got VALUE)``, or
``--set PATH=VALUE: dotted.path: ...`` when a command-line override caused it, so a CS
leader can fix the whole file in one pass instead of one error per run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from simulator.errors import NO_PERMISSION, NOT_A_FILE, InputError, ReadFailed, ScenarioError
from simulator.scenario.checks import NO_CROSS_CHECKS, validate_data
from simulator.scenario.document import MAX_BYTES, Document, DocumentError, decode, read_yaml
from simulator.scenario.overrides import apply_overrides, cause_among, parse_assignment, set_label
from simulator.scenario.problems import Problem
from simulator.scenario.schema import Scenario

_KINDS = {
    list: "a list", str: "a single text value", int: "a single number", float: "a single number",
    bool: "a single true/false value",
}  # fmt: skip


def load_scenario(path: str | os.PathLike[str], sets: Sequence[str | Option] = ()) -> Scenario:
    """Read, override (``--set PATH=VALUE`` strings, or :class:`Option`) and validate the scenario at ``path``.

    Raises :class:`~simulator.errors.ScenarioError` listing every problem found, or
    :class:`~simulator.errors.ReadFailed` if the machine fails to read the file (an I/O error).
    """
    source = str(path)
    try:
        text = decode(_read_bytes(Path(path)))
    except DocumentError as exc:
        raise ScenarioError(_lines(source, exc.located)) from None
    return load_scenario_text(text, source=source, sets=sets)


def load_scenario_text(text: str, source: str = "<string>", sets: Sequence[str | Option] = ()) -> Scenario:
    """Like :func:`load_scenario` for YAML already in memory; ``source`` names it in messages."""
    flags, flag_problems = _parse_flags(sets)
    try:
        document = read_yaml(text)
    except DocumentError as exc:
        raise ScenarioError(_lines(source, exc.located) + _in_order(flag_problems)) from None
    if not isinstance(document.data, dict):
        kind = _KINDS.get(type(document.data), f"a {type(document.data).__name__}")
        message = f"a scenario must be a mapping of keys such as name, segments and teams, not {kind}"
        located = [(document.line_of(()), Problem((), message))]
        raise ScenarioError(_lines(source, located) + _in_order(flag_problems))
    data = _override(document.data, flags, flag_problems)
    scenario, problems = validate_data(data)
    in_file = _place(problems, document, flags, flag_problems)
    if scenario is None or flag_problems:
        raise ScenarioError(_lines(source, in_file) + _in_order(flag_problems))
    return scenario


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a readable, reasonably small file (a
    :class:`~simulator.errors.ScenarioError`); :class:`~simulator.errors.ReadFailed` if the
    machine fails to read it (an I/O error)."""
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
    except OSError as exc:  # the file is not wrong when the disk fails: exit 1, not 2
        if exc.errno not in NO_PERMISSION | NOT_A_FILE:
            raise ReadFailed(path, exc) from None
        raise _unreadable(f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if len(raw) > MAX_BYTES:
        raise _unreadable(f"is larger than {MAX_BYTES // 1_000_000} MB, the limit for a scenario file")
    return raw


def _unreadable(message: str) -> DocumentError:
    return DocumentError([(0, Problem((), message))])


# --------------------------------------------------------------------------- --set flags


class Option(NamedTuple):
    """A command-line option that sets one scenario value, such as ``--replications 40``:
    given to :func:`load_scenario` among the ``--set`` strings, and named as typed in messages."""

    flag: str
    path: str
    value: Any

    @property
    def label(self) -> str:
        return f"{self.flag} {self.value}"


Flag = tuple[int, str, str, Any]
"""A parsed flag: its position on the command line, its label in messages, its path and its value."""


def _parse_flags(sets: Sequence[str | Option]) -> tuple[list[Flag], list[tuple[int, str]]]:
    """Every good flag, and ``(position, message)`` for every bad one."""
    good: list[Flag] = []
    bad: list[tuple[int, str]] = []
    for index, text in enumerate(sets):
        if isinstance(text, Option):
            good.append((index, text.label, text.path, text.value))
            continue
        try:
            path, value = parse_assignment(text)
        except InputError as exc:
            bad.append((index, str(exc) if str(exc).startswith("--set") else f"{set_label(text)}: {exc}"))
        else:
            good.append((index, set_label(text), path, value))
    return good, bad


def _override(data: dict[str, Any], flags: list[Flag], bad: list[tuple[int, str]]) -> dict[str, Any]:
    """The file's data with every applicable flag applied; a message in ``bad`` for each other."""
    for index, label, path, value in flags:
        try:
            data = apply_overrides(data, {path: value}, complete=_complete(data))
        except InputError as exc:
            bad.append((index, f"{label}: {exc}"))
    return data


def _complete(data: dict[str, Any]) -> dict[str, Any] | None:
    """``data`` with every default filled in, which decides the paths a flag may name (as for
    a variant: ``segments.smbb.arr`` is refused, not added); None while ``data`` does not
    validate, and then a missing part is created."""
    try:
        scenario = Scenario.model_validate(data, strict=True, context=NO_CROSS_CHECKS)
    except ValidationError:
        return None
    return scenario.model_dump(mode="json", by_alias=True)


def _flag_for(problem: Problem, flags: list[Flag], own: bool) -> Flag | None:
    """The flag that caused ``problem``, if any (see :func:`cause_among`); ``own`` when the
    file alone does not have it, so a flag set beside it may be the cause."""
    index = cause_among(problem, [flag[2] for flag in flags], beside=own)
    return None if index is None else flags[index]


# --------------------------------------------------------------------------- formatting


def _place(
    problems: list[Problem], document: Document, flags: list[Flag], flag_problems: list[tuple[int, str]]
) -> list[tuple[int, Problem]]:
    """Each problem at its file line (sorted), or, when a flag caused it, added to ``flag_problems``."""
    in_file: list[tuple[int, Problem]] = []
    file_alone = {(p.loc, p.message) for p in validate_data(document.data)[1]} if flags and problems else set()
    for problem in problems:
        flag = _flag_for(problem, flags, (problem.loc, problem.message) not in file_alone)
        if flag is None:
            in_file.append((document.line_of(problem.loc), problem))
        else:
            flag_problems.append((flag[0], f"{flag[1]}: {problem.text}"))
    return sorted(in_file, key=lambda pair: pair[0])


def _in_order(flag_problems: list[tuple[int, str]]) -> list[str]:
    """Flag problems in command-line order (stable: several for one flag keep theirs)."""
    return [message for _, message in sorted(flag_problems, key=lambda pair: pair[0])]


def _lines(source: str, located: list[tuple[int, Problem]]) -> list[str]:
    """``FILE:LINE: path: message``; line 0 means the file as a whole (no line, no path)."""
    return [f"{source}:{line}: {p.text}" if line else f"{source}: {p.message}" for line, p in located]
