"""Running experiments with a stand-in model: results shape, store, resume, failure, precision.

The stand-in (``fake_model``) follows the engine contract: every number derives from
named streams of (seed, replication), its "demand" draw is shared by all variants (common
random numbers) and GRR rises with pool headcount, so the experiment layer can be checked
apart from the real model's cost.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from simulator.engine.streams import Streams
from simulator.experiment import run_experiment
from simulator.experiment.executors import RunFailed
from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER
from simulator.experiment.worker import RunOutcome
from simulator.results.results import Results
from simulator.scenario.schema import Scenario

CALLS: list[tuple[int, int]] = []


def fake_model(scenario: Scenario, replication: int) -> RunOutcome:
    """GRR = 0.80 + 0.01 x pool CSMs + shared demand noise (sd 0.02) + own noise (sd 0.002)."""
    CALLS.append((scenario.teams["pool"].csms, replication))  # type: ignore[union-attr]
    streams = Streams(scenario.seed, replication)
    csms = scenario.teams["pool"].csms  # type: ignore[union-attr]
    grr = 0.80 + 0.01 * csms + 0.02 * streams["demand"].normal() + 0.002 * streams["noise"].normal()
    customers = pd.DataFrame(
        {"customer": [0, 1, 2], "segment": ["smb"] * 3, "arr_start_usd": streams["arr"].lognormal(10, 1, 3)}
    )
    timeseries = pd.DataFrame({"month": [1, 2], "active_customers": [3, 3], "busy_share": [0.5, 0.25 * csms / 5]})
    metrics = {"grr": grr, "nrr": grr + 0.1, "logo_retention": 0.9, "jit_share": 0.5, "csm_utilization": 0.7}
    return RunOutcome(metrics={**metrics, "nps": math.nan}, tables={"customers": customers, "timeseries": timeseries})


def broken_model(scenario: Scenario, replication: int) -> RunOutcome:
    if replication == 2:
        raise ZeroDivisionError("the model divided by zero")
    return fake_model(scenario, replication)


def _scenario(**extra: Any) -> Scenario:
    data = {"replications": 4, "seed": 5, "targets": ["grr >= 0.82"], **extra}
    return Scenario.model_validate(data)


VARIANTS = {"variants": [{"name": "more", "set": {"teams.pool.csms": 8}}]}


def test_results_hold_tidy_tables_in_variant_and_replication_order() -> None:
    res = run_experiment(_scenario(**VARIANTS), runner=fake_model, executor="local", workers=1)
    assert res.variants == ["base", "more"]
    assert list(res.run_metrics.columns) == ["variant", "replication", "metric", "value"]
    assert res.summary[["variant", "metric"]].drop_duplicates().shape[0] == len(res.summary) == 12
    assert res.summary.set_index(["variant", "metric"]).loc[("base", "nps"), "n"] == 0  # undefined everywhere
    assert list(res.customers.columns[:2]) == ["variant", "replication"]
    assert res.customers[["variant", "replication"]].drop_duplicates().values.tolist() == [
        [v, r] for v in ("base", "more") for r in range(4)
    ]
    grr = res.comparisons.set_index(["variant", "metric"]).loc[("more", "grr")]
    assert grr["diff_mean"] == pytest.approx(0.03, abs=0.006)  # 3 CSMs x 0.01; CRN cancels the demand noise
    assert grr["diff_ci_high"] - grr["diff_ci_low"] < 0.02
    assert set(res.targets["status"]) <= {"met", "not met", "undecided"}
    assert res.meta["replications"] == 4 and len(res.meta["runs"]) == 8


def test_folder_has_every_table_and_loads_back(tmp_path: Path) -> None:
    res = run_experiment(_scenario(**VARIANTS), runner=fake_model, workers=1, out_dir=tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    expected = {"summary.csv", "comparisons.csv", "targets.csv", "run_metrics.csv", "timeseries.csv", "csms.csv"}
    assert expected | {"customers.csv", "needs.csv", "scenario.resolved.yaml", "run_meta.json", RUNS_FOLDER} <= names
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.columns) == ["variant", "metric", "mean", "ci_low", "ci_high", "n"]
    back = Results.load(tmp_path)
    assert back.variants == res.variants and back.scenario == res.scenario
    pd.testing.assert_frame_equal(back.summary, res.summary, check_exact=True)
    pd.testing.assert_frame_equal(back.customers, res.customers, check_exact=True)
    assert back.meta["runs"] == res.meta["runs"]


def test_resume_skips_saved_runs_and_gives_identical_results(tmp_path: Path) -> None:
    first = run_experiment(_scenario(**VARIANTS), runner=fake_model, workers=1, out_dir=tmp_path)
    CALLS.clear()
    again = run_experiment(_scenario(**VARIANTS), runner=fake_model, workers=1, out_dir=tmp_path, resume=True)
    assert CALLS == []
    assert {r["status"] for r in again.meta["runs"]} == {"resumed"}
    pd.testing.assert_frame_equal(again.summary, first.summary, check_exact=True)
    pd.testing.assert_frame_equal(again.customers, first.customers, check_exact=True)
    changed = {"variants": [{"name": "more", "set": {"teams.pool.csms": 9}}]}
    run_experiment(_scenario(**changed), runner=fake_model, workers=1, out_dir=tmp_path, resume=True)
    assert sorted(CALLS) == [(9, r) for r in range(4)]  # only the changed variant reran
    CALLS.clear()
    run_experiment(_scenario(**changed), runner=fake_model, workers=1, out_dir=tmp_path)
    assert len(CALLS) == 8  # without --resume everything reruns
    assert len(list((tmp_path / RUNS_FOLDER).iterdir())) == 8  # the csms=8 runs were pruned


def test_more_replications_with_resume_run_only_the_new_ones(tmp_path: Path) -> None:
    run_experiment(_scenario(), runner=fake_model, workers=1, out_dir=tmp_path)
    CALLS.clear()
    res = run_experiment(_scenario(), runner=fake_model, workers=1, out_dir=tmp_path, resume=True, replications=6)
    assert sorted(CALLS) == [(5, 4), (5, 5)]
    assert res.summary.set_index(["variant", "metric"]).loc[("base", "grr"), "n"] == 6


def test_identical_variants_share_their_runs() -> None:
    CALLS.clear()
    res = run_experiment(_scenario(sweep={"path": "teams.pool.csms", "values": [5, 6]}), runner=fake_model, workers=1)
    assert len(CALLS) == 8  # base == csms=5
    by = res.run_metrics.pivot_table(index=["metric", "replication"], columns="variant", values="value")
    assert by["base"].equals(by["teams.pool.csms=5"])
    assert res.sweep == {"path": "teams.pool.csms", "values": {"teams.pool.csms=5": 5, "teams.pool.csms=6": 6}}


def test_failed_run_raises_and_keeps_the_finished_ones(tmp_path: Path) -> None:
    (tmp_path / "summary.csv").write_text("good old summary\n")
    (tmp_path / "run_meta.json").write_text("{}\n")  # a folder cssim wrote before
    with pytest.raises(RunFailed, match=r"replication 2.*ZeroDivisionError: the model divided by zero"):
        run_experiment(_scenario(), runner=broken_model, workers=1, out_dir=tmp_path)
    assert len(list((tmp_path / RUNS_FOLDER).glob(f"*{RUN_SUFFIX}"))) == 2  # replications 0 and 1
    assert (tmp_path / "summary.csv").read_text() == "good old summary\n"
    CALLS.clear()
    run_experiment(_scenario(), runner=fake_model, workers=1, out_dir=tmp_path, resume=True)
    assert sorted(CALLS) == [(5, 2), (5, 3)]


def test_precision_adds_replications_until_the_bound_is_met() -> None:
    # grr ~ 0.85 with sd ~0.02: a relative half-width of 1% needs about (1.96*0.02/0.0085)^2 ~ 21 reps.
    res = run_experiment(_scenario(replications=3), runner=fake_model, workers=1, precision_bound=0.01)
    info = res.meta["precision"]
    assert info["met"] is True and info["worst_relative_half_width"] <= 0.01
    grr = res.summary.set_index(["variant", "metric"]).loc[("base", "grr")]
    assert (grr["ci_high"] - grr["ci_low"]) / 2 <= 0.01 * grr["mean"]
    assert 10 <= res.meta["replications"] <= 60


def test_precision_stops_at_the_maximum() -> None:
    res = run_experiment(
        _scenario(replications=3), runner=fake_model, workers=1, precision_bound=0.001, max_replications=7
    )
    assert res.meta["replications"] == 7 and res.meta["precision"]["met"] is False


def test_progress_bar_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.experiment import progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: True)
    assert progress.wanted(quiet=False)
    assert not progress.wanted(quiet=True)
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted(quiet=False)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: False)
    assert not progress.wanted(quiet=False)


def test_progress_counts_runs_to_execute() -> None:
    from simulator.experiment.progress import RunProgress

    with RunProgress(enabled=False) as bar:
        bar.expect(5)
        bar.advance()
        bar.expect(2)
        bar.advance(3)
    assert (bar.done, bar.total) == (4, 7)


def test_a_file_path_with_sets_as_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("replications: 2\nsegments: {smb: {team: pool}}\nteams: {pool: {coverage: pooled}}\n")
    sets = {"teams.pool.csms": 3, "segments.smb.arr": {"dist": "fixed", "value": 1000}}
    res = run_experiment(path, sets=sets, seed=3, runner=fake_model, workers=1)
    assert res.scenario.teams["pool"].csms == 3 and res.scenario.seed == 3  # type: ignore[union-attr]
    assert res.scenario.segments["smb"].arr.mean == 1000
    assert res.meta["sets"] == ["teams.pool.csms=3", 'segments.smb.arr={"dist": "fixed", "value": 1000}']


def test_ctrl_c_while_the_tables_are_written_leaves_the_earlier_results_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not new tables beside the old summary and report: the old set whole, no temporary files."""
    import simulator.results.folder as folder

    run_experiment(_scenario(), runner=fake_model, workers=1, out_dir=tmp_path)
    (tmp_path / "index.html").write_text(f"{folder.GENERATOR}<p>the report of these tables</p>")  # a cssim page
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    write, calls = folder.write_temporary, []

    def interrupted(path: Path, data: Any) -> Path:
        calls.append(path.name)
        if len(calls) == 3:  # a few tables in
            raise KeyboardInterrupt
        return write(path, data)

    monkeypatch.setattr(folder, "write_temporary", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(_scenario(seed=99), runner=fake_model, workers=1, out_dir=tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    monkeypatch.setattr(folder, "write_temporary", write)
    run_experiment(_scenario(seed=99), runner=fake_model, workers=1, out_dir=tmp_path)
    assert not (tmp_path / "index.html").exists()  # the old report went with the old tables
    assert (tmp_path / "summary.csv").read_bytes() != before["summary.csv"]
