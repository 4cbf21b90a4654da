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
  metrics) of a shipped scenario, timed by phase;
- ``reads``: ``{"customers": N, "reads": R}``: N of the model's own customer objects, and
  the time of one read of a customer's state, at random and in order (the floor under the
  scaling measurement: see :func:`probe_reads`);
- ``loop``: ``{"customers": N, "queue": "heap"|"calendar"}``: the heapq loop at the scale
  of a customer base, one pending event per customer (:func:`peers.customer_loop`):
  nanoseconds per event and microseconds per customer-month, peak RSS.
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


def probe_reads(spec: dict[str, Any]) -> dict[str, Any]:
    """Nanoseconds per read of one customer's state, the customer picked at random or in order.

    The engine reads a customer at every event that concerns it (a need, a decision over a
    CSM's book, a task), in the order of events, which is random with respect to where the
    customer sits in memory. This measures that read alone, on the model's own
    :class:`~simulator.model.customer.Customer` (compiled with ``--tree`` a compiled
    install), with nothing else running: how its cost grows with the number of customers
    is the floor under the growth of the time per customer-month (scaling), whatever the
    engine does around the read. Best of three passes over the same pre-drawn indices.
    """
    import random

    import scaling

    from simulator.model.customer import Customer
    from simulator.model.features import FeatureSet
    from simulator.model.segment import SegmentRules

    n, reads = int(spec["customers"]), int(spec.get("reads", 1_000_000))
    scenario = scaling.scaled_default(1000)
    segment = next(iter(scenario.segments))
    rules = SegmentRules(scenario, segment, FeatureSet(scenario.product))
    customers = [Customer(i, segment, rules, "team", 0.0, 1000.0, 5) for i in range(n)]
    for c in customers:  # a list of recent service each, as a customer that was served has
        c.record_service(0.0, True, 90.0, 1.0)
    rng = random.Random(1)
    orders = {"random": [rng.randrange(n) for _ in range(reads)]}
    orders["in_order"] = sorted(orders["random"])
    out: dict[str, Any] = {"customers": n, "reads": reads}
    for name, order in orders.items():
        best = float("inf")
        for _ in range(3):
            total = 0.0
            clock = time.perf_counter()
            for i in order:
                c = customers[i]
                total += c.last_contact + c.arr
            best = min(best, time.perf_counter() - clock)
        out[f"ns_{name}"] = best / reads * 1e9
    return out


def probe_loop(spec: dict[str, Any]) -> dict[str, Any]:
    """The practical Python limit at scale: no model, one event per customer need."""
    import peers

    n, months = int(spec["customers"]), int(spec.get("months", 36))
    events, seconds = peers.customer_loop(n, months, queue=spec.get("queue", "heap"))
    return {"customers": n, "events": events, "seconds": seconds, "ns_per_event": seconds / events * 1e9,
            "us_per_customer_month": seconds / (n * months) * 1e6, "peak_rss_mb": peak_rss_mb()}  # fmt: skip


PROBES = {"mmc": probe_mmc, "scale": probe_scale, "run": probe_run, "reads": probe_reads, "loop": probe_loop}


def main() -> None:
    spec = json.loads(sys.argv[1])
    result = PROBES[spec["kind"]](spec)
    import simulator

    result["simulator"] = simulator.__file__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
