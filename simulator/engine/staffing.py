"""Seats and the people in them: attrition, vacancy, hiring lag, ramp.

Each seat of a human team is filled at time 0 by a fully ramped CSM. Departures are a
Poisson process per seat at ``annual_attrition`` per year, drawn from a stream per
(team, seat), so adding seats leaves every existing seat's history unchanged. The
hiring lag runs from the resignation; a CSM in the middle of a task finishes it, then
leaves (their customers are reassigned by the coverage policy). The replacement is a new
person (a new CSM id) who ramps from ``ramp_start`` to full productivity over
``ramp_months``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.engine.work import Work
from simulator.engine.world import World
from simulator.model.csm import Csm
from simulator.model.decisions import Incentive


class Staffing:
    """Hires, departures and the seats' attrition processes."""

    def __init__(self, world: World, incentives: dict[str, Incentive]) -> None:
        self.world = world
        self.env = world.env
        self.incentives = incentives
        self.work = Work(world, self.depart)
        for team in world.coverage.values():
            team.work = self.work
        self._next_id = 0

    def start(self) -> None:
        for name, team in self.world.coverage.items():
            if not team.human:
                continue
            for seat in range(team.spec.csms):
                self.hire(name, seat, ramped=True)
            params = self.world.scenario.csm_for(name)
            if params.annual_attrition > 0:
                for seat in range(team.spec.csms):
                    self.env.process(self._seat(name, seat))

    def hire(self, team: str, seat: int, ramped: bool) -> Csm:
        params = self.world.scenario.csm_for(team)
        csm = Csm(self._next_id, team, seat, params, self.env.now, self.incentives[team], ramped)
        self._next_id += 1
        self.world.csms.append(csm)
        self.world.coverage[team].joined(csm)
        self.work.start_next(csm)
        return csm

    def depart(self, csm: Csm) -> None:
        """The CSM leaves now (called when they resign idle, or finish their task)."""
        if not csm.active:
            return
        csm.active = False
        csm.leave_day = self.env.now
        self.world.coverage[csm.team].left(csm)

    def _seat(self, team: str, seat: int) -> Generator[simpy.Event, Any, None]:
        params = self.world.scenario.csm_for(team)
        rng = self.world.streams.fresh(f"attrition:{team}", seat)
        mean_days = 365.25 / params.annual_attrition
        holder = self._holder(team, seat)
        while True:
            yield self.env.timeout(float(rng.exponential(mean_days)))
            if holder is not None:
                holder.leaving = True
                if not holder.busy:
                    self.depart(holder)
            yield self.env.timeout(params.hiring_lag_days)
            holder = self.hire(team, seat, ramped=False)

    def _holder(self, team: str, seat: int) -> Csm | None:
        for csm in self.world.csms:
            if csm.team == team and csm.seat == seat and csm.active:
                return csm
        return None
