"""cssim: a discrete-event simulator of Customer Success staffing, coverage and compensation.

The pipeline reads top to bottom in the package layout:
``scenario`` (validated input) -> ``model`` (domain rules, no clock) -> ``engine`` (SimPy)
-> ``experiment`` (variants x replications) -> ``results`` (pandas, statistics) -> ``report``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_scenario": "simulator.scenario.loading",
    "load_scenario_text": "simulator.scenario.loading",
    "run_experiment": "simulator.experiment.runner",
    "Results": "simulator.results.results",
}
"""Public API names -> their module, imported on first use so ``import simulator`` stays light."""

__all__ = ["Results", "__version__", "load_scenario", "load_scenario_text", "run_experiment"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
