"""``cssim report DIR`` on tables a person edited: each defect exits 2 naming the file, line and
column, without a traceback, and leaves the previous report as it was; ``--out`` never
overwrites a table or any file that is not a cssim report, nor does the default DIR/index.html; an
edited run_meta.json is named field by field, as the tables are."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.results.results import read_table

Edit = Callable[[Path], None]


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, table: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def set_field(table: str, line: int, column: str, text: str) -> Edit:
    """Type ``text`` into ``column`` on ``line`` of ``table``.csv (line 1 is the header)."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = rows(path)
        lines[line - 1][lines[0].index(column)] = text
        write_rows(path, lines)

    return edit


def rename_column(table: str, old: str, new: str) -> Edit:
    return set_field(table, 1, old, new)


def repeat_line(table: str, line: int) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = rows(path)
        write_rows(path, [*lines[:line], lines[line - 1], *lines[line:]])

    return edit


def cut_bytes(table: str, line: int) -> Edit:
    """Cut ``table``.csv inside ``line``, before its last field, as ``head -c`` would."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        data = path.read_bytes()
        start = sum(len(x) for x in data.splitlines(keepends=True)[: line - 1])
        end = data.index(b"\n", start)
        path.write_bytes(data[: data.rindex(b",", start, end)])

    return edit


def cut_last_field(table: str) -> Edit:
    """Cut ``table``.csv inside the last field of its last line: what is left still parses."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        data = path.read_bytes().rstrip(b"\n")
        path.write_bytes(data[:-1])

    return edit


