"""Every user-supplied string reaches the page as text: in HTML, in the title, and inside chart JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pytest
from report_pages import chart_ids, figure, has, without_bundle
from report_synthetic import Names, synthetic_results

from simulator.report import render_report
from simulator.report.charts import plot_text
from simulator.report.render import print_script

HOSTILE = Names(
    scenario="<script>alert(1)</script>",
    description='<img src=x onerror="alert(2)"> & friends',
    variants=("</script><script>alert(3)</script>", "<b onmouseover=alert(4)>bold</b>"),
    segments=("<seg>", "small & medium"),
    teams=("<i>strategic</i>", "pool</script>"),
    features=("<svg onload=alert(5)>", "B", "C", "D"),
)
RAW = [
    HOSTILE.scenario, HOSTILE.description, *HOSTILE.variants, "<seg>", *HOSTILE.teams, HOSTILE.features[0],
    "<img", "<b ", "<svg", "<i>",
]  # fmt: skip


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    results = synthetic_results(names=HOSTILE)
    return render_report(results=results, out_dir=tmp_path_factory.mktemp("hostile")).read_text(encoding="utf-8")


def test_no_user_string_appears_unescaped_anywhere(page: str) -> None:
    ours = without_bundle(page)
    leaked = [raw for raw in RAW if has(ours, raw)]
    assert leaked == []


def test_scripts_are_only_ours_plotly_config_bundle_and_one_per_chart(page: str) -> None:
    ours = without_bundle(page)
    bodies = re.findall(r"<script[^>]*>(.*?)</script>", ours, re.S)
    assert len(re.findall(r"<script\b", ours)) == len(bodies)  # every script that opens also closes where expected
    drawing = [b for b in bodies if "Plotly.newPlot(" in b]
    assert len(drawing) == len(chart_ids(page)) == 16
    others = [b.strip() for b in bodies if b not in drawing]
    assert others == ["window.PlotlyConfig = {MathJaxConfig: 'local'};", print_script().strip()]


def test_names_show_escaped_in_the_title_headings_and_tables(page: str) -> None:
    expected = [
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; · cssim report</title>",
        '<h1 id="title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>',
        '<th scope="row">&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;</th>',  # the options table
        "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; friends",
        '<th scope="row">&lt;seg&gt;</th>',
        '<th scope="row">Gross revenue retention (GRR), &lt;seg&gt;<span',  # the by-segment table
        '<th scope="row">Gross revenue retention (GRR), small &amp; medium<span',
        '<th scope="row">CSM utilisation, &lt;i&gt;strategic&lt;/i&gt; team<span',  # the by-team table
        '<th scope="row">CSM utilisation, pool&lt;/script&gt; team<span',
    ]
    assert [text for text in expected if not has(page, text)] == []


def test_names_inside_chart_json_cannot_close_the_script_and_show_literally(page: str) -> None:
    data, _ = figure(page, "chart-retention")
    names = [trace["name"] for trace in data]
    # plotly.js reads &lt; &gt; &amp; as entities, so the legend shows the name exactly as typed
    assert names[1] == "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
    data, _ = figure(page, "chart-features")
    assert data[0]["x"][0].startswith("&lt;svg onload=alert(5)&gt;")
    # in the page source the JSON spells < > / as \u escapes, so no name can end the script early
    assert has(page, '"name":"&lt;\\u002fscript&gt;&lt;script&gt;alert(3)&lt;\\u002fscript&gt;"')


@pytest.mark.parametrize(
    ("text", "shown"),
    [("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"), ("R&D", "R&amp;D"), ('say "hi"', 'say "hi"'), (3, "3")],
)
def test_plot_text_escapes_what_plotly_would_read_as_markup(text: object, shown: str) -> None:
    assert plot_text(text) == shown


def test_the_csp_allows_exactly_the_scripts_we_wrote(page: str) -> None:
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    allowed = set(re.findall(r"sha256-([A-Za-z0-9+/=]+)", html.unescape(policy.group(1))))
    bodies = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    digests = {base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest()).decode() for b in bodies}
    assert allowed == digests  # an injected script would have no hash here, so Chromium would not run it
    assert "unsafe-inline" not in policy.group(1).split("script-src")[1].split(";")[0]


def test_the_page_states_a_csp_that_blocks_any_external_request(page: str) -> None:
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", page)
