"""One measurement in a fresh process: ``python benchmarks/probe.py '{"kind": ..., ...}'``.

:mod:`run` starts one probe per measurement so that each has its own peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), starts from a cold interpreter, and can
import the model from another source tree (``PYTHONPATH=/path/to/old/tree``) for a
before/after comparison in the same session. The probe prints one JSON line.

Kinds:

- ``mmc``: ``{"impl": "cssim"|"ciw"|"heapq"|"lindley"|"simpy", "needs": N}``: needs
  simulated, seconds, mean wait and its batch-means interval;
- ``scale``: ``{"customers": N}``: the default scenario scaled to N customers, one
  replication of ``simulate``; wall and CPU seconds, customer-months, peak RSS;
- ``run``: ``{"scenario": PATH, "replication": R}``: one ``simulate_run`` (engine, tables,
  metrics) of a shipped scenario, timed by phase.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe_mmc(spec: dict[str, Any]) -> dict[str, Any]:
    import mmc

    needs = int(spec["needs"])
    run = mmc.run_cssim(needs) if spec["impl"] == "cssim" else mmc.run_peer(spec["impl"], needs)
    mean, low, high = run.interval()
    return {"needs": run.needs, "seconds": run.seconds, "per_second": run.per_second, "mean_wait": mean,
            "ci_low": low, "ci_high": high, "scored": len(run.waits)}  # fmt: skip


def probe_scale(spec: dict[str, Any]) -> dict[str, Any]:
    import scaling

    from simulator.engine import simulate

    scenario = scaling.scaled_default(int(spec["customers"]))
    before = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    out = simulate(scenario, 0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    months = scaling.customer_months(out, scenario.horizon_days)
    seats = sum(getattr(t, "csms", 0) for t in scenario.teams.values())
    return {"customers": len(out.customers), "seconds": wall, "cpu_seconds": cpu, "customer_months": months,
            "us_per_customer_month": cpu / months * 1e6, "peak_rss_mb": peak_rss_mb(), "rss_before_run_mb": before,
            "needs": len(out.needs), "csm_seats": seats}  # fmt: skip


def probe_run(spec: dict[str, Any]) -> dict[str, Any]:
    from simulator.engine import simulate
    from simulator.experiment.worker import METRIC_TABLES, RunOutcome, encode
    from simulator.results.metrics import run_metrics
    from simulator.results.tables import frames
    from simulator.scenario.loading import load_scenario

    scenario = load_scenario(spec["scenario"])
    replication = int(spec.get("replication", 0))
    phases: dict[str, float] = {}
    clock = time.process_time()
    out = simulate(scenario, replication)
    phases["simulate"], clock = time.process_time() - clock, time.process_time()
    tables = frames(out, METRIC_TABLES)  # as the worker does: only the tables the metrics read
    phases["frames"], clock = time.process_time() - clock, time.process_time()
    metrics = run_metrics(tables, scenario)
    phases["metrics"], clock = time.process_time() - clock, time.process_time()
    encode(RunOutcome(dict(metrics), tables, records=out), replication)
    phases["encode"] = time.process_time() - clock
    return {"cpu_seconds": phases, "total_cpu_seconds": sum(phases.values()), "peak_rss_mb": peak_rss_mb()}


PROBES = {"mmc": probe_mmc, "scale": probe_scale, "run": probe_run}


def main() -> None:
    spec = json.loads(sys.argv[1])
    result = PROBES[spec["kind"]](spec)
    import simulator

    result["simulator"] = simulator.__file__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
