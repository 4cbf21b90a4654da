"""Section 1: the question, the recommendation, and the comparison table."""

from __future__ import annotations

from simulator.report.page import Block, Callout, Paragraph, Section
from simulator.report.sections.comparison import comparison_table
from simulator.report.sections.recommendation import recommend, target_margins, target_statuses
from simulator.report.source import ReportData


def build(data: ReportData, colours: dict[str, str]) -> Section:
    scenario, summary = data.scenario, data.tables["summary"]
    statuses = target_statuses(scenario, data.table("targets"), summary)
    margins = target_margins(scenario, summary)
    choice = recommend(data.variants, statuses, _costs(data), len(scenario.targets), margins)
    target_metrics = [t.metric for t in scenario.parsed_targets()]
    blocks: list[Block] = [
        Paragraph(scenario.description or "The scenario has no description; its name states the question."),
        Callout(choice.title, choice.reasons, css="recommendation"),
        comparison_table(
            data.variants, summary, data.table("comparisons"), statuses, target_metrics, choice.variant, choice.badge
        ),
    ]
    return Section("headline", "The answer", blocks)


def _costs(data: ReportData) -> dict[str, float]:
    summary = data.tables["summary"]
    rows = summary[summary["metric"] == "comp_cost"]
    return {str(v): float(m) for v, m in zip(rows["variant"], rows["mean"], strict=True)}
