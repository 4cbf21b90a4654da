"""YAML 1.1 readings of plain scalars that a CS leader almost never means.

PyYAML follows YAML 1.1, which reads ``1:30`` as the base-60 number 90, ``010`` as octal 8
and the names ``NO``, ``on`` or ``2024`` as false, true and a number. A scenario would
silently run with 90 session hours or 8 CSMs, or fail with "names must be text, got false"
far from the key the user wrote. Each check here looks at one node as written (its text
and the tag YAML resolved), so the message can quote the text and say how to write it.
Quoted scalars are always text, so quoting is the way out of every trap. (A plain scalar has
no style: None from PyYAML, "" from libyaml.)
"""

from __future__ import annotations

import re

import yaml

_TAG = "tag:yaml.org,2002:"
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_NOT_NAMES = {"bool": "", "null": "null", "int": "a number", "float": "a number", "timestamp": "a date"}
"""Tags a mapping key may resolve to other than text, and what YAML reads it as (a bool's own value)."""


def number_trap(node: yaml.Node) -> str | None:
    """Why an unquoted number would not be read as written (``1:30``, ``010``), or None."""
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return None
    text = node.value
    if node.tag in (_TAG + "int", _TAG + "float") and ":" in text:
        read, written = _base60(text)
        return f"{text} is read by YAML as {read:.12g} (base 60); write {written:.6g} or put it in quotes"
    if node.tag == _TAG + "int" and _OCTAL.fullmatch(text):
        sign, digits = ("-" if text.startswith("-") else ""), text.lstrip("+-").replace("_", "")
        return f"{text} is read by YAML as octal {int(sign + digits, 8)}; write {sign}{digits.lstrip('0') or '0'}"
    return None


def key_trap(node: yaml.Node) -> str | None:
    """Why an unquoted mapping key would not be read as a name (``NO``, ``on``, ``2024``), or None.

    Every mapping of a scenario is keyed by text (field names, segment, team and feature
    names), so a key YAML reads as anything else is a name the user meant as text.
    """
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.tag.startswith(_TAG):
        return None
    kind = node.tag.removeprefix(_TAG)
    if kind not in _NOT_NAMES:
        return None
    if not node.value:
        return "an empty key is read by YAML as null; give it a name"
    reading = _NOT_NAMES[kind] or ("true" if node.value.lower() in ("yes", "true", "on") else "false")
    version = "YAML 1.1" if kind == "bool" else "YAML"
    return f"{version} reads {node.value} as {reading}, not as a name; put it in quotes ('{node.value}')"


def _base60(text: str) -> tuple[float, float]:
    """``(value YAML reads, value the user likely meant)``: ``1:30`` is 90, and 1.5 (hours and minutes)."""
    sign = -1 if text.startswith("-") else 1
    parts = text.lstrip("+-").replace("_", "").split(":")
    read = 0.0
    for part in parts:
        read = read * 60 + float(part)
    return sign * read, sign * read / 60 ** (len(parts) - 1)
