"""What a worker process does with one run, and the compact bytes it sends back.

The task carries the run's canonical scenario JSON (a few kB) rather than a pickled
``Scenario``; a worker parses each distinct JSON once (cached), so a worker that serves
many replications of a variant validates it once. The result crosses the process
boundary as a small binary container: a JSON header (the metrics, each table's name and
length) followed by each table as CSV text. The CSV formatting (the costly part of
writing the output folder) happens in the workers, in parallel, straight from the
engine's rows (:func:`simulator.results.tables.csv_text`); it is exact for floats
(shortest round-trip form), safe to load (no pickle), and the very bytes the results
store writes to disk and the experiment concatenates into the folder's tables, so a
resumed run and a fresh run are read back through the same path and give identical
numbers. The container is not compressed: inflating every run again in the main process
cost more time than the disk it saves (measured: 80 default runs, 4.7 s of 33 s).
"""

from __future__ import annotations

import json
import math
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO

import pandas as pd

from simulator.scenario.schema import Scenario

if TYPE_CHECKING:
    from simulator.engine.records import RunOutput

PAYLOAD_FORMAT = 4
"""4: the header records the run's key (3 did not; 2 was gzip'd JSON). The format is part of
every run's key (:func:`simulator.experiment.expansion.model_version`), so a saved run of
another format is re-run, and refused if it is ever read as this one."""

METRIC_TABLES = ("customers", "renewals", "timeseries", "surveys", "needs", "csms", "touches")
"""The tables :func:`simulator.results.metrics.run_metrics` reads: the only ones a worker makes DataFrames of."""


@dataclass(frozen=True)
class RunOutcome:
    """One run's metrics (the names of ``summary.csv``) and its tables (engine contract).

    ``records`` holds the engine's rows when the run came from the engine: every table is
    then formatted from them, and ``tables`` need hold only the DataFrames the metrics
    read. A runner without records (a test's stand-in model) gives every table as a
    DataFrame.
    """

    metrics: dict[str, float]
    tables: dict[str, pd.DataFrame]
    records: RunOutput | None = None


Runner = Callable[[Scenario, int], RunOutcome]
"""Simulates one replication of one resolved scenario. Must be a module-level function so
that it pickles by reference into worker processes and Dask workers."""


def simulate_run(scenario: Scenario, replication: int) -> RunOutcome:
    """The real model: engine -> the metric tables' DataFrames -> metrics after warm-up."""
    from simulator.engine import simulate
    from simulator.results.metrics import run_metrics
    from simulator.results.tables import frames

    output = simulate(scenario, replication)
    tables = frames(output, METRIC_TABLES)
    return RunOutcome(metrics=dict(run_metrics(tables, scenario)), tables=tables, records=output)


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; small and picklable."""

    key: str
    replication: int
    scenario_json: str
    runner: Runner = simulate_run
    label: str | None = None
    """The variant name the tables are labelled with (the experiment's first variant using
    this run); None writes :data:`VARIANT_TOKEN`. Assembly relabels only runs read for
    another name, so most tables are copied to the folder as they are."""


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
    payload = encode(outcome, task.replication, task.label, key=task.key)
    return RunDone(task.key, payload, time.perf_counter() - started, time.process_time() - cpu)


@lru_cache(maxsize=64)
def _scenario(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


# --------------------------------------------------------------------------- payload


@dataclass(frozen=True)
class SavedRun:
    """A run as saved: its metrics and each table as UTF-8 CSV bytes (views into the
    payload, not copies) whose first column holds ``label_field`` (a run may serve several
    variants; the experiment writes the right name in)."""

    metrics: dict[str, float]
    csv: dict[str, memoryview]
    label_field: bytes = b""


VARIANT_TOKEN = "@cssim-variant@"
MAGIC = b"cssim-run\n"
_LENGTH = struct.Struct("<Q")
_PREFIX = len(MAGIC) + _LENGTH.size
"""The bytes before the JSON header: ``MAGIC``, then the header's length."""


