"""A plan: components built from the scenario's Compensation, and payouts per period.

A plan pays each CSM, per period, ``sum(weight_i * attainment_i)`` of the period's share of
the variable target, where ``attainment_i`` is the component's curve at its metric value (1
at target), 0 while its gate is shut, and ``no_data_payout`` when the metric has nothing
to measure this period. In USD that share is multiplied by the variable target for the
period (annual target x period months / 12) and by the share of the period the CSM was
active (a CSM who joins or leaves mid-period is prorated by active days).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.model.plans.book import Book, Tally
from simulator.model.plans.curves import PayoutCurve
from simulator.model.plans.metrics import Reader, criteria_for, reader_for
from simulator.scenario.presets import expand
from simulator.scenario.schema import Compensation, Component, Curve, Gate, Product, Scenario


@dataclass(frozen=True)
class GateCheck:
    """A gate bound to the plan's criteria: open when its metric clears the bar (or has no data)."""

    read: Reader
    at_least: float | None
    at_most: float | None

    def is_open(self, tally: Tally) -> bool:
        value = self.read(tally)
        if value is None:
            return True
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.at_most is not None and value > self.at_most)


@dataclass(frozen=True)
class ComponentPayout:
    """One component's result: metric value (None: no data), attainment (1 = target), paid share."""

    name: str
    metric: str
    value: float | None
    attainment: float
    gate_open: bool
    weight: float

    @property
    def share(self) -> float:
        return self.weight * self.attainment if self.gate_open else 0.0


@dataclass(frozen=True)
class PlanComponent:
    """A schema Component compiled against the plan's criteria."""

    name: str
    weight: float
    curve: Curve
    read: Reader
    gate: GateCheck | None
    pay: PayoutCurve = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pay", PayoutCurve(self.curve, self.read.lower_is_better))

    def evaluate(self, tally: Tally, no_data_payout: float) -> ComponentPayout:
        value = self.read(tally)
        attained = no_data_payout if value is None else self.pay(value)
        gate_open = self.gate is None or self.gate.is_open(tally)
        return ComponentPayout(self.name, self.read.metric, value, attained, gate_open, self.weight)


@dataclass(frozen=True)
class Payout:
    """One CSM's payout for one period, as a share of the period's variable target."""

    components: tuple[ComponentPayout, ...]

    @property
    def share(self) -> float:
        return sum(c.share for c in self.components)

    @property
    def attainment(self) -> float | None:
        """Overall attainment: paid share over total weight (1 = on target); None with no components."""
        weight = sum(c.weight for c in self.components)
        return self.share / weight if weight > 0 else None

    def usd(self, variable_target_usd: float, period_months: float, active_share: float = 1.0) -> float:
        """USD paid: share x annual variable target x period months / 12 x share of the period active."""
        return self.share * variable_target_usd * period_months / 12.0 * active_share


class Plan:
    """The compiled plan of one team: its components, their criteria and period."""

    def __init__(self, components: Sequence[Component], product: Product, period_months: int = 3,
                 no_data_payout: float = 1.0) -> None:  # fmt: skip
        names = list(product.features)
        gates = [c.gate for c in components if c.gate is not None]
        self.criteria = criteria_for([*components, *gates], names)
        self.period_months = period_months
        self.no_data_payout = no_data_payout
        self.components = tuple(
            PlanComponent(name, c.weight, c.curve, reader_for(c, self.criteria, names), self._gate(c.gate, names))
            for name, c in zip(component_names(components), components, strict=True)
        )
        readers = [r for c in self.components for r in (c.read, c.gate.read if c.gate else None) if r is not None]
        layout = Tally(self.criteria, float(period_months))
        self.watched = tuple(sorted({i for r in readers for i in r.reads(layout)}))
        """The tally counters the payout depends on: a change elsewhere leaves every gain as it was."""

    @classmethod
    def from_compensation(cls, compensation: Compensation, product: Product) -> Plan:
        return cls(expand(compensation, product), product, compensation.period_months, compensation.no_data_payout)

    @classmethod
    def for_team(cls, scenario: Scenario, team: str) -> Plan:
        """The plan of ``team``: its own compensation if it has one, else the scenario's."""
        return cls.from_compensation(scenario.compensation_for(team), scenario.product)

    def _gate(self, gate: Gate | None, names: list[str]) -> GateCheck | None:
        if gate is None:
            return None
        return GateCheck(reader_for(gate, self.criteria, names), gate.at_least, gate.at_most)

    @property
    def pays(self) -> bool:
        """False for a salary-only plan (no components): no payout, no plan gain."""
        return bool(self.components)

    def new_book(self) -> Book:
        return Book(self.criteria, float(self.period_months), self.watched)

    def evaluate(self, tally: Tally) -> Payout:
        return Payout(tuple(c.evaluate(tally, self.no_data_payout) for c in self.components))

    def payout_share(self, tally: Tally) -> float:
        """:meth:`evaluate`'s share without building its records: the hot path of plan gain."""
        total = 0.0
        for c in self.components:
            if c.gate is not None and not c.gate.is_open(tally):
                continue
            value = c.read(tally)
            total += c.weight * (self.no_data_payout if value is None else c.pay(value))
        return total


def component_names(components: Sequence[Component]) -> list[str]:
    """Column-safe names: the metric, with _2, _3... for repeats (``attainment_<name>`` columns)."""
    seen: dict[str, int] = {}
    names = []
    for c in components:
        seen[c.metric] = seen.get(c.metric, 0) + 1
        names.append(c.metric if seen[c.metric] == 1 else f"{c.metric}_{seen[c.metric]}")
    return names
