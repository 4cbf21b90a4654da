"""The sizing block (``cssim size``): reserved for the sizing work.

The sweep section calls :func:`blocks` and shows whatever it returns under the sweep
charts. The sizing engineer fills it in: from a sizing result on ``data`` (for example
the smallest headcount meeting every target, with the search's metric curves), return
blocks (a :class:`~simulator.report.page.Callout` with the answer, a chart with target
lines). Returning ``[]`` shows nothing.
"""

from __future__ import annotations

from simulator.report.page import Block
from simulator.report.source import ReportData


def blocks(data: ReportData, colours: dict[str, str]) -> list[Block]:
    """No sizing result is part of a Results yet."""
    return []
