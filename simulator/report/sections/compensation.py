"""Section 5: compensation: what each plan pays, what it costs, and whether it pays for outcomes.

Plan cost is the sum of each CSM's payout (never the payout at average attainment: with
accelerators the two differ), annualised per replication; P10/P50/P90 are taken across
replications. A well-set plan has roughly 55-65% of people at or above target (practitioners' rule of thumb).
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from simulator.report.bands import SHARE, band
from simulator.report.charts import legend_key, new_figure, plot_text, share_bars, style_figure, variant_symbol
from simulator.report.formats import format_share, format_usd, format_value
from simulator.report.page import Block, Cell, Section, Table, chart, note
from simulator.report.source import ReportData
from simulator.results.metrics import alignment_points
from simulator.scenario.schema import DAYS_PER_MONTH

DAYS_PER_YEAR = 365.25
WELL_SET = (0.55, 0.65)
SCATTER_REPLICATIONS = 3


def build(data: ReportData, colours: dict[str, str]) -> Section:
    csms = data.measured("csms", "period_start_day", "variant", "replication", "csm", "payout_usd")
    if csms is None or not (csms["payout_usd"].fillna(0) > 0).any():
        text = "No option pays variable compensation (salary only, or no per-CSM payouts in these results), "
        return Section("compensation", "Compensation", [note(text + "so there is no payout to show.")])
    blocks: list[Block] = [
        _payout_box(data, csms, colours),
        cost_table(data, csms),
        *calibration_hints(data),
        _at_target(data, csms, colours),
        _payout_vs_outcome(data, csms, colours),
    ]
    return Section("compensation", "Compensation", blocks)


def plan_label(data: ReportData, variant: str) -> str:
    """The plan a variant runs, in words: a preset with its parameters, or custom components."""
    plan = str(data.resolved(variant, "compensation.plan", "?"))
    if plan == "custom":
        components = data.resolved(variant, "compensation.components", []) or []
        return "custom: " + " + ".join(str(c.get("metric", "?")) for c in components)
    params = data.resolved(variant, "compensation.params", {}) or {}
    return plan + (f" ({', '.join(f'{k} {v}' for k, v in params.items())})" if params else "")


def annual_cost(csms: pd.DataFrame) -> pd.DataFrame:
    """``variant, replication, cost``: total payout per year of the periods each replication covers."""
    has_days = {"period_start_day", "period_end_day"} <= set(csms.columns)
    rows = []
    for (variant, rep), run in csms.groupby(["variant", "replication"], sort=False):
        days = run["period_end_day"].max() - run["period_start_day"].min() if has_days else np.nan
        years = days / DAYS_PER_YEAR if days and days > 0 else np.nan
        rows.append((variant, rep, run["payout_usd"].sum() / years if years == years else np.nan))
    return pd.DataFrame(rows, columns=["variant", "replication", "cost"])


def run_costs(data: ReportData, csms: pd.DataFrame) -> pd.DataFrame:
    """``variant, replication, cost``: the ``plan_cost`` metric of each run (what Results.plan_cost_quantiles
    reads), or, for results saved before it existed, the payouts of the measured periods per year."""
    runs = data.table("run_metrics", "variant", "replication", "metric", "value")
    if runs is not None and (runs["metric"] == "plan_cost").any():
        mine = runs[runs["metric"] == "plan_cost"]
        return mine.rename(columns={"value": "cost"})[["variant", "replication", "cost"]]
    return annual_cost(csms)


def cost_table(data: ReportData, csms: pd.DataFrame) -> Table:
    costs = run_costs(data, csms)
    at_target = _at_target_runs(csms)
    rows = []
    for variant in data.variants:
        cost = costs.loc[costs["variant"] == variant, "cost"].dropna()
        p10, p50, p90 = np.percentile(cost, [10, 50, 90]) if len(cost) else (np.nan,) * 3
        share = _summary_row(data, variant, "share_at_target")
        if share is None and at_target is not None:
            banded = band(at_target[at_target["variant"] == variant], ["variant"], "share", within=SHARE)
            share = None if banded.empty else banded.iloc[0]
        share_cell = Cell("–", css="num")
        if share is not None and share["mean"] == share["mean"]:
            share_cell = Cell(format_share(share["mean"]), detail=_interval(share["low"], share["high"]), css="num")
        rows.append(
            [
                Cell(variant, detail=plan_label(data, variant), css="rowhead"),
                *(Cell(format_usd(x), css="num") for x in (p10, p50, p90)),
                share_cell,
                _alignment_cell(data, variant),
            ]
        )
    headers = ["Option (plan)", "Plan cost P10", "P50", "P90", "CSM-quarters at or above target", "Pay alignment"]
    caption = (
        "Plan cost: sum of every CSM's payout per year, per replication; P10/P50/P90 across replications. "
        "At or above target: attainment ≥ 100%; a well-set plan has about 55-65%. Pay alignment: correlation, "
        "across CSMs, of variable pay with the value realised of their book (near 1: pay follows customer "
        "outcomes; near 0 or negative: it pays for something else; – under salary only)."
    )
    return Table("plan-cost", caption, headers, rows)


def calibration_hints(data: ReportData) -> list[Block]:
    """One sentence per plan whose share of CSM-quarters at or above target is outside 55-65%, and how to fix it.

    The interval matters: a share whose 95% interval reaches into the band is not called
    off, only one wholly outside it (the preset defaults are starting points, docs/plans.md).
    """
    low, high = WELL_SET
    out: list[Block] = []
    for variant in data.variants:
        row = _summary_row(data, variant, "share_at_target")
        if row is None or row["mean"] != row["mean"]:
            continue
        top = row["high"] if row["high"] == row["high"] else row["mean"]
        bottom = row["low"] if row["low"] == row["low"] else row["mean"]
        if top < low:
            advice = "too few reach target: lower the targets (or thresholds) of its components"
        elif bottom > high:
            advice = "too many reach target: it pays for little; raise the targets of its components"
        else:
            continue
        share = format_share(row["mean"])
        out.append(
            note(
                f"{variant}: {share} of CSM-quarters at or above target, outside the 55-65% of a well-set plan; "
                f"{advice} (docs/plans.md, 'Is the plan well set?', shows how to recalibrate for your book)."
            )
        )
    return out


def _summary_row(data: ReportData, variant: str, metric: str) -> pd.Series | None:
    """``mean, low, high`` of ``metric`` for ``variant`` from the summary, if it has the metric."""
    summary = data.table("summary", "variant", "metric", "mean", "ci_low", "ci_high")
    if summary is None:
        return None
    row = summary[(summary["variant"] == variant) & (summary["metric"] == metric)]
    if row.empty:
        return None
    r = row.iloc[0]
    n = r["n"] if "n" in row.columns else float("nan")
    return pd.Series({"mean": r["mean"], "low": r["ci_low"], "high": r["ci_high"], "n": n})


def _alignment_cell(data: ReportData, variant: str) -> Cell:
    row = _summary_row(data, variant, "pay_alignment")
    if row is None or row["mean"] != row["mean"]:
        return Cell("–", css="num")
    return Cell(correlation(row["mean"]), detail=alignment_detail(row, _runs_of(data, variant)), css="num")


def correlation(x: float) -> str:
    """A correlation to two decimals, with the report's minus sign ("−0.01", not "-0.01")."""
    return format_value("ratio", float(x), extra=-1)


