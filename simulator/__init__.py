"""cssim: a discrete-event simulator of Customer Success staffing, coverage and compensation.

The pipeline reads top to bottom in the package layout:
``scenario`` (validated input) -> ``model`` (domain rules, no clock) -> ``engine`` (SimPy)
-> ``experiment`` (variants x replications) -> ``results`` (pandas, statistics) -> ``report``.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
