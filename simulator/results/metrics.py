"""The metrics of one run (the names of ``summary.csv``), over the measured period after warm-up.

The measured period is ``[warmup_days, horizon_days]``. Rates are annual:

- ``logo_retention``, ``grr``, ``nrr``, ``arr_lost``: 12-month cohorts. A cohort starts at every month
  boundary of the measured period that leaves 12 full months before the horizon; it holds
  the customers under contract then (new customers excluded), and compares each one's ARR
  12 months later with its ARR at the start. Cohorts are pooled (sums over all cohorts),
  which uses every renewal in the period while keeping the textbook definitions. With a
  measured period shorter than 12 months the single cohort spans the whole period and
  the rate is annualised (``rate ** (12 / months)``). ``arr_lost`` is GRR in dollars: the
  ARR a cohort lost to churn and contraction in its year (start ARR x (1 - GRR)), averaged
  over the cohorts, so a leader can set a retention difference against a cost difference.
- shares and averages of customer state (health bands, value realised) pool the monthly
  snapshots in the period (live customers summed over the months); per-CSM figures divide by the mean number of CSMs in
  seats; money is USD per year.
- pay: ``variable_pay_per_csm`` is variable pay per CSM-year in a seat; ``comp_cost``
  salaries + variable pay + the digital programme per year; ``cost_per_retained_arr``
  that over the ARR kept (mean ARR x GRR); ``plan_cost`` variable pay per year, the sum of
  every CSM's payout (its P10/P50/P90 across replications is
  :meth:`Results.plan_cost_quantiles`); ``share_at_target`` and ``pay_alignment`` say
  whether the plan is well set (:func:`_pay`).
- where proactive touches go (:func:`_attention`): touches per account-month live, over
  the accounts of named teams, and over those of them that bought for none of the
  engagement score's heavy features (a threshold plan's write-off shows there).

The pure functions :func:`grr`, :func:`nrr`, :func:`nps` and :func:`logo_retention` are
the definitions themselves, tested against the field's reference vectors (docs/validation.md section 5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from simulator.model.plans.calibration import AT_TARGET_TOLERANCE, pay_for_performance
from simulator.scenario.presets import scored_features
from simulator.scenario.schema import (
    DAYS_PER_MONTH,
    SEGMENT_METRICS,
    TARGET_METRICS,
    TEAM_METRICS,
    Scenario,
    segment_metric,
    team_metric,
)

YEAR_DAYS = 365.25
NAN = float("nan")


# --------------------------------------------------------------------------- definitions


def grr(start_arr: float, contraction: float, churn: float) -> float:
    """Gross revenue retention: (start - contraction - churn) / start, a share (<= 1)."""
    return (start_arr - contraction - churn) / start_arr if start_arr > 0 else NAN


def nrr(start_arr: float, expansion: float, contraction: float, churn: float) -> float:
    """Net revenue retention: (start + expansion - contraction - churn) / start, a share."""
    return (start_arr + expansion - contraction - churn) / start_arr if start_arr > 0 else NAN


def nps(scores: Iterable[int]) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), in [-100, 100]."""
    values = np.asarray(list(scores), dtype=float)
    if values.size == 0:
        return NAN
    return float(100.0 * ((values >= 9).sum() - (values <= 6).sum()) / values.size)


def nps_from_counts(promoters: int, passives: int, detractors: int) -> float:
    total = promoters + passives + detractors
    return 100.0 * (promoters - detractors) / total if total else NAN


def logo_retention(cohort_size: int, still_active: int) -> float:
    """Customers of the start cohort still active at the end / cohort size."""
    return still_active / cohort_size if cohort_size else NAN


# --------------------------------------------------------------------------- one run


