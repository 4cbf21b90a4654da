"""Which option to pick, by a rule a CS leader can check by hand.

The rule: among the variants that meet every target with 95% confidence, the one with the
lowest ``comp_cost``. If none meets them all, the one meeting the most targets, then the
one with fewest targets clearly missed, then the one whose intervals come nearest to
clearing the targets it has not met (:func:`margin`), then the cheapest. Ties keep the
scenario's order (baseline first). A target is *met* when its whole 95% interval is on the
right side, *not met* when it is wholly on the wrong side, and *undecided* otherwise.

Why not simply the cheapest among options tied on those counts: with no option clear of a
target, the cheapest is usually the one furthest from it (the fewest CSMs), so "closest
to the targets" would name the option with the worst retention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from simulator.report.formats import describe_target, format_usd
from simulator.results.statistics import MET, NOT_MET, UNDECIDED, target_status
from simulator.scenario.schema import Scenario, Target


@dataclass(frozen=True)
class Standing:
    """How one variant fares on the targets, and what it costs."""

    variant: str
    met: list[str]
    not_met: list[str]
    undecided: list[str]
    comp_cost: float
    margin: float = 0.0
    """Sum of :func:`margin` over the targets it has not met (0 when it meets them all)."""

    def key(self) -> tuple[int, int, float, float]:
        cost = self.comp_cost if not math.isnan(self.comp_cost) else math.inf
        return (-len(self.met), len(self.not_met), -self.margin, cost)


@dataclass(frozen=True)
class Recommendation:
    variant: str
    title: str
    reasons: list[str]
    badge: str = "recommended"
    """How the table header marks the chosen variant."""


def target_statuses(scenario: Scenario, targets: pd.DataFrame | None, summary: pd.DataFrame) -> pd.DataFrame:
    """``variant, target, status``: the results' own table, else judged from summary intervals."""
    if targets is not None and {"variant", "target", "status"} <= set(targets.columns):
        return targets[["variant", "target", "status"]].astype({"target": str, "status": str})
    rows = []
    for text, target in zip(scenario.targets, scenario.parsed_targets(), strict=True):
        for _, row in summary[summary["metric"] == target.metric].iterrows():
            rows.append((row["variant"], text, target_status(target, row["ci_low"], row["ci_high"])))
    return pd.DataFrame(rows, columns=["variant", "target", "status"])


def margin(target: Target, ci_low: float, ci_high: float) -> float:
    """Where a 95% interval sits against a target's bar, in half-widths of the interval,
    clipped to [-1, 1]: 1 when the target is met (the whole interval clears the bar), -1
    when it is not met, in between when undecided (0: the mean on the bar, or no interval).

    The continuous form of :func:`target_status`, so that among options undecided on a
    target the one nearer to clearing it ranks first.
    """
    if math.isnan(ci_low) or math.isnan(ci_high):
        return 0.0
    centre, half = (ci_low + ci_high) / 2, (ci_high - ci_low) / 2
    gap = centre - target.value if target.op in (">=", ">") else target.value - centre
    if half <= 0:
        return 1.0 if target.met_by(centre) else -1.0
    return max(-1.0, min(1.0, gap / half))


def target_margins(scenario: Scenario, summary: pd.DataFrame) -> dict[tuple[str, str], float]:
    """``(variant, target) -> margin`` from the summary's intervals, the target written as
    ``str(Target)`` (the results' targets table writes ``grr >= 0.9`` for ``grr >= 0.90``)."""
    out: dict[tuple[str, str], float] = {}
    for target in scenario.parsed_targets():
        rows = summary[summary["metric"] == target.metric]
        for variant, low, high in zip(rows["variant"], rows["ci_low"], rows["ci_high"], strict=True):
            out[(str(variant), str(target))] = margin(target, float(low), float(high))
    return out


def _canonical(text: str) -> str:
    try:
        return str(Target.parse(text))
    except ValueError:
        return text


def standings(
    variants: list[str],
    statuses: pd.DataFrame,
    costs: dict[str, float],
    margins: dict[tuple[str, str], float] | None = None,
) -> list[Standing]:
    out = []
    for variant in variants:
        mine = statuses[statuses["variant"] == variant]
        by = {s: mine.loc[mine["status"] == s, "target"].tolist() for s in (MET, NOT_MET, UNDECIDED)}
        left = by[NOT_MET] + by[UNDECIDED]
        total = sum((margins or {}).get((variant, _canonical(t)), 0.0) for t in left)
        out.append(Standing(variant, by[MET], by[NOT_MET], by[UNDECIDED], costs.get(variant, math.nan), total))
    return out


