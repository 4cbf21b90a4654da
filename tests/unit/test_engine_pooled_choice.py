"""A neutral (salary-only) pooled CSM's fast choice must pick what the plain rule picks.

``Pooled.start_fast`` scores the waiting needs as floats and begins the winner without
building options; the plain rule builds every option and runs :func:`choose`. Whole runs on random small
pooled scenarios (queues long enough to weigh several needs, with onboarding, renewal
preparation, sessions and attrition mixed in) must give identical tables both ways.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import simulate
from simulator.engine.coverage import Pooled
from simulator.model.decisions import choose
from simulator.scenario.schema import Scenario


def pooled_scenario(
    seed: int, csms: int, span: int, needs: float, sessions: float, new: int, expiry: float | None
) -> Scenario:
    data: dict[str, Any] = {
        "horizon_months": 3,
        "warmup_months": 1,
        "seed": seed,
        "segments": {"a": {"initial_customers": 40, "new_per_month": new, "team": "pool", "needs_per_month": needs,
                           "need_expiry_days": expiry}},
        "teams": {"pool": {"coverage": "pooled", "csms": csms, "sessions_per_month": sessions}},
        "csm": {"attention_span": span, "annual_attrition": 2.0, "hiring_lag_days": 5},
    }  # fmt: skip
    return Scenario.model_validate(data)


def plain_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Pooled, "start_fast", None)
    monkeypatch.setattr(Pooled, "best", lambda self, csm, now: choose(csm, self.choices(csm, now), now), raising=False)


@settings(max_examples=10, derandomize=True, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    csms=st.integers(1, 4),
    span=st.integers(1, 6),
    needs=st.sampled_from([2.0, 6.0]),
    sessions=st.sampled_from([0.0, 4.0]),
    new=st.sampled_from([0, 5]),
    expiry=st.sampled_from([None, 10.0]),
)
def test_fast_pooled_choice_gives_the_plain_rules_tables(
    seed: int, csms: int, span: int, needs: float, sessions: float, new: int, expiry: float | None
) -> None:
    scenario = pooled_scenario(seed, csms, span, needs, sessions, new, expiry)
    fast = simulate(scenario, 0).tables()
    with pytest.MonkeyPatch.context() as patch:
        plain_rule(patch)
        plain = simulate(scenario, 0).tables()
    assert sum(1 for row in fast["needs"] if row[9] == row[9]) > 20, "the case must serve needs"
    assert exact(fast) == exact(plain)


def exact(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[str]]:
    """Rows by ``repr``: floats compared exactly, and NaN (no date yet) equal to NaN."""
    return {name: [repr(row) for row in rows] for name, rows in tables.items()}
