"""A segment's rules for needs and guidance, resolved once from the scenario.

Plain attributes (no pydantic on the hot path): the engine reads these on every need.
The adoption rules are here because they are the segment's: how likely guidance is to
stick when it comes on time, late, as a push, or not at all.
"""

from __future__ import annotations

import math

from simulator.model.features import FeatureSet, Sampler
from simulator.model.need import Candidates
from simulator.model.renewal import RenewalRules
from simulator.scenario.schema import Scenario


class SegmentRules:
    """Per-segment parameters in the units the model uses (days, probabilities)."""

    __slots__ = (
        "checkin_detect", "desired_share", "expiry_days", "features", "guided", "hidden_rate", "late_factor",
        "launch_days", "mean_hours", "name", "onboarding_hours", "picks", "problem_drop", "problem_hours",
        "problem_mean", "problem_share", "push",
        "raise_prob", "renewal", "signal_delay", "signal_prob", "term_days", "undesired_factor", "window_days",
    )  # fmt: skip

    def __init__(self, scenario: Scenario, name: str, features: FeatureSet) -> None:
        from simulator.scenario.schema import DAYS_PER_MONTH

        seg = scenario.segments[name]
        self.name = name
        self.features = features
        self.term_days = seg.contract_months * DAYS_PER_MONTH
        self.window_days = seg.need_window_days
        self.expiry_days = seg.need_expiry_days
        self.guided = seg.guided_adoption
        self.late_factor = seg.late_adoption_factor
        self.problem_share = seg.problem_share
        self.desired_share = seg.desired_need_share
        self.raise_prob = seg.raise_prob
        self.signal_prob = seg.signal_prob
        self.signal_delay = seg.signal_delay_days
        self.checkin_detect = seg.checkin_detect_prob
        self.problem_drop = seg.problem_drop_prob
        self.push = seg.push_adoption
        self.undesired_factor = seg.undesired_adoption_factor
        self.problem_hours: Sampler = seg.problem_hours
        self.onboarding_hours: Sampler = seg.onboarding_hours
        self.launch_days: Sampler = seg.launch_days
        self.mean_hours = [hours.mean for hours in features.hours]
        """Expected guidance hours per feature (a need's ``hours``, read once per need)."""
        self.problem_mean = seg.problem_hours.mean
        self.renewal = RenewalRules(seg.renewal)
        self.picks: dict[int, Candidates] = {}
        """A new need's candidate features by ``adopted << feature count | desired`` (see ``need.pick``)."""
        self.hidden_rate = seg.needs_per_month / DAYS_PER_MONTH * (1 - seg.raise_prob) * (1 - seg.signal_prob)
        """Needs per day that neither the customer raises nor signals reveal (a check-in may find them)."""

    def guided_chance(self, wanted: bool, lateness_days: float) -> float:
        """Adoption chance of guidance on a need that started ``lateness_days`` after its window.

        In the window (lateness <= 0) it is ``guided_adoption``. Late guidance keeps
        ``late_adoption_factor`` of it, decaying further with time constant one window
        (the customer found a workaround, moved on, or lost patience). A feature the
        customer did not buy for adopts at ``undesired_adoption_factor`` of the chance.
        """
        chance = self.guided
        if lateness_days > 0:
            chance *= self.late_factor * math.exp(-lateness_days / self.window_days)
        return chance if wanted else chance * self.undesired_factor

    def push_chance(self, wanted: bool) -> float:
        """Adoption chance of a feature pushed at a check-in or QBR (no readiness signal)."""
        return self.push if wanted else self.push * self.undesired_factor
