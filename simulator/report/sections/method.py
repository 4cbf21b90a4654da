"""Section 9: method and provenance: how the numbers were made, and from what.

Written for a reader who must defend the numbers: replications, seeds, warm-up, common
random numbers, how intervals and target statuses are computed, and the run's provenance.
"""

from __future__ import annotations

from typing import Any

from simulator.report.page import Facts, Section
from simulator.report.source import ReportData

DATE_KEYS = ("date", "started", "started_at", "created", "created_at", "finished_at", "timestamp")
SHOWN_KEYS = ("version", "seed", "replications", "timings", "sizing", *DATE_KEYS)
"""Shown above, or in their own section (``sizing``: the sweep section's sizing block)."""


def build(data: ReportData, colours: dict[str, str]) -> Section:
    return Section("method", "Method and provenance", [method_facts(data), provenance_facts(data)])


def method_facts(data: ReportData) -> Facts:
    s = data.scenario
    reps = data.meta.get("replications", s.replications)
    return Facts("How the numbers were made", [
        ("Replications", f"{reps} independent replications per option, {len(data.variants)} options."),
        ("Horizon and warm-up", f"{s.horizon_months:g} months simulated; the first {s.warmup_months:g} months are a "
                                "warm-up that no metric counts (the system starts empty of history). Charts of "
                                "CSM quarters, needs and touches skip it too; charts over time show it shaded."),
        ("Random numbers", f"Root seed {data.meta.get('seed', s.seed)}. Each purpose (arrivals, ARR, needs, renewals, "
                           "surveys, attrition...) has its own stream derived from (seed, replication, name)."),
        ("Common random numbers", "Replication r of every option sees the same customers and the same demand, so "
                                  "differences between options come from the options, not from luck."),
        ("Intervals", "95% Student-t intervals across replications: mean ± t(0.975, n−1) × s / √n, shown within "
                      "the values the metric can take (a share within 0-100%, days and dollars from 0; summary.csv "
                      "keeps the t interval itself, which few replications can push past them)."),
        ("Differences", "Paired per replication (option minus baseline), with their own 95% t interval; narrower "
                        "than comparing two separate intervals because of the common random numbers. Each is "
                        "judged on its own, with no correction for how many the page shows: where two options "
                        "truly do not differ, about 1 comparison in 20 still comes out coloured by chance, so a "
                        "lone surprising cell deserves more replications before it decides anything."),
        ("Targets", "Met when the whole 95% interval is on the right side of the target, not met when it is wholly "
                    "on the wrong side, undecided otherwise (more replications would settle it)."),
        ("Recommendation", "Among options meeting every target, the lowest CS cost (salaries, variable pay, "
                           "digital programme); if none meets all, the one meeting most, then missing fewest, "
                           "then the one whose intervals come nearest to clearing the targets left open, then "
                           "the cheapest."),
    ])  # fmt: skip


def provenance_facts(data: ReportData) -> Facts:
    meta = data.meta
    items = [("cssim version", str(meta.get("version", "unknown")))]
    date = next((meta[k] for k in DATE_KEYS if meta.get(k)), None)
    items.append(("Date", str(date) if date is not None else "not recorded"))
    items.append(("Seed", str(meta.get("seed", data.scenario.seed))))
    timings = meta.get("timings")
    if isinstance(timings, dict) and timings:
        items.append(("Timings", "; ".join(_timing(str(k), v) for k, v in timings.items())))
    items += [(str(k), _plain(v)) for k, v in meta.items() if k not in SHOWN_KEYS]
    return Facts("Provenance", items)


TIMING_LABELS = {
    "wall_seconds": "wall clock",
    "runs_executed": "runs executed",
    "runs_resumed": "runs resumed",
    "run_seconds_total": "run time in all",
    "run_seconds_mean": "per run",
    "run_cpu_seconds_total": "CPU time of the runs",
}
"""How run_meta.json's timings read on the page; a key not listed reads as written."""


def _timing(key: str, value: Any) -> str:
    """``wall clock 19.0 s``, ``runs executed 80``: seconds where the key says so, counts as
    counts (once, every number was shown in seconds: "runs_executed 80.0 s")."""
    label = TIMING_LABELS.get(key, key.replace("_", " "))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{label} {'–' if value is None else value}"
    if "seconds" in key:
        return f"{label} {value:.2f} s" if 0 < abs(value) < 10 else f"{label} {value:.1f} s"
    return f"{label} {value:g}"


def _plain(value: Any) -> str:
    """A meta value in one line: long lists (the per-run log) as a count, long text cut."""
    if isinstance(value, list | tuple) and len(value) > 5:
        return f"{len(value)} entries (see run_meta.json)"
    if value is None or value == []:
        return "–"
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."
