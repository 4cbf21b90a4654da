"""Block draws of task hours must give the one-at-a-time numbers, in order, whatever the mix.

:class:`HourDraws` takes exponential and gamma draws from a block drawn ahead and rewinds
the stream before another kind; a run of draws of mixed kinds (runs long enough to start blocks,
and short ones that rewind mid-block) must equal ``float(dist.sample(rng))`` one by one,
and leave the stream where the plain draws leave it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.draws import BLOCK, WARM, HourDraws
from simulator.scenario.distributions import Exponential, Fixed, Gamma, Lognormal

DISTS = [Exponential(mean=0.1), Exponential(mean=2.5), Gamma(mean=2.0, cv=0.5), Gamma(mean=0.7, cv=0.5),
         Gamma(mean=2.0, cv=1.5), Fixed(value=1.0), Lognormal(median=2.0, sigma=0.5)]  # fmt: skip

runs = st.lists(
    st.tuples(st.integers(0, len(DISTS) - 1), st.sampled_from([1, 2, WARM - 1, WARM, WARM + 3, BLOCK, BLOCK + 7])),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(runs=runs, seed=st.integers(0, 2**32 - 1))
def test_block_draws_equal_one_at_a_time_draws(runs: list[tuple[int, int]], seed: int) -> None:
    plain, blocked = np.random.default_rng(seed), np.random.default_rng(seed)
    draws = HourDraws(blocked)
    kinds = [k for k, n in runs for _ in range(n)]
    assert [draws.draw(DISTS[k]) for k in kinds] == [float(DISTS[k].sample(plain)) for k in kinds]
    draws.sync()
    assert blocked.random() == plain.random()


@pytest.mark.parametrize("dist", DISTS[:5])
def test_a_long_run_of_one_kind_uses_blocks(dist: Exponential | Gamma) -> None:
    draws = HourDraws(np.random.default_rng(1))
    for _ in range(WARM + 1):
        draws.draw(dist)
    assert len(draws.block) == BLOCK