def run_metrics(frames: dict[str, pd.DataFrame], scenario: Scenario) -> dict[str, float]:
    """Every metric of ``summary.csv``'s contract for one run, keyed by its exact name, then the
    per-segment ones (``grr@smb``: :func:`_per_segment`) and the per-team ones
    (``csm_utilization@pool``: :func:`_per_team`)."""
    window = (scenario.warmup_days, scenario.horizon_days)
    out: dict[str, float] = {}
    segments = list(scenario.segments)
    segment_of = frames["customers"]["segment"].to_numpy()
    masks = [segment_of == name for name in segments]
    company, *by_segment = _retention_of(frames["customers"], frames["renewals"], window, [None, *masks])
    out.update(company)
    out.update(_health(frames["timeseries"], window))
    surveys = frames["surveys"]
    out["nps"] = nps(surveys.loc[surveys["day"] >= window[0], "score"])
    out.update(_service(frames["needs"], frames["customers"], window))
    out.update(_staffing(frames, scenario, window, out["grr"]))
    out.update(_pay(frames["csms"], frames["customers"], window))
    out.update(_attention(frames["touches"], frames["customers"], scenario, window))
    metrics = {name: float(out[name]) for name in TARGET_METRICS}
    metrics.update(_per_segment(frames, segments, masks, by_segment, window))
    metrics.update(_per_team(frames, scenario, window))
    return metrics


def _per_segment(
    frames: dict[str, pd.DataFrame],
    segments: list[str],
    masks: list[np.ndarray],
    retention: list[dict[str, float]],
    window: tuple[float, float],
) -> dict[str, float]:
    """:data:`SEGMENT_METRICS` over each segment's customers and needs alone, as ``METRIC@SEGMENT``.

    The company's figures mix segments of very different coverage (a digital segment's
    needs can be most of the needs, so its fixed signal and delivery delays set the
    company's P90 time to guidance); a leader moving one segment between coverage models reads that
    segment's own retention and service. Same definitions, applied to a subset; ``masks``
    pick each segment's rows of the customers table, ``retention`` is already worked out.
    """
    # Only the columns _service reads: filtering the whole tables was most of the cost.
    customers = frames["customers"][["segment", "initial", "signed_day", "live_day"]]
    needs = frames["needs"][["segment", "arise_day", "fate", "start_day"]]
    need_segment = needs["segment"].to_numpy()
    out: dict[str, float] = {}
    for name, mask, kept in zip(segments, masks, retention, strict=True):
        values = {**kept, **_service(needs[need_segment == name], customers[mask], window)}
        out.update({segment_metric(m, name): float(values[m]) for m in SEGMENT_METRICS})
    return out


def _per_team(frames: dict[str, pd.DataFrame], scenario: Scenario, window: tuple[float, float]) -> dict[str, float]:
    """:data:`TEAM_METRICS` of each team with CSMs, as ``METRIC@TEAM``.

    The company's ``accounts_per_csm`` divides every account, digitally covered ones too,
    by every CSM: with a named team of 15 accounts each, a pool of 100 and a digital
    programme it reads 183, which no CSM has. Per team: the team's CSM time and hours
    (the company's utilisation is these teams' pooled), and the accounts it covers (those
    of the segments it covers) with their ARR, both averaged over the same month-end
    snapshots as the company's, divided by the team's mean CSMs in seats (seat-days filled
    over the measured period, divided by its length).
    """
    staffed = [name for name, team in scenario.teams.items() if team.coverage != "digital"]
    if not staffed:
        return {}
    csms, customers = frames["csms"], frames["customers"]
    hours, available, seat_days = csm_time(csms, window)
    lo, hi = window
    snapshots = _measured(frames["timeseries"], "day", window)["day"].to_numpy(dtype=float)
    timeline = _ArrTimeline(customers, frames["renewals"])
    arr = np.array([timeline.at(day) for day in snapshots]).reshape(len(snapshots), len(customers))
    under_contract = arr > 0
    book = np.where(under_contract, arr, 0.0)
    months = len(snapshots) if len(snapshots) else NAN
    team_of_row, team_of_customer = csms["team"].to_numpy(), customers["team"].to_numpy()
    out: dict[str, float] = {}
    for name in staffed:
        rows = team_of_row == name
        mine = team_of_customer == name
        seats = float(seat_days[rows].sum()) / (hi - lo) if hi > lo else NAN
        capacity = float(available[rows].sum())
        accounts = float(under_contract[:, mine].sum()) / months
        book_arr = float(book[:, mine].sum()) / months
        values = {
            "csm_utilization": float(hours[rows].sum()) / capacity if capacity > 0 else NAN,
            "accounts_per_csm": accounts / seats if seats > 0 else NAN,
            "arr_per_csm": book_arr / seats if seats > 0 else NAN,
        }
        out.update({team_metric(m, name): values[m] for m in TEAM_METRICS})
    return out


