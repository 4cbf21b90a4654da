"""Section 8: assumptions: the whole resolved scenario, readable.

Key facts first (segments, teams, options), then every parameter as YAML: the report must
let a reader check what was simulated without opening another file.
"""

from __future__ import annotations

from typing import Any

import yaml

from simulator.report.formats import format_usd
from simulator.report.page import Block, Cell, Paragraph, Preformatted, Section, Table
from simulator.report.source import ReportData
from simulator.scenario.schema import Scenario


def build(data: ReportData, colours: dict[str, str]) -> Section:
    scenario = data.scenario
    blocks: list[Block] = [
        Paragraph("Every number below is an input of the scenario file; change the file to change the question."),
        segments_table(scenario),
        teams_table(scenario),
        options_table(data),
        Preformatted("The full resolved scenario (defaults filled in)", resolved_yaml(scenario)),
    ]
    return Section("assumptions", "Assumptions", blocks)


class _ReadableDumper(yaml.SafeDumper):
    """Safe YAML with long text folded (``>``) instead of a quoted, escaped run-on line."""


def _folded(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    if len(text) > 90 or "\n" in text.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", text.strip() + "\n", style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_ReadableDumper.add_representer(str, _folded)


def resolved_yaml(scenario: Scenario) -> str:
    """Every parameter, defaults included; unset team overrides (null: inherit) left out."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    return yaml.dump(
        data, Dumper=_ReadableDumper, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110
    )


def describe(value: Any, *, money: bool = False) -> str:
    """A distribution or number as a reader says it: ``lognormal (median $30k, sigma 0.6)``."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dict) and "dist" in value:
        rest = ", ".join(
            f"{k} {_number(v, money and k != 'sigma' and k != 'cv')}" for k, v in value.items() if k != "dist"
        )
        return f"{value['dist']} ({rest})" if rest else str(value["dist"])
    return _number(value, money)


def _number(value: Any, money: bool) -> str:
    if money and isinstance(value, int | float):
        return format_usd(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def segments_table(scenario: Scenario) -> Table:
    headers = ["Segment", "Team", "Customers at start", "New per month", "ARR at signing", "Contract (months)",
               "Needs per customer-month", "Just-in-time window (days)", "Base churn per renewal"]  # fmt: skip
    rows = [
        [Cell(name, css="rowhead"), _text(seg.team), _num(f"{seg.initial_customers:,}"),
         _num(f"{seg.new_per_month:g}"), _text(describe(seg.arr, money=True)), _num(str(seg.contract_months)),
         _num(f"{seg.needs_per_month:g}"), _num(f"{seg.need_window_days:g}"), _num(f"{seg.renewal.base_churn:.0%}")]
        for name, seg in scenario.segments.items()
    ]  # fmt: skip
    return Table("segments", "Customer segments.", headers, rows)


def teams_table(scenario: Scenario) -> Table:
    headers = ["Team", "Coverage", "CSMs", "Hours/week × productive share", "Book cap", "Check-in every (days)",
               "QBR every (months)", "Plan"]  # fmt: skip
    rows = []
    for name, team in scenario.teams.items():
        human = team.coverage != "digital"
        csm = scenario.csm_for(name) if human else None
        rows.append([
            Cell(name, css="rowhead"), _text(team.coverage), _num(_maybe(getattr(team, "csms", None))),
            _num(f"{csm.hours_per_week:g} × {csm.productive_share:.0%}" if csm else "–"),
            _num(_maybe(getattr(team, "max_accounts", None))), _num(_maybe(getattr(team, "checkin_days", None))),
            _num(_maybe(getattr(team, "qbr_months", None))),
            _text(scenario.compensation_for(name).plan if human else "–"),
        ])  # fmt: skip
    return Table("teams", "Customer Success teams and their coverage model.", headers, rows)


def _maybe(value: Any) -> str:
    return "–" if value is None else f"{value:g}"


def _num(text: str) -> Cell:
    return Cell(text, css="num")


def _text(text: str) -> Cell:
    return Cell(text, css="text")


def _base_text(data: ReportData) -> str:
    """What the baseline is: the scenario as written, except after ``cssim size``, whose base
    is the scenario at the value it settled on (the answer, or the largest value tried)."""
    sizing = data.meta.get("sizing")
    path = sizing.get("path") if isinstance(sizing, dict) else None
    if not isinstance(path, str):
        return "The scenario as written (the baseline)."
    try:
        value = data.base_value(path)
    except KeyError:
        return "The scenario as written (the baseline)."
    return f"The scenario with {path} = {_flat(value)}, the value the sizing settled on (the baseline)."


def options_table(data: ReportData) -> Table:
    rows = [
        [
            Cell(data.baseline, css="rowhead"),
            Cell(_base_text(data), css="text"),
            Cell("–", css="text"),
        ]
    ]
    for variant in data.variants[1:]:
        spec = next((v for v in data.scenario.variants if v.name == variant), None)
        sets = data.settings(variant)
        changes = "; ".join(f"{path} = {_flat(value)}" for path, value in sets.items()) or "–"
        rows.append(
            [
                Cell(variant, css="rowhead"),
                Cell(spec.description if spec else "", css="text"),
                Cell(changes, css="text"),
            ]
        )
    return Table("options", "The options compared, and what each changes.", ["Option", "Description", "Changes"], rows)


def _flat(value: Any) -> str:
    if isinstance(value, dict | list):
        return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    return str(value)
