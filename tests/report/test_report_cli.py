"""``cssim report DIR``: re-renders from the saved tables; bad folders exit 2 with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_pages import chart_ids
from typer.testing import CliRunner

from simulator.cli import app
from simulator.results.results import Results


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, results: Results) -> Path:
    folder = tmp_path_factory.mktemp("run")
    results.write(folder)
    return folder


def test_report_rerenders_index_html_from_the_saved_tables(saved: Path) -> None:
    outcome = CliRunner().invoke(app, ["report", str(saved)])
    assert outcome.exit_code == 0, outcome.output
    page = (saved / "index.html").read_text(encoding="utf-8")
    assert len(chart_ids(page)) == 16  # the CSV round trip keeps every table the charts need
    assert f"report -> {saved / 'index.html'}" in outcome.output


def test_out_writes_the_page_elsewhere(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "acme.html"
    outcome = CliRunner().invoke(app, ["report", str(saved), "--out", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("case", ["missing", "incomplete", "out_is_folder"])
def test_bad_input_exits_2_with_a_message_and_no_traceback(case: str, saved: Path, tmp_path: Path) -> None:
    args = {
        "missing": ["report", str(tmp_path / "nowhere")],
        "incomplete": ["report", str(tmp_path)],
        "out_is_folder": ["report", str(saved), "--out", str(tmp_path)],
    }[case]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 2
    message = {
        "missing": "no such folder",
        "incomplete": "not a complete cssim output folder",
        "out_is_folder": "is a folder",
    }
    assert message[case] in outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