def cohort_starts(window: tuple[float, float]) -> list[tuple[float, float]]:
    """(start, end) of the 12-month cohorts of the measured period (see module docstring)."""
    lo, hi = window
    starts = []
    k = 0
    while lo + k * DAYS_PER_MONTH + YEAR_DAYS <= hi + 1e-6:
        starts.append((lo + k * DAYS_PER_MONTH, lo + k * DAYS_PER_MONTH + YEAR_DAYS))
        k += 1
    return starts or [(lo, hi)]


def arr_at(customers: pd.DataFrame, renewals: pd.DataFrame, day: float) -> pd.Series:
    """Each customer's ARR under contract at ``day`` (0 before signing or after churn)."""
    arr = customers.set_index("customer")["arr_start_usd"].astype(float)
    arr[customers.set_index("customer")["signed_day"] > day] = 0.0
    done = renewals[renewals["day"] <= day].sort_values("day", kind="stable")
    last = done.groupby("customer")["arr_after_usd"].last()
    arr.loc[last.index] = last.to_numpy()
    return arr


class _ArrTimeline:
    """:func:`arr_at` for many days of one run: the renewals sorted once, not per call.

    Gives the same values in the same (customers') order as :func:`arr_at`, so the sums
    over it are the same floats; about 20x faster over a run's ~40 cohort days.
    """

    def __init__(self, customers: pd.DataFrame, renewals: pd.DataFrame) -> None:
        self.base = customers["arr_start_usd"].to_numpy(dtype=float)
        self.signed = customers["signed_day"].to_numpy(dtype=float)
        order = np.argsort(renewals["day"].to_numpy(dtype=float), kind="stable")
        self.days = renewals["day"].to_numpy(dtype=float)[order]
        index = pd.Index(customers["customer"])
        self.where = index.get_indexer(renewals["customer"].to_numpy()[order])
        if (self.where < 0).any():
            raise ValueError("renewals name a customer the customers table lacks")
        self.after = renewals["arr_after_usd"].to_numpy(dtype=float)[order]

    def at(self, day: float) -> np.ndarray:
        arr = self.base.copy()
        arr[self.signed > day] = 0.0
        count = int(np.searchsorted(self.days, day, side="right"))
        where, after = self.where[:count], self.after[:count]
        arr[where] = np.nan  # groupby().last() of only missing values is missing
        known = ~np.isnan(after)
        where, after = where[known][::-1], after[known][::-1]
        customers, first = np.unique(where, return_index=True)  # the first of the reversed: the last renewal
        arr[customers] = after[first]
        return arr


def _retention(customers: pd.DataFrame, renewals: pd.DataFrame, window: tuple[float, float]) -> dict[str, float]:
    return _retention_of(customers, renewals, window, [None])[0]


