"""Names a leader reads: a headcount sweep's points as "8 CSMs", not ``teams.csm.csms=8``.

A sweep point's variant name is its dotted path and value (``teams.csm.csms=8``): exact,
and what the CSV tables, ``run_meta.json`` and the CLI use (the interface, unchanged). The
page is read by people who did not write the scenario file, and the commonest sweep by far
is headcount (``cssim size``, a Lemkin check), so the page calls those points by what they
are. Any other path keeps its name: a generic rewording of a dotted path would read worse
than the path. The options table still shows each point's change as ``path = value``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

from simulator.scenario.schema import Scenario
from simulator.scenario.teams import headcount_team


def path_label(path: str, scenario: Scenario) -> str | None:
    """What a headcount path counts ("CSMs", or "strategic CSMs" beside other staffed teams), else None."""
    team = headcount_team(path)
    if team is None or team not in scenario.teams:
        return None
    staffed = [name for name, spec in scenario.teams.items() if spec.coverage != "digital"]
    return "CSMs" if staffed == [team] else f"{team} CSMs"


def point_labels(path: str, values: Mapping[str, Any], scenario: Scenario, variants: Sequence[str]) -> dict[str, str]:
    """Sweep point name -> its label on the page; empty (names kept) unless every point gets a
    label no other option has."""
    counted = path_label(path, scenario)
    if counted is None:
        return {}
    labels: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not float(value).is_integer():
            return {}
        n = int(float(value))  # numpy's integers too
        labels[name] = f"{n} {counted[:-1] if n == 1 else counted}"  # 1 CSM, 8 CSMs
    others = set(variants) - set(labels)
    if len(set(labels.values())) < len(labels) or others & set(labels.values()):
        return {}
    return labels


__all__ = ["path_label", "point_labels"]
