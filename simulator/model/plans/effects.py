"""From the decision point's :class:`Option` to its :class:`Effect` on the CSM's book.

The engine describes an option by its kind, customer, feature, adoption chance, whether
it meets a need in its window and whether it is a customer touch. This module turns that
into outcome branches on the book, using the model's own rules for what the engine does
not say:

- an adoption need guided now adopts with ``p_adopt``; left alone it may still adopt
  self-serve (the baseline), as the engine's customer benefit also assumes;
- a need of the CSM's own customer, left alone, closes without being met on time (served
  late or lapsed, and a lapse counts: ``on_need_expired``), so guiding it in its window
  raises the just-in-time share and guiding it late costs nothing;
- a problem need guided now keeps the feature; left alone the customer may drop it
  (``problem_drop_prob``, the baseline);
- if the customer's next renewal falls before the end of the current pay period, every
  branch splits into kept / churned with the churn probability of that branch's state
  (stickiness and value after adoption, relationship after the contact, responsiveness
  after an on-time need), against the same split without the option. Kept ARR is its
  expected value given retention (expansion and contraction at their mean sizes): the
  churn cliff is enumerated, the smooth part is averaged.

Survey answers (NPS) and launch timing (speed-to-launch) are not priced here yet: their
timing lives in the engine (docs/plans.md, "what the engine supplies").
"""

from __future__ import annotations

import math

from simulator.model.customer import Customer
from simulator.model.decisions import NEED, Option
from simulator.model.features import FeatureSet
from simulator.model.health import HealthRules
from simulator.model.need import ADOPT
from simulator.model.plans.book import NO_CHANGE, Account, Book, Change
from simulator.model.plans.gain import Branch, Effect

State = tuple[int, bool, bool]
"""A branch's customer state: (features in use, contacted now, a need met on time now)."""

Weighted = list[tuple[float, State]]


def account_of(c: Customer, features: FeatureSet, adopted: int | None = None) -> Account:
    """What the plan sees of ``c`` (with ``adopted`` in place of its features, if given)."""
    mask = c.adopted if adopted is None else adopted
    value = (mask & c.desired).bit_count() / c.n_desired if c.n_desired else None
    return Account(features.engagement(mask), value, mask)


class EffectBuilder:
    """Builds effects for one team's options; holds the rules they need (no per-option state)."""

    def __init__(self, features: FeatureSet, health: HealthRules, period_days: float) -> None:
        self.features = features
        self.health = health
        self.period_days = period_days

    def effect(self, book: Book, option: Option, now: float) -> Effect | None:
        """The option's effect on ``book``, or None when it has none the plan can see."""
        c = option.customer
        if c is None:
            return None
        member = c.id in book
        touches = 1 if option.activity and member else 0
        needs = (option.jit,) if option.kind == NEED else ()
        # a need of the CSM's own customer left alone closes late or lapses: not on time either way
        unmet = (False,) if needs and member else ()
        outcomes, baseline = self._adoption(c, option, member)
        day = self.renewal_due(c, now)
        if member and day is not None:
            return Effect(
                c.id,
                self._renewing(c, outcomes, touches, needs, now, day),
                self._renewing(c, baseline, 0, unmet, now, day),
                check=False,
            )
        return Effect(c.id, self._plain(c, outcomes, touches, needs), self._plain(c, baseline, 0, unmet), check=False)

    def renewal_due(self, c: Customer, now: float) -> float | None:
        """The day of ``c``'s next renewal if it falls before the current pay period ends.

        The next renewal day is kept in ``c.plan_data`` until it passes (asked for every
        option the CSM weighs, it changes once a term).
        """
        day = c.plan_data
        if day is None or now >= day:
            day = c.plan_data = next_renewal(c, now)
        due: float | None = day if day <= (math.floor(now / self.period_days) + 1) * self.period_days else None
        return due

    def _adoption(self, c: Customer, option: Option, member: bool) -> tuple[Weighted, Weighted]:
        """(outcomes, baseline) as customer states with probabilities, before renewal splits."""
        contacted = option.activity or option.kind == NEED
        done: State = (c.adopted, contacted, option.jit)
        idle: State = (c.adopted, False, False)
        f = option.feature
        if not member or f < 0:
            return [(1.0, done)], [(1.0, idle)]
        bit = 1 << f
        if option.kind == NEED and option.need is not None and option.need.kind != ADOPT:
            if not c.adopted & bit:
                return [(1.0, done)], [(1.0, idle)]
            drop = c.rules.problem_drop
            return [(1.0, done)], [(drop, (c.adopted & ~bit, False, False)), (1.0 - drop, idle)]
        if c.adopted & bit:
            return [(1.0, done)], [(1.0, idle)]
        p = option.p_adopt
        alone = self.features.self_serve[f] if option.kind == NEED else 0.0
        outcomes = [(p, (c.adopted | bit, contacted, option.jit)), (1.0 - p, done)]
        return outcomes, [(alone, (c.adopted | bit, False, False)), (1.0 - alone, idle)]

    def _account(self, c: Customer, adopted: int) -> Account | None:
        return None if adopted == c.adopted else account_of(c, self.features, adopted)

    def _plain(self, c: Customer, states: Weighted, touches: int, needs: tuple[bool, ...]) -> tuple[Branch, ...]:
        if not touches and not needs and all(s[0] == c.adopted for _, s in states):
            return ((1.0, NO_CHANGE),)
        return tuple((p, Change(account=self._account(c, s[0]), touches=touches, needs=needs)) for p, s in states)

    def _renewing(
        self, c: Customer, states: Weighted, touches: int, needs: tuple[bool, ...], now: float, day: float
    ) -> tuple[Branch, ...]:
        out: list[Branch] = []
        for p, state in states:
            q, kept = self.renewal(c, state, now, day)
            account = self._account(c, state[0])
            out.append((p * (1.0 - q), Change(account, touches, ((c.arr, kept),), (), needs)))
            out.append((p * q, Change(account, touches, ((c.arr, 0.0),), (), needs, leaves=True)))
        return tuple(out)

    def renewal(self, c: Customer, state: State, now: float, day: float) -> tuple[float, float]:
        """(churn probability, expected ARR if kept) at the renewal on ``day`` from ``state``.

        Needs past the responsiveness horizon are forgotten first (as every reader of them
        does), so the answer depends on the customer at ``now``, not on who looked before.
        """
        adopted, contacted, jit = state
        health = self.health
        value = (adopted & c.desired).bit_count() / c.n_desired if c.n_desired else 0.0
        resp = health.responsiveness(c, now)
        if jit:
            recent = len(c.recent) if c.recent else 0
            resp = (c.recent_jit + 1) / (recent + 1)
        last = now if contacted else c.last_contact
        rel = math.exp(-(day - last) / health.rel_days) if last > -math.inf else 0.0
        rules = c.rules.renewal
        q = rules.churn_probability(self.features.sticky(adopted), value, resp, rel)
        grow, shrink = rules.change_probabilities(value)
        spec = rules.spec
        return q, c.arr * (1.0 + grow * spec.expansion_size - shrink * spec.contraction_size)


def next_renewal(c: Customer, now: float) -> float:
    """The next term end after ``now`` (renewals fall at signing + k terms, k >= 1)."""
    term = c.rules.term_days
    k = max(1, math.floor((now - c.signed_day) / term) + 1)
    return c.signed_day + k * term
