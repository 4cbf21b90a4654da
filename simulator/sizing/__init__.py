"""Sizing: the smallest headcount (or other value) at which every target is met.

``cssim size`` and :func:`size` vary one dotted path of a scenario over a range, simulate
few values chosen by bisection under common random numbers, and report the answer with
every probe's intervals (see :mod:`simulator.sizing.search` for the rule and its checks).
Sits on the experiment layer: it runs replications through the same executors and store.
"""

from __future__ import annotations

from simulator.sizing.grid import Grid
from simulator.sizing.outcome import Sizing
from simulator.sizing.runs import size

__all__ = ["Grid", "Sizing", "size"]
