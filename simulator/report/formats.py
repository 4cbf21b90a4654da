"""How each metric reads: its label, unit, which direction is better, and number formatting.

Formatting is done here, in Python, so templates only print strings. Shares are stored as
fractions and shown as percentages; their differences are percentage points.

A formatted value never breaks across lines: a sign is joined to what follows it by a word
joiner (U+2060, invisible; a minus sign and a dollar sign may otherwise break apart) and a
unit is set off by a no-break space, so HTML text and plotly labels alike keep "−$579k" and
"7.1 d" whole. ``plain`` undoes both for text meant for a terminal or a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from simulator.scenario.experiment_spec import TEAM_METRICS

Kind = Literal["share", "points", "days", "usd", "count", "ratio", "number"]
Better = Literal["higher", "lower", "neither"]

JOIN = "\u2060"
"""Word joiner: put after a sign so no line breaks between it and the number."""
NBSP = "\u00a0"
"""No-break space: put before a unit so it stays with its number."""
MINUS = "−" + JOIN
"""A true minus sign, joined to its number."""


def signed(sign: str, text: str) -> str:
    """``text`` after ``sign`` ("−", "+"), with no line break between them."""
    return sign + JOIN + text


def plain(text: str) -> str:
    """A formatted value as plain text: no word joiners, ordinary spaces (for terminals, files)."""
    return text.replace(JOIN, "").replace(NBSP, " ")


KIND_RANGES: dict[Kind, tuple[float, float]] = {
    "share": (0.0, 1.0), "days": (0.0, math.inf), "usd": (0.0, math.inf), "count": (0.0, math.inf),
    "points": (-math.inf, math.inf), "ratio": (-math.inf, math.inf), "number": (-math.inf, math.inf),
}  # fmt: skip
"""The values a metric of each kind can take, unless its catalogue entry says otherwise."""


@dataclass(frozen=True)
class MetricInfo:
    """Presentation of one metric of ``summary.csv``; ``bounds``: the values it can take, when
    not those of its kind (NRR is a share that can pass 100%); ``short``: the unit on a chart
    axis, when ``unit`` says more than fits beside a small panel ("USD/yr"); ``team_label``:
    the label of its rows per team (``METRIC@TEAM``, a team's own book), when ``label``
    speaks of the whole company."""

    label: str
    kind: Kind
    better: Better
    unit: str
    bounds: tuple[float, float] | None = None
    short: str = ""
    team_label: str = ""

    @property
    def range(self) -> tuple[float, float]:
        return self.bounds if self.bounds is not None else KIND_RANGES[self.kind]

    def value(self, x: float) -> str:
        return format_value(self.kind, x)

    def diff(self, x: float, *, unit: bool = True, extra: int = 0, like: float | None = None) -> str:
        """A signed difference (percentage points for shares); one that rounds to zero reads
        ``0.0``, unsigned. ``extra`` decimals beyond the metric's usual ones; ``like``: for
        dollars, the value whose scale ($, $k, $M) to use, so a mean and its interval ends
        read alike (see :func:`common_scale`)."""
        if _missing(x):
            return "–"
        if self.kind == "usd":
            text = format_usd(abs(x), like=like)
        else:
            text = format_value(self.kind, abs(x), diff=True, extra=extra)
        if not unit:
            text = text.removesuffix(NBSP + "pp").removesuffix(NBSP + "d")
        return text if reads_zero(text) else signed("+" if x > 0 else "−", text)

    def axis_title(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def axis_unit(self) -> str:
        """The unit as a chart axis names it: short enough for a small panel's side."""
        return "%" if self.kind == "share" else self.short or self.unit


METRICS: dict[str, MetricInfo] = {
    "logo_retention": MetricInfo("Logo retention", "share", "higher", "% per year"),
    "grr": MetricInfo("Gross revenue retention (GRR)", "share", "higher", "% per year"),
    "nrr": MetricInfo("Net revenue retention (NRR)", "share", "higher", "% per year", (0.0, math.inf)),
    "arr_lost": MetricInfo(
        "ARR lost to churn and contraction",
        "usd",
        "lower",
        "USD per year, customers on contract a year before",
        short="USD/yr",
    ),
    "health_green_share": MetricInfo("Customers Green", "share", "higher", "% of customers"),
    "health_yellow_share": MetricInfo("Customers Yellow", "share", "neither", "% of customers"),
    "health_red_share": MetricInfo("Customers Red", "share", "lower", "% of customers"),
    "nps": MetricInfo("NPS", "points", "higher", "−100 to 100", (-100.0, 100.0)),
    "value_realised": MetricInfo("Value realised", "share", "higher", "% of desired features adopted"),
    "csm_utilization": MetricInfo("CSM utilisation", "share", "neither", "% of productive time"),
    "mean_time_to_guidance_days": MetricInfo("Mean time to guidance", "days", "lower", "days"),
    "p90_time_to_guidance_days": MetricInfo("P90 time to guidance", "days", "lower", "days"),
    "jit_share": MetricInfo("Needs guided just in time", "share", "higher", "% of needs"),
    "unmet_share": MetricInfo("Needs never met", "share", "lower", "% of needs"),
    "speed_to_launch_days": MetricInfo("Speed to launch", "days", "lower", "days"),
    # The company's figures pool every CSM and count every account, digitally covered ones
    # too (docs/model.md): "Accounts per CSM 183" is no CSM's book, so the label says so.
    "arr_per_csm": MetricInfo("ARR per CSM (all ARR, all CSMs)", "usd", "neither", "USD", team_label="ARR per CSM"),
    "accounts_per_csm": MetricInfo(
        "Accounts per CSM (all accounts, all CSMs)", "count", "neither", "accounts", team_label="Accounts per CSM"
    ),
    "variable_pay_per_csm": MetricInfo("Variable pay per CSM", "usd", "neither", "USD per year", short="USD/yr"),
    "comp_cost": MetricInfo(
        "CS cost", "usd", "lower", "USD per year: salaries, variable pay, digital programme", short="USD/yr"
    ),
    "cost_per_retained_arr": MetricInfo(
        "Cost per retained ARR dollar", "ratio", "lower", "USD per USD", (0.0, math.inf), short="USD/USD"
    ),
    "plan_cost": MetricInfo("Plan cost (variable pay)", "usd", "neither", "USD per year", short="USD/yr"),
    "share_at_target": MetricInfo("CSM-quarters at or above target", "share", "neither", "% of CSM-periods"),
    "pay_alignment": MetricInfo("Pay-for-performance alignment", "ratio", "higher", "correlation", (-1.0, 1.0)),
    "touches_per_account_month": MetricInfo(
        "Proactive touches, accounts with a named CSM", "ratio", "neither", "per account-month", (0.0, math.inf)
    ),
    "touches_per_account_month_unscored": MetricInfo(
        "Proactive touches, accounts that bought for no scored feature",
        "ratio",
        "neither",
        "per account-month",
        (0.0, math.inf),
    ),
}

HEADLINE_METRICS = (
    "logo_retention", "grr", "nrr", "arr_lost", "health_green_share", "nps", "value_realised", "csm_utilization",
    "p90_time_to_guidance_days", "jit_share", "arr_per_csm", "accounts_per_csm", "comp_cost",
)  # fmt: skip
"""Rows of the headline comparison table (plus any metric a target names)."""


OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def metric_info(name: str) -> MetricInfo:
    """The presentation of ``name``; ``grr@smb`` reads as GRR's, labelled with the segment
    (``csm_utilization@pool`` with "pool team", ``accounts_per_csm@pool`` as the team's own
    "Accounts per CSM, pool team"); an unknown metric reads as its own name, as a plain number."""
    if name in METRICS:
        return METRICS[name]
    metric, at, scope = name.partition("@")
    if at and metric in METRICS:
        info = METRICS[metric]
        team = metric in TEAM_METRICS
        label = f"{info.team_label or info.label}, {scope} team" if team else f"{info.label}, {scope}"
        return MetricInfo(label, info.kind, info.better, info.unit, info.bounds, info.short)
    return MetricInfo(name.replace("_", " "), "number", "neither", "")


def format_value(kind: Kind, x: float, *, diff: bool = False, extra: int = 0) -> str:
    """``x`` in the unit of ``kind``; negatives with a true minus sign, as in print.
    ``extra`` decimals (significant digits for plain numbers) beyond the usual ones;
    dollars and counts of 100 or more keep theirs."""
    if _missing(x):
        return "–"
    if x < 0 and kind != "usd":
        text = format_value(kind, -x, diff=diff, extra=extra)
        return text if reads_zero(text) else signed("−", text)  # no "−0.0"
    if kind == "share":
        return f"{x * 100:.{1 + extra}f}" + (NBSP + "pp" if diff else "%")
    if kind == "usd":
        return format_usd(x)
    if kind in ("points", "days"):
        return f"{x:.{1 + extra}f}" + (NBSP + "d" if kind == "days" else "")
    if kind == "count":
        return f"{x:,.{1 + extra}f}" if abs(x) < 100 else f"{x:,.0f}"
    if kind == "ratio":
        return f"{x:.{3 + extra}f}"
    return f"{x:,.{3 + extra}g}"


def format_usd(x: float, *, like: float | None = None) -> str:
    """Dollars at a reader's precision: $1.23M, $850k, $420; ``like``: format at the scale
    ``like`` would get (a mean's interval ends at the mean's scale: "$6k (+$2k to +$11k)",
    not "$6,103 (+$1,580 to +$11k)")."""
    if _missing(x):
        return "–"
    sign = MINUS if x < 0 else ""
    size = abs(x) if like is None or _missing(like) else abs(like)
    x = abs(x)
    if size >= 1e9:
        return f"{sign}${x / 1e9:.2f}B"
    if size >= 1e6:
        return f"{sign}${x / 1e6:.2f}M"
    if size >= 1e4:
        return f"{sign}${x / 1e3:.0f}k"
    return f"{sign}${x:,.0f}"


def common_scale(*xs: float) -> float:
    """The value whose dollar scale a set read together (a mean and its interval) all use:
    the largest in size, so none shows more digits than the biggest warrants."""
    sizes = [abs(x) for x in xs if not _missing(x)]
    return max(sizes) if sizes else math.nan


def within_range(metric: str, low: float, high: float) -> tuple[float, float]:
    """An interval's ends moved inside the values ``metric`` can take (NaN stays NaN).

    A Student-t interval over few replications can reach past them (a P90 wait of "-5.0 d",
    a share above 100%): the report shows the possible part, as its charts' bands do, while
    ``summary.csv`` keeps the t interval itself.
    """
    lo, hi = metric_info(metric).range

    def inside(x: float) -> float:
        return x if math.isnan(x) else min(max(x, lo), hi)

    return inside(low), inside(high)


def format_interval(kind: Kind, low: float, high: float) -> str:
    if _missing(low) or _missing(high):
        return ""
    return f"{format_value(kind, low)} to {format_value(kind, high)}"


def format_share(x: float) -> str:
    return format_value("share", x)


def reads_zero(text: str) -> bool:
    """Whether a formatted number shows no nonzero digit (``0.0 pp``, ``0.000``)."""
    return not any(ch in "123456789" for ch in text)


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def describe_target(text: str) -> str:
    """``grr >= 0.92`` as a reader says it: ``Gross revenue retention (GRR) ≥ 92.0%``."""
    from simulator.scenario.schema import Target

    try:
        target = Target.parse(text)
    except ValueError:
        return text
    info = metric_info(target.metric)
    op = OP_SYMBOLS[target.op]
    return f"{info.label} {op} {info.value(target.value)}"
