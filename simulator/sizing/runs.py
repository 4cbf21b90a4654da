"""``size``: the smallest value of a path meeting every target, found by simulating few values.

Phases, as in an experiment: resolve and check everything (nothing runs if the path, the
range or a target is wrong) -> probe values chosen by the search, each for the same
replications (common random numbers), reusing one executor -> gather the probes into one
Results whose base is the answer and whose sweep points are the probed values (every run
is read back from the store, none rerun) -> write the folder. The scenario's own variants
and sweep are left out: sizing varies one path of the base.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.engine import compiled
from simulator.errors import InputError, ScenarioError
from simulator.experiment import expansion
from simulator.experiment.assembly import assemble, metrics_frame
from simulator.experiment.executors import Executor, make_executor
from simulator.experiment.progress import RunProgress, wanted
from simulator.experiment.store import RUNS_FOLDER, MemoryStore, RunStore
from simulator.experiment.worker import Runner, RunTask, simulate_run
from simulator.results.folder import check_output_folder
from simulator.results.results import META_FILE, Results, output_files
from simulator.results.statistics import summarize
from simulator.scenario.checks import base_data, validate_data
from simulator.scenario.experiment_spec import PAY_METRICS
from simulator.scenario.loading import Option, load_scenario
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.presets import pays
from simulator.scenario.problems import show
from simulator.scenario.schema import Scenario, Target
from simulator.sizing.grid import Grid, Value, check_vary
from simulator.sizing.outcome import Sizing, base_note
from simulator.sizing.search import RULES, Probe, judge, search, verdict


def size(
    scenario: Scenario | str | Path,
    *,
    path: str,
    values: str | Grid,
    targets: Sequence[str] = (),
    rule: str = "interval",
    sets: Sequence[str] = (),
    replications: int | None = None,
    executor: str | Executor = "local",
    workers: int | None = None,
    dask_address: str | None = None,
    out_dir: str | Path | None = None,
    quiet: bool = True,
    runner: Runner = simulate_run,
) -> Sizing:
    """The smallest value of ``path`` in ``values`` (``"LO:HI[:STEP]"``) meeting every target.

    ``targets`` default to the scenario's. ``rule`` "interval" counts a target as met only
    when its whole 95% interval clears the bar; "mean" when the mean does. With ``out_dir``
    the probes are written there as an experiment folder (tables, run_meta.json with the
    sizing under "sizing"); the report is the caller's (``render_report``).
    """
    started, wall = datetime.now(UTC), time.perf_counter()
    if rule not in RULES:
        raise InputError(f"--on must be one of {', '.join(RULES)}, got {rule!r}")
    grid = values if isinstance(values, Grid) else Grid.parse(values)
    loaded = _load(scenario, sets, replications)
    goals = _targets(targets, loaded)
    base = {**base_data(loaded), "targets": [str(t) for t in goals]}
    check_vary(base, path, grid)
    if out_dir is not None:
        check_output_folder(Path(out_dir), output_files(), marks=(META_FILE, RUNS_FOLDER))
    store: RunStore = MemoryStore()
    reps = loaded.replications
    pool = make_executor(executor, workers, dask_address, 2 * reps) if isinstance(executor, str) else executor
    with pool, RunProgress(wanted(quiet)) as bar:
        prober = _Prober(base, path, goals, rule, reps, pool, store, bar, runner)
        probes = search(grid.values(), prober)
        description = pool.description
    found = verdict(probes, grid.values(), path, rule)
    sizing = Sizing(path, grid, rule, tuple(str(t) for t in goals), reps, tuple(probes), found)
    meta = _meta(loaded, sets, description, started, time.perf_counter() - wall, prober.seconds, sizing)
    results = _results(base, sizing, store, meta, loaded.description)
    if out_dir is not None:
        results.write(out_dir)
    return replace(sizing, results=results)


def _load(scenario: Scenario | str | Path, sets: Sequence[str], replications: int | None) -> Scenario:
    if isinstance(scenario, Scenario):
        extra = [f"replications={replications}"] if replications is not None else []
        return expansion.with_sets(scenario, [*sets, *extra])
    option = [Option("--replications", "replications", replications)] if replications is not None else []
    return load_scenario(Path(scenario), [*sets, *option])


def _targets(texts: Sequence[str], scenario: Scenario) -> list[Target]:
    parsed = []
    for text in texts:
        try:
            parsed.append(Target.parse(text))
        except ValueError as exc:
            raise InputError(f"--target: {exc}") from None
        problem = parsed[-1].scope_problem(scenario.segments, {n: t.coverage for n, t in scenario.teams.items()})
        if problem is not None:
            raise InputError(f"--target {text!r}: {problem}")
    goals = parsed or scenario.parsed_targets()
    if not goals:
        raise InputError(
            "nothing to size for: the scenario has no targets; give --target EXPR (e.g. --target 'grr >= 0.92') "
            "or add targets: to the scenario"
        )
    unpaid = [t for t in goals if t.metric in PAY_METRICS]
    if unpaid and not pays(scenario):  # the varied value is a number: it cannot turn a plan on
        where = "--target" if parsed else "targets"
        raise InputError(
            f"{where} {str(unpaid[0])!r}: every team with CSMs is salary only, so {unpaid[0].metric} has no value "
            "at any value tried; put a team on a paying plan (--set compensation.plan=...) or drop the target"
        )
    return goals


class _Prober:
    """Simulates values of the path for the same replications; the search's ``evaluate``."""

    def __init__(
        self, base: dict[str, Any], path: str, targets: list[Target], rule: str, replications: int,
        pool: Executor, store: RunStore, bar: RunProgress, runner: Runner,
    ) -> None:  # fmt: skip
        self.base, self.path, self.targets, self.rule = base, path, targets, rule
        self.replications, self.pool, self.store, self.bar, self.runner = replications, pool, store, bar, runner
        self.seconds: list[float] = []

    def __call__(self, values: Sequence[Value]) -> list[Probe]:
        specs = [self.variant(v) for v in values]
        self._run(specs)
        plan = expansion.plan_runs(specs, range(self.replications))
        summary = summarize(metrics_frame(plan, self.store), [s.name for s in specs])
        index = {(v, m): (mean, lo, hi) for v, m, mean, lo, hi in summary[["variant", "metric", "mean", "ci_low",
                 "ci_high"]].itertuples(index=False)}  # fmt: skip
        nan = (float("nan"),) * 3
        return [
            Probe(value, tuple(judge(t, *index.get((spec.name, t.metric), nan), self.rule) for t in self.targets))
            for value, spec in zip(values, specs, strict=True)
        ]

    def variant(self, value: Value) -> expansion.VariantSpec:
        sets = {self.path: value}
        scenario, problems = validate_data(apply_overrides(self.base, sets, complete=self.base), whole=False)
        if scenario is None:
            raise ScenarioError([f"--vary {self.path}={show(value)}: {p.text}" for p in problems])
        name = expansion.sweep_name(self.path, value)
        return expansion.VariantSpec(name, scenario, sets, "sweep", expansion.run_json(scenario))

    def _run(self, specs: Sequence[expansion.VariantSpec]) -> None:
        tasks = {}
        for spec in specs:
            for r in range(self.replications):
                key = expansion.run_key(spec, r)
                if not self.store.has(key):
                    tasks[key] = RunTask(key, r, spec.run_json, self.runner)
        self.bar.expect(len(tasks))
        for done in self.pool.run(list(tasks.values())):
            self.store.save(done.key, done.payload)
            self.seconds.append(done.seconds)
            self.bar.advance()


