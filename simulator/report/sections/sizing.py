"""The sizing block (``cssim size``): the answer, then every value tried with each target's verdict.

It reads the plain sizing record the search saves in ``run_meta.json`` under ``"sizing"``
(see :meth:`simulator.sizing.outcome.Sizing.to_dict`), so a page rebuilt from the folder
shows it too; the report never imports the search. The sweep section calls
:func:`blocks` and shows the result under its chart, whose points are the values tried.
A run without a sizing record shows nothing here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from simulator.report.formats import Kind, describe_target, format_value, metric_info, within_range
from simulator.report.page import Block, Callout, Cell, Table
from simulator.report.source import ReportData

STATUS_STYLE = {"met": "met", "not met": "notmet", "undecided": "undecided"}
TITLES = {
    "found": "Smallest {path} meeting every target: {answer}",
    "lowest": "Every value tried meets the targets, the lowest ({answer}) too",
    "none": "No value of {path} in the range meets every target",
    "not monotone": "Sizing {path}: the targets do not improve steadily, so there is no single answer",
}


def blocks(data: ReportData, colours: dict[str, str]) -> list[Block]:
    record = data.meta.get("sizing")
    if not isinstance(record, Mapping) or not record.get("probes"):
        return []
    return [_answer(record), _table(record)]


def _answer(record: Mapping[str, Any]) -> Callout:
    path, answer, status = str(record.get("path", "")), record.get("answer"), str(record.get("status", ""))
    title = TITLES.get(status, "Sizing {path}").format(path=path, answer=_plain(answer))
    values = record.get("values") or {}
    tried = len(record["probes"])
    rule = (
        "a target counts as met only when its whole 95% interval clears the bar"
        if record.get("rule") != "mean"
        else "a target counts as met when its mean clears the bar (the looser rule: --on mean)"
    )
    lines = [
        str(record.get("message", "")),
        f"Searched {path} from {_plain(values.get('lo'))} to {_plain(values.get('hi'))} "
        f"(step {_plain(values.get('step', 1))}, {values.get('count', '?')} values) by bisection: {tried} values "
        f"simulated, each for the same {record.get('replications', '?')} replications (common random numbers); {rule}.",
        "Targets: " + "; ".join(describe_target(str(t)) for t in record.get("targets", [])) + ".",
    ]
    return Callout(title, lines, css="recommendation" if answer is not None else "")


def _table(record: Mapping[str, Any]) -> Table:
    path = str(record.get("path", ""))
    targets = [str(t) for t in record.get("targets", [])]
    headers = [path, *(describe_target(t) for t in targets), "Every target met?"]
    rows = [_row(probe, record.get("answer")) for probe in record["probes"]]
    caption = (
        "Every value the search simulated: each target's metric (mean over replications, 95% interval below) "
        "and its verdict. The chart above shows the same values as a curve."
    )
    return Table("sizing", caption, headers, rows)


def _row(probe: Mapping[str, Any], answer: Any) -> list[Cell]:
    value = probe.get("value")
    head = Cell(_plain(value), detail="the answer" if value == answer and answer is not None else "", css="rowhead")
    cells = [head, *(_check(c) for c in probe.get("checks", []))]
    met = bool(probe.get("met"))
    cells.append(Cell("yes" if met else "no", css="met" if met else "notmet"))
    return cells


def _check(check: Mapping[str, Any]) -> Cell:
    metric = str(check.get("metric", ""))
    info = metric_info(metric)
    mean, low, high = (_number(check.get(k)) for k in ("mean", "ci_low", "ci_high"))
    low, high = within_range(metric, low, high)
    interval = f"{_value(info.kind, low)} to {_value(info.kind, high)}" if not math.isnan(low + high) else ""
    status = str(check.get("status", ""))
    detail = f"{interval} · {status}" if interval else status
    return Cell(_value(info.kind, mean), detail=detail, css=STATUS_STYLE.get(status, "num"))


def _value(kind: Kind, x: float) -> str:
    """The report's formats, with more digits for small day counts (a 0.04-day wait is not 0.0)."""
    if kind == "days" and not math.isnan(x) and abs(x) < 10:
        return format_value(kind, x, extra=1)
    return format_value(kind, x)


def _number(x: Any) -> float:
    try:
        return float(x) if x is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def _plain(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
