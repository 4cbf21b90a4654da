"""Same seed, same numbers: whatever the executor and however many workers."""

from __future__ import annotations

import multiprocessing
import os
import struct
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from simulator.errors import InputError
from simulator.experiment import run_experiment
from simulator.experiment.executors import DaskExecutor, LocalExecutor, SerialExecutor, make_executor, start_method
from simulator.results.results import Results
from simulator.scenario.schema import Scenario


def small_scenario() -> Scenario:
    """A few dozen customers over 14 months: cheap, yet every table gets rows."""
    return Scenario.model_validate(
        {
            "replications": 3,
            "seed": 99,
            "horizon_months": 14,
            "warmup_months": 2,
            "segments": {"smb": {"team": "pool", "initial_customers": 30, "new_per_month": 2}},
            "teams": {"pool": {"coverage": "pooled", "csms": 2}},
            "variants": [{"name": "three", "set": {"teams.pool.csms": 3}}],
        }
    )


def _same(a: Results, b: Results) -> None:
    assert a.variants == b.variants
    for name in ("run_metrics", "summary", "comparisons", "customers", "needs", "timeseries", "csms"):
        pd.testing.assert_frame_equal(a.table(name), b.table(name), check_exact=True, obj=name)


@pytest.fixture(scope="module")
def serial() -> Results:
    return run_experiment(small_scenario(), executor=SerialExecutor())


@pytest.mark.parametrize(
    "method", ["spawn", pytest.param("fork", marks=pytest.mark.skipif(sys.platform != "linux", reason="fork: Linux"))]
)
def test_two_local_workers_match_serial(serial: Results, method: str) -> None:
    with LocalExecutor(2, method) as pool:
        _same(run_experiment(small_scenario(), executor=pool), serial)


def test_workers_are_forked_only_where_safe() -> None:
    assert start_method("linux", threads=1) == "fork"
    assert start_method("linux", threads=2) == "spawn"  # a thread could hold a lock across the fork
    assert start_method("darwin", threads=1) == "spawn"
    assert start_method("win32", threads=1) == "spawn"


@pytest.mark.skipif(sys.platform != "linux", reason="fork: Linux")
def test_forked_workers_start_on_entering_before_the_callers_threads() -> None:
    """The progress bar starts a thread after the executor is entered: by then the workers must exist."""

    def started(method: str) -> set[int]:
        before = {p.pid for p in multiprocessing.active_children()}
        with LocalExecutor(2, method):
            return {p.pid for p in multiprocessing.active_children()} - before

    assert len(started("fork")) == 2
    assert not started("spawn")  # spawned with the first run


def test_dask_matches_serial(serial: Results) -> None:
    pytest.importorskip("distributed")
    with DaskExecutor(workers=2, processes=False) as cluster:
        _same(run_experiment(small_scenario(), executor=cluster), serial)


def test_existing_dask_scheduler_by_address_matches_serial(serial: Results) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, protocol="tcp", dashboard_address=":0") as cluster:
        remote = DaskExecutor(address=cluster.scheduler_address)
        with remote:
            _same(run_experiment(small_scenario(), executor=remote), serial)


def test_executor_choice_and_bad_options() -> None:
    assert isinstance(make_executor("local", 1, None, runs=10), SerialExecutor)
    assert isinstance(make_executor("local", 4, None, runs=1), SerialExecutor)  # one run: no processes
    local = make_executor("local", 2, None, runs=10)
    assert isinstance(local, LocalExecutor) and local.workers == 2
    with pytest.raises(InputError, match="--executor must be one of local, dask, got 'slurm'"):
        make_executor("slurm", None, None, runs=1)
    with pytest.raises(InputError, match="--workers must be >= 1, got 0"):
        make_executor("local", 0, None, runs=1)
    with pytest.raises(InputError, match="--dask-address needs --executor dask"):
        make_executor("local", None, "tcp://h:8786", runs=1)
    with pytest.raises(InputError, match="tcp://HOST:PORT, got 'h:8786'"):
        make_executor("dask", None, "h:8786", runs=1)


def test_saved_folder_loads_back_exactly(serial: Results, tmp_path: Path) -> None:
    """What `cssim report DIR` reads equals what `cssim run` rendered from (real engine tables)."""
    run_experiment(small_scenario(), executor=SerialExecutor(), out_dir=tmp_path, resume=False)
    loaded = Results.load(tmp_path)
    _same(loaded, serial)
    assert not serial.queues.empty
    for name in ("touches", "renewals", "surveys", "queues", "targets"):
        pd.testing.assert_frame_equal(loaded.table(name), serial.table(name), check_exact=True, obj=name)
    assert loaded.scenario == serial.scenario and loaded.sweep == serial.sweep


@pytest.mark.skipif(sys.platform != "linux", reason="fork: Linux")
def test_stopping_returns_even_when_a_result_was_cut_off_midway() -> None:
    """Ctrl-C can stop a worker halfway through sending its result (seen in CI, ~1 in 10
    under load): the pool's reader thread then waits for the rest of the message, and
    stopping the executor waited for that thread forever. Here this process writes such a
    cut-off message itself (a header promising 1 MiB, then a few bytes of it)."""
    pool = LocalExecutor(2, "fork").__enter__()
    assert pool._pool is not None
    writer = pool._pool._result_queue._writer  # type: ignore[attr-defined]
    os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"cut off")
    stopping = threading.Thread(target=pool.close, kwargs={"abort": True}, daemon=True)
    stopping.start()
    stopping.join(30)
    hung = stopping.is_alive()
    if hung:  # end the reader's wait ourselves, so the failure does not hang the test process at exit
        writer.close()
        stopping.join(30)
    assert not hung, "stopping the executor hung on a result cut off midway"
