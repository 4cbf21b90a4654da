"""Named books over their cap, and accounts left without a CSM, per option.

Named teams have ``max_accounts``; with ``overflow: reassign`` a new customer goes on the
smallest book when every book is full, over the cap, and with ``overflow: uncovered`` it
waits without a CSM. The summary's ``accounts_per_csm@TEAM`` is an average over the run
and counts accounts waiting for a book too, so neither shows how far and how often books
went over. Books come from the per-CSM table (``csms.csv``: the book of each CSM at the end
of each pay period; the monthly time series has no per-team books), accounts without a CSM
from the time series' ``uncovered`` (month ends, summed over the named teams).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from simulator.report.bands import NON_NEGATIVE, band
from simulator.report.formats import format_interval, format_value
from simulator.report.page import Cell, Paragraph, Table, note
from simulator.report.source import ReportData
from simulator.scenario.schema import DAYS_PER_MONTH

_EPS = 1e-6


@dataclass(frozen=True)
class Books:
    """A named team's books in one option, at its pay-period ends in the measured period."""

    variant: str
    team: str
    cap: int
    overflow: str
    ends: int
    """Measured period ends per run."""
    period_months: int
    over_share: float
    """Share of those ends with some book over the cap, mean over replications."""
    book: tuple[float, float, float]
    """Average book (accounts over CSMs holding one) at the end of the run: mean, 95% interval."""
    largest: float
    """Largest book at the end of the run, mean over replications."""
    peak: float
    """Largest book at any measured period end, mean over replications."""

    @property
    def over(self) -> bool:
        return self.over_share > 0

    @property
    def ends_word(self) -> str:
        word = {1: "month end", 3: "quarter end", 6: "half-year end", 12: "year end"}.get(self.period_months)
        return word or f"{self.period_months}-month period end"


def named_teams(data: ReportData, variant: str) -> list[tuple[str, int, str]]:
    """``(team, max_accounts, overflow)`` of each named team as ``variant`` runs it."""
    teams = data.resolved(variant, "teams", {}) or {}
    return [
        (name, int(spec.get("max_accounts", 50)), str(spec.get("overflow", "reassign")))
        for name, spec in teams.items()
        if isinstance(spec, dict) and spec.get("coverage") == "named"
    ]


def book_caps(data: ReportData) -> list[Books]:
    """:class:`Books` per option and named team with CSM rows in the measured period.

    A period end's books are those of the CSMs holding accounts then: a CSM who left
    during the period has handed theirs on and counts in none.
    """
    needed = ("variant", "replication", "team", "period", "period_start_day", "period_end_day", "book_accounts")
    csms = data.table("csms", *needed)
    if csms is None:
        return []
    held = csms[(csms["period_end_day"] > data.scenario.warmup_days + _EPS) & (csms["book_accounts"] > 0)]
    out = []
    for variant in data.variants:
        for team, cap, overflow in named_teams(data, variant):
            rows = held[(held["variant"] == variant) & (held["team"] == team)]
            if not rows.empty:
                out.append(_books(rows, variant, team, cap, overflow))
    return out


def _books(rows: pd.DataFrame, variant: str, team: str, cap: int, overflow: str) -> Books:
    ends = rows.groupby(["replication", "period"], as_index=False).agg(
        day=("period_end_day", "max"), largest=("book_accounts", "max"), book=("book_accounts", "mean")
    )
    ends["over"] = ends["largest"] > cap
    runs = ends.groupby("replication").agg(over=("over", "mean"), peak=("largest", "max"), ends=("period", "size"))
    last = ends.sort_values("day", kind="stable").groupby("replication").tail(1).assign(variant=variant)
    book = band(last, ["variant"], "book", within=NON_NEGATIVE).iloc[0]
    length = float((rows["period_end_day"] - rows["period_start_day"]).median())
    return Books(
        variant,
        team,
        cap,
        overflow,
        int(runs["ends"].max()),
        max(1, round(length / DAYS_PER_MONTH)),
        float(runs["over"].mean()),
        (float(book["mean"]), float(book["low"]), float(book["high"])),
        float(last["largest"].mean()),
        float(runs["peak"].mean()),
    )


@dataclass(frozen=True)
class Uncovered:
    """Accounts of named teams without a CSM at the measured month ends of one option."""

    variant: str
    end: tuple[float, float, float]
    """At the end of the run: mean and 95% interval over replications."""
    peak: float
    """At the worst month end, mean over replications."""
    share: float
    """Share of measured month ends with any, mean over replications."""


def uncovered(data: ReportData) -> dict[str, Uncovered]:
    """:class:`Uncovered` per option that had any account without a CSM (``timeseries.uncovered``)."""
    series = data.measured("timeseries", "day", "variant", "replication", "month", "uncovered")
    if series is None or not (series["uncovered"] > 0).any():
        return {}
    out = {}
    for variant, rows in series.groupby("variant", sort=False):
        if not (rows["uncovered"] > 0).any():
            continue
        runs = rows.groupby("replication").agg(
            peak=("uncovered", "max"), share=("uncovered", lambda s: float((s > 0).mean()))
        )
        last = rows.sort_values("month", kind="stable").groupby("replication").tail(1)
        end = band(last, ["variant"], "uncovered", within=NON_NEGATIVE).iloc[0]
        out[str(variant)] = Uncovered(
            str(variant),
            (float(end["mean"]), float(end["low"]), float(end["high"])),
            float(runs["peak"].mean()),
            float(runs["share"].mean()),
        )
    return out


