"""The answer of a sizing search, as an object and as the plain data scripts and the report read.

:meth:`Sizing.to_dict` is a contract: ``cssim size --json`` prints it, and it is saved as
``run_meta.json["sizing"]`` where the report's sizing block reads it (so ``cssim report``
can rebuild the page from the folder). Missing numbers (an interval from one replication)
are ``null``, so the JSON is strict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.scenario.problems import show
from simulator.scenario.teams import headcount_team
from simulator.sizing.grid import Grid, Value
from simulator.sizing.search import FOUND, LOWEST, Probe, Verdict

if TYPE_CHECKING:
    from simulator.results.results import Results


@dataclass(frozen=True)
class Sizing:
    """The smallest value of ``path`` meeting every target, and every probe that says so."""

    path: str
    grid: Grid
    rule: str
    targets: tuple[str, ...]
    replications: int
    probes: tuple[Probe, ...]
    verdict: Verdict
    results: Results | None = None
    """The probes as a Results (the base is the answer, each probe a sweep point), for the report."""

    @property
    def answer(self) -> Value | None:
        return self.verdict.answer

    @property
    def base(self) -> Value:
        """The value the report's base runs at: the answer, else the largest value tried."""
        return self.answer if self.answer is not None else self.probes[-1].value

    @property
    def status(self) -> str:
        return self.verdict.status

    def to_dict(self) -> dict[str, Any]:
        values = self.grid.values()
        return {
            "path": self.path,
            "values": {"lo": self.grid.lo, "hi": self.grid.hi, "step": self.grid.step, "count": len(values)},
            "rule": self.rule,
            "targets": list(self.targets),
            "replications": self.replications,
            "status": self.verdict.status,
            "answer": self.verdict.answer,
            "message": self.verdict.message,
            "breaks": list(self.verdict.breaks),
            "probes": [_probe(p) for p in self.probes],
        }


def base_note(sizing: Sizing) -> str:
    """Which value the report's base runs at, in a CS leader's words: "The report's base is
    the smallest team that met every target: 6 CSMs on the strategic team." The base is the
    answer only when the search found one, else the largest value tried; the verdict's
    message, which this follows, says why."""
    team = headcount_team(sizing.path)
    if team is not None:
        n, unit, tried = sizing.base, "team", "team size"
        what = f"{show(n)} CSM{'' if n == 1 else 's'} on the {team} team"
    else:
        unit = tried = "value"
        what = f"{sizing.path} = {show(sizing.base)}"
    which = {FOUND: f"smallest {unit} that met every target", LOWEST: f"smallest {unit} tried"}
    return (
        f"The report's base is the {which.get(sizing.status, f'largest {unit} tried')}: {what}. "
        f"Every {tried} tried is shown as a point on the sweep."
    )


def _probe(probe: Probe) -> dict[str, Any]:
    checks = [
        {"target": c.target, "metric": c.metric, "mean": _finite(c.mean), "ci_low": _finite(c.ci_low),
         "ci_high": _finite(c.ci_high), "status": c.status, "met": c.met}
        for c in probe.checks
    ]  # fmt: skip
    return {"value": probe.value, "met": probe.met, "checks": checks}


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None
