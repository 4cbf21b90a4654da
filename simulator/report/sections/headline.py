"""Section 1: the question, the recommendation, and the comparison table."""

from __future__ import annotations

import math
import re
from collections.abc import Collection

import pandas as pd

from simulator.report.formats import common_scale, format_usd, metric_info
from simulator.report.page import Block, Callout, Paragraph, Section, note
from simulator.report.sections import books, load
from simulator.report.sections.comparison import comparison_table, diff_style, digits_to_show_sign, table_metrics
from simulator.report.sections.recommendation import (
    ADD_A_TARGET,
    UNDIVIDED,
    recommend,
    target_margins,
    target_statuses,
)
from simulator.report.source import ReportData
from simulator.scenario.experiment_spec import SEGMENT_METRICS
from simulator.scenario.schema import Target


def build(data: ReportData, colours: dict[str, str]) -> Section:
    scenario, summary = data.scenario, data.tables["summary"]
    twins = same_as_base(data)
    options = [v for v in data.variants if v not in twins]
    statuses = target_statuses(scenario, data.table("targets"), summary)
    margins = target_margins(scenario, summary)
    choice = recommend(options, statuses, _costs(data), len(scenario.targets), margins)
    target_metrics = [t.metric for t in scenario.parsed_targets()]
    unmet = unmet_companions(target_metrics)
    shown = table_metrics(summary, [*target_metrics, *unmet])
    stretched = _stretched(data, choice.variant, target_metrics)
    blind = blind_targets(data, scenario.parsed_targets(), {f"csm_utilization@{team}" for team in stretched})
    caveats = [
        *cost_beside_base(data, choice.variant, choice.reasons),
        *arr_lost_beside_cost(data, choice.variant),
        *worse_than_base(data, choice.variant, shown),
        *dropped_needs(data, choice.variant, unmet),
        *stretched.values(),
        *books.over_cap(data, choice.variant),
        *blind,
    ]
    names = {data.baseline: f"{data.baseline} ({twins[0]})"} if twins else {}
    title = choice.title + (f" ({twins[0]})" if choice.variant == data.baseline and twins else "")
    reasons = advice_once(choice.reasons, blind=bool(blind), stretched=bool(stretched))
    blocks: list[Block] = [
        Paragraph(scenario.description or "The scenario has no description; its name states the question."),
        Callout(title, [*reasons, *caveats], css="recommendation"),
        *few_runs(summary),
        *([note(_twins_note(twins))] if twins else []),
        comparison_table(
            options,
            summary,
            data.table("comparisons"),
            statuses,
            [*target_metrics, *unmet],
            choice.variant,
            choice.badge,
            names,
        ),
    ]
    return Section("headline", "The answer", blocks)


def same_as_base(data: ReportData) -> list[str]:
    """Sweep points that are the base itself (the sweep passes through the base's value).

    They ran on the same runs as the base (one run serves both), so in the answer they are
    the same option twice: counted twice ("4 options meet" for 3) and shown as two columns.
    The sweep chart keeps them, as points of its curve.
    """
    if data.sweep is None:
        return []
    try:
        value = data.base_value(data.sweep.path)
    except KeyError:
        return []
    return [v for v, at in data.sweep.values.items() if at == value and v != data.baseline]


def _twins_note(twins: list[str]) -> str:
    names = ", ".join(twins)
    return f"{names} is the base itself (the sweep passes through the base's value), so it is shown once, as base."


def cost_beside_base(data: ReportData, variant: str, reasons: list[str]) -> list[str]:
    """The recommended option's CS cost beside the baseline's, unless the reasons already give both."""
    costs = _costs(data)
    mine, base = costs.get(variant, math.nan), costs.get(data.baseline, math.nan)
    if math.isnan(mine):
        return []
    said = " ".join(reasons)
    if variant == data.baseline or math.isnan(base):
        return [] if format_usd(mine) in said else [f"{variant} costs {format_usd(mine)} per year in CS cost."]
    if format_usd(mine) in said and format_usd(base) in said:
        return []
    return [f"CS cost: {format_usd(mine)} per year for {variant}, against {format_usd(base)} for {data.baseline}."]


