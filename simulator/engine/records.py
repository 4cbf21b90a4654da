"""What one run emits: plain lists of tuples, one per table, with their column names.

The engine never touches pandas; :func:`simulator.results.tables.frames` turns each list
into a DataFrame in one line. Columns may be added (at the end); none is renamed.
Days are simulation days from time 0 (customers live before time 0 have negative
``signed_day``); money is USD per year (ARR) or USD (pay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = tuple[Any, ...]

CUSTOMER_COLUMNS = (
    "customer", "segment", "team", "signed_day", "live_day", "arr_start_usd", "arr_end_usd", "churned", "churn_day",
    "desired", "adopted", "needs", "needs_jit", "touches", "final_health", "final_engagement", "final_value",
    "initial", "csm",
)  # fmt: skip
"""One row per customer. ``desired``/``adopted``: feature names joined by '+'. ``initial``:
live at time 0. ``csm``: CSM id at the end (-1 none). ``final_*`` at churn or horizon."""

NEED_COLUMNS = (
    "need", "customer", "segment", "team", "kind", "feature", "arise_day", "detect_day", "detected_by", "start_day",
    "end_day", "fate", "csm", "adopted", "wanted",
)  # fmt: skip
"""One row per need. ``fate`` in jit/late/expired/open; ``detected_by`` raised/signal/checkin
or empty; ``csm`` -1 for digital or unserved; ``adopted`` whether it ended in adoption
(guided or self-serve); ``wanted`` whether the customer bought for the feature."""

CSM_BASE_COLUMNS = (
    "csm", "team", "period", "period_start_day", "period_end_day", "active_days", "hours_onboarding", "hours_need",
    "hours_checkin", "hours_qbr", "hours_renewal", "hours_session", "available_hours", "book_accounts",
    "book_arr_usd", "touches", "attainment", "payout_usd", "salary_usd", "seat",
)  # fmt: skip
"""One row per CSM and compensation period they were active in, then one
``attainment_<component>`` column per plan component (:attr:`RunOutput.csm_columns`).
Hours are CSM time occupied (task days x productive hours per day); ``available_hours``
is active days x productive hours per day; book figures are at the period end (or the
CSM's departure); ``salary_usd`` is base salary for the active days."""

TIMESERIES_COLUMNS = (
    "month", "day", "active_customers", "arr_usd", "health_green", "health_yellow", "health_red", "backlog",
    "csms_active", "busy_share", "uncovered", "live_customers", "value_mean", "engagement_mean",
)  # fmt: skip
"""One row per month boundary (month 0 is time 0). Counts at that instant, except
``busy_share``: CSM busy time / CSM active time over the month that just ended.
``active_customers`` have signed and not churned; bands, ``value_mean`` and
``engagement_mean`` are over the ``live_customers`` (onboarded) among them."""

TOUCH_COLUMNS = ("csm", "customer", "day", "kind", "feature", "hours", "adopted")
"""One row per proactive touch; ``feature`` pushed (empty for none); ``adopted`` whether it stuck."""

RENEWAL_COLUMNS = ("customer", "segment", "day", "arr_before_usd", "arr_after_usd", "churned")

SURVEY_COLUMNS = ("customer", "segment", "day", "score")

QUEUE_COLUMNS = ("queue", "team", "arrivals", "departures", "area_days", "end_length", "end_day")
"""One row per work queue of needs (a team's detected needs waiting for a start):
``area_days`` is the time integral of its length, for Little's law."""


@dataclass(frozen=True)
class RunOutput:
    """The tables of one replication, as plain rows."""

    customers: list[Row]
    needs: list[Row]
    csms: list[Row]
    timeseries: list[Row]
    touches: list[Row]
    renewals: list[Row]
    surveys: list[Row]
    queues: list[Row] = field(default_factory=list)
    csm_components: tuple[str, ...] = ()
    replication: int = 0

    @property
    def csm_columns(self) -> tuple[str, ...]:
        return CSM_BASE_COLUMNS + tuple(f"attainment_{name}" for name in self.csm_components)

    def columns(self) -> dict[str, tuple[str, ...]]:
        """Table name -> column names, in the order of the rows."""
        return {
            "customers": CUSTOMER_COLUMNS,
            "needs": NEED_COLUMNS,
            "csms": self.csm_columns,
            "timeseries": TIMESERIES_COLUMNS,
            "touches": TOUCH_COLUMNS,
            "renewals": RENEWAL_COLUMNS,
            "surveys": SURVEY_COLUMNS,
            "queues": QUEUE_COLUMNS,
        }

    def tables(self) -> dict[str, list[Row]]:
        return {name: getattr(self, name) for name in self.columns()}
