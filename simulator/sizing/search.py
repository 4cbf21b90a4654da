"""The search: the smallest value of a grid at which every target is met, in few probes.

Sizing rests on one assumption, that more of the varied thing never breaks a target (a
team with one more CSM guides at least as fast and retains at least as much). Under it
"every target met" switches from false to true once along the grid, so bisection finds
the switch in about log2(values) probes instead of one per value: probe both ends, then
halve the gap between the highest value that fails and the lowest that meets until they
are neighbours. The neighbour below the answer is then a probe that failed, so the answer
comes with its own confirmation. All probes share the replications' random streams
(common random numbers), so neighbouring values differ by staffing, not by luck.

The assumption is checked, not trusted: after every probe, each target's own verdicts
must also switch only once (a target met at 8 CSMs but not at 10 breaks it, as a target
like ``csm_utilization >= 0.75`` does). The search then stops and says so plainly.

A probe is judged by the interval rule by default (a target is met only when its whole
95% interval clears the bar, the report's rule) or by the mean (``--on mean``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulator.results.statistics import MET, target_status
from simulator.scenario.problems import show
from simulator.scenario.schema import Target
from simulator.sizing.grid import Value

RULES = ("interval", "mean")
FOUND, LOWEST, NONE, NOT_MONOTONE = "found", "lowest", "none", "not monotone"


@dataclass(frozen=True)
class Check:
    """One target at one value: the metric's mean and 95% interval, and the verdict."""

    target: str
    metric: str
    mean: float
    ci_low: float
    ci_high: float
    status: str
    """By the interval rule: met, not met or undecided (the report's wording)."""
    met: bool
    """By the search's rule (interval: status is met; mean: the mean clears the bar)."""


@dataclass(frozen=True)
class Probe:
    """One value of the grid, simulated: how each target fares there."""

    value: Value
    checks: tuple[Check, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    def misses(self) -> str:
        """The targets not met here, with their status: ``grr >= 0.92 undecided``."""
        return "; ".join(f"{c.target} {c.status}" for c in self.checks if not c.met) or "none"


def judge(target: Target, mean: float, ci_low: float, ci_high: float, rule: str) -> Check:
    """The verdict on one target from the metric's mean and interval under ``rule``."""
    status = target_status(target, ci_low, ci_high)
    met = status == MET if rule == "interval" else (not math.isnan(mean) and target.met_by(mean))
    return Check(str(target), target.metric, mean, ci_low, ci_high, status, met)


Evaluate = Callable[[Sequence[Value]], Sequence[Probe]]
"""Simulates a batch of values (in parallel where it can) and returns their probes."""


def search(values: Sequence[Value], evaluate: Evaluate) -> list[Probe]:
    """Probe ``values`` (increasing) by bisection; return every probe made, by value."""
    tried: dict[Value, Probe] = {}

    def probe(*batch: Value) -> None:
        for done in evaluate([v for v in dict.fromkeys(batch) if v not in tried]):
            tried[done.value] = done

    probe(values[-1], values[0])
    low, high = 0, len(values) - 1
    if breaks(_ordered(tried)) or tried[values[low]].met or not tried[values[high]].met:
        return _ordered(tried)
    while high - low > 1:
        middle = (low + high) // 2
        probe(values[middle])
        if breaks(_ordered(tried)):
            break
        low, high = (low, middle) if tried[values[middle]].met else (middle, high)
    return _ordered(tried)


def _ordered(tried: dict[Value, Probe]) -> list[Probe]:
    return [tried[v] for v in sorted(tried)]


def breaks(probes: Sequence[Probe]) -> list[str]:
    """Each target met at a lower value but not at a higher one (``probes`` by value)."""
    found = []
    for i, check in enumerate(probes[0].checks if probes else ()):
        met_at = next((p.value for p in probes if p.checks[i].met), None)
        failed_above = [p.value for p in probes if met_at is not None and p.value > met_at and not p.checks[i].met]
        if failed_above:
            found.append(f"{check.target} is met at {show(met_at)} but not at {show(failed_above[0])}")
    return found


@dataclass(frozen=True)
class Verdict:
    """What the probes say: a status (found / lowest / none / not monotone), the answer
    (the smallest value meeting every target, when there is one to trust) and the words."""

    status: str
    answer: Value | None
    message: str
    breaks: tuple[str, ...] = ()


def verdict(probes: Sequence[Probe], values: Sequence[Value], path: str, rule: str) -> Verdict:
    """Read the probes of :func:`search` over the grid ``values`` of ``path``."""
    how = "with 95% confidence" if rule == "interval" else "on the mean"
    met = [p for p in probes if p.met]
    broken = breaks(probes)
    if broken:
        return _not_monotone(path, broken, met)
    if not met:
        top = probes[-1]
        return Verdict(
            NONE, None, f"No value of {path} from {show(values[0])} to {show(values[-1])} meets every target {how}: "
            f"at {show(top.value)}, {top.misses()}. Raise HI, or relax the targets.",
        )  # fmt: skip
    first = met[0]
    if first.value == values[0]:
        return Verdict(
            LOWEST, first.value, f"Every value tried meets every target {how}, the lowest too: {path} = "
            f"{show(first.value)}. Smaller values may meet them as well; lower LO to find the smallest.",
        )  # fmt: skip
    below = max((p for p in probes if p.value < first.value), key=lambda p: p.value)
    return Verdict(
        FOUND, first.value, f"{path} = {show(first.value)} is the smallest value meeting every target {how}; "
        f"at {show(below.value)}: {below.misses()}.",
    )  # fmt: skip


def _not_monotone(path: str, broken: list[str], met: list[Probe]) -> Verdict:
    candidate = (
        f"The smallest value tried that meets every target is {show(met[0].value)}, but the search cannot "
        "vouch that no smaller one does."
        if met
        else "No value tried meets every target."
    )
    message = (
        f"The answer is not monotone in {path}: {'; '.join(broken)}. Sizing assumes a larger value never breaks "
        f"a target (more CSMs never hurt), which these targets do not follow. {candidate} "
        "Run a sweep over the range to see each target's curve."
    )
    return Verdict(NOT_MONOTONE, None, message, tuple(broken))