def arr_lost_beside_cost(data: ReportData, variant: str) -> list[str]:
    """What the recommended option does to ARR lost (churn and contraction, per year) against
    the baseline, paired, beside what it does to CS cost: both in dollars a year, so a leader
    can weigh a cheaper coverage model against the revenue it lets go (a GRR difference in
    points cannot be set against a cost). Lost ARR stays lost, so a yearly loss also lowers
    every later year's revenue: said when the option loses more with 95% confidence."""
    comparisons = data.table("comparisons", "variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high")
    if comparisons is None or variant == data.baseline:
        return []
    mine = comparisons[comparisons["variant"] == variant]
    columns = (mine[c] for c in ("metric", "diff_mean", "diff_ci_low", "diff_ci_high"))
    diffs = {str(m): (float(x), float(lo), float(hi)) for m, x, lo, hi in zip(*columns, strict=True)}
    lost, low, high = diffs.get("arr_lost", (math.nan, math.nan, math.nan))
    if math.isnan(lost):
        return []
    info, scale = metric_info("arr_lost"), common_scale(lost, low, high)
    said = (
        f"ARR lost to churn and contraction, against {data.baseline}: {info.diff(lost, like=scale)} a year "
        f"(95% interval {info.diff(low, like=scale)} to {info.diff(high, like=scale)})."
    )
    cost = diffs.get("comp_cost", (math.nan,))[0]
    if low > 0 and cost < 0:
        said += (
            f" So {variant} saves {format_usd(-cost)} a year of CS cost and lets {format_usd(lost)} a year more "
            "ARR go; lost ARR stays lost, so each year's loss also lowers the revenue of every year after."
        )
    elif low > 0:
        said += " Lost ARR stays lost, so each year's loss also lowers the revenue of every year after."
    elif high < 0 and cost > 0:
        said += (
            f" So {variant} spends {format_usd(cost)} a year more on CS and keeps {format_usd(-lost)} a year of ARR "
            "that the base lets go."
        )
    elif low <= 0 <= high:
        said += f" The difference is within the noise of {_count_runs(data, variant)}."
    return [said]


def _count_runs(data: ReportData, variant: str) -> str:
    summary = data.tables["summary"]
    n = summary.loc[(summary["variant"] == variant) & (summary["metric"] == "arr_lost"), "n"]
    return f"{int(n.iloc[0])} paired runs" if len(n) else "the paired runs"


