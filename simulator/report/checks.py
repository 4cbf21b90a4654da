"""The tables a report reads, checked once before any section reads them.

A results folder's CSV tables are user-editable input to ``cssim report``: a renamed header,
a number typed as text, a row pasted twice or a file cut short would otherwise surface as a
pandas traceback deep inside a section, or quietly as "–" in a table. :func:`check_tables`
lists every such problem in one :class:`~simulator.errors.InputError`, each as
``FILE:LINE: column: what is wrong (got VALUE)``. The checks are vectorised over whole
columns and see only the columns the report parses (of the large run tables, just
:data:`~simulator.report.source.COLUMNS`), so they cost milliseconds on millions of rows.

Lines are counted as one row per line after the header, as cssim writes its tables, each
line ended by a line break: a file whose last line has none was cut inside it.
A run table may lack a column the report reads (results older than the column): the section
then says what it cannot show, so only the run tables' key columns are required.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.errors import InputError
from simulator.results.statistics import COMPARISON_COLUMNS, MET, NOT_MET, SUMMARY_COLUMNS, TARGET_COLUMNS, UNDECIDED
from simulator.scenario.experiment_spec import TARGET_RANGES, Target
from simulator.scenario.problems import meant_share

SHOWN = 5
"""Problems of one kind listed per column before the rest are counted."""


@dataclass(frozen=True)
class Rules:
    """What one table must satisfy. A rule on a column the table lacks is skipped (such a
    column is in ``required`` when the report cannot do without it)."""

    required: tuple[str, ...]
    filled: tuple[str, ...] = ()
    """Never empty (a line cut short leaves its last fields empty)."""
    numbers: tuple[str, ...] = ()
    """Finite numbers or empty (missing); ``hours_*`` stands for every column so named."""
    counts: tuple[str, ...] = ()
    """Whole numbers >= 0, or empty."""
    not_negative: tuple[str, ...] = ()
    """Numbers (see ``numbers``) that cannot be below 0: hours, days, dollars, customers."""
    shares: tuple[str, ...] = ()
    """Numbers (see ``numbers``) from 0 to 1."""
    key: tuple[str, ...] = ()
    """Columns no two rows may share all of."""
    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The only values of a column (empty too, unless it is in ``filled``)."""
    booleans: tuple[str, ...] = ()
    """True or False (as cssim writes them, in any case), or 1 or 0; or empty (see ``filled``)."""
    ordered: tuple[tuple[str, ...], ...] = ()
    """Numbers that never decrease along each chain of columns, where present (an interval's
    ``ci_low, mean, ci_high``; a need's ``arise_day, start_day``)."""
    in_range: str | None = None
    """A number column (``mean``, ``value``) within what the row's ``metric`` can take."""
    counted: str | None = None
    """A column (a mean) that has a value wherever ``n``, the runs it is over, is 1 or more."""


NOISE = 1e-6
"""How far past 0 or 1 a bounded number may lie: cssim's own sums leave float noise there
(a book's ARR of -5e-9 dollars, a busy share of 1.000000000000002), never a real value."""

