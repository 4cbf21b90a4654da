"""The report's sections, in page order: each module builds one from a ReportData.

A builder is ``build(data, colours) -> Section``; it prepares every string and figure in
Python, so templates only print. Adding a section is a module and an entry here; the
sizing work adds its blocks through :mod:`simulator.report.sections.sizing`.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.report.page import Section
from simulator.report.sections import (
    assumptions,
    behaviour,
    compensation,
    headline,
    health,
    method,
    retention,
    sweep,
    workload,
)
from simulator.report.source import ReportData

SectionBuilder = Callable[[ReportData, dict[str, str]], Section]

SECTIONS: tuple[SectionBuilder, ...] = (
    headline.build,
    retention.build,
    health.build,
    workload.build,
    compensation.build,
    behaviour.build,
    sweep.build,
    assumptions.build,
    method.build,
)
