"""Cross-field checks: the rules that span more than one field of a scenario.

Each returns :class:`Problem` records with a location, so the loader can put a file line
next to every one and report them all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simulator.scenario.problems import Loc, Problem, did_you_mean

if TYPE_CHECKING:
    from simulator.scenario.schema import Scenario

NO_CROSS_CHECKS = {"cross_checks": False}
"""Validation context that leaves cross checks to :func:`validate_data`, which locates them."""


def validate_data(data: Any, *, whole: bool = True) -> tuple[Scenario | None, list[Problem]]:
    """Validate plain data as a scenario: every field problem, or every cross-field problem.

    Cross checks need a scenario whose fields each validated, so they run only then.
    Validation is strict about types: data read from YAML is already typed, and lax mode
    would read ``replications: yes`` (a YAML boolean) as 1 or a text ``"3"`` as a number.
    ``whole`` False for one option of an experiment (a variant, a sweep point, a sizing
    probe): the checks that weigh every option together are the whole experiment's.
    """
    from simulator.scenario.messages import problems_from
    from simulator.scenario.schema import Scenario

    try:
        scenario = Scenario.model_validate(data, strict=True, context=NO_CROSS_CHECKS)
    except ValidationError as exc:
        return None, problems_from(exc, data, Scenario)
    problems = list(problems_of(scenario, whole=whole))
    return (None if problems else scenario), problems


def cross_check(scenario: Scenario) -> None:
    """Raise ValueError listing every cross-field problem (used by plain model validation)."""
    problems = list(problems_of(scenario))
    if problems:
        raise ValueError("\n".join(f"{p.path}: {p.message}" for p in problems))


def problems_of(scenario: Scenario, *, whole: bool = True) -> Iterator[Problem]:
    """Every cross-field problem of a scenario whose fields each validated.

    A variant or sweep value is reported only for problems the base scenario does not
    already have, so one defect in the base is one line, not one per variant. With
    ``whole`` (the experiment as written, not one option of it), then the problems that
    only every option together can show.
    """
    own = [
        *_segment_problems(scenario),
        *_compensation_problems(scenario),
        *_size_problems(scenario),
        *_horizon_problems(scenario),
        *_target_problems(scenario),
    ]
    yield from own
    options = list(_variant_problems(scenario, known={(p.loc, p.message) for p in own}))
    yield from options
    if whole and not own and not options:
        yield from _pay_target_problems(scenario)


MIN_MEASURED_MONTHS = 1.0
"""Metrics are annual rates over the months after the warm-up and shares read at month ends:
a measured period of days has no month end in it and extrapolates a year from hours, which
once made every option '100% retained, met' and recommended one of them on noise."""


def _horizon_problems(scenario: Scenario) -> Iterator[Problem]:
    horizon, warmup = scenario.horizon_months, scenario.warmup_months
    if horizon - warmup < MIN_MEASURED_MONTHS:
        message = (
            f"must leave at least {MIN_MEASURED_MONTHS:g} month measured before horizon_months ({horizon:g}), "
            f"so at most {max(horizon - MIN_MEASURED_MONTHS, 0):g}"
        )
        yield Problem(("warmup_months",), message, warmup, also=(("horizon_months",),))


def _segment_problems(scenario: Scenario) -> Iterator[Problem]:
    features = scenario.product.features
    for name, seg in scenario.segments.items():
        if seg.team not in scenario.teams:
            yield Problem(
                ("segments", name, "team"),
                f"unknown team{did_you_mean(seg.team, scenario.teams)} (teams: {', '.join(scenario.teams)})",
                seg.team,
                also=(("teams",),),
            )
            continue
        for feature in seg.desired:
            if feature not in features:
                yield Problem(
                    ("segments", name, "desired", feature),
                    f"unknown feature{did_you_mean(feature, features)} (features: {', '.join(features)})",
                    feature,
                    also=(("product", "features"),),
                )
        team = scenario.teams[seg.team]
        if team.coverage == "digital" and seg.signal_prob == 0 and seg.needs_per_month > 0:
            yield Problem(
                ("segments", name, "signal_prob"),
                f"segment is covered by digital team {seg.team!r}, which finds needs only through "
                "usage signals, but signal_prob is 0; raise it or cover the segment with a human team",
                seg.signal_prob,
                also=(("segments", name, "team"), ("segments", name, "needs_per_month"), ("teams", seg.team)),
            )
        if seg.initial_customers == 0 and seg.new_per_month == 0:
            yield Problem(("segments", name), "has no customers: initial_customers and new_per_month are both 0", 0)


def _target_problems(scenario: Scenario) -> Iterator[Problem]:
    coverage = {name: team.coverage for name, team in scenario.teams.items()}
    for i, target in enumerate(scenario.parsed_targets()):
        problem = target.scope_problem(scenario.segments, coverage)
        if problem is not None:
            about = ("teams",) if target.team is not None else ("segments",)
            yield Problem(("targets", i), problem, scenario.targets[i], also=(about,))


def _pay_target_problems(scenario: Scenario) -> Iterator[Problem]:
    """A target on a pay metric when no option pays variable compensation: it would stay
    undecided in every option, so nothing could ever be recommended."""
    from simulator.scenario.experiment_spec import PAY_METRICS
    from simulator.scenario.presets import pays

    targets = [(i, t.metric) for i, t in enumerate(scenario.parsed_targets()) if t.metric in PAY_METRICS]
    if not targets or any(pays(option) for option in _options(scenario)):
        return
    every = " in the base and every variant" if scenario.variants or scenario.sweep else ""
    for i, metric in targets:
        message = (
            f"no option pays variable compensation (every team with CSMs is salary only{every}), so {metric} "
            "has no value; put a team on a paying plan (compensation.plan, see docs/plans.md) or drop the target"
        )
        yield Problem(("targets", i), message, scenario.targets[i], also=(("compensation",),))


def _options(scenario: Scenario) -> Iterator[Scenario]:
    """The base, then each variant and sweep point that validates (lazily: the first that
    answers the caller's question ends the work)."""
    from simulator.scenario.variants import override_data

    yield scenario
    sets = [dict(v.set) for v in scenario.variants]
    if scenario.sweep is not None:
        sets += [{scenario.sweep.path: x} for x in scenario.sweep.points()]
    for overrides in sets:
        option, _ = validate_data(override_data(scenario, overrides), whole=False)
        if option is not None:
            yield option


def _compensation_problems(scenario: Scenario) -> Iterator[Problem]:
    from simulator.scenario.presets import known_plans, param_problems

    places: list[tuple[Loc, Any]] = [(("compensation",), scenario.compensation)]
    for name, team in scenario.teams.items():
        own = getattr(team, "compensation", None)
        if own is not None:
            places.append((("teams", name, "compensation"), own))
    features = scenario.product.features
    for loc, comp in places:
        if comp.plan not in known_plans():
            yield Problem(
                (*loc, "plan"),
                f"unknown plan{did_you_mean(comp.plan, known_plans())} (plans: {', '.join(known_plans())})",
                comp.plan,
            )
        else:
            for key, message, value in param_problems(comp, scenario.product):
                yield Problem((*loc, "params", *key), message, value)
        for i, component in enumerate(comp.components or []):
            for where, measure in (((), component), (("gate",), component.gate)):
                for feature in (measure.features if measure is not None else None) or []:
                    if feature not in features:
                        where_features = (*loc, "components", i, *where, "features")
                        also = (("product", "features"),)
                        yield Problem(where_features, f"unknown feature {feature!r}", feature, also=also)


def _size_problems(scenario: Scenario) -> Iterator[Problem]:
    from simulator.scenario.schema import MAX_CUSTOMERS

    total = sum(s.initial_customers + s.new_per_month * scenario.horizon_months for s in scenario.segments.values())
    if total > MAX_CUSTOMERS:
        yield Problem(
            ("segments",),
            f"about {total:,.0f} customers over the horizon; at most {MAX_CUSTOMERS:,} can be simulated",
            total,
            also=(("horizon_months",),),
        )


def _variant_problems(scenario: Scenario, known: set[tuple[Loc, str]]) -> Iterator[Problem]:
    from simulator.scenario.variants import override_problems, sweep_problems

    seen: set[str] = set()
    for i, variant in enumerate(scenario.variants):
        if variant.name == "base":
            yield Problem(("variants", i, "name"), "'base' names the scenario itself; choose another name", "base")
        elif variant.name in seen:
            yield Problem(("variants", i, "name"), "duplicate variant name", variant.name)
        seen.add(variant.name)
        yield from override_problems(scenario, variant.set, ("variants", i), known)
    if scenario.sweep is not None:
        yield from sweep_problems(scenario, scenario.sweep, known, [v.name for v in scenario.variants])


def base_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, every default filled in, without its variants and sweep:
    the ``complete`` data that decides which paths an override may name."""
    return scenario.model_dump(mode="json", by_alias=True, exclude={"variants", "sweep"})


__all__ = [
    "NO_CROSS_CHECKS", "Loc", "Problem", "base_data", "cross_check", "did_you_mean", "problems_of", "validate_data",
]  # fmt: skip
