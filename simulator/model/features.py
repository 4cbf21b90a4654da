"""The product's features as bit positions, with per-set lookup tables.

A customer's desired and adopted features are small integers used as bit masks (feature i
is bit ``1 << i``), so "is it adopted", "what is the engagement score" and "how sticky is
this customer" are O(1) table look-ups rather than loops over dicts: these run on every
need, touch, renewal and health snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.scenario.distributions import Exponential, Fixed, Gamma, Lognormal
from simulator.scenario.schema import Product

Sampler = Fixed | Exponential | Lognormal | Gamma
"""Any scenario distribution: has ``mean`` and ``sample(rng)``."""

_TABLE_LIMIT = 16
"""Up to this many features, engagement and stickiness of every subset are tabulated."""


class FeatureSet:
    """Feature names in scenario order, their parameters, and subset look-ups."""

    __slots__ = ("_engagement", "_members", "_stickiness", "count", "engagement_weight", "full", "hours", "member_of",
                 "names", "self_serve", "stickiness")  # fmt: skip

    def __init__(self, product: Product) -> None:
        self.names = list(product.features)
        self.count = len(self.names)
        self.full = (1 << self.count) - 1
        specs = list(product.features.values())
        total = sum(f.engagement_weight for f in specs)
        self.engagement_weight = [f.engagement_weight / total if total > 0 else 0.0 for f in specs]
        self.stickiness = [f.stickiness for f in specs]
        self.self_serve = [f.self_serve for f in specs]
        self.hours: list[Sampler] = [f.guidance_hours for f in specs]
        self._engagement: list[float] | None = None
        self._stickiness: list[float] | None = None
        self._members: list[tuple[int, ...]] | None = None
        if self.count <= _TABLE_LIMIT:
            self._engagement = [self._sum(self.engagement_weight, m) for m in range(self.full + 1)]
            self._stickiness = [self._sum(self.stickiness, m) for m in range(self.full + 1)]
            self._members = [self._indices(m) for m in range(self.full + 1)]
        self.member_of: Callable[[int], tuple[int, ...]] = (
            self._members.__getitem__ if self._members is not None else self._indices
        )
        """:meth:`members` as one callable (the table's own look-up when tabulated: no Python call per need)."""

    @staticmethod
    def _sum(values: list[float], mask: int) -> float:
        return sum(v for i, v in enumerate(values) if mask >> i & 1)

    def engagement(self, mask: int) -> float:
        """Engagement score of a set of adopted features: normalised weights, in [0, 1]."""
        table = self._engagement
        return table[mask] if table is not None else self._sum(self.engagement_weight, mask)

    def sticky(self, mask: int) -> float:
        """Total stickiness (log-odds of churn removed per unit of stickiness_effect)."""
        table = self._stickiness
        return table[mask] if table is not None else self._sum(self.stickiness, mask)

    def members(self, mask: int) -> tuple[int, ...]:
        """Feature indices in ``mask``, in scenario order (tabulated: every need picks from these)."""
        table = self._members
        return table[mask] if table is not None else self._indices(mask)

    def _indices(self, mask: int) -> tuple[int, ...]:
        return tuple(i for i in range(self.count) if mask >> i & 1)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def mask_of(self, names: list[str]) -> int:
        mask = 0
        for name in names:
            mask |= 1 << self.index(name)
        return mask

    def label(self, mask: int) -> str:
        """Feature names joined by '+', the form the tables use (empty string for none)."""
        return "+".join(self.names[i] for i in self.members(mask))
