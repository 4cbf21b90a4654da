"""``run_experiment``: expand, execute, save each run as it finishes, aggregate, write.

Phases are fixed: resolve and validate everything (nothing runs, nothing is written, if any
variant is invalid) -> start the executor -> run the missing runs, saving each one -> read
every run back in (variant, replication) order -> statistics -> write the folder. Reading
back through the store (the saved bytes; those saved in this invocation are still in
memory) is what makes a resumed experiment identical to an uninterrupted one.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from simulator import __version__
from simulator.engine import compiled
from simulator.experiment import expansion, precision
from simulator.experiment.assembly import assemble, check_saved, is_saved
from simulator.experiment.executors import Executor, make_executor
from simulator.experiment.progress import RunProgress, wanted
from simulator.experiment.store import RUNS_FOLDER, FolderStore, KeepingStore, MemoryStore, RunStore
from simulator.experiment.worker import RunDone, Runner, RunTask, simulate_run
from simulator.results.folder import check_output_folder, check_writable
from simulator.results.results import META_FILE, Results, output_files, output_staging
from simulator.scenario.loading import Option, load_scenario
from simulator.scenario.schema import Scenario


@dataclass
class _Ledger:
    """What happened to each run key in this invocation: ran (with seconds) or resumed."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    resumed: set[str] = field(default_factory=set)

    def status(self, key: str) -> str:
        return "resumed" if key in self.resumed else "ran"


def run_experiment(
    scenario: Scenario | str | Path,
    *,
    sets: Sequence[str] | Mapping[str, Any] = (),
    replications: int | None = None,
    seed: int | None = None,
    executor: str | Executor = "local",
    workers: int | None = None,
    dask_address: str | None = None,
    out_dir: str | Path | None = None,
    resume: bool = False,
    quiet: bool = True,
    precision_bound: float | None = None,
    max_replications: int | None = None,
    runner: Runner = simulate_run,
    prefetch: Mapping[str, Collection[str]] | None = None,
) -> Results:
    """Simulate every variant of ``scenario`` for its replications and return the Results.

    ``scenario`` is a Scenario or a path to a YAML file; ``sets`` are ``PATH=VALUE``
    overrides applied to the base and so to every variant. With ``out_dir`` every run is
    saved in ``out_dir/runs/`` as it finishes and the tables are written there at the end
    (``resume=True`` reuses saved runs); without it everything stays in memory.
    ``precision_bound`` adds replications until every headline interval's half-width is
    under that share of its mean, up to ``max_replications``. ``runner`` replaces the model
    (tests inject a fake; it must be a module-level function). ``prefetch`` names run
    tables' columns the caller will read (``cssim run``: the report's); they are parsed
    while the tables are written to ``out_dir``.
    """
    started, wall = datetime.now(UTC), time.perf_counter()
    base = _resolve(scenario, sets, replications, seed)
    variants = expansion.expand(base)
    rule = precision.Rule.make(precision_bound, max_replications, base.replications, base.parsed_targets())
    store = _store(out_dir)
    ledger = _Ledger()
    with _executor(executor, workers, dask_address, len(variants) * base.replications) as pool:
        with RunProgress(wanted(quiet)) as bar:
            count = base.replications
            _run_batch(variants, range(count), pool, store, ledger, bar, resume, runner)
            while (more := rule.next_count(count, partial(_interim, variants, count, store))) > count:
                _run_batch(variants, range(count, more), pool, store, ledger, bar, resume, runner)
                count = more
        description = pool.description
    plan = expansion.plan_runs(variants, range(count))
    meta = _meta(base, plan, ledger, description, started, time.perf_counter() - wall, rule, sets)
    final = base.model_copy(update={"replications": count})
    if out_dir is None:
        return assemble(final, variants, plan, store, meta, None, prefetch).results
    with output_staging(Path(out_dir)) as staging:
        assembled = assemble(final, variants, plan, store, meta, staging, prefetch)
        assembled.results.write(out_dir, csv=assembled.csv, staging=staging)
    store.prune({run.key for run in plan})
    return assembled.results


def _resolve(
    scenario: Scenario | str | Path, sets: Sequence[str] | Mapping[str, Any], replications: int | None, seed: int | None
) -> Scenario:
    extra = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    if isinstance(scenario, Scenario):
        return expansion.with_sets(expansion.with_sets(scenario, sets), extra)
    flags: list[str | Option] = [_assignment(k, v) for k, v in sets.items()] if isinstance(sets, Mapping) else [*sets]
    return load_scenario(Path(scenario), [*flags, *(Option(f"--{k}", k, v) for k, v in extra.items())])


def _assignment(path: str, value: Any) -> str:
    """``PATH=VALUE`` with the value as YAML would read it back (JSON is YAML)."""
    return f"{path}={value if isinstance(value, str) else json.dumps(value)}"


def _store(out_dir: str | Path | None) -> RunStore:
    if out_dir is None:
        return MemoryStore()
    out = Path(out_dir)
    check_output_folder(out, output_files(), marks=(META_FILE, RUNS_FOLDER))
    runs = out / RUNS_FOLDER
    if runs.is_dir():  # a new one is created with the first run, in a folder just checked writable
        check_writable(runs, f"{runs} (where cssim saves finished runs)")
    return KeepingStore(FolderStore(runs))