def alignment_detail(row: pd.Series, runs: int | None) -> str:
    """The line under a pay alignment: its interval, and how many runs it rests on.

    A correlation lies in [-1, 1]; the report's summary has its t interval cut to that
    (:func:`~simulator.report.formats.within_range`), so an end at -1 or 1 with the mean
    inside is a cut one: it is said, since "-1.00 to 1.00" read as an interval claims a
    precision the runs do not have. Under two runs there is no interval ("too few runs").
    Where fewer runs than were made define it (a run whose pay or books did not vary has
    no correlation), "n = 2 of 4" says so.
    """
    n = int(row["n"]) if "n" in row and row["n"] == row["n"] else None
    parts = []
    if (n is not None and n < 2) or row["low"] != row["low"] or row["high"] != row["high"]:
        parts.append("too few runs for an interval")
    else:
        low, high, mean = float(row["low"]), float(row["high"]), float(row["mean"])
        clipped = (low <= -1.0 and mean > -1.0) or (high >= 1.0 and mean < 1.0)
        text = f"{correlation(low)} to {correlation(high)}"
        parts.append(text + (", clipped: the 95% interval is wider than the scale" if clipped else ""))
    if n is not None and runs is not None and n < runs:
        parts.append(f"(n = {n} of {runs}: pay or books did not vary in the others)")
    return " ".join(parts)


