"""The rendered page: every section and chart, plotly inlined once, offline, deterministic, atomic."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from report_pages import chart_ids, figure, has, without_bundle
from report_synthetic import Names

from simulator.errors import WriteFailed
from simulator.report import render, render_report
from simulator.report.formats import plain
from simulator.report.render import inline_code
from simulator.results.results import Results

SECTIONS = (
    "headline",
    "retention",
    "health",
    "workload",
    "compensation",
    "behaviour",
    "sweep",
    "assumptions",
    "method",
)
CHARTS = (
    "chart-retention", "chart-arr_usd", "chart-active_customers", "chart-health-mix", "chart-engagement-value",
    "chart-utilisation", "chart-backlog", "chart-time-to-guidance", "chart-need-fates", "chart-deferred",
    "chart-book-size", "chart-payouts", "chart-at-target", "chart-payout-outcome", "chart-hours", "chart-features",
)  # fmt: skip


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, results: Results) -> str:
    path = render_report(results=results, out_dir=tmp_path_factory.mktemp("page"))
    assert path.name == "index.html"
    return path.read_text(encoding="utf-8")


def test_every_section_and_chart_is_on_the_page(page: str) -> None:
    assert [key for key in SECTIONS if not has(page, f'<section id="{key}"')] == []
    assert chart_ids(page) == list(CHARTS)


def test_the_method_says_differences_are_not_corrected_for_their_number(page: str) -> None:
    """Dozens of cells are coloured at 95% each: the reader is told some colour by chance."""
    method = page[page.index('<section id="method"') :]
    method = method[: method.index("</section>")]
    assert has(method, "no correction for how many the page shows") and has(method, "1 comparison in 20")


def test_the_behaviour_section_says_who_gets_proactive_touches(page: str) -> None:
    behaviour = page[page.index('<section id="behaviour"') :]
    behaviour = behaviour[: behaviour.index("</section>")]
    assert has(behaviour, '<table id="attention"')
    assert has(behaviour, "Proactive touches, accounts that bought for no scored feature")


def test_the_workload_section_shows_each_teams_own_books(page: str, results: Results) -> None:
    workload = page[page.index('<section id="workload"') :]
    workload = workload[: workload.index("</section>")]
    assert has(workload, '<table id="by-team"')
    data, _ = figure(page, "chart-book-size")
    assert [trace["name"] for trace in data[: len(results.variants)]] == list(results.variants)
    bars = [trace for trace in data if trace["type"] == "bar"]  # the rule of thumb's legend key is not one
    assert {tuple(trace["x"]) for trace in bars} == {("all accounts, all CSMs", "strategic team", "pool team")}
    summary = results.summary.set_index(["variant", "metric"])["mean"]
    first = results.variants[0]
    accounts = bars[len(results.variants)]  # the second panel's first variant
    assert accounts["y"] == pytest.approx(
        [summary[(first, m)] for m in ("accounts_per_csm", "accounts_per_csm@strategic", "accounts_per_csm@pool")]
    )


def row_names(page: str, table_id: str) -> list[str]:
    """The row heads of one table on the page, without their unit line."""
    table = page[page.index(f'<table id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row">([^<]*)', table)


def test_company_wide_book_ratios_say_so_and_each_teams_read_as_its_book(page: str) -> None:
    """The company's accounts per CSM counts digitally covered accounts and pools every CSM
    (183 in the default scenario, where no CSM holds more than ~134): its row says whose
    ratio it is, and the team rows, which are books, keep the plain words."""
    company = [name for name in row_names(page, "comparison") if "per CSM" in name]
    assert company == ["ARR per CSM (all ARR, all CSMs)", "Accounts per CSM (all accounts, all CSMs)"]
    teams = [name for name in row_names(page, "by-team") if "per CSM" in name]
    assert teams == [
        "Accounts per CSM, strategic team", "ARR per CSM, strategic team",
        "Accounts per CSM, pool team", "ARR per CSM, pool team",
    ]  # fmt: skip
    data, layout = figure(page, "chart-book-size")
    bars = [trace for trace in data if trace["type"] == "bar"]
    assert {trace["x"][0] for trace in bars} == {"all accounts, all CSMs"}  # the company's bars
    panels = [a["text"] for a in layout["annotations"][:2]]
    assert panels == ["ARR per CSM", "Accounts per CSM"]  # plain: each bar says whose ratio it is


def test_plotly_js_is_inlined_once_before_the_first_chart(page: str) -> None:
    assert len(re.findall(r"\* plotly\.js v\d", page)) == 1
    assert page.index("* plotly.js v") < page.index("Plotly.newPlot(")


def test_every_chart_hides_the_plotly_logo_and_send_to_cloud(page: str) -> None:
    configs = re.findall(r'\{"displaylogo": false, "showSendToCloud": false[^}]*\}', page)
    assert len(configs) == len(CHARTS)


def test_nothing_on_the_page_asks_for_another_file(page: str) -> None:
    ours = without_bundle(page)  # plotly.js itself only mentions URLs in comments and unused features
    patterns = (r"\ssrc=", r"<link\b", r"@import", r"url\(", r"<iframe", r"https?://")
    assert [p for p in patterns if re.search(p, ours)] == []
    assert has(ours, "default-src 'none'")  # the CSP forbids any fetch even if something tried


def test_the_page_has_a_print_stylesheet(page: str) -> None:
    assert has(page, "@media print")


def test_same_data_gives_the_same_bytes(tmp_path: Path, results: Results) -> None:
    first = render_report(results=results, out_dir=tmp_path / "a").read_bytes()
    second = render_report(results=results, out_dir=tmp_path / "b", filename="other.html").read_bytes()
    assert first == second


def test_a_failed_render_leaves_the_previous_report_intact(
    out_dir: Path, results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = out_dir / "index.html"
    good.write_text("the good old report", encoding="utf-8")

    def broken(*_: object) -> object:
        raise RuntimeError("section exploded")

    monkeypatch.setattr(render, "SECTIONS", (*render.SECTIONS[:3], broken))
    with pytest.raises(RuntimeError, match="section exploded"):
        render_report(results=results, out_dir=out_dir)
    assert good.read_text(encoding="utf-8") == "the good old report"
    assert sorted(p.name for p in out_dir.iterdir()) == ["index.html"]


def test_a_failed_write_leaves_the_previous_report_intact_and_no_temporary_file(
    out_dir: Path, results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = out_dir / "index.html"
    good.write_text("the good old report", encoding="utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(WriteFailed, match=r"could not write .*index\.html: No space left"):
        render_report(results=results, out_dir=out_dir)
    assert good.read_text(encoding="utf-8") == "the good old report"
    assert sorted(p.name for p in out_dir.iterdir()) == ["index.html"]


def test_missing_run_tables_hide_their_charts_and_say_why(out_dir: Path, make_results: Callable[..., Results]) -> None:
    results = make_results()
    for name in ("timeseries", "customers", "csms", "needs", "touches"):
        setattr(results, name, pd.DataFrame())
    page = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    assert chart_ids(page) == ["chart-retention", "chart-book-size"]
    sentences = (
        "ARR and customers over time are not shown",
        "the health mix is not shown",
        "the utilisation distribution is not shown",
        "there is no payout to show",
        "pushed features are not shown",
    )
    assert [s for s in sentences if not has(page, s)] == []


def test_salary_only_hides_the_compensation_charts(out_dir: Path, make_results: Callable[..., Results]) -> None:
    results = make_results()
    results.csms = results.csms.assign(payout_usd=0.0)
    page = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    assert has(page, "No option pays variable compensation")
    assert "chart-payouts" not in chart_ids(page)


def test_a_sweep_adds_metric_curves_with_target_lines(out_dir: Path, make_results: Callable[..., Results]) -> None:
    results = make_results(sweep=[2, 4, 6])
    page = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    assert not has(page, "there is no curve to show")
    data, layout = figure(page, "chart-sweep")
    assert {tuple(trace["x"]) for trace in data if trace.get("mode") == "lines+markers"} == {(2, 4, 6)}
    labels = {plain(a["text"]) for a in layout["annotations"]}  # the panels' titles, a target with its metric
    assert [t for t in ("(target ≥ 90.0%)", "(target ≤ 7.0 d)") if not any(t in label for label in labels)] == []
    assert {"ARR lost to churn and contraction", "CS cost"} <= labels  # the revenue beside the cost


def test_no_sweep_says_how_to_get_one_with_the_scenarios_own_team(page: str) -> None:
    assert has(page, "there is no curve to show")
    assert has(page, "cssim size SCENARIO --vary teams.strategic.csms --values LO:HI")


def test_one_variant_one_replication_and_thin_tables_still_render(
    out_dir: Path, make_results: Callable[..., Results]
) -> None:
    results = make_results(names=Names(variants=()), replications=1)
    results.needs = results.needs.drop(columns=["csm"])
    results.customers = results.customers.drop(columns=["final_value"])
    results.touches = results.touches.assign(feature=None)
    page = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    assert "chart-engagement-value" not in chart_ids(page)
    assert "chart-payout-outcome" not in chart_ids(page)
    notes = ("pay cannot be set against customer outcome", "engagement and value in these results")
    assert [n for n in notes if not has(page, n)] == []
    # one replication has no interval, so every target is undecided and the page says how to settle it
    assert has(page, "Closest to the targets: base") and has(page, "more replications would settle it")


def test_an_answer_resting_on_few_replications_says_so(out_dir: Path, make_results: Callable[..., Results]) -> None:
    results = make_results(replications=3)
    runs, summary = results.run_metrics, results.summary
    results.run_metrics = runs.assign(value=runs["value"].where(runs["metric"] != "nps"))  # no survey answered
    kept = summary["metric"] != "nps"
    results.summary = summary.assign(
        n=summary["n"].where(kept, 0), **{c: summary[c].where(kept) for c in ("mean", "ci_low", "ci_high")}
    )
    few = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    assert has(few, "Each option ran only 3 replications")
    enough = render_report(results=make_results(replications=8), out_dir=out_dir).read_text(encoding="utf-8")
    assert not has(enough, "Each option ran only")


def test_a_sweep_point_that_is_the_base_is_one_option_in_the_answer(
    out_dir: Path, make_results: Callable[..., Results]
) -> None:
    """The base has 4 named CSMs; the sweep passes through 4: the same runs, so the same option."""
    page = render_report(results=make_results(sweep=[2, 4, 6]), out_dir=out_dir).read_text(encoding="utf-8")
    answer = page.split('id="headline"')[1].split("</section>")[0]
    assert has(answer, "4 strategic CSMs is the base itself")  # a headcount point is called by its headcount
    assert "2 strategic CSMs" in answer and "4 strategic CSMs</th>" not in answer
    assert "teams.strategic.csms=" not in answer
    options = page.split('id="assumptions"')[1].split("</section>")[0]
    assert has(options, "2 strategic CSMs") and has(options, "teams.strategic.csms = 2")  # the change, spelt out
    data, layout = figure(page, "chart-sweep")  # the curve keeps the point
    assert {tuple(t["x"]) for t in data if t.get("mode") == "lines+markers"} == {(2, 4, 6)}
    axes = [v["title"]["text"] for k, v in layout.items() if k.startswith("xaxis") and "title" in v]
    assert set(axes) == {"strategic CSMs"} and "against strategic CSMs" in layout["title"]["text"]


def test_the_sweep_panels_axis_titles_fit_beside_their_panels(
    out_dir: Path, make_results: Callable[..., Results]
) -> None:
    """A long unit ("USD per year: salaries, ...") ran over the neighbouring panels: axes say
    "USD/yr", and the caption says the rest."""
    results = make_results(sweep=[2, 4, 6])
    page = render_report(results=results, out_dir=out_dir).read_text(encoding="utf-8")
    _, layout = figure(page, "chart-sweep")
    plot_height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    titles: dict[str, str] = {}
    for key, axis in layout.items():
        if key.startswith("yaxis") and axis.get("title", {}).get("text"):
            text = axis["title"]["text"]
            titles[key] = text
            panel = (axis["domain"][1] - axis["domain"][0]) * plot_height
            assert len(text) * 7 <= panel, f"{key} title {text!r} is longer than its {panel:.0f} px panel"
    assert "USD/yr" in titles.values()  # the CS cost panel is there, in short
    assert has(page, "CS cost in USD per year: salaries, variable pay, digital programme.")


def test_no_sweep_shows_its_commands_as_code_not_markdown_backticks(page: str) -> None:
    body = without_bundle(page)
    start = body.index("there is no curve to show")
    paragraph = body[start : body.index("</p>", start)]
    assert "`" not in paragraph
    assert "<code>sweep: {path: teams.strategic.csms, values: [...]}</code>" in paragraph
    assert "<code>cssim size SCENARIO --vary teams.strategic.csms --values LO:HI</code>" in paragraph


def test_inline_code_escapes_what_it_marks_as_code() -> None:
    assert inline_code("run `a <b> & c` or <i>") == "run <code>a &lt;b&gt; &amp; c</code> or &lt;i&gt;"
