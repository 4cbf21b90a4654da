"""Cross-field checks: the rules that span more than one field of a scenario.

Each returns :class:`Problem` records with a location, so the loader can put a file line
next to every one and report them all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simulator.errors import InputError

if TYPE_CHECKING:
    from simulator.scenario.schema import Scenario

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One defect: where (a path of keys), what is wrong, and the offending value."""

    loc: Loc
    message: str
    value: Any = None

    @property
    def path(self) -> str:
        return ".".join(str(p) for p in self.loc) or "(top level)"


def did_you_mean(word: str, options: Any) -> str:
    close = get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def cross_check(scenario: Scenario) -> None:
    """Raise ValueError listing every cross-field problem (used by plain model validation)."""
    problems = list(problems_of(scenario))
    if problems:
        raise ValueError("\n".join(f"{p.path}: {p.message}" for p in problems))


def problems_of(scenario: Scenario) -> Iterator[Problem]:
    """Every cross-field problem of a scenario whose fields each validated."""
    from simulator.scenario.schema import Target

    yield from _segment_problems(scenario)
    yield from _compensation_problems(scenario)
    yield from _size_problems(scenario)
    for i, text in enumerate(scenario.targets):
        try:
            Target.parse(text)
        except ValueError as exc:
            yield Problem(("targets", i), str(exc), text)
    if scenario.warmup_months >= scenario.horizon_months:
        yield Problem(
            ("warmup_months",),
            f"must be less than horizon_months ({scenario.horizon_months:g})",
            scenario.warmup_months,
        )
    yield from _variant_problems(scenario)


def _segment_problems(scenario: Scenario) -> Iterator[Problem]:
    features = scenario.product.features
    for name, seg in scenario.segments.items():
        if seg.team not in scenario.teams:
            yield Problem(
                ("segments", name, "team"),
                f"unknown team {seg.team!r}{did_you_mean(seg.team, scenario.teams)} (teams: {', '.join(scenario.teams)})",
                seg.team,
            )
            continue
        for feature in seg.desired:
            if feature not in features:
                yield Problem(
                    ("segments", name, "desired", feature),
                    f"unknown feature {feature!r}{did_you_mean(feature, features)} (features: {', '.join(features)})",
                    feature,
                )
        team = scenario.teams[seg.team]
        if team.coverage == "digital" and seg.signal_prob == 0 and seg.needs_per_month > 0:
            yield Problem(
                ("segments", name, "signal_prob"),
                f"segment is covered by digital team {seg.team!r}, which finds needs only through "
                "usage signals, but signal_prob is 0; raise it or cover the segment with a human team",
                seg.signal_prob,
            )
        if seg.initial_customers == 0 and seg.new_per_month == 0:
            yield Problem(("segments", name), "has no customers: initial_customers and new_per_month are both 0", 0)


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
                f"unknown plan {comp.plan!r}{did_you_mean(comp.plan, known_plans())} (plans: {', '.join(known_plans())})",
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
                        yield Problem(where_features, f"unknown feature {feature!r}", feature)


def _size_problems(scenario: Scenario) -> Iterator[Problem]:
    from simulator.scenario.schema import MAX_CUSTOMERS

    total = sum(s.initial_customers + s.new_per_month * scenario.horizon_months for s in scenario.segments.values())
    if total > MAX_CUSTOMERS:
        yield Problem(
            ("segments",),
            f"about {total:,.0f} customers over the horizon; at most {MAX_CUSTOMERS:,} can be simulated",
            total,
        )


def _variant_problems(scenario: Scenario) -> Iterator[Problem]:
    from simulator.scenario.overrides import apply_overrides

    base = base_data(scenario)
    seen: set[str] = set()
    for i, variant in enumerate(scenario.variants):
        if variant.name in seen or variant.name == "base":
            yield Problem(("variants", i, "name"), f"duplicate variant name {variant.name!r}", variant.name)
        seen.add(variant.name)
        yield from _override_problems(base, variant.set, ("variants", i, "set"), apply_overrides)
    if scenario.sweep is not None:
        for j, value in enumerate(scenario.sweep.points()):
            loc: Loc = ("sweep", "values" if scenario.sweep.values is not None else "range", j)
            yield from _override_problems(base, {scenario.sweep.path: value}, loc, apply_overrides)


def _override_problems(base: dict[str, Any], sets: dict[str, Any], loc: Loc, apply: Any) -> Iterator[Problem]:
    from simulator.scenario.schema import Scenario

    try:
        Scenario.model_validate(apply(base, sets))
    except InputError as exc:
        yield Problem(loc, str(exc), None)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            yield Problem(loc, f"{where}: {err['msg']}", err.get("input"))


def base_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data without its variants and sweep: what overrides act on."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude={"variants", "sweep"})
    return data