RUN_KEY = ("variant", "replication")
HEALTH = ("health_green", "health_yellow", "health_red")
HOURS = ("active_days", "hours_*", "available_hours")
FATES = ("jit", "late", "expired", "open")
INTERVAL = ("ci_low", "mean", "ci_high")
"""A Student-t interval holds its mean (the interval itself may pass the metric's range)."""
RULES: dict[str, Rules] = {
    "summary": Rules(
        tuple(SUMMARY_COLUMNS),
        ("variant", "metric", "n"),
        ("mean", "ci_low", "ci_high"),
        ("n",),
        key=("variant", "metric"),
        ordered=(INTERVAL,),
        in_range="mean",
        counted="mean",
    ),
    "comparisons": Rules(
        tuple(COMPARISON_COLUMNS),
        ("variant", "metric", "n"),
        ("diff_mean", "diff_ci_low", "diff_ci_high"),
        ("n",),
        key=("variant", "metric"),
        ordered=(("diff_ci_low", "diff_mean", "diff_ci_high"),),
        counted="diff_mean",
    ),
    # Keyed by target, not metric: two targets may bound one metric (grr >= 0.9, grr <= 1.2).
    "targets": Rules(
        tuple(TARGET_COLUMNS),
        ("variant", "target", "metric", "bar", "status"),
        ("bar", "mean", "ci_low", "ci_high"),
        key=("variant", "target"),
        allowed={"status": (MET, NOT_MET, UNDECIDED)},
        ordered=(INTERVAL,),
    ),
    "run_metrics": Rules(
        (*RUN_KEY, "metric", "value"),
        (*RUN_KEY, "metric"),
        ("value",),
        ("replication",),
        key=(*RUN_KEY, "metric"),
        in_range="value",
    ),
    # cssim writes every field the report reads of a run table but a few (a need's start_day,
    # a customer's live_day, a touch's feature, a salary-only CSM's attainment): an empty one
    # elsewhere would leave a run out of a mean unnoticed.
    "timeseries": Rules(
        (*RUN_KEY, "month"),
        (*RUN_KEY, "month", "day", "active_customers", "arr_usd", *HEALTH, "backlog", "uncovered"),
        ("day", "active_customers", "arr_usd", *HEALTH, "backlog", "uncovered"),
        ("replication", "month"),
        not_negative=("active_customers", "arr_usd", *HEALTH, "backlog", "uncovered"),
        key=(*RUN_KEY, "month"),  # a month twice would count as two replications in its band
    ),
    "csms": Rules(
        RUN_KEY,
        (*RUN_KEY, "team", "period_start_day", "period_end_day", *HOURS, "book_accounts", "touches", "payout_usd"),
        ("period_start_day", "period_end_day", *HOURS, "attainment", "payout_usd"),
        ("replication", "book_accounts", "touches"),
        not_negative=(*HOURS, "attainment", "payout_usd"),
        key=(*RUN_KEY, "csm", "period"),  # a CSM-period twice would count its hours and pay twice
        ordered=(("period_start_day", "period_end_day"),),
    ),
    # The large tables' variant names go unchecked for empties: a row without one only drops out of
    # its chart, and finding empties in millions of strings costs a tenth of a second.
    "customers": Rules(
        RUN_KEY,
        ("replication", "churned", "final_engagement", "final_value"),
        ("final_engagement", "final_value", "live_day"),
        ("replication",),
        shares=("final_engagement", "final_value"),
        booleans=("churned",),
    ),
    "needs": Rules(
        RUN_KEY,
        ("replication", "arise_day", "fate"),
        ("arise_day", "start_day"),
        ("replication",),
        allowed={"fate": FATES},
        ordered=(("arise_day", "start_day"),),  # guidance starts once the need has arisen, never before
    ),
    "touches": Rules(("variant",), ("day",), ("day",)),
}
"""Every table the report reads (:data:`~simulator.report.source.TABLES`) and its rules: the
derived tables' columns are the contract's (``statistics``); the run tables' are those the
report computes with (``simulator/engine/records.py`` defines them; identifiers such as
``csm`` and ``period`` only group rows, so any value does)."""

DERIVED = ("summary", "comparisons", "targets", "run_metrics")
OPTIONAL = frozenset(RULES) - set(DERIVED)
"""Run tables: one the folder lacks (or an empty file) is a section's note, not an error."""


