"""What a worker process does with one run, and the compact bytes it sends back.

The task carries the run's canonical scenario JSON (a few kB) rather than a pickled
``Scenario``; a worker parses each distinct JSON once (cached), so a worker that serves
many replications of a variant validates it once. The result crosses the process
boundary as gzip-compressed JSON holding the metrics and each table as CSV text: the CSV
formatting (the costly part of writing the output folder) happens in the workers, in
parallel; it is exact for floats (shortest round-trip form), safe to load (no pickle), and
the very bytes the results store writes to disk, so a resumed run and a fresh run are read
back through the same path and give identical numbers.
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

PAYLOAD_FORMAT = 2


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
    """A finished run: its key, its encoded outcome, and the wall and CPU seconds it took in
    the worker (CPU below wall means the machine was busy with other work)."""

    key: str
    payload: bytes
    seconds: float
    cpu_seconds: float = 0.0


def execute(task: RunTask) -> RunDone:
    """Run one task (the function every executor ships to its workers)."""
    started, cpu = time.perf_counter(), time.process_time()
    outcome = task.runner(_scenario(task.scenario_json), task.replication)
    payload = encode(outcome, task.replication)
    return RunDone(task.key, payload, time.perf_counter() - started, time.process_time() - cpu)


@lru_cache(maxsize=64)
def _scenario(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


# --------------------------------------------------------------------------- payload


@dataclass(frozen=True)
class SavedRun:
    """A run as saved: its metrics and each table as CSV text whose first column is the
    :data:`VARIANT_TOKEN` placeholder (a run may serve several variants; the experiment
    writes the name in)."""

    metrics: dict[str, float]
    csv: dict[str, str]


VARIANT_TOKEN = "@cssim-variant@"


def encode(outcome: RunOutcome, replication: int) -> bytes:
    """Metrics as JSON, tables as CSV text (formatted here, in the worker, in parallel), gzip level 1."""
    doc = {
        "format": PAYLOAD_FORMAT,
        "metrics": {name: _number(value) for name, value in outcome.metrics.items()},
        "tables": {name: table_csv(frame, replication) for name, frame in outcome.tables.items()},
    }
    return gzip.compress(json.dumps(doc, separators=(",", ":")).encode("utf-8"), compresslevel=1)


def decode(payload: bytes) -> SavedRun:
    """The run :func:`encode` wrote; ValueError if the bytes are not such a payload."""
    try:
        doc = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, ValueError) as exc:
        raise ValueError(f"not a saved run ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != PAYLOAD_FORMAT:
        raise ValueError(f"not a saved run of format {PAYLOAD_FORMAT}")
    return SavedRun(metrics={k: float(v) for k, v in doc["metrics"].items()}, csv=dict(doc["tables"]))


def table_csv(frame: pd.DataFrame, replication: int) -> str:
    """The table as CSV with leading ``variant`` (placeholder) and ``replication`` columns.

    pandas writes floats in their shortest round-trip form, so reading back is exact.
    """
    labelled = frame.drop(columns=["variant", "replication"], errors="ignore")
    labelled.insert(0, "replication", replication)
    labelled.insert(0, "variant", VARIANT_TOKEN)
    text: str = labelled.to_csv(index=False, lineterminator="\n")
    return text


def _number(value: Any) -> float:
    x = float(value)
    return x if math.isfinite(x) else math.nan
