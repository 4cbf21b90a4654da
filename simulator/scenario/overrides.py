"""Dotted-path overrides: ``--set teams.pool.csms=6``, variants and sweeps all use these.

Overrides act on the plain data (dicts and lists) before validation, so an override is
validated exactly like the file it changes. A dotted path reads like the file:
``segments.smb.needs_per_month``; a purely numeric part indexes a list
(``compensation.components.0.weight``) or names a mapping key written as a number.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.errors import InputError
from simulator.scenario.document import DocumentError, read_yaml
from simulator.scenario.problems import Problem, did_you_mean, show


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE``; VALUE is read as YAML (safe, size-limited), so ``6`` is a number,
    ``pooled`` text and ``{dist: fixed, value: 3}`` a mapping."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise InputError(f"{set_label(text)}: expected PATH=VALUE, e.g. --set teams.pool.csms=6")
    split_path(path.strip())
    return path.strip(), parse_value(raw, set_label(text))


def set_label(text: str) -> str:
    """``--set PATH=VALUE`` as messages name it: as typed, cut short past 80 characters."""
    return f"--set {text if len(text) <= 80 else text[:77] + '...'}"


def parse_value(raw: str, where: str) -> Any:
    """One YAML value from a command line: the file's safety limits apply to it too."""
    if not raw.strip():
        return ""
    try:
        return read_yaml(raw).data
    except DocumentError as exc:
        reason = exc.located[0][1].message.removeprefix("the document ")
        if reason.startswith("a whole number"):
            raise InputError(f"{where}: VALUE is {reason}") from None
        reason = reason.removeprefix("YAML syntax error: ")
        raise InputError(f"{where}: VALUE is not valid YAML ({reason.split(' (while ')[0]})") from None


def split_path(path: str) -> list[str | int]:
    """``segments.smb.needs_per_month`` -> keys; a purely numeric part may index a list."""
    parts: list[str | int] = []
    for part in path.split("."):
        if not part.strip():
            raise InputError(f"path {path!r} has an empty part; write keys separated by single dots")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def apply_overrides(data: Mapping[str, Any], sets: Mapping[str, Any], *, strict: bool = False) -> dict[str, Any]:
    """A deep copy of ``data`` with each dotted path set to its value.

    With ``strict`` every part before the last must already exist (use it on complete data,
    such as a validated scenario dumped back to plain data, where a missing part is a
    misspelling); otherwise missing mappings are created, since a file leaves defaults out,
    and validation then reports keys that are not real fields. Stepping *through* a plain
    value (a number, a text) is always an error.
    """
    out: dict[str, Any] = copy.deepcopy(dict(data))
    for path, value in sets.items():
        keys = split_path(path)
        node: Any = out
        for depth, key in enumerate(keys[:-1]):
            node = _step(node, key, keys[: depth + 1], strict)
        _assign(node, keys[-1], copy.deepcopy(value), keys)
    return out


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of plain data; KeyError naming the missing part."""
    node: Any = data
    for key in split_path(path):
        found, node = lookup(node, key)
        if not found:
            raise KeyError(f"{path}: no {key!r} here")
    return node


def cause_among(problem: Problem, paths: Sequence[str]) -> int | None:
    """:func:`cause_of` for the problem's own place, else for the places it depends on."""
    for loc in (problem.loc, *problem.also):
        index = cause_of(loc, paths)
        if index is not None:
            return index
    return None


def cause_of(loc: Sequence[str | int], paths: Sequence[str]) -> int | None:
    """Index of the override in ``paths`` that best explains a problem at ``loc``, or None.

    The override that contains the problem (``teams`` for a problem at ``teams.pool.csms``),
    the deepest one if several do, else one that lies under the problem (``teams.pool.csms``
    for a problem at ``teams.pool``); among equals the last, since it takes effect. Paths are
    compared as dotted text, so a key that itself holds dots (a variant's ``set`` entry) matches.
    """
    here = ".".join(str(p) for p in loc)
    above = [(len(p), i) for i, p in enumerate(paths) if here == p or here.startswith(p + ".")]
    if above:
        return max(above)[1]
    below = [i for i, p in enumerate(paths) if here and p.startswith(here + ".")]
    return below[-1] if below else None


def lookup(node: Any, key: str | int) -> tuple[bool, Any]:
    """``(True, value)`` of a mapping key or list index (``1`` also finds a key written ``'1'``)."""
    if isinstance(node, dict):
        for candidate in (key, str(key)):
            if candidate in node:
                return True, node[candidate]
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return True, node[key]
    return False, None


def _step(node: Any, key: str | int, prefix: list[str | int], strict: bool) -> Any:
    found, child = lookup(node, key)
    where = _dotted(prefix)
    if found and isinstance(child, dict | list):
        return child
    if found and child is not None:
        raise InputError(f"{where} is {show(child)}, not a mapping: set the whole value instead, e.g. {where}={{...}}")
    if isinstance(node, dict) and (not strict or found):
        node[str(key)] = {}
        return node[str(key)]
    raise InputError(_missing(node, key, prefix))


def _assign(node: Any, key: str | int, value: Any, keys: list[str | int]) -> None:
    if isinstance(node, dict):
        node[key if key in node else str(key)] = value
    elif isinstance(node, list) and isinstance(key, int) and key < len(node):
        node[key] = value
    else:
        raise InputError(_missing(node, key, keys))


def _missing(node: Any, key: str | int, prefix: list[str | int]) -> str:
    parent = _dotted(prefix[:-1]) or "the scenario"
    if isinstance(node, list):
        indexes = f"use an index from 0 to {len(node) - 1}" if node else "set the whole list instead"
        return f"{_dotted(prefix)}: {parent} is a list of {len(node)} items; {indexes}"
    if isinstance(node, dict):
        names = ", ".join(str(k) for k in node) or "nothing"
        return f"{_dotted(prefix)} does not exist{did_you_mean(key, node)} ({parent} has: {names})"
    return f"{_dotted(prefix)}: {parent} is {show(node)}, which has no {key!r}"


def _dotted(keys: list[str | int]) -> str:
    return ".".join(str(k) for k in keys)