def check_tables(
    tables: Mapping[str, pd.DataFrame],
    variants: Sequence[str],
    targets: Sequence[str],
    folder: Path | None,
    teams: Collection[str] = (),
) -> None:
    """Raise one InputError listing every problem of ``tables`` (as the report read them).

    ``variants``: the variants run_meta.json lists (none: not checked); ``targets``: the
    scenario's, as ``str(Target)`` writes them; ``folder``: where the tables came from, for
    the messages (``None``: results in memory, named by their file names alone); ``teams``:
    every team of any variant (none: not checked).
    """
    problems: list[str] = []
    clean = set()
    for name, rules in RULES.items():
        frame = tables.get(name)
        if frame is None or (name in OPTIONAL and frame.columns.empty):
            continue
        found = _table_problems(frame, rules, _label(folder, name))
        if folder is not None and not found:
            found = _cut_short(folder / f"{name}.csv", len(frame))
        problems += found
        clean |= set() if found else {name}
    if set(DERIVED) <= clean:
        problems += _agreement(tables, [str(v) for v in variants], targets, folder)
    if "run_metrics" in clean:
        runs = {name: tables[name] for name in sorted(clean & OPTIONAL)}
        problems += _run_rows(runs, tables["run_metrics"], [str(v) for v in variants], folder, sorted(teams))
    if problems:
        raise InputError("\n".join(problems))


def check_sizing(record: Any, folder: Path | None) -> None:
    """Raise an InputError if run_meta.json's ``sizing`` record (``cssim size``'s, read by the
    sizing block) is not in the shape :meth:`~simulator.sizing.outcome.Sizing.to_dict`
    writes: an edited one would otherwise be a TypeError inside a section."""
    if record is None:
        return
    where = f"{folder / 'run_meta.json' if folder is not None else 'run_meta.json'}: sizing"
    if not isinstance(record, Mapping):
        raise InputError(f"{where}: must be an object, as cssim size writes it (got {_json(record)})")
    shapes = (("values", Mapping, "an object"), ("targets", list, "a list"), ("probes", list, "a list"))
    problems = [
        f"{where}.{key}: must be {what} (got {_json(record[key])})"
        for key, kind, what in shapes
        if key in record and not isinstance(record[key], kind)
    ]
    probes = record.get("probes")
    for i, probe in enumerate(probes if isinstance(probes, list) else []):
        checks = probe.get("checks", []) if isinstance(probe, Mapping) else None
        if not isinstance(checks, list) or not all(isinstance(check, Mapping) for check in checks):
            problems.append(f"{where}.probes[{i}]: must be an object whose checks are a list of objects")
    if problems:
        raise InputError("\n".join(problems))


