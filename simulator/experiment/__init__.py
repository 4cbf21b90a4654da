"""Experiments: variants x replications, executed locally or on Dask, saved run by run."""

from __future__ import annotations

from simulator.experiment.runner import run_experiment

__all__ = ["run_experiment"]