def _retention_of(
    customers: pd.DataFrame, renewals: pd.DataFrame, window: tuple[float, float], groups: list[np.ndarray | None]
) -> list[dict[str, float]]:
    """Retention over each group of customers (a mask over ``customers``; None: all of them),
    the cohorts' ARR worked out once for every group."""
    sums = [[0.0, 0.0, 0.0, 0, 0] for _ in groups]  # start ARR, kept, end ARR, members, retained
    cohorts = cohort_starts(window)
    timeline = _ArrTimeline(customers, renewals)
    for lo, hi in cohorts:
        a = timeline.at(lo)
        e = timeline.at(hi)
        under_contract = a > 0
        for total, group in zip(sums, groups, strict=True):
            cohort = under_contract if group is None else under_contract & group
            total[0] += np.nansum(a[cohort])
            total[1] += np.nansum(np.minimum(a[cohort], e[cohort]))
            total[2] += np.nansum(e[cohort])
            total[3] += int(cohort.sum())
            total[4] += int((e[cohort] > 0).sum())
    lo, hi = cohorts[0]
    years = (hi - lo) / YEAR_DAYS
    out = []
    for start_arr, kept, end_arr, members, retained in sums:
        contraction_and_churn = start_arr - kept
        g = grr(start_arr, contraction_and_churn, 0.0)
        n = nrr(start_arr, end_arr - kept, contraction_and_churn, 0.0)
        logo = logo_retention(int(members), int(retained))
        if len(cohorts) == 1 and years < 1 - 1e-9:  # short measured period: annualise
            g, n, logo = (x ** (1 / years) if x == x and x > 0 else x for x in (g, n, logo))
        # Per cohort-year: start ARR x (1 - GRR) is (start - kept) over the cohorts, or, for one
        # short annualised cohort, the annual rate applied to the ARR it started with.
        lost = start_arr / len(cohorts) * (1.0 - g) if g == g else NAN
        out.append({"grr": g, "nrr": n, "logo_retention": logo, "arr_lost": lost})
    return out


def _measured(frame: pd.DataFrame, column: str, window: tuple[float, float]) -> pd.DataFrame:
    lo, hi = window
    return frame[(frame[column] > lo + 1e-9) & (frame[column] <= hi + 1e-6)]


def _health(timeseries: pd.DataFrame, window: tuple[float, float]) -> dict[str, float]:
    ts = _measured(timeseries, "day", window)
    live = ts["live_customers"].sum()
    shares = {
        f"health_{band}_share": ts[f"health_{band}"].sum() / live if live else NAN
        for band in ("green", "yellow", "red")
    }
    shares["value_realised"] = (ts["value_mean"] * ts["live_customers"]).sum() / live if live else NAN
    return shares


def _service(needs: pd.DataFrame, customers: pd.DataFrame, window: tuple[float, float]) -> dict[str, float]:
    lo, hi = window
    measured = needs[(needs["arise_day"] >= lo) & (needs["arise_day"] < hi)]
    count = len(measured)
    guided = measured[measured["fate"].isin(["jit", "late"])]
    wait = (guided["start_day"] - guided["arise_day"]).to_numpy(dtype=float)
    new = customers[(~customers["initial"]) & (customers["signed_day"] >= lo) & customers["live_day"].notna()]
    return {
        "mean_time_to_guidance_days": float(wait.mean()) if wait.size else NAN,
        "p90_time_to_guidance_days": float(np.quantile(wait, 0.9)) if wait.size else NAN,
        "jit_share": (measured["fate"] == "jit").sum() / count if count else NAN,
        "unmet_share": measured["fate"].isin(["expired", "open"]).sum() / count if count else NAN,
        "speed_to_launch_days": float((new["live_day"] - new["signed_day"]).mean()) if len(new) else NAN,
    }


def _overlap(start: pd.Series, end: pd.Series, window: tuple[float, float]) -> pd.Series:
    lo, hi = window
    return (end.clip(upper=hi) - start.clip(lower=lo)).clip(lower=0.0)