def caps_block(data: ReportData) -> Table | Paragraph | None:
    """The book-caps table when some option's named books went over their cap or left
    accounts without a CSM; a one-line note when none did; None without named books."""
    books, waiting = book_caps(data), uncovered(data)
    if not books and not waiting:
        return None
    if not any(b.over for b in books) and not waiting:
        caps = "; ".join(sorted({f"{b.team} team: {b.cap} accounts" for b in books}))
        return note(f"No named book went over its cap at any measured pay-period end, in any option or run ({caps}).")
    rows = [row for team in dict.fromkeys(b.team for b in books) for row in _team_rows(data, team, books)]
    rows += _uncovered_rows(data, waiting)
    caption = (
        "Named books at the end of each pay period of the measured period (csms.csv: the book of each CSM holding "
        "accounts then), per option. With overflow: reassign a new customer goes on the smallest book when every "
        "book is full, over the cap; with overflow: uncovered it waits without a CSM (counted at month ends, "
        "timeseries.csv). Means over replications; under the counts at the end of the run, their 95% interval."
    )
    return Table("book-caps", caption, ["Team and figure", *data.variants], rows)


def _team_rows(data: ReportData, team: str, books: list[Books]) -> list[list[Cell]]:
    mine = {b.variant: b for b in books if b.team == team}
    if not any(b.over for b in mine.values()):
        return []
    first = next(iter(mine.values()))
    about = f"cap {first.cap} accounts (overflow: {first.overflow})"

    def cells(text: Callable[[Books], tuple[str, str]]) -> list[Cell]:
        out = []
        for variant in data.variants:
            b = mine.get(variant)
            main, detail = text(b) if b is not None else ("–", "")
            css = "bad" if b is not None and b.over and main != "–" else "num"
            out.append(Cell(main, detail=detail, css=css))
        return out

    def capped(b: Books, detail: str) -> str:
        return detail + (f"; cap {b.cap}" if b.cap != first.cap else "")

    return [
        [
            Cell(f"{team} team: pay-period ends with a book over the cap", detail=about, css="rowhead"),
            *cells(lambda b: (format_value("share", b.over_share), capped(b, f"of {b.ends} {b.ends_word}s"))),
        ],
        [
            Cell(f"{team} team: average book at the end of the run", detail="accounts per CSM", css="rowhead"),
            *cells(lambda b: (format_value("count", b.book[0]), format_interval("count", b.book[1], b.book[2]))),
        ],
        [
            Cell(f"{team} team: largest book, end of run and peak", detail="accounts", css="rowhead"),
            *cells(lambda b: (f"{b.largest:.1f}", capped(b, f"peak {b.peak:.1f}"))),
        ],
    ]


def _uncovered_rows(data: ReportData, waiting: dict[str, Uncovered]) -> list[list[Cell]]:
    if not waiting:
        return []
    whose = named_whose(data)

    def cell(variant: str, main: Callable[[Uncovered], str], detail: Callable[[Uncovered], str]) -> Cell:
        u = waiting.get(variant)
        return Cell(main(u), detail=detail(u), css="bad") if u is not None else Cell("0", css="num")

    return [
        [
            Cell(f"Accounts without a CSM at the end of the run ({whose})", detail="accounts", css="rowhead"),
            *[
                cell(v, lambda u: format_value("count", u.end[0]), lambda u: format_interval("count", *u.end[1:]))
                for v in data.variants
            ],
        ],
        [
            Cell(f"Accounts without a CSM at the worst month end ({whose})", detail="accounts", css="rowhead"),
            *[cell(v, lambda u: format_value("count", u.peak), lambda u: "") for v in data.variants],
        ],
        [
            Cell("Month ends with any account without a CSM", detail="% of measured months", css="rowhead"),
            *[cell(v, lambda u: format_value("share", u.share), lambda u: "") for v in data.variants],
        ],
    ]


def named_whose(data: ReportData) -> str:
    """Whose accounts ``timeseries.uncovered`` counts: the named team's, or every named team's."""
    names = list(dict.fromkeys(name for v in data.variants for name, _, _ in named_teams(data, v)))
    return f"{names[0]} team" if len(names) == 1 else "named teams"


# --------------------------------------------------------------------------- the answer


def over_cap(data: ReportData, variant: str) -> list[str]:
    """A sentence per named team whose books went over their cap in ``variant``, and one
    when accounts waited without a CSM: the answer's caveats for the recommended option."""
    out = []
    for b in book_caps(data):
        if b.variant != variant or not b.over:
            continue
        out.append(
            f"{variant} puts more accounts on the {b.team} team's CSMs than their {b.cap}-account cap "
            f"(overflow: {b.overflow}): {format_value('count', b.book[0])} accounts per CSM on average at the end of "
            f"the run, the largest book {b.largest:.1f} ({b.peak:.1f} at peak), over the cap at "
            f"{format_value('share', b.over_share)} of the {b.ends} {b.ends_word}s measured."
        )
    waiting = uncovered(data).get(variant)
    if waiting is not None:
        out.append(
            f"{variant} leaves accounts of the {named_whose(data)} without a CSM: "
            f"{format_value('count', waiting.end[0])} at the end of the run "
            f"({format_value('count', waiting.peak)} at the worst month end), with some waiting at "
            f"{format_value('share', waiting.share)} of the measured month ends; nobody serves their needs or "
            "checks in on them meanwhile."
        )
    return out
