"""The view-model of the page: sections made of blocks the templates only print.

Each block kind has its own small template (``templates/blocks/<kind>.html.j2``), so a
section is an ordered list of blocks and adding a kind is a class and a template, never a
branch in a big template. Every string here is plain text; the templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import plotly.graph_objects as go

from simulator.report.charts import Chart

CELL_STYLES = frozenset({"", "rowhead", "text", "num", "good", "bad", "met", "notmet", "undecided"})


@dataclass(frozen=True)
class Paragraph:
    """A sentence or two; ``css`` "note" marks what a section hides and why; with ``code``,
    text between backticks is shown as code (``<code>``, escaped), without the backticks."""

    kind: ClassVar[str] = "paragraph"
    text: str
    css: str = ""
    code: bool = False


@dataclass(frozen=True)
class Callout:
    """The recommendation box: a title line and the reasons, in words."""

    kind: ClassVar[str] = "callout"
    title: str
    lines: list[str]
    css: str = ""


@dataclass(frozen=True)
class Cell:
    """One table cell: main text, up to two smaller lines (an interval, a change), a style from CELL_STYLES.

    Cells are right-aligned numbers unless styled "text" (or "rowhead", the row's label).
    """

    text: str
    detail: str = ""
    css: str = ""
    change: str = ""

    def __post_init__(self) -> None:
        if self.css not in CELL_STYLES:
            raise ValueError(f"Cell.css must be one of {sorted(CELL_STYLES)}, got {self.css!r}")


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    table_id: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]

    def header_cells(self) -> list[tuple[str, str]]:
        """``(header, style)``: each header aligns like its column, text left and numbers right."""
        first = self.rows[0] if self.rows else []
        text = {i for i, cell in enumerate(first) if cell.css in ("text", "rowhead")}
        return [(header, "text" if i in text else "num") for i, header in enumerate(self.headers)]


@dataclass(frozen=True)
class Facts:
    """A definition list: label -> value pairs (method, provenance)."""

    kind: ClassVar[str] = "facts"
    title: str
    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Preformatted:
    """Text shown as-is in a monospace block (the resolved scenario)."""

    kind: ClassVar[str] = "preformatted"
    title: str
    text: str


@dataclass(frozen=True)
class ChartBlock:
    kind: ClassVar[str] = "chart"
    chart: Chart


Block = Paragraph | Callout | Table | Facts | Preformatted | ChartBlock


@dataclass(frozen=True)
class Section:
    """One numbered part of the report, with a stable anchor ``key``."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def charts(self) -> list[Chart]:
        return [b.chart for b in self.blocks if isinstance(b, ChartBlock)]


def note(text: str, *, code: bool = False) -> Paragraph:
    """A sentence saying what is not shown and why (a missing table, no comp plan...);
    ``code``: its `backticked` parts are code."""
    return Paragraph(text, css="note", code=code)


def chart(chart_id: str, figure: go.Figure, caption: str = "") -> ChartBlock:
    return ChartBlock(Chart(chart_id, figure, caption))
