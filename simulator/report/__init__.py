"""The HTML report: one self-contained page from a Results (jinja2 + plotly, never SimPy).

``render_report(results=..., out_dir=...)`` is the only entry point; sections live in
:mod:`simulator.report.sections`, one module each.
"""

from __future__ import annotations

from simulator.report.render import render_report

__all__ = ["render_report"]
