"""Saved runs -> one Results: tables concatenated in (variant, replication) order.

The order comes from the run plan, never from when runs finished, so the same seed gives
identical tables whatever the executor or worker count. The workers already formatted
each run's tables as CSV, labelled with the variant's name; here they are only chained
(views into the payloads, relabelled where a run serves another variant) and parsed when
read, the same way ``Results.load`` reads them back from the folder, so the DataFrames
in memory are exactly those of the folder.
A run shared by two variants (a sweep point equal to the base) is read once and labelled
for each.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.errors import InputError, ReadFailed, SimulatorError
from simulator.experiment.expansion import RunSpec, VariantSpec, sweep_info
from simulator.experiment.store import RunStore
from simulator.experiment.worker import SavedRun, check_key, decode, label_field, read_header
from simulator.results.folder import NO_PERMISSION, Buffer, Staging
from simulator.results.results import RUN_TABLES, LazyTable, Results, read_table
from simulator.scenario.schema import Scenario

METRIC_COLUMNS = ["variant", "replication", "metric", "value"]


@dataclass(frozen=True)
class Assembled:
    """The Results, and each run table's CSV as byte chunks."""

    results: Results
    csv: dict[str, list[Buffer]]


def assemble(
    scenario: Scenario,
    variants: Sequence[VariantSpec],
    plan: Sequence[RunSpec],
    store: RunStore,
    meta: dict[str, Any],
    staging: Staging | None = None,
    prefetch: Mapping[str, Collection[str]] | None = None,
) -> Assembled:
    """The Results of every run in ``plan`` (all must be saved in ``store``).

    The run tables stay CSV until read (:class:`~simulator.results.results.LazyTable`):
    the report parses a few columns of three of them. With ``staging`` (the output
    folder's), they are staged there by a thread while this one computes the statistics
    and parses ``prefetch`` (table -> columns the caller will read: the report's), so the
    disk's half a gigabyte and the parser's second overlap instead of adding up. The
    caller stages the rest and commits the set.
    """
    read = _reader(store)
    runs = [(run, read(run.key)) for run in plan]
    csv = {name: chunks for name in RUN_TABLES if (chunks := _concat(name, runs)) is not None}
    with ThreadPoolExecutor(max_workers=1) as pool:
        writing = pool.submit(_write_tables, staging, csv) if staging is not None else None
        tables = {name: LazyTable(chunks) for name, chunks in csv.items()}
        names = [v.name for v in variants]
        results = Results.build(scenario, names, _metrics(runs), tables, meta, sweep=sweep_info(scenario, variants))
        for name, columns in (prefetch or {}).items():
            if name in tables:
                tables[name].read(columns)
        if writing is not None:
            writing.result()
    return Assembled(results, csv)


def _write_tables(staging: Staging, csv: dict[str, list[Buffer]]) -> None:
    for name, chunks in csv.items():
        staging.write(f"{name}.csv", chunks)


def metrics_frame(plan: Sequence[RunSpec], store: RunStore) -> pd.DataFrame:
    """The tidy metrics of the runs in ``plan`` (variant, replication, metric, value)."""
    read = _reader(store)
    return _metrics([(run, read(run.key)) for run in plan])


def is_saved(store: RunStore, key: str) -> bool:
    """Whether ``store`` holds run ``key``; a file system that cannot tell (no permission to
    search ``runs/``, an I/O error) is named as a saved run that cannot be read."""
    try:
        return store.has(key)
    except OSError as exc:
        raise _unreadable(store, key, exc) from exc


def check_saved(store: RunStore, key: str) -> None:
    """Refuse a saved run that is not run ``key`` (or not a run), reading its header alone:
    ``--resume`` checks every run it will reuse before anything runs."""
    try:
        with store.open(key) as stream:
            check_key(read_header(stream), key)
    except ValueError as exc:
        raise _unusable(store, key, exc) from None
    except OSError as exc:
        raise _unreadable(store, key, exc) from exc


def _reader(store: RunStore) -> Callable[[str], SavedRun]:
    @cache
    def read(key: str) -> SavedRun:
        try:
            return decode(store.load(key), key)
        except ValueError as exc:
            raise _unusable(store, key, exc) from None
        except OSError as exc:
            raise _unreadable(store, key, exc) from exc

    return read


def _unusable(store: RunStore, key: str, why: ValueError) -> InputError:
    """Bad input naming the saved run's file, and the two ways on: without it, or without any."""
    return InputError(
        f"saved run {store.where(key)}: {why}; rerun without --resume, or delete that file and rerun with --resume"
    )


def _unreadable(store: RunStore, key: str, error: OSError) -> SimulatorError:
    """The file system would not read the saved run: without permission the user's folder (bad
    input), else the machine's failure (an I/O error: exit 1); either names the file and the
    ways on."""
    where, why = store.where(key), error.strerror or error
    if error.errno in NO_PERMISSION:
        return InputError(f"saved run {where}: cannot be read ({why}); make it readable, or rerun without --resume")
    return ReadFailed(Path(where), error, "rerun without --resume, or delete that file and rerun with --resume")


def _metrics(runs: Sequence[tuple[RunSpec, SavedRun]]) -> pd.DataFrame:
    rows = [(run.variant, run.replication, m, v) for run, saved in runs for m, v in saved.metrics.items()]
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def _concat(name: str, runs: Sequence[tuple[RunSpec, SavedRun]]) -> list[Buffer] | None:
    """One CSV for the table as chunks: the first run's header, then every run's rows.

    A run's rows are a view into its payload, copied nowhere, when the worker labelled
    them with this variant's name (the usual case); otherwise the name is written in. The
    tables of a default experiment are ~0.5 GB: joining or relabelling them all cost seconds.
    """
    header: bytes | None = None
    chunks: list[Buffer] = []
    for run, saved in runs:
        data = saved.csv.get(name)
        if data is None:
            continue
        end = _line_end(data)
        head = bytes(data[: end + 1])
        if header is None:
            header = head
            chunks.append(head)
        elif head != header:  # variants under plans with different components: attainment_<component>
            return [_union(name, runs)]
        chunks.append(_relabelled(data[end + 1 :], saved.label_field, label_field(run.variant)))
    return chunks if header is not None else None


def _line_end(data: memoryview) -> int:
    end = bytes(data[:4096]).find(b"\n")
    return end if end >= 0 else bytes(data).index(b"\n")


def _relabelled(body: memoryview, old: bytes, new: bytes) -> Buffer:
    """The rows with their first field ``old`` (each line starts with it) changed to ``new``."""
    if old == new or not len(body):
        return body
    rows = bytes(body)
    if not rows.startswith(old + b","):
        raise ValueError(f"saved run rows start with {rows[: len(old) + 1]!r}, expected {old!r}")
    return new + rows[len(old) :].replace(b"\n" + old + b",", b"\n" + new + b",")


def _union(name: str, runs: Sequence[tuple[RunSpec, SavedRun]]) -> bytes:
    """The table when runs differ in columns: every column (first-seen order), empty where a run lacks it."""
    frames = [
        read_table([_relabelled(saved.csv[name], saved.label_field, label_field(run.variant))])
        for run, saved in runs
        if name in saved.csv
    ]
    text: str = pd.concat(frames, ignore_index=True, sort=False).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")
