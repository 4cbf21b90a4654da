"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor takes the same :class:`~simulator.experiment.worker.RunTask` list and yields
:class:`~simulator.experiment.worker.RunDone` as runs finish, in whatever order. Numbers
never depend on the executor: each run derives all randomness from (seed, replication), and
results are sorted by variant and replication afterwards, never by completion order.

Executors are context managers that start their workers at the latest with the first run
(forked local workers: on entering) and reuse them across batches (``--precision`` adds
replications in several batches).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Protocol, Self

from simulator.errors import InputError, SimulatorError
from simulator.experiment.worker import RunDone, RunTask, execute

EXECUTORS = ("local", "dask")
_STOP_SECONDS = 5.0
"""How long a worker told to stop may take before it is killed."""
_DASK_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://\S+$")


class RunFailed(SimulatorError):
    """A run raised: the model failed, not the input. The CLI exits 1 on it."""

    def __init__(self, task: RunTask, error: BaseException) -> None:
        self.key = task.key
        self.replication = task.replication
        self.error = error
        hint = _BROKEN_POOL_HINT if isinstance(error, BrokenProcessPool) else ""
        super().__init__(
            f"run {task.key[:12]} (replication {task.replication}) failed: {type(error).__name__}: {error}{hint}"
        )


_BROKEN_POOL_HINT = (
    " (a worker process died: out of memory, killed, or a script calling run_experiment without an"
    " `if __name__ == '__main__':` guard, which worker processes need)"
)


