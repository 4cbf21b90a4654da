"""The results of an experiment: tidy tables, their statistics, and the folder they live in.

:class:`Results` is the contract between the experiment layer and the report
(docs/design.md): built once from the runs, written as CSV + YAML + JSON, and loaded back
from that folder by ``cssim report DIR`` without rerunning anything. The files are written
as one set (:mod:`simulator.results.folder`): an interrupted write leaves the old set whole.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulator.errors import InputError, ScenarioError, unreadable
from simulator.model.plans.calibration import cost_quantiles
from simulator.results import statistics
from simulator.results.folder import REPORT_FILE, Buffer, Staging, check_own_files
from simulator.scenario.loading import load_scenario
from simulator.scenario.schema import Scenario

RUN_TABLES = ("timeseries", "customers", "csms", "needs", "touches", "renewals", "surveys", "queues")
"""The per-run tables of the engine contract, concatenated with ``variant`` and ``replication``."""

DERIVED_TABLES = ("run_metrics", "summary", "comparisons", "targets")
SCENARIO_FILE = "scenario.resolved.yaml"
META_FILE = "run_meta.json"
UNFINISHED = "unfinished"
"""The key of the ``run_meta.json`` a folder holds while its files are replaced (:func:`output_staging`)."""


def output_staging(folder: Path) -> Staging:
    """A :class:`Staging` for a results folder: ``run_meta.json`` marks a complete set (one
    that says it is unfinished while the set is replaced), and the report goes with the
    tables it was rendered from."""
    note = {UNFINISHED: "cssim was replacing the files here and did not finish: rerun to complete them"}
    return Staging(folder, marker=META_FILE, stale=(REPORT_FILE,), unfinished=json.dumps(note).encode("utf-8"))


def output_files() -> tuple[str, ...]:
    """Every file :meth:`Results.write` and the report put in a results folder."""
    return (*(f"{name}.csv" for name in (*DERIVED_TABLES, *RUN_TABLES)), SCENARIO_FILE, META_FILE, REPORT_FILE)


class LazyTable:
    """A run table's CSV (a file, or byte chunks in memory), parsed when first read.

    The whole table is parsed once and kept; a read of some columns parses just those,
    kept for the same columns again, unless the whole table is parsed already (an
    experiment reads the report's columns while its tables are written, the report then
    finds them ready). Both read the bytes
    through :func:`read_table`, so a column is the same whichever way it was read, in the
    experiment's memory or from its folder (``cssim report`` rebuilds the same page).
    """

    def __init__(self, source: Path | Sequence[Buffer]) -> None:
        self._source = source
        self._frame: pd.DataFrame | None = None
        self._some: dict[frozenset[str], pd.DataFrame] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Picklable (a Results may be): the chunks, views into run payloads, as bytes."""
        source = self._source if isinstance(self._source, Path) else [bytes(c) for c in self._source]
        return {"_source": source, "_frame": self._frame, "_some": {}}

    def read(self, columns: Collection[str] | None = None) -> pd.DataFrame:
        if self._frame is not None:
            if columns is None:
                return self._frame
            wanted = set(columns)
            return self._frame[[c for c in self._frame.columns if c in wanted]]
        key = None if columns is None else frozenset(columns)
        if key is not None and key in self._some:
            return self._some[key]
        if isinstance(self._source, Path):
            frame = _read_csv(self._source, columns)
        else:
            frame = read_table(self._source, columns)
        if key is None:
            self._frame = frame
            self._some.clear()
        else:
            self._some[key] = frame
        return frame