def add_line(table: str, like: int, **fields: str) -> Edit:
    """Append a copy of ``line`` of ``table``.csv with ``fields`` typed in."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = rows(path)
        added = list(lines[like - 1])
        for column, text in fields.items():
            added[lines[0].index(column)] = text
        write_rows(path, [*lines, added])

    return edit


def drop_line(table: str, line: int) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = rows(path)
        write_rows(path, [*lines[: line - 1], *lines[line:]])

    return edit


def keep_lines(table: str, count: int) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:count]))

    return edit


def empty(table: str) -> Edit:
    return lambda folder: (folder / f"{table}.csv").write_bytes(b"")


CASES: dict[str, tuple[Edit, str]] = {
    "empty summary": (empty("summary"), "summary.csv: empty; expected a header line variant,metric,mean"),
    "variant header renamed": (rename_column("summary", "variant", "varient"), "summary.csv: no column 'variant'"),
    "metric header renamed": (rename_column("comparisons", "metric", "metrik"), "comparisons.csv: no column 'metric'"),
    "text for a number": (set_field("summary", 3, "mean", "abc"), "summary.csv:3: mean: not a number (got 'abc')"),
    "nan typed in": (set_field("summary", 3, "ci_low", "nan"), "summary.csv:3: ci_low: not a number (got 'nan')"),
    "inf": (set_field("summary", 7, "mean", "inf"), "summary.csv:7: mean: must be a finite number (got inf)"),
    "count not whole": (set_field("summary", 4, "n", "2.5"), "summary.csv:4: n: must be a whole number (got 2.5)"),
    "repeated row": (repeat_line("summary", 3), "summary.csv:4: a second row for variant 'base', metric"),
    "repeated target": (repeat_line("targets", 2), "targets.csv:3: a second row for variant 'base', target"),
    "text in timeseries": (set_field("timeseries", 5, "arr_usd", "abc"), "timeseries.csv:5: arr_usd: not a number"),
    "text in csms": (set_field("csms", 5, "payout_usd", "abc"), "csms.csv:5: payout_usd: not a number"),
    "text in needs": (set_field("needs", 9, "arise_day", "1,5"), "needs.csv:9: arise_day: not a number (got '1,5')"),
    "unknown status": (set_field("targets", 2, "status", "met?"), "targets.csv:2: status: must be one of 'met'"),
    "unknown variant": (
        set_field("summary", 5, "variant", "bsae"),
        "summary.csv:5: variant: not one of the variants run_meta.json lists",
    ),
    "cut inside a line": (cut_bytes("summary", 30), "summary.csv:30: n: empty; was the line cut short?"),
    "cut at a line break": (keep_lines("summary", 30), "summary.csv: no rows for variant 'more CSMs'"),
    "run metrics cut in a value": (cut_last_field("run_metrics"), "run_metrics.csv:{lines}: the file ends inside"),
    "timeseries cut in a value": (cut_last_field("timeseries"), "timeseries.csv:{lines}: the file ends inside"),
    "needs cut in its last field": (cut_last_field("needs"), "needs.csv:{lines}: the file ends inside this line"),
    "comparisons cut": (keep_lines("comparisons", 10), "comparisons.csv: variant 'more CSMs' lacks"),
    "targets cut": (keep_lines("targets", 3), "targets.csv: no rows for variant 'outcome plan' (2 expected"),
    "churned yes": (
        set_field("customers", 17, "churned", "yes"),
        "customers.csv:17: churned: must be True or False (got 'yes')",
    ),
    "churned maybe": (
        set_field("customers", 5, "churned", "maybe"),
        "customers.csv:5: churned: must be True or False (got 'maybe')",
    ),
    "churned a count": (
        set_field("customers", 6, "churned", "2"),
        "customers.csv:6: churned: must be True or False (got '2')",
    ),
    "churned empty": (set_field("customers", 9, "churned", ""), "customers.csv:9: churned: empty"),
    "negative hours": (set_field("csms", 4, "hours_need", "-12.5"), "csms.csv:4: hours_need: must be >= 0 (got -12.5)"),
    "negative available hours": (
        set_field("csms", 6, "available_hours", "-480"),
        "csms.csv:6: available_hours: must be >= 0 (got -480",
    ),
    "negative payout": (set_field("csms", 7, "payout_usd", "-500"), "csms.csv:7: payout_usd: must be >= 0 (got -500"),
    "book not whole": (
        set_field("csms", 8, "book_accounts", "12.5"),
        "csms.csv:8: book_accounts: must be a whole number (got 12.5)",
    ),
    "negative touches": (set_field("csms", 9, "touches", "-3"), "csms.csv:9: touches: must be >= 0 (got -3)"),
    "empty hours": (set_field("csms", 10, "hours_qbr", ""), "csms.csv:10: hours_qbr: empty"),
    "negative backlog": (
        set_field("timeseries", 6, "backlog", "-4"),
        "timeseries.csv:6: backlog: must be >= 0 (got -4",
    ),
    "negative customers": (
        set_field("timeseries", 7, "active_customers", "-130"),
        "timeseries.csv:7: active_customers: must be >= 0 (got -130",
    ),
    "empty arr": (set_field("timeseries", 8, "arr_usd", ""), "timeseries.csv:8: arr_usd: empty"),
    "engagement over 1": (
        set_field("customers", 11, "final_engagement", "55"),
        "customers.csv:11: final_engagement: must be from 0 to 1 (got 55",
    ),
    "value below 0": (
        set_field("customers", 12, "final_value", "-0.2"),
        "customers.csv:12: final_value: must be from 0 to 1 (got -0.2)",
    ),
    "empty value": (set_field("customers", 13, "final_value", ""), "customers.csv:13: final_value: empty"),
    "unknown fate": (
        set_field("needs", 14, "fate", "JIT"),
        "needs.csv:14: fate: must be one of 'jit', 'late', 'expired', 'open' (got 'JIT')",
    ),
    "empty fate": (set_field("needs", 15, "fate", ""), "needs.csv:15: fate: empty"),
    "empty arise day": (set_field("needs", 16, "arise_day", ""), "needs.csv:16: arise_day: empty"),
    "empty touch day": (set_field("touches", 17, "day", ""), "touches.csv:17: day: empty"),
    "interval above its mean": (
        set_field("summary", 3, "ci_low", "0.95"),
        "summary.csv:3: mean: must be >= ci_low 0.95",
    ),
    "interval below its mean": (
        set_field("summary", 4, "ci_high", "1"),
        "summary.csv:4: ci_high: must be >= mean 1.0",  # NRR, a little over 1 whatever the noise
    ),
    "interval ends swapped": (
        set_field("comparisons", 2, "diff_ci_low", "0.05"),
        "comparisons.csv:2: diff_mean: must be >= diff_ci_low 0.05",
    ),
    "target interval": (set_field("targets", 2, "ci_high", "0.5"), "targets.csv:2: ci_high: must be >= mean 0.90"),
    "guided before it arose": (
        set_field("needs", 19, "start_day", "500"),
        "needs.csv:19: start_day: must be >= arise_day 574.",
    ),
    "period ends before it starts": (
        set_field("csms", 3, "period_end_day", "50"),
        "csms.csv:3: period_end_day: must be >= period_start_day 91.3 (got 50)",
    ),
    "a share in percent": (
        set_field("summary", 3, "mean", "91"),
        "summary.csv:3: mean: grr is from 0 to 1 (a share) (got 91); did you mean 0.91?",
    ),
    "status against its interval": (
        set_field("targets", 4, "status", "not met"),
        "targets.csv:4: status: must be 'met' for grr >= 0.9 with the interval 0.9",
    ),
    "a target the scenario does not set": (
        add_line("targets", 2, target="grr >= 0.5", bar="0.5", status="met"),
        "targets.csv:8: target: not one of the scenario's targets (grr >= 0.9, p90_time_to_guidance_days <= 7) "
        "(got 'grr >= 0.5')",
    ),
    "repeated month": (
        repeat_line("timeseries", 5),
        "timeseries.csv:6: a second row for variant 'base', replication 0, month 3 (the first is line 5)",
    ),
    "repeated CSM period": (
        repeat_line("csms", 3),
        "csms.csv:4: a second row for variant 'base', replication 0, csm 'csm0', period 1 (the first is line 3)",
    ),
    "a month deleted": (
        drop_line("timeseries", 5),
        "timeseries.csv: variant 'base' replication 0 has no row for month 3, which the other runs have",
    ),
    "timeseries cut at a run's end": (
        keep_lines("timeseries", 1 + 25 * 11),
        "timeseries.csv: no rows for variant 'outcome plan' replication 3, which run_metrics.csv has",
    ),
    "a replication that did not run": (
        set_field("needs", 9, "replication", "7"),
        "needs.csv:9: replication: not a replication of these results (run_metrics.csv has 0 to 3) (got 7)",
    ),
    "unknown variant in timeseries": (
        set_field("timeseries", 5, "variant", "bsae"),
        "timeseries.csv:5: variant: not one of the variants run_meta.json lists",
    ),
    "mean erased": (
        set_field("summary", 3, "mean", ""),
        "summary.csv:3: mean: empty, but n is 4 (the runs it is the mean of)",
    ),
    "difference erased": (
        set_field("comparisons", 2, "diff_mean", ""),
        "comparisons.csv:2: diff_mean: empty, but n is 4",
    ),
    "n not the runs": (
        set_field("summary", 3, "n", "40"),
        "summary.csv:3: n: must be 4, the values ",  # then run_metrics.csv's path
    ),
    "unknown team": (
        set_field("csms", 6, "team", "strategc"),
        "csms.csv:6: team: not a team of the scenario or its variants (pool, strategic) (got 'strategc')",
    ),
    "empty team": (set_field("csms", 7, "team", ""), "csms.csv:7: team: empty"),
    "a negative cost": (
        set_field("run_metrics", 19, "value", "-5"),
        "run_metrics.csv:19: value: comp_cost is at least 0 (USD) (got -5)",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_edited_table_exits_2_naming_file_line_and_column(case: str, folder: Path) -> None:
    edit, message = CASES[case]
    before = (folder / "index.html").read_bytes()
    edit(folder)
    table = message.split(".csv", 1)[0]
    message = message.format(lines=len((folder / f"{table}.csv").read_bytes().splitlines()))
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 2, outcome.output
    assert message in outcome.output
    assert str(folder) in outcome.output  # the file is named by its path
    assert "Traceback" not in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert (folder / "index.html").read_bytes() == before


def test_every_problem_is_listed_at_once(folder: Path) -> None:
    set_field("summary", 3, "mean", "abc")(folder)
    set_field("timeseries", 5, "backlog", "-")(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 2
    assert "summary.csv:3: mean" in outcome.output
    assert "timeseries.csv:5: backlog" in outcome.output


def rewrite_column(table: str, column: str, new: Callable[[str], str]) -> Edit:
    """Write every field of ``column`` in ``table``.csv anew: ``new`` of the old text."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = rows(path)
        at = lines[0].index(column)
        write_rows(path, [lines[0], *[[*r[:at], new(r[at]), *r[at + 1 :]] for r in lines[1:]]])

    return edit


