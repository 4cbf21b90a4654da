"""Named random streams: reproducible anywhere, independent of each other, and stable when
streams are added (STYLE.md "Randomness")."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from simulator.engine.streams import Streams

N = 20_000
CORR_BOUND = 4 / np.sqrt(N)
"""|correlation| of two independent uniform samples of size N has standard error 1/sqrt(N);
4 standard errors is a bound a truly independent pair exceeds with probability ~6e-5 (the
seeds are fixed, so the test is deterministic either way)."""


def draws(seed: int, replication: int, name: str, n: int = 5) -> list[float]:
    return Streams(seed, replication)[name].random(n).tolist()


def draws_in_subprocess(seed: int, replication: int, name: str, hash_seed: str) -> list[float]:
    code = (
        "import json; from simulator.engine.streams import Streams; "
        f"print(json.dumps(Streams({seed}, {replication})[{name!r}].random(5).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return list(json.loads(out.stdout))


def test_same_key_same_numbers_across_processes() -> None:
    here = draws(2027, 3, "arrivals")
    # Two fresh interpreters with different str-hash salts: the key must not depend on hash().
    assert draws_in_subprocess(2027, 3, "arrivals", "1") == here
    assert draws_in_subprocess(2027, 3, "arrivals", "2") == here


def test_same_key_same_numbers_within_a_process() -> None:
    assert draws(11, 0, "needs") == draws(11, 0, "needs")


@pytest.mark.parametrize(
    "other",
    [(2027, 0, "renewals"), (2027, 1, "arrivals"), (2028, 0, "arrivals")],
    ids=["other-name", "other-replication", "other-seed"],
)
def test_different_keys_look_independent(other: tuple[int, int, str]) -> None:
    base = Streams(2027, 0)["arrivals"].random(N)
    changed = Streams(other[0], other[1])[other[2]].random(N)
    assert not np.array_equal(base, changed)
    assert abs(np.corrcoef(base, changed)[0, 1]) < CORR_BOUND
    # Lagged by one draw as well: a stream must not be a shifted copy of another.
    assert abs(np.corrcoef(base[1:], changed[:-1])[0, 1]) < CORR_BOUND


def test_many_names_pairwise_uncorrelated() -> None:
    names = ["arrivals", "arr", "desired", "needs", "outcomes", "attrition", "surveys", "renewals"]
    samples = np.array([Streams(5, 2)[name].random(N) for name in names])
    corr = np.corrcoef(samples)
    off_diagonal = corr[~np.eye(len(names), dtype=bool)]
    assert np.all(np.abs(off_diagonal) < CORR_BOUND)


def test_adding_or_reordering_streams_shifts_no_other() -> None:
    alone = Streams(9, 4)
    first = alone["arrivals"].random(100)
    crowded = Streams(9, 4)
    crowded["a_new_purpose"].random(1000)
    crowded["surveys"].random(10)
    assert np.array_equal(crowded["arrivals"].random(100), first)


def test_a_named_stream_continues_where_it_left_off() -> None:
    streams = Streams(1, 0)
    a, b = streams["needs"].random(3), streams["needs"].random(3)
    assert np.array_equal(np.concatenate([a, b]), Streams(1, 0)["needs"].random(6))


def test_fresh_sub_keys_are_reproducible_and_distinct() -> None:
    streams = Streams(3, 1)
    one = streams.fresh("customer", 17).random(N)
    assert np.array_equal(one, Streams(3, 1).fresh("customer", 17).random(N))
    other = streams.fresh("customer", 18).random(N)
    assert abs(np.corrcoef(one, other)[0, 1]) < CORR_BOUND
    # fresh() does not touch the cached stream of the same name
    assert np.array_equal(streams["customer"].random(5), Streams(3, 1)["customer"].random(5))


def test_uniforms_are_uniform() -> None:
    """Mean 1/2 with standard error sqrt(1/12 / N): a sanity check that the generator is wired."""
    x = Streams(2027, 0)["arrivals"].random(N)
    assert abs(x.mean() - 0.5) < 4 * np.sqrt(1 / 12 / N)


def test_negative_seed_or_replication_is_refused() -> None:
    with pytest.raises(ValueError, match="seed and replication must be >= 0"):
        Streams(-1, 0)
    with pytest.raises(ValueError, match="replication -2"):
        Streams(0, -2)