def _runs_of(data: ReportData, variant: str) -> int | None:
    """Replications run for ``variant``: its pay_alignment rows in run_metrics (NaN ones too), else run_meta's."""
    runs = data.table("run_metrics", "variant", "replication", "metric")
    if runs is not None:
        mine = runs[(runs["variant"] == variant) & (runs["metric"] == "pay_alignment")]
        if not mine.empty:
            return int(mine["replication"].nunique())
    replications = data.meta.get("replications")
    return int(replications) if isinstance(replications, int) and not isinstance(replications, bool) else None


def _interval(low: float, high: float) -> str:
    return "" if low != low or high != high else f"{format_share(low)} to {format_share(high)}"


def _at_target_runs(csms: pd.DataFrame) -> pd.DataFrame | None:
    if "attainment" not in csms.columns:
        return None
    frame = csms.dropna(subset=["attainment"])
    frame = frame.assign(at=(frame["attainment"] >= 1.0).astype(float))
    return frame.groupby(["variant", "replication"], as_index=False).agg(share=("at", "mean"))


def _payout_box(data: ReportData, csms: pd.DataFrame, colours: dict[str, str]) -> Block:
    fig = new_figure("Payout per CSM per period, by plan", "", "USD per CSM per period", height=420)
    for variant in data.variants:
        values = csms.loc[csms["variant"] == variant, "payout_usd"].dropna()
        if not values.empty:
            name = plot_text(f"{variant}: {plan_label(data, variant)}")
            fig.add_trace(go.Box(y=values.tolist(), name=name, marker_color=colours[variant], boxpoints=False))
    fig.update_xaxes(showticklabels=False)
    return chart("chart-payouts", fig, "One value per CSM and pay period; box = middle half, line = median.")


def _at_target(data: ReportData, csms: pd.DataFrame, colours: dict[str, str]) -> Block:
    runs = _at_target_runs(csms)
    if runs is None:
        return note("No attainment in these results, so the share at or above target is not shown.")
    fig = share_bars(runs, "share", data.variants, colours)
    fig.add_hrect(y0=WELL_SET[0] * 100, y1=WELL_SET[1] * 100, fillcolor="#2e8b57", opacity=0.15, line_width=0)
    legend_key(fig, "well-set plans: 55-65%", "#2e8b57", opacity=0.3)
    style_figure(fig, "Share of CSM-quarters at or above target", height=360)
    fig.update_yaxes(title_text="% of CSM-quarters", range=[0, 100])
    return chart("chart-at-target", fig, "Far below 55%: the plan demotivates; far above 65%: it pays for little.")