def _json(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _cut_short(path: Path, rows: int) -> list[str]:
    """A file that does not end with a line break was cut inside its last line (cssim ends
    every line of a table with one). Cut inside the last field, the line still parses, to a
    wrong value (an ``n`` of 20 read as 2, a ``wanted`` of True as "Tr"): only the missing
    line break tells."""
    try:
        with path.open("rb") as handle:
            if handle.seek(0, 2) == 0:
                return []
            handle.seek(-1, 2)
            last = handle.read(1)
    except OSError:
        return []
    if last in (b"\n", b"\r"):
        return []
    return [
        f"{path}:{_line(rows - 1)}: the file ends inside this line (no line break after it): cut short? "
        "Rerun cssim run; if you edited the file, end it with a line break"
    ]


def _label(folder: Path | None, name: str) -> str:
    return str(folder / f"{name}.csv") if folder is not None else f"{name}.csv"


def _table_problems(frame: pd.DataFrame, rules: Rules, label: str) -> list[str]:
    if frame.columns.empty:
        return [f"{label}: empty; expected a header line {','.join(rules.required)} and a line per row"]
    lacking = [c for c in rules.required if c not in frame.columns]
    if lacking:
        have, wanted = ", ".join(map(str, frame.columns)), ", ".join(rules.required)
        return [f"{label}: no column {', '.join(map(repr, lacking))} (the header has {have}; expected {wanted})"]
    problems: list[str] = []
    for column in _present(frame, rules.filled):
        if column not in rules.allowed:  # an allowed column's empties are found with its other values
            problems += _rows(label, frame, column, frame[column].isna(), "empty", "; was the line cut short?")
    from_zero = {*rules.counts, *_present(frame, (*rules.not_negative, *rules.shares))}
    for column in _present(frame, (*rules.numbers, *rules.counts)):
        low, high = (0.0 if column in from_zero else -np.inf), (1.0 if column in rules.shares else np.inf)
        problems += _number_problems(frame, column, label, whole=column in rules.counts, low=low, high=high)
    for column in _present(frame, rules.booleans):
        unread = frame[column].notna() & truth(frame[column]).isna()
        problems += _rows(label, frame, column, unread, "must be True or False")
    for column, values in rules.allowed.items():
        if column in frame.columns:
            problems += _value_problems(frame, column, values, label, filled=column in rules.filled)
    if problems:  # the checks below compare numbers, which the ones above have found readable
        return problems
    for chain in rules.ordered:
        problems += _order_problems(frame, [c for c in chain if c in frame.columns], label)
    if rules.in_range is not None and rules.in_range in frame.columns and "metric" in frame.columns:
        problems += _range_problems(frame, rules.in_range, label)
    if rules.counted is not None and {rules.counted, "n"} <= set(frame.columns):
        runs = _floats(frame, "n")
        blank = np.flatnonzero(np.isnan(_floats(frame, rules.counted)) & (runs >= 1))
        problems += [
            f"{label}:{_line(i)}: {rules.counted}: empty, but n is {int(runs[i])} (the runs it is the mean of)"
            for i in blank[:SHOWN]
        ]
        if blank.size > SHOWN:
            problems.append(f"{label}: {rules.counted}: and {blank.size - SHOWN} more such rows")
    if rules.key and not problems:
        problems += _repeats(frame, rules.key, label)
    return problems


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column of numbers (checked readable) as floats, missing as NaN."""
    raw = frame[column]
    values = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_numeric(raw.astype(object), errors="coerce")
    return values.to_numpy(dtype=float, na_value=np.nan)


def _order_problems(frame: pd.DataFrame, chain: list[str], label: str) -> list[str]:
    """Each row where a column of ``chain`` is below the nearest one before it that has a
    value (``ci_low`` over ``mean``, or over ``ci_high`` when the mean is missing)."""
    problems: list[str] = []
    before = np.full(len(frame), np.nan)
    named = np.zeros(len(frame), dtype=np.int8)  # the position in ``chain`` of ``before``'s column
    for k, column in enumerate(chain):
        here = _floats(frame, column)
        where = np.flatnonzero(here < before)  # never where either is missing
        problems += [
            f"{label}:{_line(i)}: {column}: must be >= {chain[named[i]]} {_number(before[i])} (got {_number(here[i])})"
            for i in where[:SHOWN]
        ]
        if where.size > SHOWN:
            problems.append(f"{label}: {column}: and {where.size - SHOWN} more such rows")
        if k == 0:
            before = here
        elif k < len(chain) - 1:
            present = ~np.isnan(here)
            before = np.where(present, here, before)
            named[present] = k
    return problems


def _number(x: float) -> str:
    """A number as the table writes it (shortest round trip; whole ones without ``.0``)."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(float(x))


def _range_problems(frame: pd.DataFrame, column: str, label: str) -> list[str]:
    """Each row whose ``column`` lies outside what its metric can take (a GRR of 92 for 0.92).

    The metric's range is the one its targets' bars are held to (``grr@smb``: GRR's); a
    metric this cssim does not know is not judged (results of a newer one still render)."""
    codes, names = pd.factorize(frame["metric"].astype(str))  # a few dozen names over thousands of rows
    ranges = [TARGET_RANGES.get(str(name).partition("@")[0], _ANY) for name in names]
    low = np.array([r[0] for r in ranges], dtype=float)[codes]
    high = np.array([r[1] for r in ranges], dtype=float)[codes]
    values = _floats(frame, column)
    where = np.flatnonzero((values < low - NOISE) | (values > high + NOISE))
    problems = []
    for i in where[:SHOWN]:
        metric = str(names[codes[i]])
        lo, hi, unit = ranges[codes[i]]
        span = f"at least {lo:g}" if hi == np.inf else f"from {lo:g} to {hi:g}"
        meant = meant_share(lo, hi, values[i]) if values[i] >= 2 else None  # 1.03 is no clear percentage
        hint = f"; did you mean {meant:g}?" if meant is not None else ""
        problems.append(f"{label}:{_line(i)}: {column}: {metric} is {span} ({unit}) (got {_number(values[i])}){hint}")
    if where.size > SHOWN:
        problems.append(f"{label}: {column}: and {where.size - SHOWN} more such rows")
    return problems


_ANY = (-np.inf, np.inf, "")


TRUE_TEXT = ("true", "1", "1.0")
FALSE_TEXT = ("false", "0", "0.0")


def truth(column: pd.Series) -> pd.Series:
    """A True/False column as the report reads it: ``True``/``False`` in any case (pandas reads
    a column of nothing else as booleans), or 1/0; missing (NA) where a field says neither
    (``yes``, ``maybe``) or is empty. One reading for the checks and the sections alike, so a
    value the checks let through is never read as something else."""
    if pd.api.types.is_bool_dtype(column):
        return column  # what cssim writes: nothing to convert
    if pd.api.types.is_numeric_dtype(column):
        numbers = column.astype(float)
        return (numbers == 1).astype("boolean").where(numbers.isin((0.0, 1.0)))
    text = column.astype(object).where(column.notna(), "").astype(str).str.strip().str.lower()
    return text.isin(TRUE_TEXT).astype("boolean").where(text.isin(TRUE_TEXT + FALSE_TEXT))


def _present(frame: pd.DataFrame, columns: Collection[str]) -> list[str]:
    prefixes = tuple(c[:-1] for c in columns if c.endswith("*"))
    return [str(c) for c in frame.columns if c in columns or (prefixes and str(c).startswith(prefixes))]


def _number_problems(
    frame: pd.DataFrame, column: str, label: str, *, whole: bool, low: float = -np.inf, high: float = np.inf
) -> list[str]:
    """Each field of ``column`` that is not a finite number (an empty one is missing), not a whole
    one when ``whole``, or outside ``low`` to ``high`` (give or take :data:`NOISE`)."""
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):  # a column of True and False: pandas would count them as 1 and 0
        return _rows(label, frame, column, raw.to_numpy(), "not a number")
    numeric = pd.api.types.is_numeric_dtype(raw)
    values = raw if numeric else pd.to_numeric(raw.astype(object), errors="coerce")
    if not numeric:
        # Only the empty field is missing: "nan" or "NA" typed in is a mistake, and so is True or
        # False among empties (an object column to_numeric reads as 1 and 0).
        text = (values.isna() & raw.notna()) | (values.notna() & raw.astype(str).isin(("True", "False")))
        if text.any():
            return _rows(label, frame, column, text, "not a number", "; leave the field empty for a missing value")
    floats = values.to_numpy(dtype=float, na_value=np.nan)
    problems = _rows(label, frame, column, np.isinf(floats), "must be a finite number")
    if whole and not pd.api.types.is_integer_dtype(values):
        fraction = np.isfinite(floats) & (floats != np.floor(floats))
        problems += _rows(label, frame, column, fraction, "must be a whole number")
    if high < np.inf:
        outside = np.isfinite(floats) & ((floats < low - NOISE) | (floats > high + NOISE))
        problems += _rows(label, frame, column, outside, f"must be from {low:g} to {high:g}")
    elif low > -np.inf:
        problems += _rows(label, frame, column, floats < low - NOISE, f"must be >= {low:g}")
    return problems


