"""Which option to pick, by a rule a CS leader can check by hand.

The rule: among the variants that meet every target with 95% confidence, the one with the
lowest ``comp_cost``. If none meets them all, the one meeting the most targets, then the
one with fewest targets clearly missed, then the cheapest. Ties keep the scenario's order
(baseline first). A target is *met* when its whole 95% interval is on the right side,
*not met* when it is wholly on the wrong side, and *undecided* otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from simulator.report.formats import describe_target, format_usd
from simulator.results.statistics import MET, NOT_MET, UNDECIDED, target_status
from simulator.scenario.schema import Scenario


@dataclass(frozen=True)
class Standing:
    """How one variant fares on the targets, and what it costs."""

    variant: str
    met: list[str]
    not_met: list[str]
    undecided: list[str]
    comp_cost: float

    def key(self) -> tuple[int, int, float]:
        cost = self.comp_cost if not math.isnan(self.comp_cost) else math.inf
        return (-len(self.met), len(self.not_met), cost)


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


def standings(variants: list[str], statuses: pd.DataFrame, costs: dict[str, float]) -> list[Standing]:
    out = []
    for variant in variants:
        mine = statuses[statuses["variant"] == variant]
        by = {s: mine.loc[mine["status"] == s, "target"].tolist() for s in (MET, NOT_MET, UNDECIDED)}
        out.append(Standing(variant, by[MET], by[NOT_MET], by[UNDECIDED], costs.get(variant, math.nan)))
    return out


def recommend(variants: list[str], statuses: pd.DataFrame, costs: dict[str, float], n_targets: int) -> Recommendation:
    """Apply the rule of this module's docstring and say why in words."""
    ranked = sorted(standings(variants, statuses, costs), key=Standing.key)  # stable: ties keep order
    best = ranked[0]
    if n_targets == 0:
        return _no_targets(best, ranked)
    winners = [s for s in ranked if len(s.met) == n_targets]
    if winners:
        return _all_met(best, winners, n_targets)
    tied = [s for s in ranked[1:] if s.key()[:2] == best.key()[:2]]
    return _closest(best, n_targets, tied)


def _no_targets(best: Standing, ranked: list[Standing]) -> Recommendation:
    reasons = ["The scenario sets no targets, so the options can only be ranked on comp cost."]
    if not math.isnan(best.comp_cost):
        reasons.append(f"{best.variant} is the cheapest at {format_usd(best.comp_cost)} per year.")
    reasons.append("Add targets (for example 'grr >= 0.92') to get a recommendation on customer outcomes.")
    return Recommendation(best.variant, f"Cheapest option: {best.variant}", reasons, badge="cheapest")


def _all_met(best: Standing, winners: list[Standing], n: int) -> Recommendation:
    what = f"all {n} target{'s' if n > 1 else ''} ({_listed(best.met)})"
    if len(winners) == 1:
        reasons = [f"{best.variant} is the only option that meets {what} with 95% confidence."]
    else:
        others = ", ".join(f"{w.variant} {format_usd(w.comp_cost)}" for w in winners[1:])
        reasons = [
            f"{len(winners)} options meet {what} with 95% confidence; {best.variant} does it at the lowest comp cost "
            f"({format_usd(best.comp_cost)} per year; {others})."
        ]
    return Recommendation(best.variant, f"Recommended: {best.variant}", reasons)


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
    if tied:
        others = ", ".join(f"{t.variant} {format_usd(t.comp_cost)}" for t in tied)
        reasons.append(f"It ties on targets with {others} and costs less ({format_usd(best.comp_cost)} per year).")
    return Recommendation(best.variant, f"Closest to the targets: {best.variant}", reasons, badge="closest to targets")


def _listed(targets: list[str]) -> str:
    return "; ".join(describe_target(t) for t in targets)
