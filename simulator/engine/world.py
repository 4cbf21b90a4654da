"""The world of one run: customers' lifecycle driven by the demand timeline.

Reads top to bottom like the business: a customer signs (and is onboarded, by a CSM or
alone), goes live, has needs that arise, get detected, served or expire, renews or
churns at each term end, and answers surveys. Who serves what is the coverage policy's
business (:mod:`simulator.engine.coverage`); CSM time is :mod:`simulator.engine.work`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import simpy

from simulator.engine.agenda import Agenda
from simulator.engine.demand import Demand
from simulator.engine.recorder import Recorder
from simulator.engine.streams import Streams
from simulator.model.customer import NONE_YET, Customer
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import (
    ADOPT,
    CHECKIN,
    DONE,
    EXPIRED,
    IN_SERVICE,
    JIT,
    LATE,
    LATENT,
    QUEUED,
    RAISED,
    SIGNAL,
    Need,
    new_need,
    pick,
)  # fmt: skip
from simulator.model.segment import SegmentRules
from simulator.scenario.schema import Scenario

if TYPE_CHECKING:
    from simulator.engine.coverage import Coverage
    from simulator.model.csm import Csm


_INF: Final = float("inf")


_UNSETTLED = (LATENT, QUEUED)
"""States in which a need can still expire."""
_LATENT = (LATENT,)
"""The state in which a usage signal can still detect a need."""


class World:
    """State shared by the engine's parts, and the demand-side event handlers."""

    def __init__(self, scenario: Scenario, replication: int, demand: Demand, env: simpy.Environment) -> None:
        self.scenario = scenario
        self.env = env
        self.streams = Streams(scenario.seed, replication)
        self.features = FeatureSet(scenario.product)
        self.health = HealthRules(scenario.health, self.features)
        self.rules = {name: SegmentRules(scenario, name, self.features) for name in scenario.segments}
        self.demand = demand
        self.customers: list[Customer | None] = [None] * demand.size
        self.active: dict[int, Customer] = {}
        self.recorder = Recorder(self.features, self.health)
        self.coverage: dict[str, Coverage] = {}
        self.csms: list[Csm] = []
        self.need_count = 0
        self.earliest_launch: dict[int, float] = {}
        self.agenda = Agenda(
            env, demand.times, demand.kinds, demand.owners, demand.payload,
            [self.sign, self.prep, self.renew, self.need_arises, self.survey],
        )  # fmt: skip
        # fixed delays per segment, so each is a FIFO line rather than heap entries
        self.expiries = {name: self.agenda.line(self.expire, _UNSETTLED) for name in scenario.segments}
        self.signals = {name: self.agenda.line(self.signal, _LATENT) for name in scenario.segments}

    @property
    def now(self) -> float:
        """The clock. The engine reads SimPy's ``env._now`` directly (what the ``env.now``
        property returns, without a call: it is read several times per event)."""
        return self.env._now

    def team_of(self, c: Customer) -> Coverage:
        return self.coverage[c.team]

    # ---- signing and launch

    def sign(self, cid: int, _u: list[float]) -> None:
        d = self.demand
        seg = d.segment[cid]
        c = Customer(cid, seg, self.rules[seg], self.scenario.segments[seg].team, d.signed_day[cid], d.arr[cid],
                     d.desired[cid])  # fmt: skip
        self.customers[cid] = c
        self.active[cid] = c
        team = self.team_of(c)
        if d.initial[cid]:
            c.adopted = d.adopted0[cid]
            c.live_day = c.signed_day
            team.sign(c, initial=True)
            return
        launch = float(c.rules.launch_days.sample(self.streams[f"launch:{seg}"]))
        team.sign(c, initial=False)
        if team.onboard(c):
            self.earliest_launch[cid] = c.signed_day + launch
        else:
            self.agenda.at(c.signed_day + launch, self.go_live, c)

    def onboarded(self, c: Customer) -> None:
        """Onboarding hours are done: live now, or when the minimum launch time has passed."""
        earliest = self.earliest_launch.pop(c.id, self.env._now)
        if earliest > self.env._now:
            self.agenda.at(earliest, self.go_live, c)
        else:
            self.go_live(c)

    def go_live(self, c: Customer) -> None:
        if c.churned:
            return
        c.live_day = self.env._now
        self.team_of(c).launched(c)
        if c.csm is not None:
            c.csm.incentive.on_launch(c.csm, c, self.env._now - c.signed_day, self.env._now)

    # ---- needs

    def need_arises(self, cid: int, u: list[float]) -> None:
        c = self.customers[cid]
        if c is None or c.churned or c.live_day == _INF:  # c.live, written out: this runs for every drawn need
            return  # not yet live or gone: the drawn need does not apply (thinning)
        what = pick(c, u[0], u[1])
        if what is None:
            return
        now = self.env._now
        self.need_count += 1
        kind, feature = what
        need = new_need(self.need_count, c, kind, feature, now, u[3])
        rules = c.rules
        need.hours = rules.mean_hours[feature] if kind == ADOPT else rules.problem_mean
        c.needs += 1
        c.open_needs.append(need)
        expiry = rules.expiry_days  # need.expiry_day(): arise day (now) + expiry, or never
        if expiry is not None:
            self.expiries[c.segment].push(now + expiry, need)
        team = self.coverage[c.team]
        v = u[2]
        if team.hears_raised:
            if v < rules.raise_prob:
                need.detect_day = now  # detect(need, RAISED), written out: most needs are raised
                need.detected_by = RAISED
                need.state = QUEUED
                team.route(need)
                return
            v = (v - rules.raise_prob) / (1.0 - rules.raise_prob)
        if team.sees_signals and v < rules.signal_prob:
            self.signals[c.segment].push(now + rules.signal_delay, need)

    def signal(self, need: Need) -> None:
        if need.state == LATENT:
            self.detect(need, SIGNAL)

    def detect(self, need: Need, by: str) -> None:
        need.detect_day = self.env._now
        need.detected_by = by
        need.state = QUEUED
        self.coverage[need.customer.team].route(need)

    def found_at_checkin(self, c: Customer, rng: np.random.Generator) -> int:
        """A check-in finds each latent need with ``checkin_detect_prob``; returns how many."""
        found = 0
        for need in list(c.open_needs):
            if need.state == LATENT and rng.random() < c.rules.checkin_detect:
                self.detect(need, CHECKIN)
                found += 1
        return found

    def expire(self, need: Need) -> None:
        """An unmet need lapses: only self-serve adoption (or abandoning a problem feature) remains."""
        if need.state not in (LATENT, QUEUED):
            return
        self.close_unmet(need)
        c = need.customer
        if c.csm is not None:
            c.csm.incentive.on_need_expired(c.csm, c, need, self.env._now)
        f = need.feature
        if need.kind == ADOPT:
            if not c.has(f) and need.u_outcome < c.rules.features.self_serve[f]:
                need.adopted = True
                self.adopt(c, f, c.csm)
        elif c.has(f) and need.u_outcome < c.rules.problem_drop:
            self.drop(c, f)
        c.record_service(need.arise_day, False, self.health.resp_days, self.env._now)

    def close_unmet(self, need: Need) -> None:
        if need.state == QUEUED:
            self.team_of(need.customer).queue.depart(self.env._now)
        need.state = DONE
        need.fate = EXPIRED
        need.end_day = self.env._now
        need.customer.open_needs.remove(need)
        self.recorder.need_row(need)

    def start_service(self, need: Need, csm: Csm | None) -> bool:
        """Guidance on a waiting need starts now; its fate (on time or late) is decided here.

        Returns whether it is on time."""
        now = self.env._now
        c = need.customer
        self.coverage[c.team].queue.depart(now)
        need.state = IN_SERVICE
        need.start_day = now
        need.csm = csm.id if csm is not None else -1
        jit = now - need.arise_day - c.rules.window_days <= 0  # need.lateness(now) <= 0, written out
        need.fate = JIT if jit else LATE
        c.needs_jit += jit
        return jit

    def work_done(self, need: Need, chance: float, csm: Csm | None) -> None:
        """Guidance on ``need`` (started at ``need.start_day`` with its fate set) has ended."""
        c = need.customer
        now = self.env._now
        need.end_day = now
        need.state = DONE
        c.open_needs.remove(need)
        jit = need.fate == JIT
        if not c.churned:
            f = need.feature
            if need.kind == ADOPT and not c.adopted >> f & 1 and need.u_outcome < chance:  # not c.has(f)
                need.adopted = True
                self.adopt(c, f, csm)
            # c.record_service(need.arise_day, jit, resp_days, now), written out: once per need
            recent = c.recent
            if recent is None:
                recent = c.recent = []
            recent.append((need.arise_day, jit))
            c.recent_jit += jit
            c.resp_gain = None
            day = now - self.health.resp_days
            n = len(recent)
            k = 0
            while k < n and recent[k][0] < day:
                c.recent_jit -= recent[k][1]
                k += 1
            if k:
                del recent[:k]
            c.recent_n = n - k
            c.recent_from = recent[0][0] if k < n else NONE_YET
            if csm is not None:
                c.last_contact = now  # c.contact(now)
                if not csm.neutral:  # a neutral incentive's hooks do nothing
                    csm.incentive.on_need_met(csm, c, need, jit, now)
        f = need.feature  # self.recorder.need_row(need), written out (once per served need)
        self.recorder.needs.append(
            (need.id, c.id, c.segment, c.team, need.kind, self.features.names[f], need.arise_day, need.detect_day,
             need.detected_by, need.start_day, now, need.fate, need.csm, need.adopted, (c.desired >> f & 1) == 1)
        )  # fmt: skip

    def adopt(self, c: Customer, feature: int, csm: Csm | None) -> None:
        c.adopt(feature)
        owner = c.csm if c.csm is not None else csm
        if owner is not None:
            owner.incentive.on_adopt(owner, c, feature, self.env._now)

    def drop(self, c: Customer, feature: int) -> None:
        c.drop(feature)
        if c.csm is not None:
            c.csm.incentive.on_drop(c.csm, c, feature, self.env._now)

    # ---- renewals, preparation, surveys

    def prep(self, cid: int, _u: list[float]) -> None:
        c = self.customers[cid]
        if c is not None and not c.churned:
            self.team_of(c).prepare_renewal(c)

    def renew(self, cid: int, u: list[float]) -> None:
        c = self.customers[cid]
        if c is None or c.churned:
            return
        now = self.env._now
        _, value, resp, rel = self.health.components(c, now)
        rules = c.rules.renewal
        p = rules.churn_probability(self.features.sticky(c.adopted), value, resp, rel)
        before = c.arr
        after, churned = rules.outcome(before, p, value, u[0], u[1], u[2])
        self.recorder.renewal_row(c, now, before, after, churned)
        if c.csm is not None:
            c.csm.book_arr += after - before
            c.csm.incentive.on_renewal(c.csm, c, before, after, churned, now)
        c.arr = after
        if churned:
            self.churn(c)

    def churn(self, c: Customer) -> None:
        c.churned = True
        c.churn_day = self.env._now
        for need in list(c.open_needs):
            if need.state in (LATENT, QUEUED):
                self.close_unmet(need)
        self.team_of(c).lost(c)
        del self.active[c.id]
        self.recorder.customer_row(c, self.env._now, self.demand.initial[c.id])

    def survey(self, cid: int, u: list[float]) -> None:
        c = self.customers[cid]
        nps = self.scenario.nps
        if c is None or not c.live:
            return  # (the timeline holds only the surveys that get an answer)
        resp = self.health.responsiveness(c, self.env._now)
        mean = nps.base + nps.value_effect * c.value + nps.responsiveness_effect * resp
        score = int(min(10, max(0, round(mean + nps.noise_sd * u[1]))))
        self.recorder.survey_row(c, self.env._now, score)
        if c.csm is not None:
            c.csm.incentive.on_survey(c.csm, c, score, self.env._now)

    # ---- end of run

    def finish(self) -> None:
        now = self.env._now
        for c in self.active.values():
            for need in c.open_needs:
                self.recorder.need_row(need)
            self.recorder.customer_row(c, now, self.demand.initial[c.id])
