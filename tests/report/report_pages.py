"""Reading a rendered page back: the chart ids and each chart's figure JSON, as plotly.js receives them."""

from __future__ import annotations

import json
import re
from typing import Any

NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*')


def chart_ids(page: str) -> list[str]:
    return NEW_PLOT.findall(page)


def figure(page: str, chart_id: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The ``(data, layout)`` a chart is drawn from, decoded with a real JSON parser."""
    for match in NEW_PLOT.finditer(page):
        if match.group(1) == chart_id:
            decoder = json.JSONDecoder()
            data, end = decoder.raw_decode(page, match.end())
            layout, _ = decoder.raw_decode(page, page.index("{", end))
            return data, layout
    raise AssertionError(f"no chart {chart_id!r} on the page (charts: {chart_ids(page)})")


BUNDLE = re.compile(r"<script[^>]*>\s*/\*\*\s*\* plotly\.js v[\d.]+.*?</script>", re.S)


def without_bundle(page: str) -> str:
    """The page minus the inlined plotly.js (whose own code mentions URLs and SVG markup)."""
    stripped = BUNDLE.sub("", page, count=1)
    assert len(stripped) < len(page) - 1_000_000, "the plotly.js bundle was not found inline"
    return stripped


def has(page: str, needle: str) -> bool:
    """``needle in page`` as a plain bool, so a failing assert does not make pytest diff megabytes."""
    return needle in page