@pytest.mark.parametrize(
    "spelling", [{"True": "true", "False": "FALSE"}, {"True": "1", "False": "0"}, {"True": " True", "False": "false "}]
)
def test_churned_reads_the_same_written_in_any_case_or_as_1_and_0(spelling: dict[str, str], folder: Path) -> None:
    """Other spellings of True/False that cannot be misread give the page cssim's own do."""
    before = (folder / "index.html").read_bytes()
    rewrite_column("customers", "churned", lambda old: spelling.get(old, old))(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    assert (folder / "index.html").read_bytes() == before


@pytest.mark.parametrize(("table", "column"), [("summary", "n"), ("csms", "payout_usd"), ("timeseries", "backlog")])
def test_a_number_column_of_true_and_false_is_not_read_as_1_and_0(table: str, column: str, folder: Path) -> None:
    rewrite_column(table, column, lambda old: "True" if old else "")(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 2, outcome.output
    assert f"{table}.csv:2: {column}: not a number (got True)" in outcome.output


def test_float_noise_past_a_bound_is_not_an_error(folder: Path) -> None:
    """cssim's own sums can land a hair past 0 or 1 (a busy share of 1.000000000000002)."""
    set_field("customers", 11, "final_engagement", "1.0000000000000002")(folder)
    set_field("csms", 4, "hours_need", "-1e-12")(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 0, outcome.output


def test_a_csm_id_typed_as_text_in_one_table_is_a_csm_of_its_own_not_a_crash(folder: Path) -> None:
    """cssim numbers its CSMs; one id typed as text made csms.csm text, which pandas refused to
    match with needs.csm's numbers (a traceback). Ids are any names: that CSM just has no needs."""
    for table in ("csms", "needs"):
        rewrite_column(table, "csm", lambda old: old.removeprefix("csm"))(folder)
    set_field("csms", 5, "csm", "x1")(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.exception is None


def test_a_variant_named_like_a_number_is_read_as_its_name_in_every_row() -> None:
    """pandas infers a column's type a chunk of lines at a time: a variant named 2027 was the
    number 2027 in the chunks holding no other variant's rows, and those rows left its charts."""
    lines = ["variant,replication,fate", *['"base",0,jit'] * 200_000, *['"2027",0,late'] * 200_000]
    needs = read_table(("\n".join(lines) + "\n").encode())
    assert (needs["variant"] == "2027").sum() == 200_000


def test_a_missing_run_table_still_renders_and_says_so(folder: Path) -> None:
    (folder / "needs.csv").unlink()
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 0, outcome.output
    assert "No needs table in these results" in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["summary.csv", "notes.html", "page"])
def test_out_never_overwrites_a_table_or_another_file(name: str, folder: Path) -> None:
    target = folder / name
    if name == "notes.html":
        target.write_text("<p>my notes</p>")
    before = target.read_bytes() if target.exists() else None
    outcome = CliRunner().invoke(app, ["report", str(folder), "--out", str(target)])
    assert outcome.exit_code == 2
    assert f"--out {target}: " in outcome.output
    assert (target.read_bytes() if target.exists() else None) == before


def test_out_replaces_a_report_cssim_wrote(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "acme.html"
    for _ in range(2):
        outcome = CliRunner().invoke(app, ["report", str(folder), "--out", str(target)])
        assert outcome.exit_code == 0, outcome.output


def test_report_never_replaces_an_index_html_cssim_did_not_write(folder: Path) -> None:
    """The default page, DIR/index.html, is checked as --out is: somebody's own notes stay."""
    page = folder / "index.html"
    page.write_text("<html>my notes</html>")
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 2, outcome.output
    assert f"error: {page}: exists and is not a cssim report" in outcome.output
    assert page.read_text() == "<html>my notes</html>"
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def set_meta(key: str, value: object) -> Edit:
    """Write ``value`` as run_meta.json's ``key``, as a person editing the file might."""

    def edit(folder: Path) -> None:
        path = folder / "run_meta.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**meta, key: value}), encoding="utf-8")

    return edit


META_CASES: dict[str, tuple[Edit, str]] = {
    "variants null": (set_meta("variants", None), "run_meta.json: variants must be a list of variant names"),
    "variants a number": (set_meta("variants", 3), 'variants must be a list of variant names, e.g. ["base"'),
    "variants a text": (
        set_meta("variants", "base"),
        'variants must be a list of variant names, e.g. ["base", "more CSMs"] (got "base")',
    ),
    "variants not names": (
        set_meta("variants", [1, None]),
        'variants must be a list of variant names, e.g. ["base", "more CSMs"] (got [1, null])',
    ),
    "sweep a text": (set_meta("sweep", "teams.pool.csms"), 'run_meta.json: sweep must be null or {"path"'),
    "sweep without values": (set_meta("sweep", {"path": "teams.pool.csms"}), "sweep must be null or"),
    "sizing a text": (
        set_meta("sizing", "x"),
        'run_meta.json: sizing: must be an object, as cssim size writes it (got "x")',
    ),
    "sizing probes a number": (
        set_meta("sizing", {"probes": 3}),
        "run_meta.json: sizing.probes: must be a list (got 3)",
    ),
    "sizing probe a text": (
        set_meta("sizing", {"probes": ["x"]}),
        "run_meta.json: sizing.probes[0]: must be an object",
    ),
    "sizing targets a number": (set_meta("sizing", {"probes": [{}], "targets": 5}), "sizing.targets: must be a list"),
}


@pytest.mark.parametrize("case", list(META_CASES))
def test_an_edited_run_meta_exits_2_naming_the_field(case: str, folder: Path) -> None:
    edit, message = META_CASES[case]
    before = (folder / "index.html").read_bytes()
    edit(folder)
    outcome = CliRunner().invoke(app, ["report", str(folder)])
    assert outcome.exit_code == 2, outcome.output
    assert f"{folder / 'run_meta.json'}: " in outcome.output
    assert message in outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert (folder / "index.html").read_bytes() == before