def _staffing(
    frames: dict[str, pd.DataFrame], scenario: Scenario, window: tuple[float, float], grr_value: float
) -> dict[str, float]:
    ts = _measured(frames["timeseries"], "day", window)
    csms = frames["csms"]
    years = (window[1] - window[0]) / YEAR_DAYS
    weight = _period_weight(csms, window)
    busy, capacity, seat_days = csm_time(csms, window)
    hours, available = busy.sum(), capacity.sum()
    csm_years = seat_days.sum() / YEAR_DAYS
    payouts = (csms["payout_usd"] * weight).sum()
    salaries = (csms["salary_usd"] * weight).sum()
    mean_csms = ts["csms_active"].mean() if len(ts) else NAN
    mean_arr = ts["arr_usd"].mean() if len(ts) else NAN
    comp_cost = (salaries + payouts + _digital_cost(frames["customers"], scenario, window)) / years
    retained = mean_arr * grr_value
    return {
        "csm_utilization": hours / available if available > 0 else NAN,
        "arr_per_csm": mean_arr / mean_csms if mean_csms > 0 else NAN,
        "accounts_per_csm": ts["active_customers"].mean() / mean_csms if mean_csms > 0 else NAN,
        "variable_pay_per_csm": payouts / csm_years if csm_years > 0 else NAN,
        "comp_cost": comp_cost,
        "cost_per_retained_arr": comp_cost / retained if retained and not math.isnan(retained) else NAN,
        "plan_cost": payouts / years,
    }


