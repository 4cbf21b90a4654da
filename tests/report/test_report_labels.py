"""A headcount sweep's points are called by their headcount on the page ("8 CSMs"); every
other name, and the tables' variant names, stay as they are."""

from __future__ import annotations

import numpy as np
from report_synthetic import scenario

from simulator.report.labels import path_label, point_labels


def test_a_headcount_path_counts_csms_naming_the_team_when_there_are_others() -> None:
    two_teams = scenario()  # a named team "strategic" and a pooled team "pool"
    assert path_label("teams.strategic.csms", two_teams) == "strategic CSMs"
    alone = two_teams.model_copy(update={"teams": {"strategic": two_teams.teams["strategic"]}})
    assert path_label("teams.strategic.csms", alone) == "CSMs"


def test_paths_other_than_a_known_teams_headcount_keep_their_names() -> None:
    s = scenario()
    for path in ("teams.strategic.book_cap", "teams.nobody.csms", "segments.smb.needs_per_month", "teams.csms"):
        assert path_label(path, s) is None
    assert point_labels("teams.strategic.book_cap", {"teams.strategic.book_cap=60": 60}, s, ["base"]) == {}


def test_points_are_labelled_by_their_headcount() -> None:
    values = {"teams.strategic.csms=1": np.int64(1), "teams.strategic.csms=8": 8.0}
    labels = point_labels("teams.strategic.csms", values, scenario(), ["base", *values])
    assert labels == {"teams.strategic.csms=1": "1 strategic CSM", "teams.strategic.csms=8": "8 strategic CSMs"}


def test_no_label_when_one_would_be_ambiguous_or_is_not_a_headcount() -> None:
    s = scenario()
    values = {"teams.strategic.csms=8": 8}
    clash = ["base", "8 strategic CSMs", *values]  # a named variant already has the label
    assert point_labels("teams.strategic.csms", values, s, clash) == {}
    assert point_labels("teams.strategic.csms", {"teams.strategic.csms=2.5": 2.5}, s, ["base"]) == {}
    assert point_labels("teams.strategic.csms", {"teams.strategic.csms=true": True}, s, ["base"]) == {}