def worse_than_base(data: ReportData, variant: str, metrics: list[str]) -> list[str]:
    """A sentence naming every metric of the answer's table (but CS cost and ARR lost, stated on their own)
    on which ``variant`` is worse than the baseline with 95% confidence: its paired
    difference's interval wholly on the side the metric's catalogue entry calls worse, as the
    table's red cells. The rule picks on targets alone and does not weigh these."""
    comparisons = data.table("comparisons", "variant", "metric", "diff_mean", "diff_ci_low", "diff_ci_high")
    if comparisons is None or variant == data.baseline:
        return []
    mine = comparisons[comparisons["variant"] == variant]
    worse = []
    for metric in metrics:
        hit = mine[mine["metric"] == metric]
        if metric in ("comp_cost", "arr_lost") or hit.empty:
            continue
        info = metric_info(metric)
        mean, low, high = (float(hit[c].iloc[0]) for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
        if diff_style(info, low, high) == "bad":
            worse.append(f"{info.label} {info.diff(mean, extra=digits_to_show_sign(info, low, high))}")
    if not worse:
        return []
    return [
        f"Against {data.baseline}, {variant} is worse with 95% confidence on {_count(len(worse))}: "
        f"{'; '.join(worse)}. The targets do not weigh these; the rule looks only at the targets and cost, "
        "so weigh them yourself (or make the ones that matter targets) before deciding."
    ]


def _count(n: int) -> str:
    return "one outcome in the table" if n == 1 else f"{n} outcomes in the table"


def advice_once(reasons: list[str], *, blind: bool, stretched: bool) -> list[str]:
    """The recommendation's reasons, with the generic advice to add a target said only when no
    caveat says it better: a sweep's blind targets (:func:`blind_targets`) already say the
    targets cannot tell the options apart, and which targets would; a stretched team
    (:func:`stretched_teams`) names the target that would hold it."""
    generic = f"{UNDIVIDED} {ADD_A_TARGET}"
    if blind:
        return [r for r in reasons if r != generic]
    if stretched:
        plainer = f"{UNDIVIDED} Compare the outcomes in the table below before deciding."
        return [plainer if r == generic else r for r in reasons]
    return reasons


def blind_targets(data: ReportData, targets: list[Target], said: Collection[str] = ()) -> list[str]:
    """A warning when a sweep's targets do not see the swept change.

    Precisely: over the sweep's points, no target's mean moves (largest mean less smallest)
    by more than the half-width of the narrowest 95% interval among those points. The whole
    range then shifts each target's figure by less than the uncertainty of any one point, so
    the targets cannot separate the options and the choice falls to cost. The usual cause is
    company-wide targets over a change to one team: the sentence suggests the same bars
    scoped to the segments that team serves, and the team's own utilisation (unless ``said``,
    the targets the answer already suggests, has it). Silent when a point has no interval
    (fewer than 2 replications): nothing to compare the move with.
    """
    if data.sweep is None or not targets:
        return []
    points = [v for v in data.sweep.values if v in set(data.variants)]
    values = {data.sweep.values[v] for v in points}
    if len(values) < 2:
        return []
    summary = data.tables["summary"]
    for target in targets:
        rows = summary[(summary["metric"] == target.metric) & summary["variant"].isin(points)]
        if len(rows) < 2 or rows[["mean", "ci_low", "ci_high"]].isna().to_numpy().any():
            return []
        move = float(rows["mean"].max() - rows["mean"].min())
        if move > float(((rows["ci_high"] - rows["ci_low"]) / 2).min()):
            return []
    ordered = sorted(points, key=lambda v: data.sweep.values[v] if data.sweep else 0)
    lines = [
        f"The targets do not see this change: from {ordered[0]} to {ordered[-1]}, no target's mean moves by more "
        "than the half-width of its narrowest 95% interval, so the targets cannot tell these options apart and "
        "the choice falls to cost alone."
    ]
    team = TEAM_PATH.match(data.sweep.path)
    segment = SEGMENT_PATH.match(data.sweep.path)
    if team and team.group(1) in data.scenario.teams:
        name = team.group(1)
        served = list(data.scenario.segments_of(name))
        staffed = data.scenario.teams[name].coverage != "digital"
        own = staffed and f"csm_utilization@{name}" not in said
        suggested = [*_scoped(targets, served), *([f"'csm_utilization@{name} <= 0.85'"] if own else [])]
        whom = f"serves {_and(served)}" if served else "serves no segment"
        lines.append(
            f"{data.sweep.path} changes the {name} team, which {whom}; targets held to "
            + (f"{_and(served)} and to the {name} team" if served else f"the {name} team")
            + (f" would see it, for example {', '.join(suggested)}." if suggested else " would see it.")
        )
    elif segment and segment.group(1) in data.scenario.segments:
        name = segment.group(1)
        suggested = _scoped(targets, [name])
        lines.append(
            f"{data.sweep.path} changes the {name} segment; targets held to it would see the change"
            + (f", for example {', '.join(suggested)}." if suggested else ".")
        )
    else:
        lines.append("Targets held to the segment or team this path changes would see it.")
    return [" ".join(lines)]


TEAM_PATH = re.compile(r"teams\.([^.]+)\.")
SEGMENT_PATH = re.compile(r"segments\.([^.]+)\.")


def _scoped(targets: list[Target], segments: list[str]) -> list[str]:
    """The company-wide targets that have a per-segment figure, written for each of ``segments``."""
    out = []
    for target in targets:
        if "@" in target.metric or target.metric not in SEGMENT_METRICS:
            continue
        out += [f"'{target.metric}@{s} {target.op} {target.value:g}'" for s in segments]
    return out


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


GUIDANCE_TIMES = ("mean_time_to_guidance_days", "p90_time_to_guidance_days")


def unmet_companions(target_metrics: list[str]) -> list[str]:
    """``unmet_share`` (with the same ``@scope``) for each time-to-guidance target.

    Time to guidance is measured over the needs that were guided: an option that lets more
    needs lapse unguided looks faster on it. The share never met sits beside it so the
    trade is in view.
    """
    out = []
    for metric in target_metrics:
        name, at, scope = metric.partition("@")
        if name in GUIDANCE_TIMES:
            out.append(f"unmet_share{at}{scope}")
    return list(dict.fromkeys(out))


def dropped_needs(data: ReportData, variant: str, unmet: list[str]) -> list[str]:
    """A sentence when the recommended option meets a time-to-guidance target while leaving
    clearly more needs never met than the baseline (the paired interval above zero)."""
    comparisons = data.table("comparisons", "variant", "metric", "diff_ci_low")
    summary = data.tables["summary"]
    if comparisons is None or variant == data.baseline:
        return []
    out = []
    for metric in unmet:
        diff = comparisons[(comparisons["variant"] == variant) & (comparisons["metric"] == metric)]
        means = summary[summary["metric"] == metric].set_index("variant")["mean"]
        if (
            diff.empty
            or not float(diff["diff_ci_low"].iloc[0]) > 0
            or variant not in means
            or data.baseline not in means
        ):
            continue
        info, scope = metric_info(metric), metric.partition("@")[2]
        whose = f"{scope}'s needs" if scope else "needs"
        out.append(
            f"Time to guidance counts only the needs that were guided: {variant} leaves {info.value(means[variant])} "
            f"of {whose} never met, against {info.value(means[data.baseline])} for {data.baseline}, which the "
            "time-to-guidance target does not see."
        )
    return out


STRETCHED = 0.90
"""Mean utilisation above which the answer says a team has almost no slack. The workload
chart marks 85% ("little slack left"); past 90% a queue's waits grow steeply with any rise
in demand (an M/M/c queue's mean wait at 0.95 is 2-3 times that at 0.90), and absences,
vacancies and new hires' ramp-up have nothing to absorb them."""


def stretched_teams(data: ReportData, variant: str, target_metrics: list[str]) -> list[str]:
    """A sentence per team the recommended option runs above :data:`STRETCHED` that no
    target holds: the rule picks the cheapest option meeting the targets, and the cheapest is
    often the one that works its CSMs hardest, which the targets may not see.

    Over the threshold means on average over the measured period or in its last 12 months
    (:mod:`~simulator.report.sections.load`): a team whose books grow against fixed seats
    can average under it and end well over it. A target on the team's utilisation judges
    the average, so it does not hold a last year over the threshold with an average under it.
    """
    return list(_stretched(data, variant, target_metrics).values())


def _stretched(data: ReportData, variant: str, target_metrics: list[str]) -> dict[str, str]:
    """:func:`stretched_teams`' sentences by team."""
    summary = data.tables["summary"]
    mine = summary[(summary["variant"] == variant) & summary["metric"].astype(str).str.startswith("csm_utilization@")]
    staffed = len(mine)
    found = load.trends(data)
    out = {}
    for metric, mean in zip(mine["metric"].astype(str), mine["mean"], strict=True):
        team = metric.partition("@")[2]
        trend = found.get((variant, team))
        hot, late = float(mean) > STRETCHED, trend is not None and trend.last > STRETCHED
        held = metric in target_metrics or (staffed == 1 and "csm_utilization" in target_metrics)
        if (held and hot) or not (hot or late):
            continue
        last_year = trend is not None and (trend.material or not hot)
        busy = _busy(data, variant, team, float(mean), found if last_year else {})
        out[team] = (
            f"{variant} keeps the {team} team's CSMs busy {busy}: "
            "almost no slack for a rise in demand, absences or vacancies"
            + _hot_tail(team, held, hot, trend if last_year else None)
        )
    return out


def _busy(data: ReportData, variant: str, team: str, mean: float, found: dict[tuple[str, str], load.Trend]) -> str:
    """How busy, as "96.8% of their productive time (87.0% in base)"; the last 12 months
    first when ``found`` (:func:`~simulator.report.sections.load.trends`) has the team's."""
    info, metric = metric_info("csm_utilization"), f"csm_utilization@{team}"
    summary = data.tables["summary"]
    base = summary[(summary["variant"] == data.baseline) & (summary["metric"] == metric)]["mean"]
    other = variant != data.baseline
    if (variant, team) not in found:
        return f"{info.value(mean)} of their productive time" + (
            f" ({info.value(float(base.iloc[0]))} in {data.baseline})" if other and len(base) else ""
        )
    trend, theirs = found[(variant, team)], found.get((data.baseline, team))
    against = f" ({info.value(theirs.last)} in {data.baseline})" if other and theirs is not None else ""
    return (
        f"{info.value(trend.last)} of their productive time in the last 12 months{against}; "
        f"{info.value(mean)} averaged over the run"
    )


def _hot_tail(team: str, held: bool, hot: bool, trend: load.Trend | None) -> str:
    rising = (
        " The load rose through the run: plan headcount on the last 12 months, not the average."
        if trend is not None and trend.last > trend.average
        else ""
    )
    if held:
        return f".{rising} The target on its utilisation judges the average over the run, not the last 12 months."
    if hot:
        return f", and no target holds it. A target such as 'csm_utilization@{team} <= 0.85' would.{rising}"
    return (
        f", and no target holds it (a target on its utilisation would judge the average over the run, "
        f"which stays under {metric_info('csm_utilization').value(STRETCHED)}).{rising}"
    )


FEW_REPLICATIONS = 8
"""Below this many replications per option the answer carries a warning: the t value behind a
95% interval is 2.36 at 8 runs against 1.96 with many, and one unusual run moves the mean a lot."""


def few_runs(summary: pd.DataFrame) -> list[Block]:
    """A warning under the answer when the options rest on few replications (an option's count
    is its largest ``n``: a metric with nothing to measure in some runs has a smaller one)."""
    if not {"variant", "n"} <= set(summary.columns):
        return []
    counts = pd.to_numeric(summary["n"], errors="coerce").groupby(summary["variant"]).max().dropna()
    if counts.empty or counts.min() >= FEW_REPLICATIONS:
        return []
    n = int(counts.min())
    return [
        note(
            f"Each option ran only {n} replication{'s' if n != 1 else ''}: intervals from so few runs are wide, and "
            "one unusual run moves them a lot. Run at least 10 (--replications 10) before deciding."
        )
    ]


def _costs(data: ReportData) -> dict[str, float]:
    summary = data.tables["summary"]
    rows = summary[summary["metric"] == "comp_cost"]
    return {str(v): float(m) for v, m in zip(rows["variant"], rows["mean"], strict=True)}
