"""The compensation section's calibration hint: a plan whose share at target is clearly outside 55-65% is named."""

from __future__ import annotations

import pandas as pd
from report_synthetic import scenario

from simulator.report.page import Paragraph
from simulator.report.sections.compensation import calibration_hints
from simulator.report.source import ReportData

COLUMNS = ["variant", "metric", "mean", "ci_low", "ci_high", "n"]


def hints(rows: list[tuple[str, str, float, float, float, int]]) -> list[str]:
    scen = scenario()
    variants = ["base", *[v.name for v in scen.variants]]
    data = ReportData(scen, variants, {"summary": pd.DataFrame(rows, columns=COLUMNS)})
    blocks = calibration_hints(data)
    assert all(isinstance(b, Paragraph) and b.css == "note" for b in blocks)
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def test_a_plan_wholly_below_or_above_the_band_gets_a_hint_naming_it() -> None:
    nan = float("nan")
    got = hints(
        [
            ("base", "share_at_target", nan, nan, nan, 0),  # salary only: no target, no hint
            ("more CSMs", "share_at_target", 0.30, 0.25, 0.35, 5),
            ("outcome plan", "share_at_target", 0.80, 0.70, 0.90, 5),
        ]
    )
    assert len(got) == 2
    assert got[0].startswith("more CSMs: 30") and "lower the targets" in got[0]
    assert got[1].startswith("outcome plan: 80") and "raise the targets" in got[1]


def test_a_share_whose_interval_reaches_the_band_is_not_called_off() -> None:
    assert (
        hints([("more CSMs", "share_at_target", 0.50, 0.40, 0.56, 5), ("outcome plan", "grr", 0.9, 0.8, 1.0, 5)]) == []
    )
    assert hints([("outcome plan", "share_at_target", 0.60, 0.55, 0.65, 5)]) == []
