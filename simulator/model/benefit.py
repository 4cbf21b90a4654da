"""Expected customer benefit of each kind of CSM work, on the satisfaction scale.

See :mod:`simulator.model.decisions` for the scale. Each function returns the benefit
together with what the plan needs to price the same option (adoption chance, on time).
Benefits are *expected* values: the chance that guidance leads to adoption times the
value that adoption adds, minus what would have happened anyway (self-serve).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from simulator.model.customer import NEVER, Customer
from simulator.model.health import HealthRules
from simulator.model.need import ADOPT, Need

ONBOARDING_BENEFIT = 1.0
"""Launch is the precondition of every other benefit, so onboarding carries the full scale."""


class Guidance(NamedTuple):
    benefit: float
    p_adopt: float
    jit: bool


def value_share(c: Customer, feature: int) -> float:
    """Value realised that adopting ``feature`` adds: 1/n of the desired features, or 0."""
    return 1.0 / c.n_desired if c.wants(feature) and not c.has(feature) else 0.0


def need_guidance(health: HealthRules, need: Need, now: float) -> tuple[float, float, bool]:
    """Guiding ``need`` now: adoption (or keeping a feature) plus on-time service and contact.

    Returns ``(benefit, p_adopt, jit)`` as a plain tuple. This runs for every need a CSM
    weighs at every decision (several per need served), so it is written out: the
    adoption chance is :meth:`SegmentRules.guided_chance` and the benefit is
    :meth:`HealthRules.satisfaction_gain` with on-time service and contact, inlined with
    the same arithmetic in the same order (a unit test holds them equal).
    """
    c = need.customer
    rules = c.rules
    feature = need.feature
    bit = 1 << feature
    lateness = now - need.arise_day - rules.window_days
    jit = lateness <= 0
    wanted = c.desired & bit
    if need.kind == ADOPT:
        p = rules.guided
        if lateness > 0:
            p *= rules.late_factor * math.exp(-lateness / rules.window_days)
        if not wanted:
            p *= rules.undesired_factor
        alone = rules.features.self_serve[feature]
        value_gain = (p - alone) / c.n_desired if wanted and p > alone and not c.adopted & bit else 0.0
    else:  # a problem: guidance saves the feature the customer might otherwise drop
        p = 0.0
        value_gain = rules.problem_drop / c.n_desired if wanted else 0.0
    wv, wr, wrel = health.sat_weights
    gain = wv * value_gain
    if jit:
        if c.recent_from < now - health.resp_days:  # something to forget (infinity: nothing remembered)
            c.forget_before(now - health.resp_days)
        n = c.recent_n  # len(c.recent), kept on the customer
        resp = c.recent_jit / n if n else health.prior
        gain += wr * (1.0 - resp) / (n + 1)
    last = c.last_contact
    gain += wrel * (1.0 - math.exp(-(now - last) / health.rel_days)) if last > NEVER else wrel
    return gain, p, jit


def contact(health: HealthRules, c: Customer, now: float) -> float:
    """A human conversation with no other effect (renewal preparation, a touch without a push).

    :meth:`HealthRules.satisfaction_gain` with contact only, written out (same arithmetic).
    """
    wrel = health.sat_weights[2]
    last = c.last_contact
    return wrel * (1.0 - math.exp(-(now - last) / health.rel_days)) if last > NEVER else wrel


def touch_base(health: HealthRules, c: Customer, now: float) -> float:
    """``contact + discovery``: a touch's benefit before any push.

    Written out (same arithmetic, same order) because it runs for every due touch a named
    CSM weighs at every decision; a unit test holds it equal to the two functions.
    """
    wrel = health.sat_weights[2]
    last = c.last_contact
    gain = wrel * (1.0 - math.exp(-(now - last) / health.rel_days)) if last > NEVER else wrel
    rules = c.rules
    if (c.desired & ~c.adopted) == 0 or rules.hidden_rate <= 0:
        return gain + 0.0
    span = min(now - c.last_touch, rules.expiry_days or 365.0)
    found = rules.hidden_rate * span * rules.checkin_detect
    return gain + health.sat_weights[0] * found * rules.guided * rules.desired_share / c.n_desired


def discovery(health: HealthRules, c: Customer, now: float) -> float:
    """Expected value of the latent needs a check-in would find (the CSM cannot see them).

    Latent needs accumulate at the customer's need rate times the chance nobody else
    detects them, since the last proactive touch (at most one expiry span back); each is
    found with ``checkin_detect_prob`` and is worth guiding a wanted feature in its window.
    """
    rules = c.rules
    if (c.desired & ~c.adopted) == 0 or rules.hidden_rate <= 0:
        return 0.0
    span = min(now - c.last_touch, rules.expiry_days or 365.0)
    found = rules.hidden_rate * span * rules.checkin_detect
    return health.sat_weights[0] * found * rules.guided * rules.desired_share / c.n_desired


def push(health: HealthRules, c: Customer, feature: int) -> Guidance:
    """Pushing ``feature`` in a touch: its adoption chance and the value that adds (0 if unwanted)."""
    p = c.rules.push_chance(c.wants(feature))
    wv = health.sat_weights[0]
    return Guidance(wv * p * value_share(c, feature), p, False)
