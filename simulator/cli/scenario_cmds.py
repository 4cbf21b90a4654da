"""Commands about scenario files: ``validate``, ``schema`` and ``init``."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.app import app, fail
from simulator.errors import InputError, SimulatorError, WriteFailed
from simulator.results.folder import DISK_FAILURES, write_atomically

ScenarioArg = Annotated[
    Path, typer.Argument(help="Scenario YAML file, e.g. scenarios/default.yaml.", show_default=False)
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override one value before validating, e.g. --set teams.pool.csms=6 (repeatable; VALUE is YAML).",
    ),
]


@app.command()
def validate(scenario: ScenarioArg, sets: SetOption = None) -> None:
    """Check SCENARIO and print a short summary, or every problem with its line (exit 2)."""
    from simulator.scenario.loading import load_scenario
    from simulator.scenario.summary import describe

    try:
        loaded = load_scenario(scenario, sets or [])
    except SimulatorError as error:
        raise fail(error) from None
    typer.echo(describe(loaded))


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking)."""
    from simulator.scenario.schema import Scenario

    typer.echo(json.dumps(Scenario.model_json_schema(mode="validation"), indent=2))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter scenario.", show_default=True)] = Path(
        "scenario.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it already exists.")] = False,
) -> None:
    """Write a commented starter scenario to PATH (default scenario.yaml) to edit and run."""
    try:
        _write_starter(path, force)
    except SimulatorError as error:  # bad input exits 2, a full disk 1
        raise fail(error) from None
    typer.echo(f"wrote {path}; edit it, then: cssim validate {path}")


def _write_starter(path: Path, force: bool) -> None:
    """Write the starter aside and rename it over ``path``: a write that fails leaves the file
    ``--force`` would replace whole. A folder cssim may not write is bad input, a full disk not."""
    if path.is_dir():
        raise InputError(f"{path} is a directory; give a file name, e.g. {path / 'scenario.yaml'}")
    if path.exists() and not force:
        raise InputError(f"{path} already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        folder = next((p for p in path.parents if p.exists()), None)
        if folder is not None and not folder.is_dir():
            raise InputError(f"{folder} is a file, not a folder; give a path in a folder, e.g. scenario.yaml")
        raise InputError(f"{path.parent} does not exist; create the folder first")
    text = files("simulator.scenario").joinpath("starter.yaml").read_text(encoding="utf-8")
    text = text.replace("scenario.yaml", path.name)  # its own name in the commands its header shows
    try:
        write_atomically(path, text.encode("utf-8"))  # a file --force replaces stays whole if this fails
    except WriteFailed as failed:
        if failed.error.errno in DISK_FAILURES:  # a full disk or quota, an I/O error: the machine's
            raise
        raise InputError(f"cannot write {path}: {failed.error.strerror or failed.error}") from None
