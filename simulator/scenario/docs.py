"""docs/scenarios.md, generated from the schema so the reference cannot drift from the code.

Every key of a scenario file, section by section, with its meaning (the field's own
description), unit, default and allowed range, read from the pydantic models themselves.
Regenerate after a schema change (a test fails until you do)::

    python -m simulator.scenario.docs > docs/scenarios.md
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from simulator.scenario.distributions import Exponential, Fixed, Gamma, Lognormal
from simulator.scenario.experiment_spec import PAY_METRICS
from simulator.scenario.schema import SEGMENT_METRICS, TARGET_METRICS, TEAM_METRICS, Scenario, Target

PLACEHOLDERS = {"features": "<feature>", "segments": "<segment>", "teams": "<team>", "components": "<i>",
                "variants": "<i>"}  # fmt: skip
"""How a path names an entry of a mapping or list: ``segments.<segment>.needs_per_month``."""

UNITS = {
    "hours_per_week": "hours per week", "salary": "USD per year", "variable_target": "USD per year",
    "cost_per_customer_month": "USD per customer per month", "arr": "USD per year", "seed": "–",
    "replications": "runs per option", "initial_customers": "customers", "new_per_month": "customers per month",
    "needs_per_month": "needs per customer per month", "csms": "CSMs", "max_accounts": "accounts",
    "sessions_per_month": "sessions per month", "annual_attrition": "departures per CSM per year",
    "attention_span": "pending items", "effort_floor": "score per CSM hour", "min_touches": "touches per account",
    "weight": "share of the variable target", "engagement_weight": "relative weight", "base": "points (0-10)",
    "noise_sd": "points (0-10)", "level": "engagement score (0-1)", "stickiness": "log-odds",
}  # fmt: skip
MEANINGS = {
    "coverage": "Coverage model: named (high-touch), pooled (low-touch) or digital (tech-touch).",
    "start": "First value.", "stop": "Last value (included when a whole number of steps reaches it).",
    "step": "Distance between values.",
}  # fmt: skip
"""Meanings of the few keys whose schema field has no description."""
SECTION_UNITS = {"nps.value_effect": "points (0-10)", "nps.responsiveness_effect": "points (0-10)"}
SUFFIXES = (("_days", "days"), ("_months", "months"), ("_hours", "CSM hours"), ("_effect", "log-odds"),
            ("_prob", "probability"), ("_share", "share (0-1)"), ("_size", "share of ARR"))  # fmt: skip
DISTRIBUTIONS: tuple[type[BaseModel], ...] = (Fixed, Exponential, Lognormal, Gamma)
BOUNDS = ((Ge, "ge", "≥", "low"), (Gt, "gt", ">", "low"), (Le, "le", "≤", "high"), (Lt, "lt", "<", "high"))


@dataclass(frozen=True)
class Row:
    key: str
    meaning: str
    unit: str
    default: str
    range: str


@dataclass(frozen=True)
class Part:
    """One section: the dotted path its keys sit under, and their rows."""

    path: str
    title: str
    doc: str
    rows: list[Row]


def parts(model: type[BaseModel] = Scenario, path: str = "", title: str = "Top level") -> Iterator[Part]:
    """Every section under ``model`` (the model's own keys first, then each nested one)."""
    rows: list[Row] = []
    nested: list[tuple[type[BaseModel], str, str]] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        where = f"{path}.{key}" if path else key
        rows.append(_row(key, field, where))
        nested += _children(field.annotation, where, key)
    yield Part(path, title, _first_line(model.__doc__), rows)
    for child, child_path, child_title in nested:
        yield from parts(child, child_path, child_title)


def _children(annotation: Any, where: str, key: str) -> list[tuple[type[BaseModel], str, str]]:
    """Models nested under a field: itself, a mapping's or list's entries, a union's members."""
    inner, container = _unwrap(annotation)
    models = [m for m in _members(inner) if _is_model(m) and m not in DISTRIBUTIONS]
    if where.startswith("teams.") and key == "compensation":
        return []  # the same keys as the top-level compensation
    at = f"{where}.{PLACEHOLDERS.get(key, '<name>')}" if container else where
    if len(models) > 1:
        return [(m, at, f"{at} (coverage: {m.model_fields['coverage'].default})") for m in models]
    return [(m, at, at) for m in models]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the value type, whether it sits in a mapping or list) with Optional and Annotated removed."""
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is dict:
        return _strip(typing.get_args(annotation)[1]), True
    if origin is list:
        return _strip(typing.get_args(annotation)[0]), True
    return annotation, False


def _strip(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    members = [m for m in _members(annotation) if m is not type(None)]
    return members[0] if len(members) == 1 else annotation


def _members(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def _is_model(x: Any) -> bool:
    return isinstance(x, type) and issubclass(x, BaseModel)


def _row(key: str, field: FieldInfo, where: str) -> Row:
    meaning = field.description or MEANINGS.get(key, "")
    inner, container = _unwrap(field.annotation)
    if _is_distribution(inner):
        meaning += " A number (its mean) or a distribution."
    elif any(_is_model(m) and m not in DISTRIBUTIONS for m in _members(inner)):
        meaning += (
            " Keys below."
            if not (where.startswith("teams.") and key == "compensation")
            else (" Same keys as `compensation`.")
        )
    unit = _unit(where, key, field)
    return Row(where, meaning.strip(), unit, _default(field, meaning), _range(field, inner, container))


def _is_distribution(annotation: Any) -> bool:
    return set(_members(annotation)) == set(DISTRIBUTIONS)


def _unit(where: str, key: str, field: FieldInfo) -> str:
    parent = where.split(".")[-2] if "." in where else ""
    if f"{parent}.{key}" in SECTION_UNITS:
        return SECTION_UNITS[f"{parent}.{key}"]
    if parent == "weights":
        return "relative weight"
    if parent == "curve" and key in ("threshold", "target", "cap"):
        return "the metric's unit"
    if key in UNITS:
        return UNITS[key]
    for suffix, unit in SUFFIXES:
        if key.endswith(suffix):
            return unit
    bounds = _bounds(field)
    if bounds == ("≥ 0", "≤ 1"):
        return "share (0-1)"
    return "–"


def _bounds(field: FieldInfo) -> tuple[str, ...]:
    """The field's bounds, the stricter one where two say the same (``> 0`` over ``≥ 0``)."""
    found: dict[str, tuple[str, Any]] = {}
    for item in field.metadata:
        for kind, attr, symbol, side in BOUNDS:
            if isinstance(item, kind) and (side not in found or symbol in (">", "<")):
                found[side] = (symbol, getattr(item, attr))
    return tuple(f"{symbol} {_number(x)}" for symbol, x in (found[s] for s in ("low", "high") if s in found))


