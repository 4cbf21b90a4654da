"""Section 5: compensation: what each plan pays, what it costs, and whether it pays for outcomes.

Plan cost is the sum of each CSM's payout (never the payout at average attainment: with
accelerators the two differ), annualised per replication; P10/P50/P90 are taken across
replications. A well-set plan has roughly 55-65% of people at or above target (practitioners' rule of thumb).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from simulator.report.bands import SHARE, band
from simulator.report.charts import legend_key, new_figure, plot_text, share_bars, style_figure
from simulator.report.formats import format_share, format_usd, format_value
from simulator.report.page import Block, Cell, Section, Table, chart, note
from simulator.report.source import ReportData

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


def payout_vs_outcome(csms: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Per CSM and replication: total payout and the share of the needs they handled that were just in time."""
    handled = needs.dropna(subset=["csm"])
    if not all(pd.api.types.is_numeric_dtype(frame["csm"]) for frame in (csms, handled)):
        # CSM ids are any names (cssim writes numbers); one typed as text in either table would
        # make its column text, and text never matches numbers. Compared as text: 3, 3.0 and "3" alike.
        csms, handled = csms.assign(csm=_id_text(csms["csm"])), handled.assign(csm=_id_text(handled["csm"]))
    pay = csms.groupby(["variant", "replication", "csm"], as_index=False)["payout_usd"].sum()
    handled = handled.assign(jit=(handled["fate"] == "jit").astype(float))
    outcome = handled.groupby(["variant", "replication", "csm"], as_index=False)["jit"].mean()
    return pay.merge(outcome, on=["variant", "replication", "csm"], how="inner")


def _id_text(ids: pd.Series) -> pd.Series:
    """CSM ids as text, a whole number as its digits whether it was read as 3, 3.0 or "3"."""
    numbers = pd.to_numeric(ids.astype(object), errors="coerce")
    whole = (numbers.notna() & (numbers == numbers.round())).to_numpy()
    text = ids.astype(object).astype(str).to_numpy(dtype=object)
    text[whole] = numbers[whole].astype("int64").astype(str).to_numpy(dtype=object)
    return pd.Series(text, index=ids.index, dtype=object)


def _payout_vs_outcome(data: ReportData, csms: pd.DataFrame, colours: dict[str, str]) -> Block:
    needs = data.measured("needs", "arise_day", "variant", "replication", "csm", "fate")
    if needs is None:
        return note("No per-CSM needs in these results, so payout cannot be set against customer outcome.")
    points = payout_vs_outcome(csms, needs)
    points = points[points["replication"].isin(sorted(points["replication"].unique())[:SCATTER_REPLICATIONS])]
    fig = new_figure(
        "Payout vs customer outcome, per CSM",
        "needs the CSM handled that were guided just in time (%)",
        "variable pay over the run (USD)",
        height=440,
    )
    for variant in data.variants:
        part = points[points["variant"] == variant]
        if not part.empty:
            fig.add_trace(
                go.Scatter(
                    x=(part["jit"] * 100).tolist(),
                    y=part["payout_usd"].tolist(),
                    mode="markers",
                    name=plot_text(variant),
                    marker={"color": colours[variant], "size": 8, "opacity": 0.75},
                )
            )
    caption = (
        f"One dot per CSM (first {SCATTER_REPLICATIONS} replications). A plan that pays for what customers need "
        "puts the high payouts on the right; dots high on the left are paid for something else."
    )
    return chart("chart-payout-outcome", fig, caption)
