"""Every shipped scenario validates, runs end to end and writes a report.

Each runs with two replications over a shortened horizon (13 months, 1 of warm-up: one
full 12-month retention cohort; comp_plans smaller still), so the test checks that the file, its variants and its
sweep simulate and render, not what they conclude; the field ranges of their full runs
are measured in each file's header. The README's sizing command for headcount_2027 runs
on a narrow range the same way.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.scenario.checks import base_data
from simulator.scenario.loading import load_scenario
from simulator.scenario.schema import Target
from simulator.sizing.grid import Grid, check_vary

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
QUESTIONS = {"default", "high_vs_low_touch", "comp_plans", "headcount_2027", "lemkin_check"}
"""One scenario per question of the design (DESIGN section 1); more may be added."""
QUICK = ["--replications", "2", "--set", "horizon_months=13", "--set", "warmup_months=1", "--workers", "2", "-q"]
SMALLER = {
    "comp_plans": ["horizon_months=7", "segments.enterprise.initial_customers=50",
                   "segments.enterprise.new_per_month=1", "teams.strategic.csms=4"],
}  # fmt: skip
"""Further cuts where a scenario's runs are costly (every CSM choice weighs the plan): a
smaller book and a 6-month measured period (retention annualised), same variants."""


def test_every_question_has_its_scenario() -> None:
    assert {p.stem for p in SHIPPED} >= QUESTIONS


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_states_its_question_and_validates(path: Path) -> None:
    scenario = load_scenario(path)
    assert len(scenario.description.split()) >= 15, f"{path.name}: the description should state the question"
    assert scenario.targets, f"{path.name}: a shipped scenario names the targets its question is about"
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_runs_and_writes_a_report(path: Path, tmp_path: Path) -> None:
    out = tmp_path / path.stem
    smaller = [x for s in SMALLER.get(path.stem, []) for x in ("--set", s)]
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), *QUICK, *smaller])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.name.split(":")[0] in page
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    expected = 1 + len(scenario.variants) + (len(scenario.sweep.points()) if scenario.sweep else 0)
    assert summary["variant"].nunique() == expected
    grr = summary[(summary["variant"] == "base") & (summary["metric"] == "grr")]["mean"].item()
    assert 0.5 < grr <= 1.0, f"{path.name}: base GRR {grr} is not a retention rate"


def test_readme_sizing_command_for_next_years_headcount(tmp_path: Path) -> None:
    out = tmp_path / "sized"
    args = ["size", str(SCENARIOS / "headcount_2027.yaml"), "--vary", "teams.csm.csms", "--values", "6:12"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), *QUICK])
    assert result.exit_code == 0, result.output
    sizing = json.loads((out / "run_meta.json").read_text())["sizing"]
    assert sizing["path"] == "teams.csm.csms" and sizing["targets"] == ["grr >= 0.92"]
    assert sizing["status"] in ("found", "lowest", "none", "not monotone")
    assert 'id="sizing"' in (out / "index.html").read_text(encoding="utf-8")


def _readme_commands() -> list[list[str]]:
    """The ``cssim`` lines of the README's how-to section, split like a shell would."""
    text = (SCENARIOS.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## How to answer the usual questions\n", 1)[1].split("\n## ", 1)[0]
    lines = [line.split("#")[0].strip() for line in section.splitlines() if line.startswith("cssim ")]
    return [shlex.split(line) for line in lines]


def test_readme_how_to_commands_name_real_scenarios_and_paths() -> None:
    commands = _readme_commands()
    assert {c[1] for c in commands} == {"run", "size"} and len(commands) >= 5
    for command in commands:
        scenario = load_scenario(SCENARIOS.parent / command[2])
        if command[1] == "size":
            pairs = list(zip(command[3::2], command[4::2], strict=True))
            flags = dict(pairs)
            check_vary(base_data(scenario), flags["--vary"], Grid.parse(flags["--values"]))
            for target in (Target.parse(v) for k, v in pairs if k == "--target"):
                assert target.segment is None or target.segment in scenario.segments, target
