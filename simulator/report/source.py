"""What the report reads from a ``Results``: one adapter, so the contract lives in one place.

The report depends only on attribute names of the contract in docs/design.md (``scenario``,
``variants``, ``summary``, ``comparisons``, ``targets``, the run tables, ``meta`` and the
optional ``sweep``). Optional tables and columns may be missing: sections ask
:meth:`ReportData.table` with the columns they need and explain what they hide when it
returns ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import pandas as pd

from simulator.errors import InputError
from simulator.report.checks import check_sizing, check_tables
from simulator.report.formats import within_range
from simulator.report.labels import path_label, point_labels
from simulator.scenario.overrides import apply_overrides, get_path
from simulator.scenario.schema import Scenario

TABLES = ("run_metrics", "summary", "comparisons", "targets", "timeseries", "customers", "csms", "needs", "touches")
"""Tables the report may read; only ``summary`` is required."""

COLUMNS = {
    "needs": ("variant", "replication", "arise_day", "start_day", "fate"),
    "touches": ("variant", "day", "feature"),
    "customers": ("variant", "replication", "final_engagement", "final_value", "churned", "live_day", "csm"),
}
"""The only columns the report reads of the large run tables. A ``Results`` parses just
these (``table_columns``): the others of ``needs`` alone took seconds to parse. A section
asking :meth:`ReportData.table` for another column of these tables is an error, not a
silently hidden chart: add the column here."""

BASELINE = "base"


@dataclass(frozen=True)
class SweepInfo:
    """The swept dotted path and the value each variant stands for."""

    path: str
    values: dict[str, Any]
    label: str = ""
    """What the path counts, for a reader ("CSMs"), or empty: the path itself is shown."""

    @property
    def axis(self) -> str:
        return self.label or self.path


@dataclass(frozen=True)
class ReportData:
    """The pieces of a Results the report needs, normalised."""

    scenario: Scenario
    variants: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    sweep: SweepInfo | None = None

    @classmethod
    def from_results(cls, results: Any) -> ReportData:
        scenario = getattr(results, "scenario", None)
        if not isinstance(scenario, Scenario):
            raise InputError(f"report: results.scenario must be a Scenario, got {type(scenario).__name__}")
        # The same round trip as scenario.resolved.yaml: an int default of a float field (14, not
        # 14.0) then reads the same in memory and from disk, so `cssim report` rebuilds the same page.
        scenario = Scenario.model_validate(scenario.model_dump(mode="json", by_alias=True))
        tables = {name: frame for name in TABLES if (frame := _read_table(results, name)) is not None}
        if "summary" not in tables:
            raise InputError("report: results.summary is missing; the report needs at least the summary table")
        listed = _listed(getattr(results, "variants", None))
        targets = [str(t) for t in scenario.parsed_targets()]
        meta = _plain_mapping(getattr(results, "meta", None))
        check_tables(tables, listed, targets, getattr(results, "folder", None), _team_names(scenario))
        check_sizing(meta.get("sizing"), getattr(results, "folder", None))
        tables["summary"] = _intervals_within_range(tables["summary"])
        variants = listed or _variant_names(tables["summary"])
        sweep = _sweep_info(getattr(results, "sweep", None), scenario, variants)
        if sweep is not None:
            variants, tables, sweep = _labelled(variants, tables, sweep, scenario)
        return cls(scenario, variants, tables, meta, sweep)

    def table(self, name: str, *columns: str) -> pd.DataFrame | None:
        """The table ``name`` if it exists, is not empty and has every one of ``columns``."""
        undeclared = [c for c in columns if name in COLUMNS and c not in COLUMNS[name]]
        if undeclared:
            raise ValueError(f"report: {name}.{undeclared[0]} is read but not in source.COLUMNS[{name!r}]")
        frame = self.tables.get(name)
        if frame is None or frame.empty or any(c not in frame.columns for c in columns):
            return None
        return frame

    def measured(self, name: str, day: str, *columns: str) -> pd.DataFrame | None:
        """:meth:`table`, keeping only rows whose ``day`` falls after the warm-up, as every metric does.

        The whole table if it has no ``day`` column or nothing is left after the warm-up.
        """
        frame = self.table(name, *columns)
        if frame is None or day not in frame.columns:
            return frame
        kept = frame[frame[day] >= self.scenario.warmup_days - 1e-9]
        return kept if not kept.empty else frame

    @property
    def baseline(self) -> str:
        return self.variants[0]

    def base_value(self, path: str) -> Any:
        """The baseline's value at a dotted path (a sweep's or a sizing's); KeyError if it has none."""
        return get_path(self.scenario.model_dump(mode="json", by_alias=True), path)

    def settings(self, variant: str) -> dict[str, Any]:
        """The overrides that make ``variant`` (empty for the baseline)."""
        for spec in self.scenario.variants:
            if spec.name == variant:
                return dict(spec.set)
        if self.sweep is not None and variant in self.sweep.values:
            return {self.sweep.path: self.sweep.values[variant]}
        return {}

    def resolved(self, variant: str, path: str, default: Any = None) -> Any:
        """The value at dotted ``path`` of the scenario as ``variant`` runs it."""
        base = self.scenario.model_dump(mode="json", exclude={"variants", "sweep"})
        try:
            return get_path(apply_overrides(base, self.settings(variant)), path)
        except (KeyError, InputError):
            return default


