"""Commands about scenario files: validate, schema, init (filled in by the foundation work)."""

from __future__ import annotations

import json

import typer

from simulator.cli.app import app
from simulator.scenario.schema import Scenario


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking)."""
    typer.echo(json.dumps(Scenario.model_json_schema(mode="validation"), indent=2))