def csm_time(csms: pd.DataFrame, window: tuple[float, float]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per CSM-period row, its share inside the measured period of: hours of customer work,
    available hours, and days in the seat. The company's utilisation and each team's
    (:func:`_per_team`) are sums of these, so the two cannot drift apart."""
    weight = _period_weight(csms, window)
    hours = csms[[c for c in csms.columns if c.startswith("hours_")]].sum(axis=1)
    return hours * weight, csms["available_hours"] * weight, csms["active_days"] * weight


def _period_weight(csms: pd.DataFrame, window: tuple[float, float]) -> pd.Series:
    """Share of each CSM-period row inside the measured period (pay periods may straddle the warm-up)."""
    length = (csms["period_end_day"] - csms["period_start_day"]).where(lambda x: x > 0)
    return (_overlap(csms["period_start_day"], csms["period_end_day"], window) / length).fillna(0.0)


def _pay(csms: pd.DataFrame, customers: pd.DataFrame, window: tuple[float, float]) -> dict[str, float]:
    """Is the plan well set (docs/plans.md section 5)? NaN under salary only, which has no target.

    ``share_at_target``: CSM-periods of the measured period at or above target (attainment
    >= 1), each weighted by its share inside the period. ``pay_alignment``: across CSMs with
    a book at the end who were in a seat for at least one full payout period of the
    measured period (:func:`_alignment_days`), the correlation between variable pay per
    active day and the mean value realised of the customers in their book then (the
    customers' own outcome).

    Why leave the short stints out, rather than weight each CSM by seat time: a CSM who
    joined days before the end has earned next to nothing yet (no period of theirs has
    paid) and holds a book whose value their predecessor made, so their point says nothing
    about whether pay follows outcome, and a correlation has no safe weight for it: when
    the other books hardly differ (value realised near 1 everywhere), that one point is
    all of the outcome's spread and sets r alone (comp_plans, engagement threshold,
    replication 3: one CSM 5 days in a seat, $0 and a book at 0.56, every other book at
    1.00, r = 0.999). Weighted, it still sets the sign and a good part of r. One full
    payout period is the shortest stint sure to hold a whole period of the CSM's own work
    on their book and its payout; if that leaves fewer than two CSMs, or books or pay
    without spread, r is undefined (NaN), which is what such a run can tell.
    """
    weight = _period_weight(csms, window)
    known = csms["attainment"].notna() & (weight > 0)
    w = weight[known]
    at = csms.loc[known, "attainment"].to_numpy(dtype=float) >= 1.0 - AT_TARGET_TOLERANCE
    share = float((w * at).sum() / w.sum()) if w.sum() > 0 else NAN
    points = alignment_points(csms, customers, window)
    alignment = pay_for_performance(points["pay_per_day"].tolist(), points["book_value"].tolist())
    return {"share_at_target": share, "pay_alignment": alignment if known.any() else NAN}


def alignment_points(csms: pd.DataFrame, customers: pd.DataFrame, window: tuple[float, float]) -> pd.DataFrame:
    """The CSMs ``pay_alignment`` correlates in one run (:func:`_pay`), indexed by ``csm``:
    ``pay_per_day`` (variable pay per active day in the measured period) and ``book_value``
    (mean value realised of their book at the end). The report draws these same points."""
    weight = _period_weight(csms, window)
    paid = csms.assign(pay=csms["payout_usd"] * weight, days=csms["active_days"] * weight)
    per_csm = paid.groupby("csm")[["pay", "days"]].sum()
    per_csm = per_csm[(per_csm["days"] > 0) & (per_csm["days"] >= _alignment_days(csms, window))]
    book = customers[customers["csm"] >= 0].groupby("csm")["final_value"].mean()
    both = per_csm.join(book, how="inner")
    return pd.DataFrame({"pay_per_day": both["pay"] / both["days"], "book_value": both["final_value"]})


def _alignment_days(csms: pd.DataFrame, window: tuple[float, float]) -> float:
    """Seat days in the measured period a CSM needs to count in ``pay_alignment``: one full
    payout period (the longest period row; a last one cut at the horizon is shorter), or the
    whole measured period when that is shorter than a payout period. A small tolerance
    keeps a CSM in a seat for exactly one period in."""
    lengths = (csms["period_end_day"] - csms["period_start_day"]).to_numpy(dtype=float)
    period = float(np.nanmax(lengths)) if lengths.size and np.isfinite(lengths).any() else 0.0
    return max(0.0, min(period, window[1] - window[0]) - 1e-6)


def _digital_cost(customers: pd.DataFrame, scenario: Scenario, window: tuple[float, float]) -> float:
    """The digital programme: cost per customer-month of digitally covered customers under contract."""
    total = 0.0
    for name, team in scenario.teams.items():
        if team.coverage != "digital":
            continue
        mine = customers[customers["team"] == name]
        end = mine["churn_day"].fillna(window[1])
        months = _overlap(mine["signed_day"], end, window).sum() / DAYS_PER_MONTH
        total += months * team.cost_per_customer_month
    return total


def _attention(
    touches: pd.DataFrame, customers: pd.DataFrame, scenario: Scenario, window: tuple[float, float]
) -> dict[str, float]:
    """Proactive touches (check-ins, business reviews, quick touches) per account-month live.

    Over the customers of named teams (the only ones with proactive touches), from go-live to
    churn or the horizon, inside the measured period; then over those of them who bought for
    none of :func:`~simulator.scenario.presets.scored_features`: the customers a plan paid on
    the engagement score gains nothing from, whom the seeds expect a threshold plan to write
    off. NaN where there are no such accounts (no named team, no scored feature).
    """
    named = [name for name, team in scenario.teams.items() if team.coverage == "named"]
    covered = customers[customers["team"].isin(named) & customers["live_day"].notna()]
    months = _overlap(covered["live_day"], covered["churn_day"].fillna(window[1]), window) / DAYS_PER_MONTH
    lo, hi = window
    measured = touches[(touches["day"] >= lo) & (touches["day"] < hi)]
    done = covered["customer"].map(measured["customer"].value_counts()).fillna(0.0)
    scored = set(scored_features(scenario.product))
    wanted = covered["desired"].fillna("").astype(str).str.split("+")
    unscored = wanted.map(lambda names: scored.isdisjoint(names)).to_numpy(dtype=bool) if scored else None

    def rate(mask: np.ndarray | None) -> float:
        if mask is None:
            return NAN
        exposure = float(months[mask].sum())
        return float(done[mask].sum()) / exposure if exposure > 0 else NAN

    return {
        "touches_per_account_month": rate(np.ones(len(covered), dtype=bool)),
        "touches_per_account_month_unscored": rate(unscored),
    }
