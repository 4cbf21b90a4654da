"""Named random streams: one generator per purpose, derived from (seed, replication, name).

Deriving from the *name* (its CRC-32) rather than from creation order means adding a
stream shifts no other, and the same name gives the same numbers in any process, on any
run. Replication r of every variant gets the same streams: common random numbers.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (``hash()`` is salted per process; CRC-32 is not)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The random generators of one replication, created on first use and then reused."""

    __slots__ = ("_cache", "replication", "seed")

    def __init__(self, seed: int, replication: int) -> None:
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0, got seed {seed}, replication {replication}")
        self.seed = seed
        self.replication = replication
        self._cache: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._cache.get(name)
        if gen is None:
            gen = self._cache[name] = self.fresh(name)
        return gen

    def fresh(self, name: str, *extra: int) -> np.random.Generator:
        """A new generator for ``name`` (and optional integer sub-keys, e.g. a customer id),
        independent of every other name and sub-key; not cached."""
        seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, stream_key(name), *extra))
        return np.random.Generator(np.random.PCG64(seq))

    def names(self) -> list[str]:
        return sorted(self._cache)
