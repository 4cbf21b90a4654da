"""A short plain-text summary of a valid scenario, for ``cssim validate``.

It answers "did the file say what I meant?" before a long run: the size of each segment,
and each team's load per CSM next to the field's rules of thumb (about $2M ARR
per CSM at scale; accounts per CSM by touch model). The rules are context, not limits: a
team far outside them is worth a second look, not an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from simulator.scenario.schema import DAYS_PER_MONTH, DigitalTeam, NamedTeam, Scenario, Segment

ARR_PER_CSM_RULE = 2_000_000
"""Lemkin's rule of thumb: one CSM per ~$2M ARR at scale (SaaStr)."""

ACCOUNTS_PER_CSM = {"named": (10, 80), "pooled": (150, 400), "digital": (500, 2000)}
"""Accounts per CSM by touch model: high-touch, low-touch, pooled/tech-touch (practitioner and vendor surveys)."""

TOUCH = {"named": "high-touch", "pooled": "low-touch", "digital": "tech-touch"}


@dataclass(frozen=True)
class TeamLoad:
    """What one team covers at time 0, and how many accounts to expect at the horizon."""

    name: str
    coverage: str
    csms: int
    customers: int
    arr_usd: float
    customers_at_horizon: float = float("nan")

    @property
    def accounts_per_csm(self) -> float:
        return self.customers / self.csms if self.csms else float("nan")

    @property
    def arr_per_csm(self) -> float:
        return self.arr_usd / self.csms if self.csms else float("nan")

    @property
    def accounts_per_csm_at_horizon(self) -> float:
        return self.customers_at_horizon / self.csms if self.csms else float("nan")


def expected_customers(segment: Segment, months: float) -> float:
    """Accounts to expect after ``months``: today's, less churn, plus signings, less their churn.

    Churn at the segment's reference state (``base_churn`` per renewal, spread evenly over
    the term: a monthly rate ``-ln(1 - base_churn) / contract_months``); the run's own churn
    moves with how well customers are served, so this is where books head, not a forecast.
    """
    rate = -math.log1p(-segment.renewal.base_churn) / segment.contract_months
    if rate <= 0:
        return segment.initial_customers + segment.new_per_month * months
    kept = math.exp(-rate * months)
    return segment.initial_customers * kept + segment.new_per_month * (1 - kept) / rate


def team_loads(scenario: Scenario) -> list[TeamLoad]:
    """Customers and ARR at time 0 per team (mean ARR of each segment times its customers),
    and the customers to expect at the horizon (:func:`expected_customers`)."""
    loads = []
    for name, team in scenario.teams.items():
        segments = scenario.segments_of(name).values()
        customers = sum(s.initial_customers for s in segments)
        arr = sum(s.initial_customers * s.arr.mean for s in segments)
        csms = 0 if isinstance(team, DigitalTeam) else team.csms
        later = sum(expected_customers(s, scenario.horizon_months) for s in segments)
        loads.append(TeamLoad(name, team.coverage, csms, customers, arr, later))
    return loads


def describe(scenario: Scenario) -> str:
    """The summary ``cssim validate`` prints: a few aligned sections of plain text."""
    return "\n".join([*_header(scenario), "", *_segments(scenario), "", *_teams(scenario), "", *_experiment(scenario)])


def money(usd: float) -> str:
    """$1.23M, $136k, $950: short amounts for a summary line."""
    if abs(usd) >= 1e6:
        return f"${usd / 1e6:.2f}M"
    if abs(usd) >= 1e4:
        return f"${usd / 1e3:.0f}k"
    return f"${usd:,.0f}"


def _header(scenario: Scenario) -> list[str]:
    return [
        f"{scenario.name}: valid scenario",
        f"  horizon {scenario.horizon_months:g} months, warm-up {scenario.warmup_months:g} months, "
        f"{scenario.replications} replications, seed {scenario.seed}",
        *_short_warmup(scenario),
    ]


def _short_warmup(scenario: Scenario) -> list[str]:
    """A note when the measured period starts before health's memory of needs has filled.

    The run starts with no needs behind any customer, so responsiveness sits at its prior
    until ``responsiveness_days`` have passed: health, and the retention it drives, are
    then still partly the empty start (docs/validation.md section 12). Not an error: a
    leader may want "from today" on purpose.
    """
    memory = scenario.health.responsiveness_days
    if scenario.warmup_months * DAYS_PER_MONTH >= memory:
        return []
    return [
        f"  note: the warm-up ends before health's {memory:g}-day memory of needs has filled "
        f"(~{memory / DAYS_PER_MONTH:.1f} months); early measured health still reflects the empty start"
    ]