def _value_problems(
    frame: pd.DataFrame, column: str, values: tuple[str, ...], label: str, *, filled: bool
) -> list[str]:
    """Each field of ``column`` that is not one of ``values`` (an empty one only when ``filled``).

    One pass over the column: finding the empties of millions of strings apart would cost as
    much again, so they are told apart among the offending rows alone."""
    raw = frame[column]
    bad = ~raw.isin(values).to_numpy()
    where = np.flatnonzero(bad)
    if where.size == 0:
        return []
    empty = np.zeros(len(raw), dtype=bool)
    empty[where] = raw.iloc[where].isna().to_numpy()
    what = f"must be one of {', '.join(map(repr, values))}"
    problems = _rows(label, frame, column, bad & ~empty, what)
    if filled:
        problems += _rows(label, frame, column, empty, "empty", "; was the line cut short?")
    return problems


def _rows(
    label: str, frame: pd.DataFrame, column: str, bad: pd.Series | np.ndarray, what: str, hint: str = ""
) -> list[str]:
    """One problem per offending row, the first :data:`SHOWN`, then how many more."""
    where = np.flatnonzero(np.asarray(bad, dtype=bool))
    if where.size == 0:
        return []
    raw = frame[column]
    out = [f"{label}:{_line(i)}: {column}: {what}{_got(raw.iloc[i])}{hint}" for i in where[:SHOWN]]
    if where.size > SHOWN:
        out.append(f"{label}: {column}: and {where.size - SHOWN} more such rows")
    return out


