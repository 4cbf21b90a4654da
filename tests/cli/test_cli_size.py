"""``cssim size`` end to end on a tiny scenario, and every kind of bad input (exit 2, nothing written)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.engine import compiled

TINY = """\
name: tiny desk
seed: 4
replications: 3
horizon_months: 8
warmup_months: 1
segments:
  smb: {team: pool, initial_customers: 60, new_per_month: 2, needs_per_month: 1.5, need_expiry_days: null}
teams: {pool: {coverage: pooled, csms: 1}}
targets: ["mean_time_to_guidance_days <= 1.5"]
variants: [{name: two, set: {teams.pool.csms: 2}}]
"""


@pytest.fixture(scope="module")
def scenario(scenario_file: Callable[[str], Path]) -> Path:
    return scenario_file(TINY)


@pytest.fixture(scope="module")
def sized(scenario: Path, cssim_ok: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out") / "sized"
    args = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:6", "--workers", "1", "--out", str(out)]
    return out, cssim_ok(*args)


def test_prints_a_table_of_values_tried_and_the_answer(sized: tuple[Path, str]) -> None:
    _, output = sized
    lines = output.splitlines()
    assert lines[0].split() == ["teams.pool.csms", "mean_time_to_guidance_days", "<=", "1.5", "met?"]
    rows = [line.split()[0] for line in lines[2:] if line[:1].isdigit()]
    assert rows == sorted(rows, key=int) and {"1", "6"} <= set(rows), "both ends tried, rows by value"
    answer = next(line for line in lines if line.startswith(("answer:", "no answer")))
    meta = json.loads((sized[0] / "run_meta.json").read_text())["sizing"]
    assert meta["answer"] is not None and answer.startswith(f"answer: teams.pool.csms = {meta['answer']}.")
    assert output.strip().endswith(str(sized[0] / "index.html"))


def test_writes_a_report_with_the_sizing_block(sized: tuple[Path, str]) -> None:
    out, _ = sized
    page = (out / "index.html").read_text()
    meta = json.loads((out / "run_meta.json").read_text())
    assert f"Smallest teams.pool.csms meeting every target: {meta['sizing']['answer']}" in page
    assert 'id="sizing"' in page
    assert [p["value"] for p in meta["sizing"]["probes"]] == sorted(p["value"] for p in meta["sizing"]["probes"])
    assert (out / "summary.csv").is_file() and (out / "scenario.resolved.yaml").is_file()
    assert meta["compiled"] is compiled()  # which build ran, as cssim run records it
    answer = meta["sizing"]["answer"]
    assert f"The scenario with teams.pool.csms = {answer}, the value the sizing settled on" in page
    csms = "CSM" if answer == 1 else "CSMs"
    assert f"{answer} {csms} is the base itself" in page  # one option, not base and its twin
    assert meta["sizing"]["status"] == "found"
    said = f"The report&#39;s base is the smallest team that met every target: {answer} {csms} on the pool team."
    assert said in page and "Every team size tried is shown as a point on the sweep." in page
    assert f"teams.pool.csms={answer}" not in page  # the tables keep the variant's name
    assert f"\nteams.pool.csms={answer}," in (out / "summary.csv").read_text()


def test_json_for_scripts(scenario: Path, tmp_path: Path) -> None:
    args = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:3", "--json", "--workers", "1",
            "--replications", "2", "--target", "grr >= 0", "--on", "mean", "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "lowest" and doc["answer"] == 1 and doc["rule"] == "mean"
    assert doc["targets"] == ["grr >= 0"] and doc["replications"] == 2
    assert doc["values"] == {"lo": 1, "hi": 3, "step": 1, "count": 3}
    assert doc["report"] == str(tmp_path / "o" / "index.html")
    check = doc["probes"][0]["checks"][0]
    assert set(check) == {"target", "metric", "mean", "ci_low", "ci_high", "status", "met"}


def test_a_team_target_sizes_the_team_on_its_own_utilisation(scenario: Path, tmp_path: Path) -> None:
    """``csm_utilization@pool``: the smallest pool whose CSMs have slack left. Utilisation falls
    as the pool grows, so the answer is the first value whose upper bound is under the bar."""
    args = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:6", "--json", "--workers", "1",
            "--replications", "2", "--target", "csm_utilization@pool <= 0.6", "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    checks = {p["value"]: p["checks"][0] for p in doc["probes"]}
    assert {c["metric"] for c in checks.values()} == {"csm_utilization@pool"}
    assert doc["answer"] is not None and doc["answer"] > 1
    assert checks[doc["answer"]]["ci_high"] <= 0.6 and checks[doc["answer"]]["met"]
    below = [v for v in checks if v < doc["answer"]]
    assert below and all(not checks[v]["met"] for v in below)


def test_the_printed_table_shows_intervals_within_the_metrics_range(scenario: Path, tmp_path: Path) -> None:
    """One overloaded pool CSM: the t interval of its utilisation reaches past 100% (run_meta
    keeps it); the table prints the possible part, as the report does."""
    args = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:2", "--workers", "1",
            "--replications", "2", "--target", "csm_utilization@pool <= 0.6", "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    probes = json.loads((tmp_path / "o" / "run_meta.json").read_text())["sizing"]["probes"]
    assert max(c["ci_high"] for p in probes for c in p["checks"]) > 1.0, "the case this test is about"
    shown = [float(x) for x in re.findall(r"(-?[\d.]+)%", result.output)]
    assert shown and max(shown) <= 100.0 and min(shown) >= 0.0


def test_no_value_in_range_is_said_plainly(scenario: Path, tmp_path: Path) -> None:
    args = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:2", "--workers", "1",
            "--replications", "2", "--target", "nps >= 100", "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "no answer (none). No value of teams.pool.csms from 1 to 2 meets every target" in result.output
    assert "Raise HI" in result.output


BAD = [
    (["--values", "6:2"], "--values 6:2: LO (6) must not be above HI (2)"),
    (["--values", "2-6"], "expected LO:HI or LO:HI:STEP"),
    (["--values", "1.5:4"], "teams.pool.csms is a whole number"),
    (["--values", "0:4"], "--vary teams.pool.csms=0: teams.pool.csms: must be >= 1 (got 0)"),
    (["--vary", "teams.pool.csmz"], "teams.pool.csmz: unknown key 'csmz'; did you mean 'csms'?"),
    (["--vary", "teams.pol.csms"], "--vary teams.pol.csms: teams.pol does not exist; did you mean 'pool'?"),
    (["--vary", "segments.smb.team"], "--vary segments.smb.team: holds 'pool', not a number"),
    (["--target", "grr > = 0.9"], "--target: target 'grr > = 0.9' must read METRIC OP NUMBER"),
    (["--target", "gross >= 0.9"], "unknown metric 'gross'"),
    (["--target", "grr@smbb >= 0.9"], "--target 'grr@smbb >= 0.9': unknown segment 'smbb'; did you mean 'smb'?"),
    (["--target", "csm_utilization@pol <= 0.9"], "--target 'csm_utilization@pol <= 0.9': unknown team 'pol'; did you"),
    (["--on", "median"], "--on must be one of interval, mean, got 'median'"),
    (["--set", "teams.pool.csms=0"], "teams.pool.csms: must be >= 1 (got 0)"),
    (["--replications", "0"], "--replications 0: replications: must be >= 1"),
]


@pytest.mark.parametrize(("extra", "message"), BAD)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(
    scenario: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    args = {"--vary": "teams.pool.csms", "--values": "1:4"}
    flags = dict(zip(extra[::2], extra[1::2], strict=True))
    argv = ["size", str(scenario), *(x for k, v in {**args, **flags}.items() for x in (k, v))]
    result = CliRunner().invoke(app, [*argv, "--workers", "1", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_an_output_path_that_is_a_file_is_refused_before_running(scenario: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine")
    argv = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:4", "--out", str(taken)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2 and "exists and is not a folder" in result.output
    assert taken.read_text() == "mine"


def test_a_scenario_without_targets_needs_one(tmp_path: Path) -> None:
    path = tmp_path / "untargeted.yaml"
    path.write_text(TINY.replace('targets: ["mean_time_to_guidance_days <= 1.5"]\n', ""))
    argv = ["size", str(path), "--vary", "teams.pool.csms", "--values", "1:4", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert "nothing to size for: the scenario has no targets; give --target EXPR" in result.output


def test_a_pay_target_is_refused_when_the_sized_scenario_pays_no_one(scenario: Path, tmp_path: Path) -> None:
    # The base is sized; a variant's plan does not count, and the varied number cannot turn a plan on.
    paid_variant = tmp_path / "paid_variant.yaml"
    paid_variant.write_text(
        TINY.replace("mean_time_to_guidance_days <= 1.5", "share_at_target >= 0.5").replace(
            "{name: two, set: {teams.pool.csms: 2}}", "{name: paid, set: {compensation.plan: nrr}}"
        )
    )
    runs = (
        ([str(scenario), "--target", "pay_alignment >= 0.1"], "--target 'pay_alignment >= 0.1': every team"),
        ([str(paid_variant)], "targets 'share_at_target >= 0.5': every team"),
    )
    for args, message in runs:
        out = tmp_path / "o"
        argv = ["size", *args, "--vary", "teams.pool.csms", "--values", "1:4", "--out", str(out)]
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 2, result.output
        assert message + " with CSMs is salary only, so" in result.output
        assert not out.exists()
    paid = [str(scenario), "--set", "compensation.plan=activity", "--target", "share_at_target >= 0.5"]
    argv = ["size", *paid, "--vary", "teams.pool.csms", "--values", "1:2", "--workers", "1", "--replications", "2"]
    result = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "paid")])
    assert result.exit_code == 0, result.output


def test_an_output_path_inside_a_file_or_over_other_files_is_refused_before_running(
    scenario: Path, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_text("mine")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    for out, message in ((tmp_path / "taken" / "x", "taken is a file, not a folder"), (mine, "did not write")):
        argv = ["size", str(scenario), "--vary", "teams.pool.csms", "--values", "1:4", "--out", str(out)]
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 2 and message in result.output, result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_a_problem_of_the_path_itself_is_told_once_not_once_per_end(scenario: Path, tmp_path: Path) -> None:
    argv = ["size", str(scenario), "--vary", "teams.pool.nope", "--values", "1:4", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert result.output.count("unknown key 'nope'") == 1
    assert "--vary teams.pool.nope: teams.pool.nope: unknown key 'nope'" in result.output


def test_on_the_mean_each_cell_leads_with_the_verdict_that_counted() -> None:
    from simulator.cli.size_cmd import _check
    from simulator.scenario.schema import Target
    from simulator.sizing.search import judge

    straddling = judge(Target.parse("grr >= 0.9"), 0.92, 0.88, 0.96, "mean")  # mean clears the bar, interval not
    assert straddling.status == "undecided" and straddling.met
    assert _check(straddling, "mean").endswith("mean met, undecided")
    assert _check(straddling, "interval").endswith("] undecided")
