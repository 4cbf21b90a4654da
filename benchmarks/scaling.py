"""Measurement 2: the default scenario's shape at any number of customers.

Every segment's ``initial_customers`` and ``new_per_month`` and every human team's seats
are multiplied by one factor, so the book per CSM, the mix of segments and coverage, and
the load on every team stay as in ``scenarios/default.yaml``; only the size changes.
"Customers" means the expected number the run sees: the initial book plus the expected
signings over the horizon (3,866 for the default scenario itself).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent.parent / "scenarios" / "default.yaml"


def expected_customers(data: dict[str, Any]) -> float:
    months = float(data["horizon_months"])
    return sum(s["initial_customers"] + s["new_per_month"] * months for s in data["segments"].values())


def scaled_data(customers: int, path: Path = DEFAULT) -> dict[str, Any]:
    """The scenario at ``path`` as plain data, scaled to about ``customers`` customers."""
    from simulator.scenario.checks import base_data
    from simulator.scenario.loading import load_scenario

    data = base_data(load_scenario(path))
    factor = customers / expected_customers(data)
    for seg in data["segments"].values():
        seg["initial_customers"] = round(seg["initial_customers"] * factor)
        seg["new_per_month"] = seg["new_per_month"] * factor
    for team in data["teams"].values():
        if "csms" in team:
            team["csms"] = max(1, round(team["csms"] * factor))
    data["name"] = f"{data['name']} at {customers} customers"
    return data


def scaled_default(customers: int) -> Any:
    from simulator.scenario.schema import Scenario

    return Scenario.model_validate(scaled_data(customers))


def customer_months(output: Any, horizon_days: float) -> float:
    """Months customers spent active (signed, not churned) inside [0, horizon], summed."""
    days = 0.0
    for row in output.customers:
        signed, churned, churn_day = row[3], row[7], row[8]
        end = churn_day if churned else horizon_days
        days += max(0.0, min(end, horizon_days) - max(signed, 0.0))
    return days / 30.4375


__all__ = ["customer_months", "expected_customers", "scaled_data", "scaled_default"]
