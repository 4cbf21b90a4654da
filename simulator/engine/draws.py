"""Task hours drawn from a team's stream, exponential and gamma ones a block at a time.

A numpy draw of one number costs a call into numpy and a scalar conversion, once per task.
numpy draws an exponential with mean ``m`` as ``m * standard_exponential()`` and a gamma
as ``scale * standard_gamma(shape)``, element by element in a vector draw as in a single
one (the same product, the same bits used). So a block of standard draws made ahead, each
multiplied by its task's scale, gives exactly the numbers one-at-a-time draws would, in
the same order: same stream, same numbers, same use, so common random numbers hold.

A block holds one kind (exponential, or gamma of one shape). A draw of another kind must
come from where the one-at-a-time draws would have left the stream, so the stream is
first rewound to the block's start and advanced past the draws actually used. Blocks
start only after a run of draws of one kind, so a team mixing kinds pays few rewinds.
Fixed hours use no randomness and leave the block alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from simulator.scenario.distributions import Exponential, Fixed, Gamma

BLOCK = 512
"""Standard draws made at a time."""

WARM = 16
"""Consecutive draws of one kind (one at a time) before blocks start."""


class HourDraws:
    """Draws of task hours from one stream, exactly as ``float(dist.sample(rng))`` one by one."""

    __slots__ = ("block", "kind", "rng", "run", "state", "used")

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.block: list[float] = []
        self.kind = 0.0
        """What the block (or the current run) holds: the gamma shape, or 0 for exponential."""
        self.used = 0
        self.state: Mapping[str, Any] = {}
        self.run = 0

    def draw(self, dist: Any) -> float:
        """One draw of ``dist`` (a scenario distribution)."""
        kind = type(dist)
        if kind is Exponential:
            shape, scale = 0.0, dist.mean_value
        elif kind is Gamma:
            shape = 1.0 / dist.cv**2  # as Gamma.sample
            scale = dist.mean_value / shape
        elif kind is Fixed:
            return float(dist.value)
        else:
            self.sync()
            self.run = 0
            return float(dist.sample(self.rng))
        if shape == self.kind:
            used = self.used
            if used < len(self.block):
                self.used = used + 1
                return scale * self.block[used]
        else:
            self.sync()
            self.kind, self.run = shape, 0
        self.run += 1
        if self.run < WARM:
            return float(dist.sample(self.rng))
        rng = self.rng
        self.state = rng.bit_generator.state
        self.block = (rng.standard_gamma(shape, BLOCK) if shape else rng.standard_exponential(BLOCK)).tolist()
        self.used = 1
        return scale * self.block[0]

    def sync(self) -> None:
        """Leave the stream where one-at-a-time draws would have: just after the used draws."""
        if self.used < len(self.block):
            rng = self.rng
            rng.bit_generator.state = self.state
            if self.used:
                if self.kind:
                    rng.standard_gamma(self.kind, self.used)
                else:
                    rng.standard_exponential(self.used)
        self.block = []
        self.used = 0


__all__ = ["BLOCK", "WARM", "HourDraws"]
