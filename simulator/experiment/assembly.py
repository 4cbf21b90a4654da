"""Saved runs -> one Results: tables concatenated in (variant, replication) order.

The order comes from the run plan, never from when runs finished, so the same seed gives
identical tables whatever the executor or worker count. A run shared by two variants (a
sweep point equal to the base) is decoded once and labelled for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import pandas as pd

from simulator.experiment.expansion import RunSpec, VariantSpec, sweep_info
from simulator.experiment.store import RunStore
from simulator.experiment.worker import RunOutcome, decode
from simulator.results.results import RUN_TABLES, Results
from simulator.scenario.schema import Scenario

METRIC_COLUMNS = ["variant", "replication", "metric", "value"]


def assemble(
    scenario: Scenario, variants: Sequence[VariantSpec], plan: Sequence[RunSpec], store: RunStore, meta: dict[str, Any]
) -> Results:
    """The Results of every run in ``plan`` (all must be saved in ``store``)."""
    read = _reader(store)
    outcomes = [(run, read(run.key)) for run in plan]
    tables = {name: _concat(name, outcomes) for name in RUN_TABLES}
    names = [v.name for v in variants]
    return Results.build(scenario, names, _metrics(outcomes), tables, meta, sweep=sweep_info(scenario, variants))


def metrics_frame(plan: Sequence[RunSpec], store: RunStore) -> pd.DataFrame:
    """The tidy metrics of the runs in ``plan`` (variant, replication, metric, value)."""
    read = _reader(store)
    return _metrics([(run, read(run.key)) for run in plan])


def _reader(store: RunStore) -> Any:
    @cache
    def read(key: str) -> RunOutcome:
        try:
            return decode(store.load(key))
        except ValueError as exc:
            raise ValueError(f"saved run {key}: {exc}; delete it and rerun with --resume") from None

    return read


def _metrics(outcomes: Sequence[tuple[RunSpec, RunOutcome]]) -> pd.DataFrame:
    rows = [(run.variant, run.replication, m, v) for run, out in outcomes for m, v in out.metrics.items()]
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def _concat(name: str, outcomes: Sequence[tuple[RunSpec, RunOutcome]]) -> pd.DataFrame:
    parts = []
    for run, out in outcomes:
        frame = out.tables.get(name)
        if frame is None:
            continue
        labelled = frame.drop(columns=["variant", "replication"], errors="ignore")
        labelled.insert(0, "replication", run.replication)
        labelled.insert(0, "variant", run.variant)
        parts.append(labelled)
    if not parts:
        return pd.DataFrame(columns=["variant", "replication"])
    return pd.concat(parts, ignore_index=True)
