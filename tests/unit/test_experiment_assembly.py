"""Assembly chains saved runs' tables without copying, relabels shared runs, and reads chunks as one file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.records import RunOutput
from simulator.experiment import run_experiment
from simulator.experiment.store import RUN_SUFFIX, RUNS_FOLDER
from simulator.experiment.worker import RunOutcome
from simulator.results.results import Results, read_table
from simulator.scenario.schema import Scenario


def rows_model(scenario: Scenario, replication: int) -> RunOutcome:
    """A run with engine-style records: one survey row per pool CSM, labelled by replication."""
    csms = scenario.teams["pool"].csms  # type: ignore[union-attr]
    surveys = [(c, 'smb, "quoted"', 1.5 * replication + c / 3, 7) for c in range(csms)]
    output = RunOutput(customers=[], needs=[], csms=[], timeseries=[], touches=[], renewals=[], surveys=surveys)
    return RunOutcome(metrics={"grr": 0.9 + 0.001 * csms}, tables={}, records=output)


def test_variants_sharing_runs_are_each_labelled_and_the_folder_reads_back_equal(tmp_path: Path) -> None:
    scenario = Scenario.model_validate({
        "replications": 2, "seed": 3,
        "variants": [
            {"name": 'same, "as" base', "set": {"teams.pool.csms": 5}}, {"name": "more", "set": {"teams.pool.csms": 6}}
        ],
    })  # fmt: skip
    res = run_experiment(scenario, runner=rows_model, workers=1, out_dir=tmp_path)
    assert res.variants == ["base", 'same, "as" base', "more"]
    surveys = res.surveys
    assert surveys.groupby("variant", sort=False).size().to_dict() == {"base": 10, 'same, "as" base': 10, "more": 12}
    shared = surveys[surveys["variant"] == 'same, "as" base'].drop(columns="variant").reset_index(drop=True)
    base = surveys[surveys["variant"] == "base"].drop(columns="variant").reset_index(drop=True)
    pd.testing.assert_frame_equal(shared, base, check_exact=True)
    expected = pd.DataFrame.from_records(
        [(v, r, *row) for v in res.variants for r in range(2)
         for row in rows_model(scenario.model_copy(update={"teams": _teams(scenario, v)}), r).records.surveys],  # type: ignore[union-attr]
        columns=["variant", "replication", "customer", "segment", "day", "score"],
    )  # fmt: skip
    assert (tmp_path / "surveys.csv").read_text() == expected.to_csv(index=False, lineterminator="\n").replace(
        "\nbase,", '\n"base",'
    ).replace("\nmore,", '\n"more",')
    pd.testing.assert_frame_equal(Results.load(tmp_path).surveys, surveys, check_exact=True)


def _teams(scenario: Scenario, variant: str) -> dict[str, object]:
    csms = 6 if variant == "more" else 5
    return {"pool": scenario.teams["pool"].model_copy(update={"csms": csms})}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=8))
def test_chunks_read_as_the_joined_bytes(cuts: list[int]) -> None:
    data = b"a,b,c\n" + b"".join(b"%d,x%d,%r\n" % (i, i % 3, i / 7) for i in range(30))
    points = sorted({min(c * 7, len(data)) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    chunks = [memoryview(p) if i % 2 else p for i, p in enumerate(pieces)]
    pd.testing.assert_frame_equal(read_table(chunks), read_table(data), check_exact=True)


def test_runs_saved_in_the_old_gzip_format_are_rerun_and_pruned_not_misread(tmp_path: Path) -> None:
    scenario = Scenario.model_validate({"replications": 2, "seed": 3})
    first = run_experiment(scenario, runner=rows_model, workers=1, out_dir=tmp_path)
    runs = tmp_path / RUNS_FOLDER
    keys = sorted(p.name[: -len(RUN_SUFFIX)] for p in runs.glob(f"*{RUN_SUFFIX}"))
    for key in keys:  # an older version's folder: the same keys, saved as gzip'd JSON
        (runs / f"{key}{RUN_SUFFIX}").rename(runs / f"{key}.json.gz")
    again = run_experiment(scenario, runner=rows_model, workers=1, out_dir=tmp_path, resume=True)
    assert {r["status"] for r in again.meta["runs"]} == {"ran"}
    assert sorted(p.name for p in runs.iterdir()) == [f"{key}{RUN_SUFFIX}" for key in keys]
    pd.testing.assert_frame_equal(again.surveys, first.surveys, check_exact=True)