def _intervals_within_range(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with each interval's ends inside the values its metric can take
    (:func:`~simulator.report.formats.within_range`), so every table and chart shows them alike."""
    if not {"metric", "ci_low", "ci_high"} <= set(summary.columns):
        return summary
    ends = [
        within_range(str(m), float(lo), float(hi))
        for m, lo, hi in zip(summary["metric"], summary["ci_low"], summary["ci_high"], strict=True)
    ]
    out = summary.copy()
    out["ci_low"] = [lo for lo, _ in ends]
    out["ci_high"] = [hi for _, hi in ends]
    return out


def _read_table(results: Any, name: str) -> pd.DataFrame | None:
    """The table, with only :data:`COLUMNS` of it when ``results`` can parse just those."""
    select = getattr(results, "table_columns", None)
    if name in COLUMNS and callable(select):
        selected: pd.DataFrame = select(name, COLUMNS[name])
        return selected
    frame = getattr(results, name, None)
    return frame if isinstance(frame, pd.DataFrame) else None


def _team_names(scenario: Scenario) -> set[str]:
    """Every team of the scenario and of its variants (a variant may add one)."""
    base = scenario.model_dump(mode="json", exclude={"variants", "sweep"})
    names = set(base["teams"])
    for spec in scenario.variants:
        try:
            names |= set(get_path(apply_overrides(base, dict(spec.set)), "teams"))
        except (KeyError, InputError):
            continue
    return names


def _listed(raw: Any) -> list[str]:
    """The variant names the results list (run_meta.json's, from a folder), if any."""
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        return [str(getattr(v, "name", v)) for v in raw]
    return []


def _variant_names(summary: pd.DataFrame) -> list[str]:
    if "variant" in summary.columns:
        return [str(v) for v in pd.unique(summary["variant"])]
    raise InputError("report: results.variants is empty and summary has no 'variant' column")


def _sweep_info(raw: Any, scenario: Scenario, variants: list[str]) -> SweepInfo | None:
    """Accept ``{path, values}`` (values a mapping variant -> value, or a list in variant order)."""
    if raw is None:
        return None
    data = _plain_mapping(raw)
    path = str(data.get("path") or (scenario.sweep.path if scenario.sweep else ""))
    values = data.get("values", data.get("value"))
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if isinstance(values, Sequence) and not isinstance(values, str):
        names = variants[-len(values) :] if len(values) <= len(variants) else variants
        values = dict(zip(names, values, strict=False))
    if not path or not isinstance(values, Mapping) or not values:
        return None
    return SweepInfo(path, {str(k): v for k, v in values.items()})


def _labelled(
    variants: list[str], tables: dict[str, pd.DataFrame], sweep: SweepInfo, scenario: Scenario
) -> tuple[list[str], dict[str, pd.DataFrame], SweepInfo]:
    """The sweep's points under the labels the page shows (:mod:`~simulator.report.labels`),
    in every table at once, so every section compares and shows the same names."""
    labels = point_labels(sweep.path, sweep.values, scenario, variants)
    if not labels:
        return variants, tables, sweep
    relabelled = {
        name: frame.assign(variant=_renamed(frame["variant"], labels)) if "variant" in frame.columns else frame
        for name, frame in tables.items()
    }
    values = {labels.get(name, name): value for name, value in sweep.values.items()}
    label = path_label(sweep.path, scenario) or ""
    return [labels.get(v, v) for v in variants], relabelled, SweepInfo(sweep.path, values, label)


def _renamed(column: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """``column`` with each value in ``names`` replaced: a dict lookup per row (``Series.replace``
    took ten times as long, 1.4 s on a two-million-row run table)."""
    mapped = column.map(names)
    return mapped.where(mapped.notna(), column)


def _plain_mapping(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    if is_dataclass(raw) and not isinstance(raw, type):
        return {f.name: getattr(raw, f.name) for f in fields(raw)}
    if hasattr(raw, "model_dump"):
        return dict(raw.model_dump())
    return {k: v for k, v in vars(raw).items() if not k.startswith("_")} if hasattr(raw, "__dict__") else {}
