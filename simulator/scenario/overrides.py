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
from simulator.scenario.document import DocumentError, MisreadError, read_yaml
from simulator.scenario.problems import Problem, did_you_mean, show


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE``; VALUE is read as YAML (safe, size-limited), so ``6`` is a number,
    ``pooled`` text and ``{dist: fixed, value: 3}`` a mapping."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise InputError(f"{set_label(text)}: expected PATH=VALUE, e.g. --set teams.pool.csms=6")
    split_path(path.strip())
    return path.strip(), parse_value(raw, set_label(text), path=path.strip())


def set_label(text: str) -> str:
    """``--set PATH=VALUE`` as messages name it: as typed, cut short past 80 characters."""
    return f"--set {text if len(text) <= 80 else text[:77] + '...'}"


def parse_value(raw: str, where: str, *, path: str = "") -> Any:
    """One YAML value from a command line: the file's safety limits apply to it too, and so
    do its refusals of YAML 1.1 misreadings (``1:30`` as 90), named by ``path`` and below."""
    if not raw.strip():
        return ""
    try:
        return read_yaml(raw).data
    except MisreadError as exc:
        problem = exc.located[0][1]
        inside = ".".join(str(p) for p in (*split_path(path), *problem.loc)) if path else problem.path
        raise InputError(f"{where}: {inside}: {problem.message}") from None
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


def apply_overrides(
    data: Mapping[str, Any], sets: Mapping[str, Any], *, complete: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A deep copy of ``data`` with each dotted path set to its value.

    ``complete`` is the same scenario with every default filled in (a validated scenario
    dumped back to plain data). A part of a path that ``data`` leaves out is taken from it,
    since a file leaves defaults out; a part it lacks too does not exist, so a misspelt
    name (``segments.smbb.arr``, ``variants.0``) is refused rather than created. Without
    ``complete`` (data that does not validate yet) missing mappings are created, and
    validation then reports keys that are not fields. Stepping *through* a plain value (a
    number, a text) is always an error.
    """
    out: dict[str, Any] = copy.deepcopy(dict(data))
    for path, value in sets.items():
        keys = split_path(path)
        node: Any = out
        full: Any = complete
        for depth, key in enumerate(keys[:-1]):
            node, full = _step(node, full, key, keys[: depth + 1])
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


def cause_among(problem: Problem, paths: Sequence[str], *, beside: bool = False) -> int | None:
    """:func:`cause_of` for the problem's own place, else for the places it depends on."""
    for loc in (problem.loc, *problem.also):
        index = cause_of(loc, paths, beside=beside)
        if index is not None:
            return index
    return None


def cause_of(loc: Sequence[str | int], paths: Sequence[str], *, beside: bool = False) -> int | None:
    """Index of the override in ``paths`` that best explains a problem at ``loc``, or None.

    The override that contains the problem (``teams`` for a problem at ``teams.pool.csms``),
    the deepest one if several do, else one that lies under the problem (``teams.pool.csms``
    for a problem at ``teams.pool``); among equals the last, since it takes effect. With
    ``beside`` (for a problem the overrides brought, not one the data had), else one set
    beside it in the same mapping (``segments.smb.arr.dist`` for ``segments.smb.arr.median``,
    which no longer fits the new kind). Paths are compared as dotted text, so a key that
    itself holds dots (a variant's ``set`` entry) matches.
    """
    here = ".".join(str(p) for p in loc)
    above = [(len(p), i) for i, p in enumerate(paths) if here == p or here.startswith(p + ".")]
    if above:
        return max(above)[1]
    below = [i for i, p in enumerate(paths) if here and p.startswith(here + ".")]
    if below or not beside:
        return below[-1] if below else None
    parents = [(len(p), i) for i, p in enumerate(paths) if "." in p and here.startswith(p.rpartition(".")[0] + ".")]
    return max(parents)[1] if parents else None


def lookup(node: Any, key: str | int) -> tuple[bool, Any]:
    """``(True, value)`` of a mapping key or list index (``1`` also finds a key written ``'1'``)."""
    if isinstance(node, dict):
        for candidate in (key, str(key)):
            if candidate in node:
                return True, node[candidate]
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return True, node[key]
    return False, None


def _step(node: Any, full: Any, key: str | int, prefix: list[str | int]) -> tuple[Any, Any]:
    """One part down ``node`` and down ``full``, its complete twin; below a part that is
    null in ``full`` (a team's own compensation), or without one, nothing is checked."""
    found, child = lookup(node, key)
    checked = isinstance(full, dict | list)
    in_full, default = lookup(full, key) if checked else (False, None)
    where = _dotted(prefix)
    if found and isinstance(child, dict | list):
        return child, default
    if found and child is not None:
        raise InputError(f"{where} is {show(child)}, not a mapping: set the whole value instead, e.g. {where}={{...}}")
    if checked and not in_full:
        raise InputError(_missing(full if isinstance(full, dict | list) else node, key, prefix))
    if checked and default is not None and not isinstance(default, dict | list):
        raise InputError(
            f"{where} is {show(default)}, not a mapping: set the whole value instead, e.g. {where}={{...}}"
        )
    if isinstance(node, dict):
        node[str(key)] = copy.deepcopy(default) if isinstance(default, dict | list) else {}
        return node[str(key)], default
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
        if not node:
            return f"{_dotted(prefix)}: {parent} is an empty list, with no item {key}; set the whole list instead"
        return f"{_dotted(prefix)}: {parent} is a list of {len(node)} items; use an index from 0 to {len(node) - 1}"
    if isinstance(node, dict):
        names = ", ".join(str(k) for k in node) or "nothing"
        return f"{_dotted(prefix)} does not exist{did_you_mean(key, node)} ({parent} has: {names})"
    return f"{_dotted(prefix)}: {parent} is {show(node)}, which has no {key!r}"


def _dotted(keys: list[str | int]) -> str:
    return ".".join(str(k) for k in keys)