def _range(field: FieldInfo, inner: Any, container: bool) -> str:
    literal = [str(a) for m in _members(inner) if typing.get_origin(m) is typing.Literal for a in typing.get_args(m)]
    if literal:
        return "one of " + ", ".join(literal)
    bounds = " and ".join(_bounds(field))
    if container and not bounds and typing.get_origin(_strip(field.annotation)) is dict:
        return "mapping by name"
    if container and not bounds:
        return "list"
    return bounds or "–"


def _default(field: FieldInfo, meaning: str) -> str:
    if meaning.startswith("Override of csm.") and field.default is None:
        return f"inherits {meaning.removeprefix('Override of ').rstrip('.')}"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, dict) and value and all(isinstance(v, BaseModel) for v in value.values()):
            return "{" + ", ".join(value) + "}"
        return "(keys below)" if isinstance(value, BaseModel) else _plain(value)
    if field.default is PydanticUndefined:
        return "required"
    return _plain(field.default)


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, Fixed):
        return f"fixed {_number(value.value)}"
    if isinstance(value, Gamma):
        return f"gamma, mean {_number(value.mean_value)}, cv {_number(value.cv)}"
    if isinstance(value, Lognormal):
        where = f"median {_number(value.median)}" if value.median is not None else f"mean {value.mean_value}"
        return f"lognormal, {where}, sigma {_number(value.sigma)}"
    if isinstance(value, Exponential):
        return f"exponential, mean {_number(value.mean_value)}"
    if isinstance(value, str):
        return f"'{value}'" if value else "''"
    return str(value) if value not in ({}, []) else ("{}" if value == {} else "[]")