def recommend(
    variants: list[str],
    statuses: pd.DataFrame,
    costs: dict[str, float],
    n_targets: int,
    margins: dict[tuple[str, str], float] | None = None,
) -> Recommendation:
    """Apply the rule of this module's docstring and say why in words (``margins`` as
    :func:`target_margins` gives them; without, options tied on the counts rank on cost)."""
    ranked = sorted(standings(variants, statuses, costs, margins), key=Standing.key)  # stable: ties keep order
    best = ranked[0]
    if n_targets == 0:
        return _no_targets(best, ranked)
    winners = [s for s in ranked if len(s.met) == n_targets]
    if winners:
        return _all_met(best, winners, n_targets, everyone=len(winners) == len(ranked))
    tied = [s for s in ranked[1:] if s.key()[:2] == best.key()[:2]]
    return _closest(best, n_targets, tied)


def _no_targets(best: Standing, ranked: list[Standing]) -> Recommendation:
    reasons = [
        "The scenario sets no targets, so the options can only be ranked on CS cost (salaries, variable pay "
        "and the digital programme)."
    ]
    if not math.isnan(best.comp_cost):
        reasons.append(f"{best.variant} is the cheapest at {format_usd(best.comp_cost)} per year.")
    reasons.append("Add targets (for example 'grr >= 0.92') to get a recommendation on customer outcomes.")
    return Recommendation(best.variant, f"Cheapest option: {best.variant}", reasons, badge="cheapest")


def _all_met(best: Standing, winners: list[Standing], n: int, everyone: bool) -> Recommendation:
    how_many = "the target" if n == 1 else "both targets" if n == 2 else f"all {n} targets"
    what = f"{how_many} ({_listed(best.met)})"
    if len(winners) == 1:
        reasons = [f"{best.variant} is the only option that meets {what} with 95% confidence."]
    else:
        others = ", ".join(f"{w.variant} {format_usd(w.comp_cost)}" for w in winners[1:])
        count = ("Both" if len(winners) == 2 else f"All {len(winners)}") if everyone else str(len(winners))
        reasons = [
            f"{count} options meet {what} with 95% confidence; {best.variant} does it at the lowest CS cost "
            f"({format_usd(best.comp_cost)} per year; {others})."
        ]
    if everyone and len(winners) > 1:
        reasons.append(f"{UNDIVIDED} {ADD_A_TARGET}")
    return Recommendation(best.variant, f"Recommended: {best.variant}", reasons)


UNDIVIDED = "Every option meets the targets, so they do not tell the options apart and the choice falls to cost alone."
ADD_A_TARGET = "Compare the outcomes in the table below, or add a target for what matters most, before deciding."
"""The generic advice after :data:`UNDIVIDED`; the answer box drops it for a caveat naming the target to add."""


def _closest(best: Standing, n: int, tied: list[Standing]) -> Recommendation:
    reasons = [
        "No option meets every target with 95% confidence.",
        f"{best.variant} comes closest: {len(best.met)} of {n} met" + (f" ({_listed(best.met)})." if best.met else "."),
    ]
    if best.undecided:
        reasons.append(
            f"Undecided for it: {_listed(best.undecided)}. The interval straddles the target; "
            "more replications would settle it."
        )
    if best.not_met:
        reasons.append(f"Clearly missed: {_listed(best.not_met)}.")
    nearer = [t for t in tied if t.margin < best.margin]
    if nearer:
        reasons.append(
            f"It meets and misses as many targets as {', '.join(t.variant for t in nearer)}; its intervals come "
            "nearer to clearing the targets left open."
        )
    cheaper = [t for t in tied if t.margin == best.margin]
    if cheaper:
        others = ", ".join(f"{t.variant} {format_usd(t.comp_cost)}" for t in cheaper)
        reasons.append(f"It ties on targets with {others} and costs less ({format_usd(best.comp_cost)} per year).")
    return Recommendation(best.variant, f"Closest to the targets: {best.variant}", reasons, badge="closest to targets")


def _listed(targets: list[str]) -> str:
    return "; ".join(describe_target(t) for t in targets)
