"""``--precision X``: add replications until every headline interval is tight enough.

The rule: for every variant and every headline metric, the 95% interval's half-width must
be at most ``X`` times the mean's magnitude. Widths shrink like 1/sqrt(n), so the next
replication count is the one the worst interval needs by that law, capped by the maximum;
the loop stops at the maximum whether or not the bound is met (``run_meta.json`` says
which).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simulator.errors import InputError
from simulator.results.statistics import relative_half_widths, replications_needed
from simulator.scenario.schema import Target

HEADLINE_METRICS = ("grr", "nrr", "logo_retention", "jit_share", "csm_utilization")
"""Always checked; the metrics the scenario's targets name are added."""

DEFAULT_MAX_FACTOR = 10


@dataclass
class Rule:
    """The precision bound (None: run the scenario's replications once) and its state."""

    bound: float | None
    maximum: int
    metrics: tuple[str, ...]
    met: bool | None = None
    worst: float | None = None

    @classmethod
    def make(cls, bound: float | None, maximum: int | None, start: int, targets: list[Target]) -> Rule:
        """Validate the options (InputError names the flag) and build the rule."""
        if bound is not None and not 0 < bound < 1:
            raise InputError(f"--precision must be a relative half-width between 0 and 1 (e.g. 0.01), got {bound}")
        if maximum is not None and maximum < start:
            raise InputError(f"--max-replications ({maximum}) must be at least --replications ({start})")
        if maximum is not None and bound is None:
            raise InputError("--max-replications needs --precision")
        top = maximum if maximum is not None else max(start * DEFAULT_MAX_FACTOR, 50)
        names = tuple(dict.fromkeys([*HEADLINE_METRICS, *(t.metric for t in targets)]))
        return cls(bound=bound, maximum=top, metrics=names)

    def next_count(self, current: int, summary: Callable[[], pd.DataFrame]) -> int:
        """How many replications to have next; ``current`` means stop. ``summary`` gives the
        summary so far (called only when a bound is set)."""
        if self.bound is None:
            return current
        rel = relative_half_widths(summary(), list(self.metrics))
        self.worst = float(rel.max()) if len(rel) else 0.0
        self.met = self.worst <= self.bound
        if self.met or current >= self.maximum:
            return current
        return min(self.maximum, replications_needed(current, self.worst, self.bound))

    def describe(self) -> dict[str, Any] | None:
        if self.bound is None:
            return None
        worst = None if self.worst is None else round(self.worst, 6) if self.worst != float("inf") else "inf"
        return {"bound": self.bound, "max_replications": self.maximum, "metrics": list(self.metrics),
                "met": self.met, "worst_relative_half_width": worst}  # fmt: skip