def _executor(
    kind: str | Executor, workers: int | None, address: str | None, runs: int
) -> AbstractContextManager[Executor]:
    """A new executor, closed after the experiment; or the caller's own, left open for them."""
    if isinstance(kind, str):
        return make_executor(kind, workers, address, runs)
    return nullcontext(kind)


def _run_batch(
    variants: Sequence[expansion.VariantSpec],
    replications: range,
    pool: Executor,
    store: RunStore,
    ledger: _Ledger,
    bar: RunProgress,
    resume: bool,
    runner: Runner,
) -> None:
    """Run every (variant, replication) not already saved in this invocation (or before, with resume)."""
    tasks: dict[str, RunTask] = {}
    for variant in variants:
        for r in replications:
            key = expansion.run_key(variant, r)
            if key in ledger.seconds or key in ledger.resumed or key in tasks:
                continue
            if resume and is_saved(store, key):
                check_saved(store, key)  # the file holds this run: refused before anything runs
                ledger.resumed.add(key)
                continue
            tasks[key] = RunTask(key, r, variant.run_json, runner, label=variant.name)
    bar.expect(len(tasks))
    with _Saver(store) as saver, closing(pool.run(list(tasks.values()))) as finished:
        for done in finished:
            saver.save(done)  # raises if an earlier save failed: the runs still to come stop
            ledger.seconds[done.key] = done.seconds
            ledger.cpu_seconds[done.key] = done.cpu_seconds
            bar.advance()
        saver.finish()


class _Saver:
    """Saves finished runs by a thread of its own, and stops the experiment at the first that fails.

    A save is ~30 ms of disk (6 MB, fsync'd) the collecting thread would otherwise spend not
    collecting (or, serially, not simulating). A save that fails (a full disk) is raised at
    the next finished run, not after the last: every run still to come would be simulated
    for nothing. Raised out of the loop over the executor's runs, it stops them as a failed
    run or Ctrl-C does (the generator closed: Dask cancels the runs not started; leaving the
    executor's block with an error: the local pool stops its workers). Leaving this block
    (also on a failure or Ctrl-C) waits for every save submitted, so finished runs stay
    saved for ``--resume``.
    """

    def __init__(self, store: RunStore) -> None:
        self._store = store
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cssim-save")
        self._pending: deque[Future[None]] = deque()

    def __enter__(self) -> _Saver:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.shutdown(wait=True)

    def save(self, done: RunDone) -> None:
        """Save ``done`` in turn, after raising the first save that failed (one thread: in order)."""
        while self._pending and self._pending[0].done():
            self._pending.popleft().result()
        self._pending.append(self._thread.submit(self._store.save, done.key, done.payload))

    def finish(self) -> None:
        """Wait for every save; the first that failed raises."""
        while self._pending:
            self._pending.popleft().result()


def _interim(variants: Sequence[expansion.VariantSpec], count: int, store: RunStore) -> pd.DataFrame:
    """The summary so far, for the precision rule (metrics only: cheap)."""
    from simulator.experiment.assembly import metrics_frame
    from simulator.results.statistics import summarize

    plan = expansion.plan_runs(variants, range(count))
    return summarize(metrics_frame(plan, store), [v.name for v in variants])


def _meta(
    base: Scenario,
    plan: Sequence[expansion.RunSpec],
    ledger: _Ledger,
    executor: str,
    started: datetime,
    wall_seconds: float,
    rule: precision.Rule,
    sets: Sequence[str] | Mapping[str, Any],
) -> dict[str, Any]:
    keys = [k for k in dict.fromkeys(r.key for r in plan) if k in ledger.seconds]
    ran, cpu = [ledger.seconds[k] for k in keys], [ledger.cpu_seconds[k] for k in keys]
    return {
        "version": __version__,
        "model_version": expansion.model_version(),
        "compiled": compiled(),
        "scenario": base.name,
        "seed": base.seed,
        "replications": max((r.replication for r in plan), default=-1) + 1,
        "executor": executor,
        "sets": list(sets) if not isinstance(sets, Mapping) else [_assignment(k, v) for k, v in sets.items()],
        "precision": rule.describe(),
        "started": started.isoformat(timespec="seconds"),
        "timings": {
            "wall_seconds": round(wall_seconds, 3),
            "runs_executed": len(ran),
            "runs_resumed": len(ledger.resumed),
            "run_seconds_total": round(sum(ran), 3),
            "run_seconds_mean": round(sum(ran) / len(ran), 4) if ran else None,
            "run_cpu_seconds_total": round(sum(cpu), 3),
        },
        "runs": [_run_row(r, ledger) for r in plan],
    }


def _run_row(run: expansion.RunSpec, ledger: _Ledger) -> dict[str, Any]:
    seconds = round(ledger.seconds.get(run.key, 0.0), 4)
    return {"variant": run.variant, "replication": run.replication, "key": run.key, "status": ledger.status(run.key),
            "seconds": seconds}  # fmt: skip
