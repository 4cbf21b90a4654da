"""Expected customer benefit of each kind of CSM work, on the satisfaction scale.

See :mod:`simulator.model.decisions` for the scale. Each function returns the benefit
together with what the plan needs to price the same option (adoption chance, on time).
Benefits are *expected* values: the chance that guidance leads to adoption times the
value that adoption adds, minus what would have happened anyway (self-serve).
"""

from __future__ import annotations

from typing import NamedTuple

from simulator.model.customer import Customer
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


def need_guidance(health: HealthRules, need: Need, now: float) -> Guidance:
    """Guiding ``need`` now: adoption (or keeping a feature) plus on-time service and contact.

    (Written out rather than composed from the helpers above: it runs for every need a CSM
    weighs, at every decision.)
    """
    c = need.customer
    rules = c.rules
    bit = 1 << need.feature
    lateness = now - need.arise_day - rules.window_days
    jit = lateness <= 0
    wanted = bool(c.desired & bit)
    if need.kind == ADOPT:
        p = rules.guided_chance(wanted, lateness)
        alone = rules.features.self_serve[need.feature]
        value_gain = (p - alone) / c.n_desired if wanted and p > alone and not c.adopted & bit else 0.0
    else:  # a problem: guidance saves the feature the customer might otherwise drop
        p = 0.0
        value_gain = rules.problem_drop / c.n_desired if wanted else 0.0
    return Guidance(health.satisfaction_gain(c, value_gain, 1.0 if jit else 0.0, True, now), p, jit)


def contact(health: HealthRules, c: Customer, now: float) -> float:
    """A human conversation with no other effect (renewal preparation, a touch without a push)."""
    return health.satisfaction_gain(c, 0.0, 0.0, True, now)


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
