"""The ``cssim`` command: thin wrappers over one library call each.

Each command lives in its own module and registers itself on :data:`app`; errors of
the project's own type are printed once here, with exit code 2 and no traceback.
"""

from __future__ import annotations

from simulator.cli import report_cmd as _report_cmd  # noqa: F401  (registers `report`)
from simulator.cli import run_cmd as _run_cmd  # noqa: F401  (registers `run`)
from simulator.cli import scenario_cmds as _scenario_cmds  # noqa: F401  (registers commands)
from simulator.cli import size_cmd as _size_cmd  # noqa: F401  (registers `size`)
from simulator.cli.app import app, main

__all__ = ["app", "main"]
