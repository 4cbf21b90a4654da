"""The discrete-event engine: SimPy clock, named random streams, one run -> plain records."""

from __future__ import annotations

from simulator.engine.records import RunOutput
from simulator.engine.simulate import simulate

__all__ = ["RunOutput", "simulate"]