def _number(x: Any) -> str:
    if isinstance(x, int) and x >= 2**62:
        return f"2^{x.bit_length()} − 1" if (x + 1) & x == 0 else str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    return f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else str(x)


def _first_line(doc: str | None) -> str:
    return " ".join((doc or "").strip().split("\n\n")[0].split()).replace("``", "`")


def render() -> str:
    """The whole of docs/scenarios.md."""
    lines = [
        "# Scenario keys",
        "",
        "Every key of a scenario file: its meaning, unit, default and allowed range. Generated from the",
        "schema (`simulator/scenario/schema.py`) by `python -m simulator.scenario.docs > docs/scenarios.md`;",
        "do not edit by hand. A key left out takes its default, so a short file is a valid scenario.",
        "`<segment>`, `<team>` and `<feature>` stand for the names you choose; `<i>` for a position in a",
        "list (from 0). Any key can be overridden for one run with `--set PATH=VALUE`.",
    ]
    for part in parts():
        lines += ["", f"## {part.title}" if part.path else "## Top level", ""]
        if part.doc:
            lines += [part.doc, ""]
        lines += ["| key | meaning | unit | default | range |", "|---|---|---|---|---|"]
        lines += [f"| `{r.key}` | {_cell(r.meaning)} | {r.unit} | {_cell(r.default)} | {r.range} |" for r in part.rows]
    return "\n".join([*lines, "", *_appendix()]) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _appendix() -> list[str]:
    example = Target.parse("grr >= 0.92")
    return [
        "## Distributions",
        "",
        'Any duration or size marked "a number or a distribution" takes a plain number (its mean, with the',
        "key's default shape) or one of:",
        "",
        "| form | meaning |",
        "|---|---|",
        "| `{dist: fixed, value: V}` | always V |",
        "| `{dist: exponential, mean: M}` | memoryless, mean M (coefficient of variation 1) |",
        "| `{dist: lognormal, median: X, sigma: S}` | right-skewed (ARR); `mean:` instead of `median:` also works |",
        "| `{dist: gamma, mean: M, cv: C}` | task durations: mean M, standard deviation C x M |",
        "",
        "A value, mean or median is at most 1e12 (a plain number too), so totals of draws stay finite.",
        "",
        "## Targets",
        "",
        f"A target reads `METRIC OP NUMBER`, e.g. `{example}` (OP one of `>=`, `<=`, `>`, `<`; a number may end",
        "in `%`). Metrics: " + ", ".join(f"`{m}`" for m in TARGET_METRICS) + ".",
        "",
        "`METRIC@SEGMENT OP NUMBER` (e.g. `grr@smb >= 0.88`) holds one segment to a bar: the metric over that",
        "segment's customers and needs alone, a row of `summary.csv` like the company's. Metrics per segment: "
        + ", ".join(f"`{m}`" for m in SEGMENT_METRICS)
        + ".",
        "",
        "`METRIC@TEAM OP NUMBER` (e.g. `csm_utilization@pool <= 0.85`) holds one team with CSMs to a bar: its own",
        "CSMs' utilisation, and the accounts (with their ARR) of the segments it covers over its CSMs in seats; the",
        "company's figures pool every CSM and count digitally covered accounts too. Metrics per team: "
        + ", ".join(f"`{m}`" for m in TEAM_METRICS)
        + ".",
        "",
        "A target the scenario could never measure is refused at its line rather than left undecided in every",
        "option: a bar outside what the metric can take (`grr >= 90`: did you mean 0.9, or 90%?), an unknown",
        "segment or team, a team that is digital (in the base or a variant), a CSM metric when",
        "every team is digital, a touch metric without a named team, and "
        + " or ".join(f"`{m}`" for m in PAY_METRICS)
        + " when no option (base, variant or sweep point) puts a team with CSMs on a plan that pays.",
    ]


if __name__ == "__main__":
    print(render(), end="")