def encode(outcome: RunOutcome, replication: int, label: str | None = None, key: str | None = None) -> bytes:
    """``MAGIC``, the header's length, the JSON header (format, ``key``: the run this is, metrics,
    label, [table, bytes] in order), then each table's CSV bytes, their variant column ``label``
    (quoted) or :data:`VARIANT_TOKEN` (unquoted)."""
    field = VARIANT_TOKEN if label is None else label_field(label).decode("utf-8")
    tables = _csv_tables(outcome, replication, field)
    header = {
        "format": PAYLOAD_FORMAT,
        "key": key,
        "metrics": {name: _number(value) for name, value in outcome.metrics.items()},
        "label": field,
        "tables": [[name, len(data)] for name, data in tables.items()],
    }
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return b"".join([MAGIC, _LENGTH.pack(len(head)), head, *tables.values()])


def decode(payload: bytes, key: str | None = None) -> SavedRun:
    """The run :func:`encode` wrote; ValueError if the bytes are not such a payload or, given
    ``key``, not the payload of that run (:func:`check_key`)."""
    head = payload[:_PREFIX]
    size = _header_length(head)
    header = _parse_header(payload[_PREFIX : _PREFIX + size], size)
    if key is not None:
        check_key(header, key)
    try:
        metrics = {str(k): float(v) for k, v in header["metrics"].items()}
        field = str(header["label"]).encode("utf-8")
        view, csv, offset = memoryview(payload), {}, _PREFIX + size
        for name, length in header["tables"]:
            csv[str(name)] = view[offset : offset + length]
            offset += length
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a saved run ({exc.__class__.__name__}: {exc})") from None
    if offset != len(payload):
        raise ValueError(f"not a saved run: {len(payload)} bytes, its header accounts for {offset}")
    return SavedRun(metrics=metrics, csv=csv, label_field=field)


def read_header(stream: BinaryIO) -> dict[str, Any]:
    """The JSON header of the saved run ``stream`` starts with, reading nothing after it:
    enough to check which run a file holds (:func:`check_key`) without reading its tables,
    megabytes each. ValueError if it is not a saved run's header."""
    size = _header_length(stream.read(_PREFIX))
    return _parse_header(stream.read(size), size)


def check_key(header: dict[str, Any], key: str) -> None:
    """Refuse (ValueError) the header of a saved run that is not run ``key``: saved runs are
    filed under their key, so one copied or renamed over another's file would otherwise be
    read as that run, its numbers counted for the wrong replication or variant."""
    recorded = header.get("key")
    if recorded is None:
        raise ValueError("it records no run key (saved by an older cssim, or damaged)")
    if recorded != key:
        raise ValueError(f"it holds run {recorded}, not {key} (copied or renamed from another run's file?)")


def _header_length(prefix: bytes) -> int:
    """The header's length, from a saved run's first bytes (``MAGIC``, then the length)."""
    if not prefix.startswith(MAGIC):
        raise ValueError(f"not a saved run of format {PAYLOAD_FORMAT} (it does not start with {MAGIC!r})")
    if len(prefix) < _PREFIX:
        raise ValueError("not a saved run: cut short in its header")
    (size,) = _LENGTH.unpack_from(prefix, len(MAGIC))
    return int(size)


def _parse_header(head: bytes, size: int) -> dict[str, Any]:
    """The JSON header of ``size`` bytes, in this format."""
    if len(head) < size:
        raise ValueError(f"not a saved run: cut short in its header ({len(head)} of {size} bytes)")
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise ValueError(f"not a saved run (its header is not JSON: {exc})") from None
    if not isinstance(header, dict):
        raise ValueError("not a saved run (its header is not a JSON object)")
    if header.get("format") != PAYLOAD_FORMAT:
        raise ValueError(
            f"saved by another version of cssim (format {header.get('format')!r}, expected {PAYLOAD_FORMAT})"
        )
    return header


def label_field(name: str) -> bytes:
    """A variant name as the run tables' CSV field: always quoted, so any name (commas,
    quotes) stays one field."""
    return ('"' + name.replace('"', '""') + '"').encode("utf-8")


def _csv_tables(outcome: RunOutcome, replication: int, field: str) -> dict[str, bytes]:
    lead = {"variant": field, "replication": str(replication)}
    if outcome.records is None:
        return {
            name: table_csv(frame, replication).replace(VARIANT_TOKEN, field).encode("utf-8")
            for name, frame in outcome.tables.items()
        }
    from simulator.results.tables import csv_text

    records = outcome.records
    return {
        name: csv_text(getattr(records, name), columns, lead).encode("utf-8")
        for name, columns in records.columns().items()
    }


def table_csv(frame: pd.DataFrame, replication: int) -> str:
    """A DataFrame as CSV with leading ``variant`` (placeholder) and ``replication`` columns.

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
