"""A named CSM's due touches: one live entry per customer and kind, so the attention span
counts distinct touches (docs/model.md, "Named coverage").

A check-in moves only the customer's next check-in; a QBR moves both. Were a check-in to
push the QBR again, the QBR's old entry would stay valid beside the new one (a twin), and
twins would take slots of the span without being touches to weigh.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from simulator.engine import simulate
from simulator.engine.named import Named
from simulator.engine.options import CHECKIN
from simulator.scenario.overrides import apply_overrides
from simulator.scenario.schema import Scenario


def scenario(plan: str) -> Scenario:
    base: dict[str, Any] = {
        "horizon_months": 6,
        "warmup_months": 1,
        "seed": 11,
        "segments": {"a": {"initial_customers": 40, "new_per_month": 2, "team": "named"}},
        "teams": {"named": {"coverage": "named", "csms": 3, "max_accounts": 20, "checkin_days": 14, "qbr_months": 2}},
        "compensation": {"plan": plan},
    }
    return Scenario.model_validate(apply_overrides(base, {}))


@pytest.mark.parametrize("plan", ["salary_only", "engagement_average"])
def test_due_list_holds_one_live_entry_per_customer_and_touch(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    seen = {"touches": 0, "qbrs": 0, "worst": 0}
    touched = Named.touched

    def watched(self: Named, csm: Any, c: Any, kind: str, now: float) -> None:
        touched(self, csm, c, kind, now)
        seen["touches"] += 1
        seen["qbrs"] += kind == "qbr"
        live = Counter(
            (id(x), k)
            for day, _, k, x in [*csm.due, *csm.ready]
            if x.csm is csm and not x.churned and day == (x.due_checkin if k == CHECKIN else x.due_qbr)
        )
        seen["worst"] = max(seen["worst"], max(live.values(), default=0))

    monkeypatch.setattr(Named, "touched", watched)
    simulate(scenario(plan), 0)
    assert seen["touches"] > 200 and seen["qbrs"] > 20, "the case must exercise check-ins and QBRs"
    assert seen["worst"] == 1
