"""Turn pydantic's validation errors into plain :class:`Problem` records a CS leader can act on.

pydantic reports locations with its own union tags (``teams.pool.pooled.csms``) and
messages written for programmers ("Input should be greater than or equal to 1"). Here
each error becomes a problem whose path is the path of the YAML file (``teams.pool.csms``)
and whose message says what is wrong in the file's terms ("must be >= 1"), with a
"did you mean ..." where a key or a name is misspelled.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from simulator.scenario.overrides import lookup
from simulator.scenario.problems import NOTHING, Loc, Problem, did_you_mean, show

_NOUNS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
}
_BOUNDS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
_DIST_EXAMPLE = "a number or a distribution such as {dist: lognormal, median: 30000, sigma: 0.5}"


def problems_from(error: ValidationError, data: Any, root: type[BaseModel]) -> list[Problem]:
    """One problem per defect of ``error``, raised by validating ``data`` as ``root``.

    Errors a plain union gives once per member (``float | str``) at one place merge into one.
    """
    merged: dict[tuple[Loc, str], Problem] = {}
    for detail in error.errors():
        problem = _problem(detail, data, root)
        key = (problem.loc, "type" if detail["type"] in _NOUNS else problem.message)
        if key in merged and key[1] == "type":
            problem = _merge_types(merged[key], problem)
        merged[key] = problem
    return list(merged.values())


# --------------------------------------------------------------------------- one error


def _problem(detail: ErrorDetails, data: Any, root: type[BaseModel]) -> Problem:
    kind, raw = detail["type"], tuple(detail["loc"])
    loc = file_path(raw, data, keep_last=kind == "missing")
    value = detail.get("input", NOTHING)
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return Problem(loc, "is required", NOTHING)
    if kind == "extra_forbidden":
        return Problem(loc, f"unknown key {raw[-1]!r}{did_you_mean(raw[-1], _field_names(root, raw[:-1]))}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _tag_problem(kind, loc, ctx, data, root, raw)
    if kind == "model_attributes_type" and _is_distribution(_type_at(root, raw)):
        return Problem(loc, f"must be {_DIST_EXAMPLE}", value)
    if raw and raw[-1] == "[key]":
        return Problem(loc, f"names must be text, got {show(value)}", NOTHING)
    message = _message(kind, ctx, detail["msg"]) + (_misread(kind, value) if kind in _NOUNS else "")
    return Problem(loc, message, value)


def _misread(kind: str, value: Any) -> str:
    """How YAML read a value of the wrong type, when that is the likely cause, and the fix."""
    if isinstance(value, str) and re.fullmatch(r"[-+]?0[0-9_]+", value):
        return "; YAML read it as text: drop any quotes, and write it without the leading 0"
    if isinstance(value, str) and _looks_numeric(value):
        return "; YAML read it as text: drop any quotes, and write exponents with a dot (1.0e+9, not 1e9)"
    if isinstance(value, datetime.date):
        return "; YAML read it as a date: put it in quotes"
    if isinstance(value, bool) and kind == "string_type":  # a name such as NO or on
        return "; YAML 1.1 reads yes, no, on and off as true or false: put text in quotes"
    return ""


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _message(kind: str, ctx: dict[str, Any], fallback: str) -> str:
    if kind in _NOUNS:
        return f"must be {_NOUNS[kind]}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "?")
        return f"must be {_BOUNDS[kind]} {bound:g}" if isinstance(bound, float) else f"must be {_BOUNDS[kind]} {bound}"
    if kind == "finite_number":
        return "must be a finite number (NaN and infinity are not allowed)"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty" if ctx.get("min_length") == 1 else f"needs at least {ctx.get('min_length')} items"
    if kind in ("too_long", "string_too_long"):
        return f"is too long: at most {ctx.get('max_length')} {'characters' if kind.startswith('string') else 'items'}"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if fallback.startswith("Input should be "):
        return "must be " + fallback.removeprefix("Input should be ")
    return fallback


def _merge_types(first: Problem, second: Problem) -> Problem:
    nouns = [n for n in (first.message + " or " + second.message).removeprefix("must be ").split(" or ") if n]
    nouns = [n.removeprefix("must be ") for n in dict.fromkeys(nouns)]
    return Problem(first.loc, "must be " + ", ".join(nouns[:-1]) + f" or {nouns[-1]}", first.value)


def _tag_problem(kind: str, loc: Loc, ctx: dict[str, Any], data: Any, root: type[BaseModel], raw: Loc) -> Problem:
    key = str(ctx.get("discriminator", "")).strip("'")
    expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
    options = expected or _tags(_type_at(root, raw), key)
    plain = " (or give a plain number)" if _is_distribution(_type_at(root, raw)) else ""
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        hint = did_you_mean(tag, options)
        return Problem((*loc, key), f"unknown {key} {tag!r}{hint} (one of: {', '.join(options)}){plain}", tag)
    sibling = _sibling_hint(loc, data)
    return Problem(loc, f"needs a '{key}' key, one of: {', '.join(options)}{plain}{sibling}", NOTHING)


def _sibling_hint(loc: Loc, data: Any) -> str:
    """For a new entry in a named collection (``teams.pol``), point at a close existing one."""
    parent = value_at(data, loc[:-1]) if loc else None
    if not isinstance(parent, dict):
        return ""
    close = get_close_matches(str(loc[-1]), [str(k) for k in parent if k != loc[-1]], n=1, cutoff=0.6)
    return f"; or is {loc[-1]!r} a misspelling of {close[0]!r}?" if close else ""


# --------------------------------------------------------------------------- locations


def file_path(raw: Loc, data: Any, keep_last: bool = False) -> Loc:
    """pydantic's location with union tags dropped: only keys present in ``data`` remain.

    Walking the data (not the schema) tells a key from a tag: a tag is never a key of the
    mapping it sits in. A missing key (``keep_last``) is kept although it is absent; a path
    into a plain value (``arr: -5`` validated as ``arr.lognormal.mean``) stops at that value.
    """
    out: list[str | int] = []
    node = data
    for i, part in enumerate(raw):
        found, child = lookup(node, part)
        if found:
            node = child
        elif not (keep_last and i == len(raw) - 1):
            if not isinstance(node, dict | list):
                break
            continue
        out.append(part)
    return tuple(out)


def value_at(data: Any, loc: Loc) -> Any:
    """The value at a file path, or None where the path leads nowhere."""
    node = data
    for part in loc:
        found, node = lookup(node, part)
        if not found:
            return None
    return node


# --------------------------------------------------------------------------- the schema's types


def _type_at(root: Any, raw: Loc) -> Any:
    """The annotated type at pydantic's raw location (tags included), or None."""
    tp: Any = root
    for part in raw:
        tp = _child(_unwrap(tp), part)
        if tp is None:
            return None
    return _unwrap(tp)


