"""Render a Results to one self-contained ``index.html``, atomically.

The page is built in memory from view-models (``sections``), then written to a temporary
file beside the target and renamed over it: a failure at any point leaves the previous
report untouched. Templates ship inside the package and are loaded once per process.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from markupsafe import Markup, escape

from simulator.errors import InputError, WriteFailed
from simulator.report.charts import Chart, embed, variant_colours
from simulator.report.page import Block, ChartBlock, Section
from simulator.report.sections import SECTIONS
from simulator.report.source import ReportData
from simulator.results.folder import DISK_FAILURES, write_atomically

TEMPLATE = "report.html.j2"
SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)


@dataclass(frozen=True)
class EmbeddedChart:
    """A chart block after embedding: the fragment plotly produced, trusted (its JSON is escaped)."""

    kind: ClassVar[str] = "chart"
    html: Markup
    caption: str


@functools.cache
def environment() -> jinja2.Environment:
    """The one template environment: autoescape everywhere, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("simulator.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline_code"] = inline_code
    return env


BACKTICKED = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> Markup:
    """``text`` escaped, each `backticked` part as ``<code>`` (a literal backtick would read as Markdown)."""
    return Markup(BACKTICKED.sub(r"<code>\1</code>", str(escape(text))))


@functools.cache
def stylesheet() -> Markup:
    """Our own CSS, inlined so the page needs no other file."""
    return Markup(resources.files("simulator.report").joinpath("static/report.css").read_text(encoding="utf-8"))


def print_script() -> Markup:
    """Our one script: charts redrawn to the page's width for printing (static/print.js)."""
    return Markup(resources.files("simulator.report").joinpath("static/print.js").read_text(encoding="utf-8"))


def render_report(*, results: Any, out_dir: Path | str, filename: str = "index.html") -> Path:
    """Write the report of ``results`` to ``out_dir/filename`` and return that path."""
    data = ReportData.from_results(results)
    sections = build_sections(data)
    page = render_page(data, sections)
    return write_atomic(Path(out_dir) / filename, page)


def build_sections(data: ReportData) -> list[Section]:
    colours = variant_colours(data.variants, ordered=data.sweep is not None)
    return [builder(data, colours) for builder in SECTIONS]


def render_page(data: ReportData, sections: list[Section]) -> str:
    first = [True]  # plotly.js goes inline with the first chart of the page, and only there
    views = [_section_view(number, section, first) for number, section in enumerate(sections, start=1)]
    charts = [b.html for view in views for b in view["blocks"] if isinstance(b, EmbeddedChart)]
    context = {
        "title": data.scenario.name,
        "sections": views,
        "css": stylesheet(),
        "footer": _footer(data),
        "print_script": print_script(),
        "script_hashes": script_hashes([*charts, f"<script>{print_script()}</script>"]),
    }
    return environment().get_template(TEMPLATE).render(context)


def script_hashes(fragments: Sequence[str]) -> str:
    """CSP sources allowing exactly the inline scripts plotly wrote, by their SHA-256.

    Computed from our own chart fragments before they meet any user text, so a script that
    somehow got into the page from user input would not match and the browser would refuse
    to run it: defence in depth behind autoescaping.
    """
    bodies = [body for fragment in fragments for body in SCRIPT.findall(fragment)]
    digests = dict.fromkeys(base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest()).decode() for b in bodies)
    return " ".join(f"'sha256-{d}'" for d in digests) or "'none'"


def _section_view(number: int, section: Section, first: list[bool]) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "number": number,
        "blocks": [_block_view(block, first) for block in section.blocks],
    }


def _block_view(block: Block, first: list[bool]) -> Block | EmbeddedChart:
    if not isinstance(block, ChartBlock):
        return block
    chart: Chart = block.chart
    html = Markup(embed(chart, include_plotlyjs=first[0]))
    first[0] = False
    return EmbeddedChart(html, chart.caption)


def _footer(data: ReportData) -> str:
    version = data.meta.get("version", "")
    return f"cssim {version} · seed {data.meta.get('seed', data.scenario.seed)}".strip()


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file in ``path``'s folder, then rename it over ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in DISK_FAILURES:  # a full disk: a failure, not the input's fault
            raise WriteFailed(path.parent, exc) from exc
        raise InputError(f"report: cannot create output folder {str(path.parent)!r}: {exc.strerror}") from None
    write_atomically(path, text.encode("utf-8"))
    return path