def _results(base: dict[str, Any], sizing: Sizing, store: RunStore, meta: dict[str, Any], about: str) -> Results:
    """Every probe as one Results: the base is the answer (else the largest value tried)."""
    note = f"Sizing {sizing.path} over {sizing.grid.describe()}: {sizing.verdict.message} {base_note(sizing)}"
    data = apply_overrides(base, {sizing.path: sizing.base}, complete=base)
    data.update(
        description=f"{about.strip()}\n\n{note}".strip(), replications=sizing.replications,
        sweep={"path": sizing.path, "values": [p.value for p in sizing.probes]},
    )  # fmt: skip
    scenario, problems = validate_data(data)
    if scenario is None:  # every value was validated when probed
        raise ScenarioError([p.text for p in problems])
    variants = expansion.expand(scenario)
    plan = expansion.plan_runs(variants, range(sizing.replications))
    return assemble(scenario, variants, plan, store, meta).results


def _meta(
    scenario: Scenario, sets: Sequence[str], executor: str, started: datetime, wall: float, seconds: list[float],
    sizing: Sizing,
) -> dict[str, Any]:  # fmt: skip
    return {
        "version": __version__,
        "model_version": expansion.model_version(),
        "compiled": compiled(),
        "scenario": scenario.name,
        "seed": scenario.seed,
        "replications": scenario.replications,
        "executor": executor,
        "sets": list(sets),
        "started": started.isoformat(timespec="seconds"),
        "timings": {
            "wall_seconds": round(wall, 3),
            "runs_executed": len(seconds),
            "run_seconds_total": round(sum(seconds), 3),
        },
        "sizing": sizing.to_dict(),
    }