def _child(tp: Any, part: str | int) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, field in tp.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is dict:
        return args[0] if part == "[key]" else args[1]
    if origin is list:
        return args[0]
    if _members(tp):
        return next((m for m in _members(tp) if part in _tags(m, None)), None)
    return None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = typing.get_args(tp)
    if _is_union(tp) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _unwrap(rest[0]) if len(rest) == 1 else tp
    return tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _members(tp: Any) -> list[type[BaseModel]]:
    if not _is_union(tp):
        return []
    members = [_unwrap(a) for a in typing.get_args(tp)]
    return [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]


def _tags(tp: Any, key: str | None) -> list[str]:
    """The literal tag values of a union member (or of every member of a union)."""
    models = _members(tp) or ([tp] if isinstance(tp, type) and issubclass(tp, BaseModel) else [])
    out: list[str] = []
    for model in models:
        for name, field in model.model_fields.items():
            if (key is None or name == key) and typing.get_origin(field.annotation) is typing.Literal:
                out.extend(str(a) for a in typing.get_args(field.annotation))
    return out


def _is_distribution(tp: Any) -> bool:
    from simulator.scenario.distributions import _Dist

    members = _members(tp)
    return bool(members) and all(issubclass(m, _Dist) for m in members)


def _field_names(root: Any, raw: Loc) -> list[str]:
    tp = _type_at(root, raw)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [field.alias or name for name, field in tp.model_fields.items()]
    return []
