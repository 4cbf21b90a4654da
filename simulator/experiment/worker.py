"""What a worker process does with one run, and the compact bytes it sends back.

The task carries the run's canonical scenario JSON (a few kB) rather than a pickled
``Scenario``; a worker parses each distinct JSON once (cached), so a worker that serves
many replications of a variant validates it once. The result crosses the process
boundary as gzip-compressed columnar JSON: exact for floats (shortest round-trip repr),
safe to load (no pickle), and the very bytes the results store writes to disk, so a
resumed run and a fresh run are read back through the same path and give identical
numbers.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from simulator.scenario.schema import Scenario

PAYLOAD_FORMAT = 1


@dataclass(frozen=True)
class RunOutcome:
    """One run's metrics (DESIGN section 6 names) and its tables (engine contract)."""

    metrics: dict[str, float]
    tables: dict[str, pd.DataFrame]


Runner = Callable[[Scenario, int], RunOutcome]
"""Simulates one replication of one resolved scenario. Must be a module-level function so
that it pickles by reference into worker processes and Dask workers."""


def simulate_run(scenario: Scenario, replication: int) -> RunOutcome:
    """The real model: engine -> per-run tables -> metrics after warm-up."""
    from simulator.engine import simulate
    from simulator.results.metrics import run_metrics
    from simulator.results.tables import frames

    tables = frames(simulate(scenario, replication))
    return RunOutcome(metrics=dict(run_metrics(tables, scenario)), tables=tables)


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; small and picklable."""

    key: str
    replication: int
    scenario_json: str
    runner: Runner = simulate_run


@dataclass(frozen=True)
class RunDone:
    """A finished run: its key, its encoded outcome, and the seconds it took in the worker."""

    key: str
    payload: bytes
    seconds: float


def execute(task: RunTask) -> RunDone:
    """Run one task (the function every executor ships to its workers)."""
    started = time.perf_counter()
    outcome = task.runner(_scenario(task.scenario_json), task.replication)
    payload = encode(outcome)
    return RunDone(task.key, payload, time.perf_counter() - started)


@lru_cache(maxsize=64)
def _scenario(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


# --------------------------------------------------------------------------- payload


def encode(outcome: RunOutcome) -> bytes:
    """Columnar JSON, gzip level 1 (fast; tables compress ~5x)."""
    doc = {
        "format": PAYLOAD_FORMAT,
        "metrics": {name: _number(value) for name, value in outcome.metrics.items()},
        "tables": {name: _columns(frame) for name, frame in outcome.tables.items()},
    }
    return gzip.compress(json.dumps(doc, separators=(",", ":"), default=_plain).encode("utf-8"), compresslevel=1)


def decode(payload: bytes) -> RunOutcome:
    """The outcome :func:`encode` wrote; ValueError if the bytes are not such a payload."""
    try:
        doc = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, ValueError) as exc:
        raise ValueError(f"not a saved run ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != PAYLOAD_FORMAT:
        raise ValueError(f"not a saved run of format {PAYLOAD_FORMAT}")
    tables = {name: _frame(cols) for name, cols in doc["tables"].items()}
    return RunOutcome(metrics={k: float(v) for k, v in doc["metrics"].items()}, tables=tables)


def _number(value: Any) -> float:
    x = float(value)
    return x if math.isfinite(x) else math.nan


def _columns(frame: pd.DataFrame) -> dict[str, Any]:
    # Series.tolist() turns numpy scalars into Python ones, which json writes exactly.
    return {"columns": [str(c) for c in frame.columns], "dtypes": [str(t) for t in frame.dtypes],
            "data": [frame[c].tolist() for c in frame.columns]}  # fmt: skip


def _frame(cols: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(dict(zip(cols["columns"], cols["data"], strict=True)), columns=cols["columns"])
    for name, dtype in zip(cols["columns"], cols["dtypes"], strict=True):
        if frame[name].empty and dtype != "object":
            frame[name] = frame[name].astype(dtype)  # an empty column has no values to infer from
    return frame


def _plain(value: Any) -> Any:
    """JSON for values json does not know (numpy scalars inside object columns, tuples, sets)."""
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)