class Executor(Protocol):
    """Runs tasks and yields each result as it finishes.

    A caller that stops early (a failed save) closes the generator: the runs not started are
    then dropped (Dask at once; the local pool when the executor is left with an error).
    """

    description: str

    def run(self, tasks: Sequence[RunTask]) -> Generator[RunDone, None, None]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class _Closing:
    """Context-manager plumbing shared by the executors."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close(abort=kind is not None)

    def close(self, abort: bool = False) -> None:
        """Release workers; ``abort`` (Ctrl-C, a failed run) stops runs in flight instead of
        letting them finish. Nothing to release by default."""


class SerialExecutor(_Closing):
    """Runs in this process, one after another (also used for a single run or worker)."""

    description = "serial"

    def run(self, tasks: Sequence[RunTask]) -> Generator[RunDone, None, None]:
        for task in tasks:
            yield _checked(task, execute)


def _checked(task: RunTask, call: Any) -> RunDone:
    try:
        done: RunDone = call(task)
    except (KeyboardInterrupt, SimulatorError):
        raise
    except Exception as exc:
        raise RunFailed(task, exc) from exc
    return done


def start_method(platform: str = sys.platform, threads: int | None = None) -> str:
    """How local workers start: forked from this process where that is safe, else spawned.

    A forked worker starts with the model already imported; a spawned one first imports
    numpy, pandas and pydantic (~0.3-0.45 s), which on an 8-run experiment is most of a
    run (benchmarks/README.md, "Parallel"). Forking is safe on Linux while this process
    runs no other thread: a thread holding a lock at the fork would leave it held forever
    in the child. (numpy's OpenBLAS threads are no such risk: OpenBLAS stops them before a
    fork.) macOS's system libraries are not fork-safe and Windows has no fork, so those
    spawn, as does a process with threads of its own (a notebook, a web server).
    ``threads``: this process's Python threads (None: count them now).
    """
    if platform == "linux" and (threading.active_count() if threads is None else threads) == 1:
        return "fork"
    return "spawn"


class LocalExecutor(_Closing):
    """Worker processes on this machine (:func:`start_method` says how they start).

    Entering the executor starts forked workers at once, before the caller starts threads
    of its own (the progress bar's); spawned ones start with the first run.
    """

    def __init__(self, workers: int, method: str | None = None) -> None:
        self.workers = workers
        self.description = f"local ({workers} worker processes)"
        self.method = method
        """``fork`` or ``spawn``; None: :func:`start_method` decides when the workers start."""
        self._pool: ProcessPoolExecutor | None = None
        self._started_with = ""

    def __enter__(self) -> Self:
        pool = self._started()
        if self._started_with == "fork":
            pool.submit(os.getpid)  # a fork pool launches every worker with its first task
        return self

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._started_with = self.method or start_method()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(self._started_with))
        return self._pool

    def run(self, tasks: Sequence[RunTask]) -> Generator[RunDone, None, None]:
        pool = self._started()
        pending: dict[Future[RunDone], RunTask] = {pool.submit(execute, t): t for t in tasks}
        # Runs left when the caller stops early (Ctrl-C, a failed run) are dropped by
        # close(abort=True), through the pool. Cancelling their futures here instead broke
        # the pool's own clean-up on Python 3.11 (its reader thread raised InvalidStateError
        # marking a cancelled future broken).
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                task = pending.pop(future)
                yield _checked(task, lambda _t, f=future: f.result())

    def close(self, abort: bool = False) -> None:
        if self._pool is None:
            return
        if abort:
            # The pool queues a run ahead per worker and shutdown() would let those finish
            # (minutes on a big scenario); stop the workers now. No public API does this.
            processes = list(getattr(self._pool, "_processes", {}).values())
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(_STOP_SECONDS)
                if process.is_alive():
                    process.kill()
                    process.join()
            # A worker stopped (by Ctrl-C or here) halfway through sending a result leaves the
            # pool's reader thread waiting for the rest, and shutdown() would wait for that
            # thread forever. With the workers gone and this process's own end of the result
            # pipe closed, the reader finds the pipe's end instead and stops.
            writer = getattr(getattr(self._pool, "_result_queue", None), "_writer", None)
            if writer is not None:
                writer.close()
        # Not waiting for the workers to exit: every run is in by now, and tearing down a
        # process (its modules, the last run's heap) took ~0.1-0.5 s the experiment then
        # waited for; they exit while the results are assembled (the interpreter joins
        # them at exit).
        self._pool.shutdown(wait=abort, cancel_futures=True)
        self._pool = None


class DaskExecutor(_Closing):
    """Dask distributed: an existing scheduler at ``address``, or a local cluster.

    Workers of a remote cluster need cssim installed (the tasks reference its functions).
    """

    def __init__(self, address: str | None = None, workers: int | None = None, processes: bool = True) -> None:
        if address is not None and not _DASK_ADDRESS.match(address):
            raise InputError(f"--dask-address must look like tcp://HOST:PORT, got {address!r}")
        self.address, self.workers, self.processes = address, workers, processes
        self.description = f"dask ({address})" if address else f"dask (local cluster, {workers or 'default'} workers)"
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        if self._client is None:
            self._connect()
        return self

    def _connect(self) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--executor dask needs Dask: pip install 'cssim[dask]'") from None
        if self.address is not None:
            try:
                self._client = Client(self.address, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
            return
        self._cluster = LocalCluster(
            n_workers=self.workers, threads_per_worker=1, processes=self.processes,
            dashboard_address=":0", silence_logs=logging.ERROR,
        )  # fmt: skip
        self._client = Client(self._cluster)

    def run(self, tasks: Sequence[RunTask]) -> Generator[RunDone, None, None]:
        from distributed import as_completed

        if self._client is None:
            self._connect()
        # The run key names the task: the same run submitted twice is the same computation.
        futures = {self._client.submit(execute, t, pure=False, key=f"cssim-run-{t.key}"): t for t in tasks}
        try:
            for future in as_completed(list(futures)):
                task = futures[future]
                yield _checked(task, lambda _t, f=future: f.result())
        finally:
            self._client.cancel([f for f in futures if not f.done()])

    def close(self, abort: bool = False) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def make_executor(kind: str, workers: int | None, address: str | None, runs: int) -> Executor:
    """The executor for ``--executor`` / ``--workers`` / ``--dask-address``; serial when one
    worker (or one run) makes processes pure overhead."""
    if kind not in EXECUTORS:
        raise InputError(f"--executor must be one of {', '.join(EXECUTORS)}, got {kind!r}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be >= 1, got {workers}")
    if address is not None and kind != "dask":
        raise InputError("--dask-address needs --executor dask")
    if kind == "dask":
        return DaskExecutor(address, workers)
    count = min(workers or os.cpu_count() or 1, max(runs, 1))
    return SerialExecutor() if count == 1 else LocalExecutor(count)
