"""The report of a real tiny run, opened in headless Chromium: charts draw, nothing leaks, nothing runs.

Uses Debian's ``chromium`` on PATH through Playwright (never ``playwright install``). Locally
the browser tests skip when Chromium is missing; in CI, ``.ci/run`` sets
``CSSIM_REQUIRE_BROWSER=1`` and they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_pages import chart_ids
from report_synthetic import synthetic_results
from typer.testing import CliRunner

from simulator.cli import app
from simulator.report import render_report

NAME = "<script>alert(1)</script>"
VARIANT = "more pool </script><b>x</b>"
TINY = f"""
name: "{NAME}"
description: A tiny run for the browser test & its escaping.
horizon_months: 8
warmup_months: 2
replications: 2
seed: 11
segments:
  enterprise: {{team: strategic, initial_customers: 12, new_per_month: 1, needs_per_month: 0.6}}
  smb: {{team: pool, initial_customers: 30, new_per_month: 2}}
teams:
  strategic: {{coverage: named, csms: 2, max_accounts: 20}}
  pool: {{coverage: pooled, csms: 1}}
compensation: {{plan: engagement_average}}
targets: ["grr >= 0.85"]
variants:
  - {{name: "{VARIANT}", set: {{teams.pool.csms: 2}}}}
"""
EXPECTED_CHARTS = [
    "chart-retention", "chart-arr_usd", "chart-active_customers", "chart-health-mix", "chart-engagement-value",
    "chart-utilisation", "chart-backlog", "chart-time-to-guidance", "chart-need-fates", "chart-deferred",
    "chart-book-size", "chart-payouts", "chart-at-target", "chart-payout-outcome", "chart-hours", "chart-features",
]  # fmt: skip
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
REQUIRED = os.environ.get("CSSIM_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``cssim run`` on the tiny scenario: the real pipeline, engine to page."""
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
    outcome = CliRunner().invoke(
        app, ["run", str(folder / "tiny.yaml"), "--out", str(folder / "out"), "--workers", "1", "-q"]
    )
    assert outcome.exit_code == 0, outcome.output
    return folder / "out"


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"CSSIM_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("chromium is not on PATH (CI installs Debian's chromium; see .ci/run)")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        except Error as exc:
            unavailable(f"chromium at {executable} did not start: {exc}")
        yield instance
        instance.close()


class Visit:
    """One page load with everything it logged: console errors, requests, dialogs."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function("document.querySelectorAll('svg.main-svg').length > 0")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="module")
def visit(browser: Any, run_dir: Path) -> Iterator[Visit]:
    seen = Visit(browser, run_dir / "index.html")
    for chart in EXPECTED_CHARTS[:4]:  # hover charts: tooltips are where injected markup would fire
        seen.page.locator(f"#{chart}").hover()  # scrolls it into view, then hovers its centre
    yield seen
    seen.page.close()


def test_rerendering_the_saved_folder_gives_the_same_page(run_dir: Path, tmp_path: Path) -> None:
    outcome = CliRunner().invoke(app, ["report", str(run_dir), "--out", str(tmp_path / "again.html")])
    assert outcome.exit_code == 0, outcome.output
    first, again = (run_dir / "index.html").read_bytes(), (tmp_path / "again.html").read_bytes()
    assert first == again
    assert chart_ids(first.decode("utf-8")) == EXPECTED_CHARTS  # a real run fills every chart


@pytest.mark.browser
def test_no_console_errors(visit: Visit) -> None:
    assert visit.errors == []


@pytest.mark.browser
def test_every_chart_is_drawn(visit: Visit) -> None:
    drawn = visit.page.eval_on_selector_all(
        ".plotly-graph-div", "divs => divs.map(d => [d.id, d.querySelectorAll('svg.main-svg').length])"
    )
    assert [chart for chart, svgs in drawn if svgs > 0] == EXPECTED_CHARTS


@pytest.mark.browser
def test_no_request_leaves_the_page(visit: Visit) -> None:
    assert visit.requests, "the page load itself should be seen"
    assert [url for url in visit.requests if not url.startswith("file:")] == []


@pytest.mark.browser
def test_a_script_in_the_scenario_name_shows_as_text_and_never_runs(visit: Visit) -> None:
    assert visit.dialogs == []
    assert visit.page.inner_text("h1") == NAME
    assert visit.page.title() == f"{NAME} · cssim report"
    legend = visit.page.locator("#chart-retention .legendtext").all_text_contents()
    assert legend == ["base", VARIANT]  # plotly shows the escaped name literally, tags and all
    assert visit.page.locator("b:text('x')").count() == 0  # the variant's <b> never became an element


@pytest.mark.browser
def test_print_hides_navigation(visit: Visit) -> None:
    visit.page.emulate_media(media="print")
    try:
        assert visit.page.eval_on_selector("nav.toc", "n => getComputedStyle(n).display") == "none"
    finally:
        visit.page.emulate_media(media="screen")


@pytest.mark.browser
def test_printing_redraws_every_chart_to_fit_the_page_and_back(visit: Visit) -> None:
    """Charts are drawn at the screen's 1,280 px; a page is ~700 px wide, and a wider SVG is cut off."""
    widths = "[...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)"
    screen = visit.page.evaluate(widths)
    assert max(screen) > 680
    visit.page.evaluate(f"window.addEventListener('beforeprint', () => {{ window.printed = {widths}; }})")
    visit.page.pdf()  # fires beforeprint and afterprint, as a browser's print does
    printed = visit.page.evaluate("window.printed")
    assert len(printed) == len(screen) and max(printed) <= 680
    assert visit.page.evaluate(widths) == screen


@pytest.mark.browser
def test_on_a_narrow_screen_tables_scroll_under_their_row_names(browser: Any, run_dir: Path) -> None:
    """A table wider than a phone scrolls sideways; the metric or option it is about stays in view."""
    narrow = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        narrow.goto((run_dir / "index.html").as_uri(), wait_until="load")
        moved = narrow.evaluate(
            """[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth
                   && w.querySelector('tbody th[scope=row]')).map(w => {
                 w.scrollLeft = 80;
                 return w.querySelector('tbody th[scope=row]').getBoundingClientRect().left
                        - w.getBoundingClientRect().left; })"""
        )
    finally:
        narrow.close()
    assert moved, "no table overflows at 360 px: the test checks nothing"
    assert set(moved) == {0}


SPLIT_VALUES = """() => {
  const split = [];
  const top = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                             const box = r.getClientRects()[0]; return box ? box.top : null; };
  for (const cell of document.querySelectorAll('td, th, p, li')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, text = node.data;
      for (let i = 0; i < text.length; i++) {
        let before = i, after = i + 1;
        if ('−+±'.includes(text[i])) { while (text[after] === '\\u2060') after++; }
        else if (text[i] === ' ' || text[i] === '\\u00a0') {
          if (!/[0-9%]/.test(text[i - 1] || '') || !/^(pp|d)\\b/.test(text.slice(i + 1))) continue;
          before = i - 1;
        } else continue;
        if (after >= text.length || !/[0-9$]/.test(text[after]) && text[i] !== ' ' && text[i] !== '\\u00a0') continue;
        const a = top(node, before), b = top(node, after);
        if (a !== null && b !== null && Math.abs(a - b) > 2) split.push(text.trim());
      }
    }
  }
  return split;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 800, 360])
def test_no_line_breaks_between_a_sign_or_unit_and_its_number(browser: Any, run_dir: Path, width: int) -> None:
    """'(−$636k to −' over '$579k)' reads as a positive number: a value with its sign and unit stays whole."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((run_dir / "index.html").as_uri(), wait_until="load")
        split = page.evaluate(SPLIT_VALUES)
    finally:
        page.close()
    assert split == []


@pytest.fixture(scope="module")
def wide_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page with ten options (base, two variants, a sweep of seven headcounts): comp_plans.yaml has nine."""
    results = synthetic_results(sweep=[2, 3, 4, 5, 6, 7, 8])
    assert len(results.variants) == 10
    return render_report(results=results, out_dir=tmp_path_factory.mktemp("wide"))


FIRST_COLUMN = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(w => w.scrollWidth > w.clientWidth).map(w => {
  w.scrollLeft = w.scrollWidth;  // as far right as it goes
  const edge = w.getBoundingClientRect().left;
  const firsts = [...w.querySelectorAll('tr')].map(r => r.firstElementChild);
  const shown = firsts.filter(c => {
    window.scrollTo(0, c.getBoundingClientRect().top + window.scrollY - 100);  // the page only: not the table
    const box = c.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + 4, box.top + Math.min(box.height / 2, 10));
    return Math.abs(box.left - edge) < 1 && top !== null && c.contains(top);
  });
  return [w.querySelector('table').id, firsts.length, shown.length, w.scrollLeft];
})"""


@pytest.mark.browser
def test_at_800px_a_wide_table_scrolls_in_its_own_box_with_its_first_column_in_view(
    browser: Any, wide_page: Path
) -> None:
    """Ten options are wider than 800 px: the table scrolls sideways, never the page, and the row
    names and their header stay at its left edge, on top of the cells passing under them."""
    page = browser.new_page(viewport={"width": 800, "height": 900})
    try:
        page.goto(wide_page.as_uri(), wait_until="load")
        body = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        tables = page.evaluate(FIRST_COLUMN)
    finally:
        page.close()
    assert body[0] <= body[1], f"the page scrolls sideways: {body[0]} px of content in {body[1]}"
    assert "comparison" in [t[0] for t in tables], f"the ten-option table does not scroll: {tables}"
    for table, rows, shown, moved in tables:
        assert moved > 0, table
        assert shown == rows, f"{table}: the first column of {rows - shown} of {rows} rows scrolled away or is covered"


OVERLAPS = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return r.width && r.height ? r : null; };
  const meet = (a, b) => a && b && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
                         && b.top < a.bottom - 1;
  const found = [];
  for (const div of document.querySelectorAll('.js-plotly-plot')) {
    const all = s => [...div.querySelectorAll(s)].map(e => [e, box(e)]).filter(([, b]) => b);
    const plots = all('.nsewdrag'), title = all('.g-gtitle text'), legend = all('g.legend .bg');
    const texts = all('.annotation-text-g'), xtitles = all('.g-xtitle text'), ytitles = all('.g-ytitle text');
    const say = (what, [e]) => found.push(`${div.id}: ${what} ${JSON.stringify(e.textContent.slice(0, 40))}`);
    for (const t of texts) if (plots.some(([, p]) => meet(t[1], p))) say('label over the plot', t);
    for (const l of legend) {
      if (plots.some(([, p]) => meet(l[1], p))) found.push(`${div.id}: legend over the plot`);
      if (xtitles.some(([, x]) => meet(l[1], x))) found.push(`${div.id}: legend over the x-axis title`);
    }
    for (const y of ytitles) if (title.some(([, t]) => meet(y[1], t))) say('y-axis title into the title', y);
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 800])
def test_no_label_or_legend_lies_over_a_charts_data(browser: Any, run_dir: Path, width: int) -> None:
    """Reference-line labels ('85%: little slack left'), 'warm-up' and the well-set band's label sat
    inside the plots, on boxes, bars and lines at 800 px: they are legend entries now, and the
    legend below the plot never covers the plot nor the x-axis title."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((run_dir / "index.html").as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('svg.main-svg').length > 0")
        found = page.evaluate(OVERLAPS)
        legends = page.evaluate("document.querySelectorAll('.js-plotly-plot g.legend').length")
    finally:
        page.close()
    assert legends >= 10, "too few legends drawn: the test checks little"
    assert found == []