class RunTable:
    """A run table attribute of :class:`Results`: a DataFrame, parsed from ``sources`` on first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, results: Results | None, owner: type | None = None) -> pd.DataFrame:
        if results is None:
            raise AttributeError(f"{self.name} is a table of a Results, not of the class")
        source = results.sources.get(self.name)
        if source is None:
            return pd.DataFrame()
        if isinstance(source, LazyTable):
            source = results.sources[self.name] = source.read()
        return source

    def __set__(self, results: Results, frame: pd.DataFrame) -> None:
        results.sources[self.name] = frame


class _Chunks(io.RawIOBase):
    """A read-only stream over byte chunks, so a parser reads them as one file without a join."""

    def __init__(self, chunks: Sequence[Buffer]) -> None:
        self._chunks = [memoryview(c).cast("B") for c in chunks if len(c)]
        self._index = self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._index >= len(self._chunks):
            return 0
        chunk = self._chunks[self._index]
        count = min(len(buffer), len(chunk) - self._offset)
        buffer[:count] = chunk[self._offset : self._offset + count]
        self._offset += count
        if self._offset == len(chunk):
            self._index, self._offset = self._index + 1, 0
        return count


@dataclass
class Results:
    """Everything an experiment produced, as tidy pandas DataFrames.

    ``variants`` lists the variant names in order, the baseline first; every table has a
    ``variant`` column holding one of them. ``sweep`` is ``{"path": ..., "values": {variant:
    value}}`` when the scenario swept a path. ``meta`` holds provenance (version, seed,
    replications, executor, timings, per-run status).

    The run tables (``needs``, ``touches``, ...) are parsed from their CSV on first read:
    an experiment's are half a gigabyte, and the report reads a few columns of three of
    them (:meth:`table_columns`), so parsing all of them up front cost seconds for nothing.
    """

    scenario: Scenario
    variants: list[str]
    run_metrics: pd.DataFrame
    summary: pd.DataFrame
    comparisons: pd.DataFrame
    targets: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    sweep: dict[str, Any] | None = None
    sources: dict[str, pd.DataFrame | LazyTable] = field(default_factory=dict, repr=False)
    """The run tables by name, each a DataFrame or its CSV still unparsed (read them as attributes)."""
    folder: Path | None = field(default=None, repr=False)
    """The folder :meth:`load` read them from (None in memory): the report names its files in messages."""

    timeseries = RunTable()
    customers = RunTable()
    csms = RunTable()
    needs = RunTable()
    touches = RunTable()
    renewals = RunTable()
    surveys = RunTable()
    queues = RunTable()

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        variants: list[str],
        run_metrics: pd.DataFrame,
        tables: Mapping[str, pd.DataFrame | LazyTable],
        meta: dict[str, Any],
        sweep: dict[str, Any] | None = None,
    ) -> Results:
        """Compute the statistics of ``run_metrics`` (variant, replication, metric, value);
        ``tables`` are the run tables, parsed or not."""
        summary = statistics.summarize(run_metrics, variants)
        return cls(
            scenario=scenario,
            variants=list(variants),
            run_metrics=run_metrics,
            summary=summary,
            comparisons=statistics.compare(run_metrics, variants),
            targets=statistics.evaluate_targets(summary, scenario.parsed_targets(), variants),
            meta=meta,
            sweep=sweep,
            sources={name: tables[name] for name in RUN_TABLES if name in tables},
        )

    # ---- reading

    def metric(self, name: str) -> pd.DataFrame:
        """The summary rows of one metric, one per variant (a notebook convenience)."""
        rows = self.summary[self.summary["metric"] == name]
        if rows.empty:
            known = ", ".join(dict.fromkeys(self.summary["metric"]))
            raise KeyError(f"no metric {name!r} in these results (metrics: {known})")
        return rows.set_index("variant").loc[self.variants]

    def plan_cost_quantiles(self, probs: tuple[float, ...] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Plan cost (``plan_cost``, variable pay per year) P10/P50/P90 across replications, per variant.

        ``variant, p10, p50, p90, n``: finance budgets for the spread, not the mean. Variants
        that pay nothing (salary only) read 0; results without the metric give no rows.
        """
        rows = self.run_metrics[self.run_metrics["metric"] == "plan_cost"].dropna(subset=["value"])
        names = [f"p{round(100 * p):d}" for p in probs]
        out = []
        for variant in self.variants:
            costs = rows.loc[rows["variant"] == variant, "value"].tolist()
            if costs:
                out.append({"variant": variant, **cost_quantiles(costs, probs), "n": len(costs)})
        return pd.DataFrame(out, columns=["variant", *names, "n"])

    def table_columns(self, name: str, columns: Collection[str]) -> pd.DataFrame:
        """Run table ``name`` with only those of ``columns`` it has, in the table's order.

        An unparsed table is parsed for these columns only (the full table stays unparsed):
        the report reads 6 of the 17 columns of ``needs``, the largest table.
        """
        if name not in RUN_TABLES:
            raise KeyError(f"no run table {name!r}; run tables: {', '.join(RUN_TABLES)}")
        source = self.sources.get(name)
        if isinstance(source, LazyTable):
            return source.read(columns)
        frame = source if source is not None else pd.DataFrame()
        return frame[[c for c in frame.columns if c in set(columns)]]

    def table(self, name: str) -> pd.DataFrame:
        if name not in (*RUN_TABLES, *DERIVED_TABLES):
            raise KeyError(f"no table {name!r}; tables: {', '.join((*DERIVED_TABLES, *RUN_TABLES))}")
        frame: pd.DataFrame = getattr(self, name)
        return frame

    # ---- the folder

    def write(
        self,
        out_dir: str | Path,
        csv: Mapping[str, bytes | Sequence[Buffer]] | None = None,
        staging: Staging | None = None,
    ) -> Path:
        """Write every table, the resolved scenario and run_meta.json into ``out_dir``, as one set.

        ``csv`` may hold tables already rendered as CSV, whole or in chunks (the experiment
        has the run tables so, formatted by its workers), written as they are; tables
        already in ``staging`` (the experiment stages the run tables while it computes the
        statistics) are not written again. The set replaces the folder's old one only once
        every file is complete (:class:`~simulator.results.folder.Staging`): interrupted
        before, the folder is as it was; the old report goes with the old tables, so an
        ``index.html`` cssim did not write there is refused (InputError) before anything is
        written, as ``cssim run`` refuses it.
        """
        out = Path(out_dir)
        check_own_files(out, output_files(), str(out))
        with staging if staging is not None else output_staging(out) as stage:
            rendered = dict(csv or {})
            for name in (*DERIVED_TABLES, *RUN_TABLES):
                if f"{name}.csv" in stage.staged:
                    continue
                data = rendered.get(name)
                if data is None:
                    data = self.table(name).to_csv(index=False, lineterminator="\n").encode("utf-8")
                stage.write(f"{name}.csv", data)
            scenario_yaml = yaml.safe_dump(
                self.scenario.model_dump(mode="json", by_alias=True), sort_keys=False, allow_unicode=True
            )
            stage.write(SCENARIO_FILE, scenario_yaml.encode("utf-8"))
            meta = {**self.meta, "variants": self.variants, "sweep": self.sweep}
            stage.write(META_FILE, json.dumps(meta, indent=2, default=str).encode("utf-8"))
            stage.commit()
        return out

    @classmethod
    def load(cls, directory: str | Path) -> Results:
        """Rebuild the results saved by :meth:`write` (no rerun, no recomputation).

        A file the file system will not read is named: an :class:`~simulator.errors.InputError`
        without permission, a :class:`~simulator.errors.ReadFailed` on an I/O error; the run
        tables are read when first used, and raise the same way then."""
        folder = Path(directory)
        meta = _read_meta(folder)
        variants, sweep = _listed_variants(meta, folder / META_FILE), _sweep_record(meta, folder / META_FILE)
        scenario = _read_scenario(folder / SCENARIO_FILE)
        frames = {name: _read_csv(folder / f"{name}.csv") for name in DERIVED_TABLES}
        # A run table the engine did not produce (or an older folder lacks) is empty, not an error.
        sources = {name: LazyTable(path) for name in RUN_TABLES if _exists(path := folder / f"{name}.csv")}
        return cls(
            scenario=scenario, variants=variants, meta=meta, sweep=sweep, sources=dict(sources), folder=folder, **frames
        )


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """The file system's refusal to read ``path`` as the error naming it (:func:`~simulator.errors.unreadable`)."""
    try:
        yield
    except OSError as exc:
        raise unreadable(path, exc) from None