def _line(position: int) -> int:
    """The file line of the row at ``position``: line 1 is the header."""
    return position + 2


def _got(value: object) -> str:
    if pd.isna(value):  # type: ignore[call-overload]
        return ""
    return f" (got {_plain(value)!r})"


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (whose repr is ``3``, not ``np.int64(3)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _repeats(frame: pd.DataFrame, key: tuple[str, ...], label: str) -> list[str]:
    keys = frame[list(key)]
    mixed = {c: str for c in key if keys[c].dtype == object}  # 3 and "3" (parsed in separate chunks) are one
    keys = keys.astype(mixed) if mixed else keys  # numbers hash as they are: 10x faster than as text
    repeated = np.flatnonzero(keys.duplicated().to_numpy())
    out = []
    for i in repeated[:SHOWN]:
        first = int(np.flatnonzero((keys == keys.iloc[i]).all(axis=1).to_numpy())[0])
        named = ", ".join(f"{c} {_plain(keys[c].iloc[i])!r}" for c in key)
        out.append(f"{label}:{_line(i)}: a second row for {named} (the first is line {_line(first)})")
    if repeated.size > SHOWN:
        out.append(f"{label}: and {repeated.size - SHOWN} more repeated rows")
    return out


def _agreement(
    tables: Mapping[str, pd.DataFrame], variants: list[str], targets: Sequence[str], folder: Path | None
) -> list[str]:
    """The derived tables against each other and run_meta.json's variants.

    ``summary`` holds exactly the (variant, metric) pairs of ``run_metrics``, and
    ``comparisons`` one row per pair that the baseline has too (``statistics.summarize``
    and ``compare``); ``targets`` a row per variant and target. A file cut short at a line
    break passes every check of its own, but not these.
    """
    summary, runs = _label(folder, "summary"), _label(folder, "run_metrics")
    if variants:
        unknown = [p for n in DERIVED for p in _unknown_variants(tables[n], variants, _label(folder, n))]
        if unknown:
            return unknown  # the pairs would only repeat them
    keys = {name: _keys(tables[name]) for name in ("summary", "comparisons", "run_metrics")}
    seen = {v for v, _ in keys["summary"] | keys["run_metrics"]}
    problems = [
        f"{summary}: no rows for variant {v!r}, which run_meta.json lists; was the file cut short?"
        for v in variants
        if v not in seen
    ]
    order = variants or list(dict.fromkeys(tables["summary"]["variant"].astype(str)))
    base = order[0] if order else ""
    paired = {(v, m) for v, m in keys["run_metrics"] if v != base and (base, m) in keys["run_metrics"]}
    frame = tables["targets"]
    verdicts = set(zip(frame["variant"].astype(str), frame["target"].astype(str), strict=True))
    return [
        *problems,
        *_missing(keys["summary"], keys["run_metrics"], summary, f"{runs} has"),
        *_missing(keys["run_metrics"], keys["summary"], runs, f"{summary} has"),
        *_missing(keys["comparisons"], paired, _label(folder, "comparisons"), f"{runs} has for it and the baseline"),
        *_missing(verdicts, {(v, t) for v in order for t in targets}, _label(folder, "targets"), "the scenario sets"),
        *_verdicts(frame, targets, _label(folder, "targets")),
        *_counts(tables["summary"], tables["run_metrics"], summary, runs),
    ]


def _counts(summary: pd.DataFrame, runs: pd.DataFrame, label: str, source: str) -> list[str]:
    """Each row of ``summary`` whose ``n`` is not the number of values ``run_metrics`` has for
    its variant and metric (``n`` counts the runs that define the metric; the answer warns
    below 8 of them)."""
    counted = runs.groupby([runs["variant"].astype(str), runs["metric"].astype(str)])["value"].count()
    keys = pd.MultiIndex.from_arrays([summary["variant"].astype(str), summary["metric"].astype(str)])
    expected = counted.reindex(keys).to_numpy(dtype=float)  # NaN: a pair run_metrics lacks, named above
    given = _floats(summary, "n")
    wrong = np.flatnonzero(~np.isnan(expected) & (expected != given))
    out = [
        f"{label}:{_line(i)}: n: must be {int(expected[i])}, the values {source} has for variant "
        f"{summary['variant'].iloc[i]!r}, metric {summary['metric'].iloc[i]!r} (got {_number(given[i])})"
        for i in wrong[:SHOWN]
    ]
    if wrong.size > SHOWN:
        out.append(f"{label}: n: and {wrong.size - SHOWN} more such rows")
    return out


_MEETS = {">=": np.greater_equal, "<=": np.less_equal, ">": np.greater, "<": np.less}
""":meth:`~simulator.scenario.experiment_spec.Target.met_by`, over an array of values."""


def _verdicts(frame: pd.DataFrame, targets: Sequence[str], label: str) -> list[str]:
    """Each row of ``targets`` for a target the scenario does not set (the answer would count
    it), or whose status is not the one its own interval gives against the bar
    (:func:`~simulator.results.statistics.target_status`: the answer reads the status, the
    table beside it the interval)."""
    texts = frame["target"].astype(str)
    unknown = ~texts.isin(targets)
    listed = ", ".join(targets) if targets else "none"
    problems = _rows(label, frame, "target", unknown, f"not one of the scenario's targets ({listed})")
    low, high = _floats(frame, "ci_low"), _floats(frame, "ci_high")
    expected = np.full(len(frame), "", dtype=object)
    for text in dict.fromkeys(texts[~unknown]):
        target, mine = Target.parse(text), (texts == text).to_numpy()
        low_met, high_met = (_MEETS[target.op](end[mine], target.value) for end in (low, high))
        verdict = np.where(low_met & high_met, MET, np.where(~low_met & ~high_met, NOT_MET, UNDECIDED))
        expected[mine] = np.where(np.isnan(low[mine]) | np.isnan(high[mine]), UNDECIDED, verdict)
    given = frame["status"].astype(str).to_numpy()
    wrong = np.flatnonzero((expected != "") & (expected != given))
    for i in wrong[:SHOWN]:
        interval = (
            "no interval" if np.isnan(low[i] + high[i]) else f"the interval {_number(low[i])} to {_number(high[i])}"
        )
        problems.append(
            f"{label}:{_line(i)}: status: must be {expected[i]!r} for {texts.iloc[i]} with {interval}{_got(given[i])}"
        )
    if wrong.size > SHOWN:
        problems.append(f"{label}: status: and {wrong.size - SHOWN} more such rows")
    return problems


SMALL = ("timeseries", "csms")
"""Run tables of a few thousand rows, whose variant names cost nothing to check. In the large
ones (millions of rows) a misspelt name only drops a row out of its chart, and checking every
name would cost a tenth of a second."""


def _run_rows(
    tables: Mapping[str, pd.DataFrame],
    runs: pd.DataFrame,
    variants: list[str],
    folder: Path | None,
    teams: list[str],
) -> list[str]:
    """The run tables' runs against ``run_metrics``'s: every replication number one it has (a
    mistyped one would be a replication of its own in every chart's mean and interval), the
    small tables' variants ones run_meta.json lists, ``csms``' teams ones the scenario has (a
    CSM of no known team drops out of the proactive work its team owes), and ``timeseries`` a
    row for every run of ``run_metrics`` and every month any run has (a month missing from
    one run would leave that run out of the month's band unnoticed)."""
    known = pd.unique(runs["replication"])
    span = _span(sorted(int(r) for r in known))
    problems: list[str] = []
    for name, frame in tables.items():
        label = _label(folder, name)
        if variants and name in SMALL:
            unknown = _unknown_variants(frame, variants, label)
            if unknown:
                problems += unknown
                continue
        if teams and name == "csms" and "team" in frame.columns:
            names = frame["team"].astype(str)
            what = f"not a team of the scenario or its variants ({', '.join(teams)})"
            problems += _rows(label, frame.assign(team=names), "team", ~names.isin(teams), what)
        if "replication" not in frame.columns:
            continue
        stray = np.setdiff1d(np.asarray(pd.unique(frame["replication"])), np.asarray(known))  # a few numbers: cheap
        if stray.size:
            what = f"not a replication of these results (run_metrics.csv has {span})"
            problems += _rows(label, frame, "replication", frame["replication"].isin(stray), what)
        elif name == "timeseries":
            problems += _months(frame, runs, label)
    return problems


def _span(numbers: list[int]) -> str:
    if numbers and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]} to {numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
    return ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")


def _months(series: pd.DataFrame, runs: pd.DataFrame, label: str) -> list[str]:
    """A row of ``series`` for every run of ``runs`` and every month any run has."""
    names = series["variant"].astype(str)
    counts = series.groupby([names, series["replication"]], sort=False).size()
    present = {(str(v), int(r)) for v, r in counts.index}
    wanted = set(zip(runs["variant"].astype(str), runs["replication"].astype(int), strict=True))
    problems = [
        f"{label}: no rows for variant {v!r} replication {r}, which run_metrics.csv has; was the file cut short?"
        for v, r in sorted(wanted - present)
    ]
    months = np.unique(series["month"].to_numpy())
    for run in counts.index[counts.to_numpy() < months.size]:  # the few runs short of a month
        variant, replication = str(run[0]), int(run[1])
        mine = series["month"][(names == variant) & (series["replication"] == replication)]
        lacking = [int(m) for m in np.setdiff1d(months, mine.to_numpy())]
        more = f" and {len(lacking) - SHOWN} more" if len(lacking) > SHOWN else ""
        problems.append(
            f"{label}: variant {variant!r} replication {replication} has no row for month "
            f"{', '.join(map(str, lacking[:SHOWN]))}{more}, which the other runs have; was a line deleted?"
        )
    return problems[: 2 * SHOWN]


def _keys(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["variant"].astype(str), frame["metric"].astype(str), strict=True))


def _unknown_variants(frame: pd.DataFrame, variants: list[str], label: str) -> list[str]:
    names = frame["variant"].astype(str)
    what = f"not one of the variants run_meta.json lists ({', '.join(variants)})"
    return _rows(label, frame.assign(variant=names), "variant", ~names.isin(variants), what)


def _missing(have: set[tuple[str, str]], wanted: set[tuple[str, str]], label: str, source: str) -> list[str]:
    """One line per variant with rows ``wanted`` that ``have`` lacks."""
    lacking: dict[str, list[str]] = {}
    for variant, item in sorted(wanted - have):
        lacking.setdefault(variant, []).append(item)
    present = {variant for variant, _ in have}
    out = []
    for variant, items in lacking.items():
        if variant not in present:
            what = f"no rows for variant {variant!r} ({len(items)} expected, which {source})"
        else:
            more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
            what = f"variant {variant!r} lacks {', '.join(items[:SHOWN])}{more}, which {source}"
        out.append(f"{label}: {what}; was the file cut short?")
    return out
