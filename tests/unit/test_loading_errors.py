"""Loading scenario files: every problem at once, each at its own line and dotted path."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import ScenarioError
from simulator.experiment import expansion
from simulator.scenario.loading import load_scenario, load_scenario_text
from simulator.scenario.schema import Scenario, Sweep, SweepRange

GOOD = """\
name: small
segments:
  ent:
    team: named
    initial_customers: 20
  smb: {team: pool, initial_customers: 100}
teams:
  named: {coverage: named, csms: 2}
  pool: {coverage: pooled, csms: 2}
"""


def problems(text: str, sets: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source="s.yaml", sets=sets)
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def test_a_good_file_loads() -> None:
    scenario = load_scenario_text(GOOD)
    assert isinstance(scenario, Scenario)
    assert scenario.teams["pool"].csms == 2 and scenario.segments["ent"].initial_customers == 20


def test_every_field_problem_at_once_sorted_by_line() -> None:
    text = GOOD.replace("initial_customers: 20", "initial_customers: -1").replace("csms: 2}", "csms: 0}")
    assert problems(text) == [
        "s.yaml:5: segments.ent.initial_customers: must be >= 0 (got -1)",
        "s.yaml:8: teams.named.csms: must be >= 1 (got 0)",
        "s.yaml:9: teams.pool.csms: must be >= 1 (got 0)",
    ]


def test_cross_field_problems_each_on_its_own_line() -> None:
    text = GOOD.replace("team: named", "team: nmaed") + "warmup_months: 40\n"
    assert problems(text) == [
        "s.yaml:4: segments.ent.team: unknown team; did you mean 'named'? (teams: named, pool) (got 'nmaed')",
        "s.yaml:10: warmup_months: must leave at least 1 month measured before horizon_months (36), so at most 35"
        " (got 40.0)",
    ]


def test_misspelt_keys_get_did_you_mean_at_every_level() -> None:
    text = GOOD.replace("initial_customers: 20", "initial_customer: 20") + "horizon_month: 12\n"
    assert problems(text) == [
        "s.yaml:5: segments.ent.initial_customer: unknown key 'initial_customer'; did you mean 'initial_customers'?",
        "s.yaml:10: horizon_month: unknown key 'horizon_month'; did you mean 'horizon_months'?",
    ]


def test_union_tags_never_appear_in_paths() -> None:
    text = GOOD.replace("{coverage: pooled, csms: 2}", "{coverage: pooled, csms: 2, session_hours: {dist: gamma}}")
    (line,) = problems(text)
    assert line.startswith("s.yaml:9: teams.pool.session_hours.mean: is required")
    assert "pooled." not in line and "gamma." not in line


def test_plain_number_for_a_distribution_reports_the_number() -> None:
    (line,) = problems(GOOD.replace("initial_customers: 20", "initial_customers: 20\n    arr: -5"))
    assert line == "s.yaml:6: segments.ent.arr: must be > 0 (got -5)"


def test_a_value_one_of_several_types_says_so() -> None:
    (line,) = problems(GOOD + "compensation: {params: {level: {a: 1}}}\n")
    assert line == "s.yaml:10: compensation.params.level: must be a number, text or a list (got {a: 1})"


def test_variant_problems_point_at_the_override_line() -> None:
    text = GOOD + "variants:\n  - name: v\n    set:\n      teams.pool.csms: 3\n      teams.pol.csms: 3\n"
    assert problems(text) == [
        "s.yaml:14: variants.0.set.teams.pol.csms: teams.pol does not exist; did you mean 'pool'? "
        "(teams has: named, pool)"
    ]


def test_variant_problems_are_not_repeated_from_the_base() -> None:
    text = GOOD.replace("team: named", "team: nmaed") + "variants:\n  - {name: v, set: {teams.pool.csms: 3}}\n"
    assert len(problems(text)) == 1


def test_set_problems_name_the_flag() -> None:
    assert problems(GOOD, ("teams.pool.csms=0", "teams.pool.csmz=3", "nonsense")) == [
        "--set teams.pool.csms=0: teams.pool.csms: must be >= 1 (got 0)",
        "--set teams.pool.csmz=3: teams.pool.csmz: unknown key 'csmz'; did you mean 'csms'?",
        "--set nonsense: expected PATH=VALUE, e.g. --set teams.pool.csms=6",
    ]


def test_a_problem_elsewhere_is_blamed_on_the_override_that_caused_it() -> None:
    assert problems(GOOD + "warmup_months: 6\n", ("horizon_months=4",)) == [
        "--set horizon_months=4: warmup_months: must leave at least 1 month measured before horizon_months (4), "
        "so at most 3 (got 6.0)",
    ]
    text = GOOD + 'targets: ["csm_utilization@pool <= 0.9"]\n'
    text += "variants:\n  - name: web\n    set: {teams.pool: {coverage: digital}}\n"
    assert problems(text) == [
        "s.yaml:13: variants.0.set.teams.pool: targets.0: team 'pool' is digital: it has no CSMs, so no "
        "csm_utilization (teams with CSMs: named) (got 'csm_utilization@pool <= 0.9')",
    ]


def test_set_fills_a_section_the_file_leaves_to_defaults() -> None:
    scenario = load_scenario_text(GOOD, sets=["csm.gaming=0.9", "teams.pool.csms=7"])
    assert scenario.csm.gaming == 0.9 and scenario.teams["pool"].csms == 7


def test_set_refuses_a_misspelt_name_in_a_named_collection_as_a_variant_does() -> None:
    # Once, --set created the entry: a new segment 'smbb' with default demand, exit 0.
    sets = ("segments.smbb.initial_customers=5", "product.features.a.stickiness=1")
    assert problems(GOOD, sets) == [
        "--set segments.smbb.initial_customers=5: segments.smbb does not exist; did you mean 'smb'? "
        "(segments has: ent, smb)",
        "--set product.features.a.stickiness=1: product.features.a does not exist (product.features has: A, B, C, D)",
    ]
    variant = GOOD + "variants: [{name: v, set: {segments.smbb.initial_customers: 5}}]\n"
    assert problems(variant) == [
        "s.yaml:10: variants.0.set.segments.smbb.initial_customers: segments.smbb does not exist; did you mean "
        "'smb'? (segments has: ent, smb)"
    ]


def test_set_reaches_every_field_the_file_leaves_to_its_defaults() -> None:
    sets = ["teams.named.max_accounts=20", "segments.smb.renewal.base_churn=0.2", "product.features.A.stickiness=1",
            "teams.named.compensation.plan=nrr", "teams.pool.renewal_prep_hours.cv=1"]  # fmt: skip
    scenario = load_scenario_text(GOOD, sets=sets)
    assert scenario.teams["named"].max_accounts == 20 and scenario.segments["smb"].renewal.base_churn == 0.2
    assert scenario.product.features["A"].stickiness == 1 and scenario.compensation_for("named").plan == "nrr"
    assert set(scenario.segments) == {"ent", "smb"}
    (line,) = problems(GOOD, ("variants.0.name=x",))
    assert (
        line
        == "--set variants.0.name=x: variants.0: variants is an empty list, with no item 0; set the whole list instead"
    )


def test_a_variant_changing_coverage_meets_only_the_keys_the_file_wrote() -> None:
    # Once, every default of the pooled team (salary, hours_per_week, ...) was an 'unknown key' of the digital one.
    text = GOOD.replace("csms: 2}\n", "csms: 2}\n", 1) + "variants: [{name: v, set: {teams.pool.coverage: digital}}]\n"
    assert problems(text) == ["s.yaml:10: variants.0.set.teams.pool.coverage: teams.pool.csms: unknown key 'csms'"]
    assert problems(GOOD, ("teams.pool.coverage=digital",)) == [
        "--set teams.pool.coverage=digital: teams.pool.csms: unknown key 'csms'"
    ]
    written = GOOD.replace("pool: {coverage: pooled, csms: 2}", "pool: {coverage: pooled}")
    scenario = load_scenario_text(written + "variants: [{name: v, set: {teams.pool.coverage: digital}}]\n")
    assert scenario.variants[0].set == {"teams.pool.coverage": "digital"}


def test_a_set_that_changes_a_kind_is_blamed_for_what_no_longer_fits() -> None:
    # The leftover median sits in the file, but the flag made it wrong: blame the flag, not s.yaml:4.
    text = GOOD.replace("smb: {team: pool, ", "smb: {team: pool, arr: {dist: lognormal, median: 100}, ")
    assert problems(text, ("segments.smb.arr.dist=fixed",)) == [
        "--set segments.smb.arr.dist=fixed: segments.smb.arr.value: is required",
        "--set segments.smb.arr.dist=fixed: segments.smb.arr.median: unknown key 'median'",
    ]
    broken = text.replace("median: 100", "median: -1")  # the file's own problem stays the file's
    assert problems(broken, ("segments.smb.arr.sigma=1",)) == [
        "s.yaml:6: segments.smb.arr.median: must be > 0 (got -1)"
    ]


def test_a_variant_or_sweep_may_not_set_what_belongs_to_the_whole_experiment() -> None:
    # Once, replications and targets in a variant were ignored and its own seed broke common random numbers.
    text = (
        GOOD + "variants:\n  - name: v\n    set: {seed: 3, replications: 5, teams.pool.csms: 3, horizon_months: 12}\n"
    )
    assert problems(text) == [
        f"s.yaml:12: variants.0.set.{key}: {key} belongs to the experiment as a whole ({why}); "
        "set it at the top level of the file"
        for key, why in [
            ("seed", "replication r of every option must see the same customers: common random numbers"),
            ("replications", "every option runs the same replications"),
            ("horizon_months", "every option is measured over the same months, or their figures do not compare"),
        ]
    ]
    for key in ("targets", "variants", "sweep", "name", "description", "warmup_months"):
        (line,) = problems(GOOD + f"sweep: {{path: {key}, values: [1]}}\n")
        assert line.startswith(f"s.yaml:10: sweep.path: {key} belongs to the experiment as a whole ("), line


def test_sweep_points_that_repeat_a_variant_name_are_refused_at_validation() -> None:
    # Once, validate passed and run failed with "variant name ... is used twice", naming no file or line.
    text = GOOD + "variants: [{name: teams.pool.csms=3, set: {teams.pool.csms: 3}}]\n"
    text += "sweep:\n  path: teams.pool.csms\n  values: [1, 1, 3]\n"
    assert problems(text) == [
        "s.yaml:13: sweep.values.1: repeats sweep.values.0 (both make the variant 'teams.pool.csms=1'); "
        "give each value once (got 1)",
        "s.yaml:13: sweep.values.2: makes the variant 'teams.pool.csms=3', the name of variants.0 too; "
        "rename that variant (got 3)",
    ]


def test_sweep_values_that_are_the_same_number_are_repeats() -> None:
    # Once, [1, 1.0, 0.5] ran csm.gaming=1 and csm.gaming=1.0: the same option twice under two names.
    text = GOOD + "sweep: {path: csm.gaming, values: [1, 0.5, 1.0, 0.50, true, 1]}\n"
    assert problems(text) == [
        "s.yaml:10: sweep.values.2: repeats sweep.values.0 (the same number as 1); give each value once (got 1.0)",
        "s.yaml:10: sweep.values.3: repeats sweep.values.1 (both make the variant 'csm.gaming=0.5'); "
        "give each value once (got 0.5)",
        "s.yaml:10: sweep.values.5: repeats sweep.values.0 (both make the variant 'csm.gaming=1'); "
        "give each value once (got 1)",
        "s.yaml:10: sweep.values.4: csm.gaming: must be a number (got true)",  # true is no number, so no repeat
    ]


@pytest.mark.parametrize(
    ("spec", "names"),
    [
        ("{start: 0, stop: 1, step: 0.1}", "0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1"),
        ("{start: 0.7, stop: 1, step: 0.1}", "0.7 0.8 0.9 1"),
        ("{start: 0.05, stop: 0.2, step: 0.05}", "0.05 0.1 0.15 0.2"),
    ],
)
def test_sweep_range_points_are_named_as_written(spec: str, names: str) -> None:
    # Once, 0:1:0.1 made a variant named csm.gaming=0.30000000000000004, and 0.7 one named 0.7999999999999999.
    scenario = load_scenario_text(GOOD + f"sweep: {{path: csm.gaming, range: {spec}}}\n")
    assert [v.name for v in expansion.expand(scenario)[1:]] == [f"csm.gaming={n}" for n in names.split()]
    across_zero = Sweep(path="x", range=SweepRange(start=-0.3, stop=0.3, step=0.1))
    assert across_zero.points() == [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]


def test_a_variant_setting_a_path_inside_another_it_sets_is_refused() -> None:
    # Once, {teams.pool.csms: 6, teams.pool: {..., csms: 7}} ran with 7, and with 6 written the other way round.
    for sets in ("{teams.pool.csms: 6, teams.pool: {coverage: pooled, csms: 7}}",
                 "{teams.pool: {coverage: pooled, csms: 7}, teams.pool.csms: 6}"):  # fmt: skip
        text = GOOD + f"variants:\n  - {{name: a, set: {{csm.gaming: 0.2}}}}\n  - {{name: b, set: {sets}}}\n"
        assert problems(text) == [
            "s.yaml:12: variants.1: teams.pool.csms lies inside teams.pool, which this variant also sets; set it once"
        ]
    sibling = GOOD + "variants: [{name: a, set: {teams.pool.csms: 6, teams.pool.coverage: pooled, teams.poo: 1}}]\n"
    (line,) = problems(sibling)  # teams.poo is not a parent of teams.pool.csms
    assert line.startswith("s.yaml:10: variants.0.set.teams.poo: ") and "lies inside" not in line, line


def test_file_problems_come_first_then_flag_problems() -> None:
    lines = problems(GOOD.replace("csms: 2}", "csms: 0}", 1), ("replications=0",))
    assert lines[0].startswith("s.yaml:8:") and lines[1].startswith("--set replications=0: replications:")


def test_a_date_where_text_belongs_reads_on_one_line() -> None:
    # YAML reads 2024-01-01 as a date, which safe_dump writes as a document ending in '...'
    assert problems("name: 2024-01-01\n") == [
        "s.yaml:1: name: must be text; YAML read it as a date: put it in quotes (got 2024-01-01)"
    ]
    (line,) = problems("name: x\nsegments: {smb: {desired: {A: 2024-01-01}}}\n")
    assert "\n" not in line and line.endswith("(got 2024-01-01)")


def test_base_60_and_octal_numbers_are_refused_at_their_line() -> None:
    # Once, session_hours: 1:30 ran as 90 hours and csms: 010 with 8 CSMs, silently (YAML 1.1).
    text = GOOD.replace("{coverage: pooled, csms: 2}", "{coverage: pooled, csms: 010, session_hours: 1:30}")
    text += "csm: {salary: 1:20:00}\n"
    assert problems(text) == [
        "s.yaml:9: teams.pool.csms: 010 is read by YAML as octal 8; write 10",
        "s.yaml:9: teams.pool.session_hours: 1:30 is read by YAML as 90 (base 60); write 1.5 or put it in quotes",
        "s.yaml:10: csm.salary: 1:20:00 is read by YAML as 4800 (base 60); write 1.33333 or put it in quotes",
    ]


def test_plain_numbers_and_text_with_colons_still_load() -> None:
    text = GOOD.replace("pooled, csms: 2}", "pooled, csms: 10, session_hours: 0.5}") + "seed: 0\ncsm: {gaming: 0}\n"
    text += "description: 'Review at 1:30, then 010'\nsweep: {path: csm.salary, values: [1000.0, 1.0e+3, 95000]}\n"
    with pytest.raises(ScenarioError, match=r"sweep\.values\.1: repeats sweep\.values\.0"):  # 1000.0 twice, not a trap
        load_scenario_text(text)
    scenario = load_scenario_text(text.replace("1.0e+3", "2000") + "variants: [{name: v, set: {csm.gaming: -0}}]\n")
    assert scenario.teams["pool"].csms == 10 and scenario.teams["pool"].session_hours.mean_value == 0.5
    assert scenario.description == "Review at 1:30, then 010" and scenario.seed == 0
    unquoted = load_scenario_text(GOOD.replace("name: small", "name: Plan B at 1:30, 010 seats"))
    assert unquoted.name == "Plan B at 1:30, 010 seats"


def test_a_name_yaml_reads_as_true_false_or_a_number_is_refused_at_its_key() -> None:
    # Once: "s.yaml:2: segments.0: names must be text, got false", on the segments: line.
    text = GOOD.replace("  smb: {team: pool", "  NO: {team: pool") + "product: {features: {on: {}, '2024': {}}}\n"
    assert problems(text + "variants: [{name: off}]\n") == [
        "s.yaml:6: segments.NO: YAML 1.1 reads NO as false, not as a name; put it in quotes ('NO')",
        "s.yaml:10: product.features.on: YAML 1.1 reads on as true, not as a name; put it in quotes ('on')",
    ]
    (line,) = problems(GOOD.replace("  pool:", "  2024:"))
    assert line == "s.yaml:9: teams.2024: YAML reads 2024 as a number, not as a name; put it in quotes ('2024')"
    (line,) = problems(GOOD + "variants: [{name: off}]\n")
    assert line == (
        "s.yaml:10: variants.0.name: must be text; YAML 1.1 reads yes, no, on and off as true or false: "
        "put text in quotes (got false)"
    )
    assert set(load_scenario_text(GOOD.replace("  smb: {team: pool", "  'NO': {team: pool")).segments) == {"ent", "NO"}


def test_a_number_yaml_read_as_text_for_its_leading_zero_says_so() -> None:
    (line,) = problems(GOOD + "seed: 09\n")
    assert line == (
        "s.yaml:10: seed: must be a whole number; YAML read it as text: drop any quotes, "
        "and write it without the leading 0 (got '09')"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "s.yaml:1: (top level): is empty"),
        ("# only a comment\n", "s.yaml:1: (top level): is empty"),
        ("- a\n- b\n", "s.yaml:1: (top level): a scenario must be a mapping of keys such as name"),
        ("42\n", "s.yaml:1: (top level): a scenario must be a mapping of keys such as name, segments and teams, not a"),
        ("name: a\nname: b\n", "s.yaml:2: name: duplicate key 'name' (first on line 1)"),
        ("teams: {p: {coverage: pooled, csms: 1, csms: 2}}\n", "s.yaml:1: teams.p.csms: duplicate key 'csms'"),
        ("name: x\nseed: !!python/name:os.system\n", "s.yaml:2: seed: tags such as"),
        ("name: x\nteams:\n\tpool: {}\n", "s.yaml:3: teams.pool: a tab character in the indentation"),
        ("name: [x\nseed: 1\n", "s.yaml:2: seed: YAML syntax error: did not find expected ',' or ']' "
                                 "(while parsing a flow sequence started on line 1)"),
        ("a: &x [*x]\n", "s.yaml:1: (top level): the document has an alias that refers to itself"),
        ("? [a, b]\n: 1\n", "s.yaml:1: (top level): a key must be a plain name"),
    ],
    ids=["empty", "comment-only", "list", "scalar", "duplicate", "duplicate-flow", "tag", "tab", "syntax", "cycle",
         "complex-key"],
)  # fmt: skip
def test_documents_that_are_not_scenarios(text: str, expected: str) -> None:
    (line,) = problems(text)
    assert line.startswith(expected), line


def test_merge_keys_and_anchors_are_plain_yaml() -> None:
    text = GOOD + "csm: &defaults {salary: 80000}\nnps:\n  <<: {every_months: 3}\n  response_rate: 0.5\n"
    scenario = load_scenario_text(text)
    assert scenario.csm.salary == 80000 and scenario.nps.every_months == 3 and scenario.nps.response_rate == 0.5


def test_byte_order_mark_and_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert load_scenario(path).name == "small"


def test_non_utf8_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(GOOD.encode() + b"description: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == [
        f"{path}:10: (top level): is not UTF-8 text (byte 0xe9 on this line); save the file as UTF-8"
    ]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nope\.yaml: no such file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="is a directory, not a scenario file"):
        load_scenario(tmp_path)


def test_sweep_values_are_checked_one_by_one() -> None:
    text = GOOD + "sweep:\n  path: teams.pool.csms\n  values: [1, 2, 0, two]\n"
    assert problems(text) == [
        "s.yaml:12: sweep.values.2: teams.pool.csms: must be >= 1 (got 0)",
        "s.yaml:12: sweep.values.3: teams.pool.csms: must be a whole number (got 'two')",
    ]


def test_sweep_range_bad_points_and_size() -> None:
    text = GOOD + "sweep: {path: segments.smb.raise_prob, range: {start: 0.5, stop: 1.5, step: 0.25}}\n"
    assert problems(text) == [
        "s.yaml:10: sweep.range: segments.smb.raise_prob: must be <= 1 (got 1.25)",
        "s.yaml:10: sweep.range: segments.smb.raise_prob: must be <= 1 (got 1.5)",
    ]
    (line,) = problems(GOOD + "sweep: {path: seed, range: {start: 0, stop: 1.0e+9}}\n")
    assert line.startswith("s.yaml:10: sweep: sweep has more than 1000 values")
    (line,) = problems(GOOD + "seed: 1e9\n")
    assert line.startswith("s.yaml:10: seed: must be a whole number; YAML read it as text")
    scenario = load_scenario_text(GOOD + "sweep: {path: teams.pool.csms, range: {start: 2, stop: 6, step: 2}}\n")
    assert scenario.sweep is not None and scenario.sweep.points() == [2, 4, 6]


def test_a_target_naming_an_unknown_segment_is_refused_at_its_line() -> None:
    text = GOOD + 'targets: ["grr@ent >= 0.9", "grr@smbb >= 0.85"]\n'
    assert problems(text) == [
        "s.yaml:10: targets.1: unknown segment 'smbb'; did you mean 'smb'? (segments: ent, smb)"
        " (got 'grr@smbb >= 0.85')"
    ]


def test_a_per_segment_target_needs_a_metric_that_has_per_segment_figures() -> None:
    (line,) = problems(GOOD + 'targets: ["nps@smb >= 10"]\n')
    assert "'nps' has no per-segment or per-team figure; metrics per segment: logo_retention, grr, nrr" in line
    assert "per team: csm_utilization, accounts_per_csm, arr_per_csm" in line


def test_a_per_team_target_must_name_a_team_with_csms() -> None:
    text = GOOD.replace("teams:\n", "teams:\n  web: {coverage: digital}\n")
    text += 'targets: ["csm_utilization@pool <= 0.85", "accounts_per_csm@named <= 20", "csm_utilization@pol < 0.9",\n'
    text += '          "csm_utilization@web <= 0.9", "grr@pool >= 0.9", "arr_per_csm@ent <= 2000000"]\n'
    assert problems(text) == [
        "s.yaml:11: targets.2: unknown team 'pol'; did you mean 'pool'? (teams with CSMs: named, pool)"
        " (got 'csm_utilization@pol < 0.9')",
        "s.yaml:12: targets.3: team 'web' is digital: it has no CSMs, so no csm_utilization"
        " (teams with CSMs: named, pool) (got 'csm_utilization@web <= 0.9')",
        "s.yaml:12: targets.4: unknown segment 'pool' (segments: ent, smb) (got 'grr@pool >= 0.9')",
        "s.yaml:12: targets.5: unknown team 'ent' (teams with CSMs: named, pool) (got 'arr_per_csm@ent <= 2000000')",
    ]


def test_a_company_target_the_scenario_can_never_measure_is_refused() -> None:
    # Once, it validated and stayed 'undecided' for ever: these metrics are NaN without CSMs (or named teams).
    text = "name: web only\nsegments: {smb: {team: web, signal_prob: 0.5}}\nteams: {web: {coverage: digital}}\n"
    text += 'targets: ["grr >= 0.9", "csm_utilization <= 0.8", "variable_pay_per_csm <= 30000",\n'
    text += '          "touches_per_account_month >= 1"]\n'
    assert problems(text) == [
        "s.yaml:4: targets.1: every team is digital: no CSMs, so csm_utilization has no value; staff a team or "
        "drop the target (got 'csm_utilization <= 0.8')",
        "s.yaml:4: targets.2: every team is digital: no CSMs, so variable_pay_per_csm has no value; staff a team "
        "or drop the target (got 'variable_pay_per_csm <= 30000')",
        "s.yaml:5: targets.3: no team is named, the only coverage with proactive touches, so "
        "touches_per_account_month has no value (got 'touches_per_account_month >= 1')",
    ]
    staffed = load_scenario_text(GOOD + 'targets: ["csm_utilization <= 0.8", "touches_per_account_month >= 1"]\n')
    assert len(staffed.targets) == 2


def test_a_pay_target_is_refused_when_no_option_pays_variable_compensation() -> None:
    # Once, it validated and stayed 'undecided' in every option, so nothing was ever recommended.
    targets = 'targets: ["share_at_target >= 0.5", "pay_alignment >= 0.2", "variable_pay_per_csm <= 30000"]\n'
    fix = "put a team on a paying plan (compensation.plan, see docs/plans.md) or drop the target"
    assert problems(GOOD + targets) == [
        "s.yaml:10: targets.0: no option pays variable compensation (every team with CSMs is salary only), so "
        f"share_at_target has no value; {fix} (got 'share_at_target >= 0.5')",
        "s.yaml:10: targets.1: no option pays variable compensation (every team with CSMs is salary only), so "
        f"pay_alignment has no value; {fix} (got 'pay_alignment >= 0.2')",
    ]
    salaried = GOOD + targets + "variants: [{name: more, set: {teams.pool.csms: 3}}]\n"
    assert all(" in the base and every variant)" in line for line in problems(salaried))
    plan_variant = GOOD + targets + "variants: [{name: paid, set: {compensation.plan: nrr}}]\n"
    plan_sweep = GOOD + targets + "sweep: {path: compensation.plan, values: [salary_only, activity]}\n"
    team_plan = GOOD.replace("csms: 2}\n", "csms: 2, compensation: {plan: nps}}\n", 1) + targets
    for paid_somewhere in (plan_variant, plan_sweep, team_plan):
        scenario = load_scenario_text(paid_somewhere)
        assert len(expansion.expand(scenario)) == 1 + len(scenario.variants) + (2 if scenario.sweep else 0)


def test_a_curve_point_outside_its_metrics_range_is_refused_at_the_curves_line() -> None:
    text = (
        GOOD
        + "compensation:\n  plan: custom\n  components:\n    - metric: grr\n      curve: {threshold: 85, target: 95}\n"
    )
    assert problems(text) == [
        "s.yaml:14: compensation.components.0.curve: grr runs from 0 to 1 (a share): threshold 85 lies outside it; "
        "did you mean 0.85 (85%)? (got {target: 95, threshold: 85})"
    ]


def test_a_measured_period_under_a_month_is_refused() -> None:
    # Once, 8 months with a 7.99-month warm-up ran: every option '100% retained, met', one recommended on noise.
    assert problems(GOOD + "horizon_months: 8\nwarmup_months: 7.99\n") == [
        "s.yaml:11: warmup_months: must leave at least 1 month measured before horizon_months (8), so at most 7 "
        "(got 7.99)"
    ]
    assert problems(GOOD + "horizon_months: 0.01\nwarmup_months: 0\n")[0] == (
        "s.yaml:10: horizon_months: must be >= 1 (got 0.01)"
    )
    assert load_scenario_text(GOOD + "horizon_months: 8\nwarmup_months: 7\n").warmup_months == 7


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("grr >= 90", "grr runs from 0 to 1 (a share), so a bar of 90 says nothing; did you mean 0.9 (or 90%)?"),
        ("nps >= 200", "nps runs from -100 to 100 (points), so a bar of 200 says nothing"),
        ("logo_retention <= -0.5", "logo_retention runs from 0 to 1 (a share), so a bar of -0.5 says nothing"),
        ("comp_cost <= -5", "comp_cost is at least 0 (USD), so a bar of -5 says nothing"),
        ("csm_utilization@pool <= 85", "csm_utilization runs from 0 to 1 (a share), so a bar of 85 says nothing"),
    ],
)
def test_a_target_bar_the_metric_can_never_take_is_refused_at_its_line(target: str, message: str) -> None:
    # Once, 'grr >= 90' validated and every option stayed 'not met', with no hint that 0.9 was meant.
    (line,) = problems(GOOD + f'targets: ["nrr >= 1.05", "{target}"]\n')
    assert line.startswith(f"s.yaml:10: targets.1: target {target!r}: {message}")
    assert load_scenario_text(
        GOOD + 'targets: ["grr >= 90%", "grr >= 1", "nps >= -100", "touches_per_account_month >= 0"]\n'
    ).targets


def test_every_target_metric_has_a_range() -> None:
    from simulator.scenario.experiment_spec import TARGET_METRICS, TARGET_RANGES

    assert set(TARGET_RANGES) == set(TARGET_METRICS)


def test_arr_of_nothing_is_refused_in_every_form() -> None:
    # Once '{dist: fixed, value: 0}' passed where a plain 0 did not, and GRR and NRR had no value at all.
    for arr in ("0", "{dist: fixed, value: 0}"):
        (line,) = problems(GOOD.replace("smb: {team: pool, ", f"smb: {{team: pool, arr: {arr}, "))
        assert line.startswith("s.yaml:6: segments.smb.arr")


def test_absurd_magnitudes_are_refused_where_sums_would_overflow() -> None:
    # Once, ARR of 1e300 overflowed the totals to +-inf, and health weights of 1e308 summed to inf: every customer Red.
    text = GOOD.replace("smb: {team: pool, ", "smb: {team: pool, arr: {dist: fixed, value: 1.0e+300}, ")
    text += "health: {weights: {engagement: 1.0e+308, value: 1.0e+308}}\n"
    text += "product: {features: {A: {engagement_weight: 1.0e+9}}}\n"
    assert problems(text) == [
        "s.yaml:6: segments.smb.arr.value: must be <= 1e+12 (got 1e+300)",
        "s.yaml:10: health.weights.engagement: must be <= 1000 (got 1e+308)",
        "s.yaml:10: health.weights.value: must be <= 1000 (got 1e+308)",
        "s.yaml:11: product.features.A.engagement_weight: must be <= 1000 (got 1000000000.0)",
    ]
    scenario = load_scenario_text(GOOD, sets=["segments.smb.arr={dist: lognormal, median: 1.0e+12, sigma: 5}"])
    assert scenario.segments["smb"].arr.mean < 1e18