def _segments(scenario: Scenario) -> list[str]:
    rows: list[tuple[str, ...]] = [("Segment", "customers", "new/month", "mean ARR", "total ARR", "team")]
    for name, seg in scenario.segments.items():
        team = f"{seg.team} ({scenario.teams[seg.team].coverage})"
        total = money(seg.initial_customers * seg.arr.mean)
        rows.append((name, f"{seg.initial_customers:,}", f"{seg.new_per_month:g}", money(seg.arr.mean), total, team))
    return _table(rows)


def _teams(scenario: Scenario) -> list[str]:
    rule = money(ARR_PER_CSM_RULE)
    later = f"month {scenario.horizon_months:g}"
    rows: list[tuple[str, ...]] = [
        ("Team", "coverage", "CSMs", "accounts/CSM", f"at {later}", "ARR/CSM", f"field: accounts/CSM; ~{rule} ARR/CSM")
    ]
    for load in team_loads(scenario):
        low, high = ACCOUNTS_PER_CSM[load.coverage]
        touch = f"{TOUCH[load.coverage]} {low:,}-{high:,}"
        if load.coverage == "digital":
            team = scenario.teams[load.name]
            assert isinstance(team, DigitalTeam)
            cost = money(team.cost_per_customer_month * load.customers)
            accounts = f"{load.customers:,} accounts"
            rows.append(
                (
                    load.name,
                    "digital",
                    "-",
                    accounts,
                    f"~{load.customers_at_horizon:,.0f}",
                    "-",
                    f"{touch}; {cost}/month",
                )
            )
            continue
        ratio = load.arr_per_csm / ARR_PER_CSM_RULE
        verdict = f"{touch}: {_where(load.accounts_per_csm, low, high)}; ARR {ratio:.1f}x the rule"
        per_csm, then = f"{load.accounts_per_csm:,.1f}", f"~{load.accounts_per_csm_at_horizon:,.1f}"
        rows.append((load.name, load.coverage, str(load.csms), per_csm, then, money(load.arr_per_csm), verdict))
    rows.extend(_named_caps(scenario))
    return _table(rows)


def _named_caps(scenario: Scenario) -> list[tuple[str, ...]]:
    """A warning row for each named team whose books cannot hold its customers at time 0,
    or are expected to outgrow them before the horizon (at today's headcount)."""
    rows: list[tuple[str, ...]] = []
    for load in team_loads(scenario):
        team = scenario.teams[load.name]
        if not isinstance(team, NamedTeam):
            continue
        room = team.csms * team.max_accounts
        if load.customers > room:
            note = (
                f"note: {load.name}'s {load.customers:,} accounts exceed {team.csms} x max_accounts {team.max_accounts}"
            )
            rows.append(("", "", "", "", "", "", note))
        elif load.customers_at_horizon > room:
            month = _month_full(scenario, load.name, room)
            note = (
                f"note: {load.name}'s books expected to reach max_accounts {team.max_accounts} around month {month} "
                f"at {team.csms} CSMs (then overflow: {team.overflow})"
            )
            rows.append(("", "", "", "", "", "", note))
    return rows


def _month_full(scenario: Scenario, team: str, room: int) -> int:
    """The first whole month at which the team's expected accounts exceed ``room``."""
    segments = scenario.segments_of(team).values()
    month = 0
    while month < scenario.horizon_months and sum(expected_customers(s, month) for s in segments) <= room:
        month += 1
    return month


def _where(value: float, low: float, high: float) -> str:
    return "below" if value < low else "above" if value > high else "within"


def _experiment(scenario: Scenario) -> list[str]:
    comp = scenario.compensation
    lines = [f"Plan: {comp.plan}, paid every {comp.period_months} months" + _params(comp.params)]
    for name, team in scenario.teams.items():
        own = getattr(team, "compensation", None)
        if own is not None:
            lines.append(f"  team {name}: {own.plan}, paid every {own.period_months} months{_params(own.params)}")
    lines.append("Targets: " + (", ".join(str(t) for t in scenario.parsed_targets()) or "none"))
    lines.append(f"Variants: {len(scenario.variants) or 'none'}")
    for variant in scenario.variants:
        sets = ", ".join(f"{path}={value}" for path, value in variant.set.items()) or "no changes"
        lines.append(f"  {variant.name}: {sets}")
    if scenario.sweep is not None:
        points = scenario.sweep.points()
        shown = ", ".join(str(p) for p in points[:8]) + (", ..." if len(points) > 8 else "")
        lines.append(f"Sweep: {scenario.sweep.path} over {shown} ({len(points)} values)")
    options = 1 + len(scenario.variants) + (len(scenario.sweep.points()) if scenario.sweep else 0)
    runs = options * scenario.replications
    lines.append(f"Runs: {runs:,} (variants x replications)")
    return lines


def _params(params: Mapping[str, object]) -> str:
    return f" ({', '.join(f'{k}={v}' for k, v in params.items())})" if params else ""


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, free text last."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:-1], widths[1:], strict=True)]
        lines.append(("  ".join(cells) + "  " + row[-1]).rstrip())
    return lines
