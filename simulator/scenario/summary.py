"""A short plain-text summary of a valid scenario, for ``cssim validate``.

It answers "did the file say what I meant?" before a long run: the size of each segment,
and each team's load per CSM next to the field's rules of thumb (FIELD.md: about $2M ARR
per CSM at scale; accounts per CSM by touch model). The rules are context, not limits: a
team far outside them is worth a second look, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.scenario.schema import DigitalTeam, NamedTeam, Scenario

ARR_PER_CSM_RULE = 2_000_000
"""Lemkin's rule of thumb: one CSM per ~$2M ARR at scale (SaaStr)."""

ACCOUNTS_PER_CSM = {"named": (10, 80), "pooled": (150, 400), "digital": (500, 2000)}
"""Accounts per CSM by touch model: high-touch, low-touch, pooled/tech-touch (FIELD.md)."""

TOUCH = {"named": "high-touch", "pooled": "low-touch", "digital": "tech-touch"}


@dataclass(frozen=True)
class TeamLoad:
    """What one team covers at time 0."""

    name: str
    coverage: str
    csms: int
    customers: int
    arr_usd: float

    @property
    def accounts_per_csm(self) -> float:
        return self.customers / self.csms if self.csms else float("nan")

    @property
    def arr_per_csm(self) -> float:
        return self.arr_usd / self.csms if self.csms else float("nan")


def team_loads(scenario: Scenario) -> list[TeamLoad]:
    """Customers and ARR at time 0 per team (mean ARR of each segment times its customers)."""
    loads = []
    for name, team in scenario.teams.items():
        segments = scenario.segments_of(name).values()
        customers = sum(s.initial_customers for s in segments)
        arr = sum(s.initial_customers * s.arr.mean for s in segments)
        csms = 0 if isinstance(team, DigitalTeam) else team.csms
        loads.append(TeamLoad(name, team.coverage, csms, customers, arr))
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
    rows: list[tuple[str, ...]] = [
        ("Team", "coverage", "CSMs", "accounts/CSM", "ARR/CSM", f"field: accounts/CSM; ~{rule} ARR/CSM")
    ]
    for load in team_loads(scenario):
        low, high = ACCOUNTS_PER_CSM[load.coverage]
        touch = f"{TOUCH[load.coverage]} {low:,}-{high:,}"
        if load.coverage == "digital":
            team = scenario.teams[load.name]
            assert isinstance(team, DigitalTeam)
            cost = money(team.cost_per_customer_month * load.customers)
            rows.append((load.name, "digital", "-", f"{load.customers:,} accounts", "-", f"{touch}; {cost}/month"))
            continue
        ratio = load.arr_per_csm / ARR_PER_CSM_RULE
        verdict = f"{touch}: {_where(load.accounts_per_csm, low, high)}; ARR {ratio:.1f}x the rule"
        per_csm = f"{load.accounts_per_csm:,.1f}"
        rows.append((load.name, load.coverage, str(load.csms), per_csm, money(load.arr_per_csm), verdict))
    rows.extend(_named_caps(scenario))
    return _table(rows)


def _named_caps(scenario: Scenario) -> list[tuple[str, ...]]:
    """A warning row for each named team whose books cannot hold its customers at time 0."""
    rows: list[tuple[str, ...]] = []
    for load in team_loads(scenario):
        team = scenario.teams[load.name]
        if isinstance(team, NamedTeam) and load.customers > team.csms * team.max_accounts:
            note = f"note: {load.customers:,} accounts exceed {team.csms} x max_accounts {team.max_accounts}"
            rows.append(("", "", "", "", "", note))
    return rows


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