def payout_vs_outcome(data: ReportData, csms: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """``variant, replication, csm, pay_per_day, pay_per_year, book_value``: the points ``pay_alignment``
    correlates in each run (:func:`simulator.results.metrics.alignment_points`, over the variant's
    measured period); pay per year in a seat is pay per active day x 365.25 (a scale: same r)."""
    csms, customers, ids = _numbered_ids(csms, customers)
    parts = []
    for key, run in csms.groupby(["variant", "replication"], sort=False):
        variant, rep = cast(tuple[Any, Any], key)
        book = customers[(customers["variant"] == variant) & (customers["replication"] == rep)]
        points = alignment_points(run, book, _window(data, str(variant))).reset_index()
        points["pay_per_year"] = points["pay_per_day"] * DAYS_PER_YEAR
        points["variant"], points["replication"] = str(variant), rep
        parts.append(points)
    columns = ["variant", "replication", "csm", "pay_per_day", "pay_per_year", "book_value"]
    points = pd.concat(parts)[columns] if parts else pd.DataFrame(columns=columns)
    return points if ids is None else points.assign(csm=[ids[int(i)] for i in points["csm"]])


def _window(data: ReportData, variant: str) -> tuple[float, float]:
    """The measured period the variant's metrics use, in days."""
    months = (data.resolved(variant, key, 0.0) or 0.0 for key in ("warmup_months", "horizon_months"))
    warmup, horizon = (float(m) * DAYS_PER_MONTH for m in months)
    return warmup, horizon


def _numbered_ids(csms: pd.DataFrame, customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str] | None]:
    """CSM ids as the numbers the metric groups on, and the names they stand for (None: unchanged).

    cssim writes numbers; an id typed as text in either table (any name is allowed) is compared
    as text, 3, 3.0 and "3" alike, and numbered; a customer with no CSM (-1, or no match) gets -1.
    """
    if all(pd.api.types.is_numeric_dtype(frame["csm"]) for frame in (csms, customers)):
        return csms, customers, None
    mine, theirs = _id_text(csms["csm"]), _id_text(customers["csm"])
    names = [str(n) for n in pd.unique(mine)]
    codes = {name: i for i, name in enumerate(names)}
    return csms.assign(csm=mine.map(codes)), customers.assign(csm=theirs.map(codes).fillna(-1)), names


def _id_text(ids: pd.Series) -> pd.Series:
    """CSM ids as text, a whole number as its digits whether it was read as 3, 3.0 or "3"."""
    numbers = pd.to_numeric(ids.astype(object), errors="coerce")
    whole = (numbers.notna() & (numbers == numbers.round())).to_numpy()
    text = ids.astype(object).astype(str).to_numpy(dtype=object)
    text[whole] = numbers[whole].astype("int64").astype(str).to_numpy(dtype=object)
    return pd.Series(text, index=ids.index, dtype=object)


def _payout_vs_outcome(data: ReportData, csms: pd.DataFrame, colours: dict[str, str]) -> Block:
    """The pay alignment of the plan-cost table, as dots: the same CSMs, pay and outcome."""
    customers = data.table("customers", "variant", "replication", "csm", "final_value")
    periods = data.table("csms", "variant", "replication", "csm", "period_start_day", "period_end_day", "active_days")
    if customers is None or periods is None:
        return note("No per-CSM books or seat days in these results, so pay cannot be set against customer outcome.")
    points = payout_vs_outcome(data, periods, customers)
    points = points[points["replication"].isin(sorted(points["replication"].unique())[:SCATTER_REPLICATIONS])]
    fig = new_figure(
        "Pay alignment: variable pay vs the value realised of each CSM's book",
        "value realised of the CSM's book at the end (%)",
        "variable pay per year in a seat (USD)",
        height=440,
    )
    for variant in data.variants:
        part = points[points["variant"] == variant]
        if not part.empty:
            fig.add_trace(_alignment_dots(part, variant, colours))
    caption = (
        f"One dot per CSM and replication (first {SCATTER_REPLICATIONS}): the CSMs pay alignment counts, with a book "
        "at the end and in a seat for at least one full payout period of the measured period. Pay alignment in the "
        "table is the correlation of these dots within each replication, averaged over replications. A plan that "
        "pays for customers' outcome puts the high pay on the right; high dots on the left are paid for something else."
    )
    return chart("chart-payout-outcome", fig, caption)


def _alignment_dots(part: pd.DataFrame, variant: str, colours: dict[str, str]) -> go.Scatter:
    hover = [f"replication {r}, CSM {plot_text(c)}" for r, c in zip(part["replication"], part["csm"], strict=True)]
    return go.Scatter(
        x=(part["book_value"] * 100).tolist(),
        y=part["pay_per_year"].tolist(),
        mode="markers",
        name=plot_text(variant),
        text=hover,
        marker={"color": colours[variant], "symbol": variant_symbol(variant, colours), "size": 8, "opacity": 0.75},
    )