def _exists(path: Path) -> bool:
    with _reading(path):
        return path.exists()


def _read_meta(folder: Path) -> dict[str, Any]:
    path = folder / META_FILE
    with _reading(folder):
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder")
    with _reading(path):
        if not path.is_file():
            raise InputError(
                f"{folder}: not a complete cssim output folder ({META_FILE} is missing); run `cssim run` first"
            )
        raw = path.read_bytes()
    try:
        meta: dict[str, Any] = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: expected a JSON object, got {type(meta).__name__}")
    if UNFINISHED in meta:
        raise InputError(
            f"{folder}: cssim did not finish replacing the files there (a write failed, or it was stopped), so its "
            "tables may mix two runs; rerun the command that wrote them (`cssim run --resume` reuses its saved runs)"
        )
    return meta


def _listed_variants(meta: dict[str, Any], path: Path) -> list[str]:
    """Pop ``variants``, the names in order (none listed: an empty list), from ``path``'s ``meta``.

    An edited file's ``null``, number or text would otherwise be a TypeError, or text read
    letter by letter as variant names."""
    names = meta.pop("variants", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise InputError(
            f'{path}: variants must be a list of variant names, e.g. ["base", "more CSMs"] (got {_shown(names)})'
        )
    return names


def _sweep_record(meta: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """Pop ``sweep`` from ``path``'s ``meta``: null, or the swept path and each point's value."""
    sweep = meta.pop("sweep", None)
    if sweep is None:
        return None
    if not (isinstance(sweep, dict) and isinstance(sweep.get("path"), str) and isinstance(sweep.get("values"), dict)):
        raise InputError(
            f'{path}: sweep must be null or {{"path": "dotted.path", "values": {{"variant name": value}}}} '
            f"(got {_shown(sweep)})"
        )
    return sweep


def _shown(value: Any) -> str:
    """A value as the JSON file has it, cut short past a line."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _read_scenario(path: Path) -> Scenario:
    """The resolved scenario, read and checked as ``cssim validate`` reads a scenario file, so
    an edited one is reported as ``FILE:LINE: path: problem`` lines."""
    with _reading(path):
        if not path.is_file():
            raise InputError(f"{path}: missing; the output folder is incomplete")
        with path.open("rb"):  # one that cannot be read is not an invalid scenario: say so alone
            pass
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        header = f"{path} is not a valid resolved scenario (edited since the run?); rerun cssim run, or fix:"
        raise ScenarioError([header, *exc.problems]) from None


def read_table(source: Path | bytes | Sequence[Buffer], columns: Collection[str] | None = None) -> pd.DataFrame:
    """A table from CSV, read the one way every table is read (in memory or from a folder).

    ``source`` may be a file, bytes, or chunks of bytes read one after another (the
    experiment's run tables: half a gigabyte would cost seconds to join first). Only an
    empty field is missing: a segment called "NA" or "null" stays a name. ``columns``
    keeps only those columns (any missing is simply absent); each column is parsed the
    same whichever others are kept.
    """
    handle: Path | io.BufferedIOBase
    if isinstance(source, Path):
        handle = source
    elif isinstance(source, bytes):
        handle = io.BytesIO(source)
    else:
        handle = io.BufferedReader(_Chunks(source), buffer_size=1 << 20)
    wanted = None if columns is None else set(columns)
    try:
        with warnings.catch_warnings():
            # A column of numbers with text in it reads as mixed types; the report's checks name each
            # such field (FILE:LINE: column), so pandas' warning about it would only be noise.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(
                handle,
                keep_default_na=False,
                na_values=[""],
                usecols=None if wanted is None else wanted.__contains__,
                dtype=dict.fromkeys(TEXT_COLUMNS, str),
            )
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    if frame.empty:  # a header alone: every column untyped, as pandas builds an empty table in memory
        return frame.astype(object)
    return frame


TEXT_COLUMNS = ("variant", "metric", "target", "op", "status", "segment", "team", "feature", "fate", "kind", "queue")
"""Columns of names, read as text whatever they look like. pandas infers a column's type a
chunk of lines at a time: a variant named '2027' became the number 2027 in the chunks of a
large table where no other variant's rows were, and those rows dropped out of its charts."""


def _read_csv(path: Path, columns: Collection[str] | None = None) -> pd.DataFrame:
    try:
        with _reading(path):
            if not path.is_file():
                raise InputError(f"{path}: missing; the output folder is incomplete")
            return read_table(path, columns)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a readable CSV ({exc})") from None
