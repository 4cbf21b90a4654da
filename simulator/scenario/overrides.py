"""Dotted-path overrides: ``--set teams.pool.csms=6``, variants and sweeps all use these.

Overrides act on the plain data (dicts and lists) before validation, so an override is
validated exactly like the file it changes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from simulator.errors import InputError


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE``; VALUE is read as a YAML scalar or flow collection (safe)."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise InputError(f"--set {text!r}: expected PATH=VALUE, e.g. --set teams.pool.csms=6")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise InputError(f"--set {text!r}: VALUE is not valid YAML ({exc.__class__.__name__})") from None
    return path.strip(), value


def split_path(path: str) -> list[str | int]:
    """``segments.smb.needs_per_month`` -> keys; a purely numeric part indexes a list."""
    parts: list[str | int] = []
    for part in path.split("."):
        if part == "":
            raise InputError(f"path {path!r} has an empty part")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def apply_overrides(data: Mapping[str, Any], sets: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``data`` with each dotted path set to its value.

    Missing intermediate mappings are created (validation then reports them if they are
    not real fields, with a "did you mean"); indexing past a list's end is an error here.
    """
    out: dict[str, Any] = copy.deepcopy(dict(data))
    for path, value in sets.items():
        node: Any = out
        keys = split_path(path)
        for depth, key in enumerate(keys[:-1]):
            node = _step(node, key, path, depth)
        _assign(node, keys[-1], copy.deepcopy(value), path)
    return out


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of plain data; KeyError naming the missing part."""
    node: Any = data
    for key in split_path(path):
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            raise KeyError(f"{path}: no {key!r} here")
    return node


def _step(node: Any, key: str | int, path: str, depth: int) -> Any:
    if isinstance(node, dict):
        if not isinstance(node.get(key), dict | list):
            node[key] = {}
        return node[key]
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return node[key]
    prefix = ".".join(str(k) for k in split_path(path)[: depth + 1])
    raise InputError(f"{path}: {prefix} does not exist")


def _assign(node: Any, key: str | int, value: Any, path: str) -> None:
    if isinstance(node, dict):
        node[key] = value
    elif isinstance(node, list) and isinstance(key, int) and key < len(node):
        node[key] = value
    else:
        raise InputError(f"{path}: cannot set {key!r} on a {type(node).__name__}")
