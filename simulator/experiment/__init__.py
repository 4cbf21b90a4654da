"""Experiments: variants x replications, executed locally or on Dask, saved run by run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.experiment.runner import run_experiment

__all__ = ["run_experiment"]


def __getattr__(name: str) -> Any:
    """``run_experiment`` on first use: a worker process imports ``simulator.experiment.worker``
    and should not pay for the runner's imports (statistics, the store, the model fingerprint)."""
    if name == "run_experiment":
        from simulator.experiment.runner import run_experiment

        return run_experiment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
