"""Section 1: the question, the recommendation, and the comparison table."""

from __future__ import annotations

import pandas as pd

from simulator.report.page import Block, Callout, Paragraph, Section, note
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
        *few_runs(summary),
        comparison_table(
            data.variants, summary, data.table("comparisons"), statuses, target_metrics, choice.variant, choice.badge
        ),
    ]
    return Section("headline", "The answer", blocks)


FEW_REPLICATIONS = 8
"""Below this many replications per option the answer carries a warning: the t value behind a
95% interval is 2.36 at 8 runs against 1.96 with many, and one unusual run moves the mean a lot."""


def few_runs(summary: pd.DataFrame) -> list[Block]:
    """A warning under the answer when the options rest on few replications (an option's count
    is its largest ``n``: a metric with nothing to measure in some runs has a smaller one)."""
    if not {"variant", "n"} <= set(summary.columns):
        return []
    counts = pd.to_numeric(summary["n"], errors="coerce").groupby(summary["variant"]).max().dropna()
    if counts.empty or counts.min() >= FEW_REPLICATIONS:
        return []
    n = int(counts.min())
    return [
        note(
            f"Each option ran only {n} replication{'s' if n != 1 else ''}: intervals from so few runs are wide, and "
            "one unusual run moves them a lot. Run at least 10 (--replications 10) before deciding."
        )
    ]


def _costs(data: ReportData) -> dict[str, float]:
    summary = data.tables["summary"]
    rows = summary[summary["metric"] == "comp_cost"]
    return {str(v): float(m) for v, m in zip(rows["variant"], rows["mean"], strict=True)}
