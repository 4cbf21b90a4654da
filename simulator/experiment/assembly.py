"""Saved runs -> one Results: tables concatenated in (variant, replication) order.

The order comes from the run plan, never from when runs finished, so the same seed gives
identical tables whatever the executor or worker count. The workers already formatted
each run's tables as CSV; here they are only concatenated (with the variant name written
in, as bytes) and parsed once, so the DataFrames in memory are exactly what ``Results.load`` reads
back from the folder. A run shared by two variants (a sweep point equal to the base) is
read once and labelled for each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from simulator.experiment.expansion import RunSpec, VariantSpec, sweep_info
from simulator.experiment.store import RunStore
from simulator.experiment.worker import VARIANT_TOKEN, SavedRun, decode
from simulator.results.results import RUN_TABLES, Results, read_table
from simulator.scenario.schema import Scenario

METRIC_COLUMNS = ["variant", "replication", "metric", "value"]


@dataclass(frozen=True)
class Assembled:
    """The Results, and the run tables as CSV bytes ready to be written as they are."""

    results: Results
    csv: dict[str, bytes]


def assemble(
    scenario: Scenario, variants: Sequence[VariantSpec], plan: Sequence[RunSpec], store: RunStore, meta: dict[str, Any]
) -> Assembled:
    """The Results of every run in ``plan`` (all must be saved in ``store``)."""
    read = _reader(store)
    runs = [(run, read(run.key)) for run in plan]
    csv = {name: data for name in RUN_TABLES if (data := _concat(name, runs)) is not None}
    tables = {name: read_table(data) for name, data in csv.items()}
    names = [v.name for v in variants]
    results = Results.build(scenario, names, _metrics(runs), tables, meta, sweep=sweep_info(scenario, variants))
    return Assembled(results, csv)


def metrics_frame(plan: Sequence[RunSpec], store: RunStore) -> pd.DataFrame:
    """The tidy metrics of the runs in ``plan`` (variant, replication, metric, value)."""
    read = _reader(store)
    return _metrics([(run, read(run.key)) for run in plan])


def _reader(store: RunStore) -> Callable[[str], SavedRun]:
    @cache
    def read(key: str) -> SavedRun:
        try:
            return decode(store.load(key))
        except ValueError as exc:
            raise ValueError(f"saved run {key}: {exc}; delete it and rerun with --resume") from None

    return read


def _metrics(runs: Sequence[tuple[RunSpec, SavedRun]]) -> pd.DataFrame:
    rows = [(run.variant, run.replication, m, v) for run, saved in runs for m, v in saved.metrics.items()]
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def _concat(name: str, runs: Sequence[tuple[RunSpec, SavedRun]]) -> bytes | None:
    """One CSV for the table: the first run's header, then every run's rows, variant written in.

    Bytes throughout: the tables of a default experiment are ~0.5 GB, and decoding,
    re-encoding and joining them as text cost seconds.
    """
    header: bytes | None = None
    parts: list[bytes] = []
    for run, saved in runs:
        data = saved.csv.get(name)
        if data is None:
            continue
        head, _, body = data.partition(b"\n")
        if header is None:
            header = head
            parts.append(head + b"\n")
        elif head != header:  # variants under plans with different components: attainment_<component>
            return _union(name, runs)
        parts.append(body.replace(_TOKEN, _quoted(run.variant)))
    return b"".join(parts) if header is not None else None


def _union(name: str, runs: Sequence[tuple[RunSpec, SavedRun]]) -> bytes:
    """The table when runs differ in columns: every column (first-seen order), empty where a run lacks it."""
    frames = [
        read_table(saved.csv[name].replace(_TOKEN, _quoted(run.variant))) for run, saved in runs if name in saved.csv
    ]
    text: str = pd.concat(frames, ignore_index=True, sort=False).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


_TOKEN = VARIANT_TOKEN.encode("utf-8")


@cache
def _quoted(name: str) -> bytes:
    """A CSV field, always quoted, so any variant name (commas, quotes) stays one field."""
    return ('"' + name.replace('"', '""') + '"').encode("utf-8")
