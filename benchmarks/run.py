"""cssim benchmarks: speed against peers, scaling, the main job, parallel speed-up, reads, loop.

    python benchmarks/run.py            # everything, 3 repeats each (about half an hour)
    python benchmarks/run.py --quick    # smaller sizes, 1-3 repeats (a few minutes)
    python benchmarks/run.py --only mmc scaling --baseline /tmp/old-tree   # other sections kept from results.json
    pip install --no-deps --target /tmp/compiled . && python benchmarks/run.py --tree /tmp/compiled --baseline .

Prints one table per measurement and writes ``benchmarks/results.json``. Every cssim
measurement runs in a fresh process (:mod:`probe`), so its peak RSS is its own and
``--baseline DIR`` can put an older source tree's ``simulator`` side by side with this
one (``--tree DIR`` measures another one as "cssim": a compiled install, say), measured
in the same session (the machine is shared and noisy: only ratios measured together mean
much). Figures are medians over the repeats; ratios are the medians of the per-round
ratios. Never run from the test suite: performance is measured here, not asserted in
unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTIONS = ("mmc", "scaling", "main", "parallel", "reads", "loop")


def probe(spec: dict[str, Any], tree: Path | None = None) -> dict[str, Any]:
    """Run one :mod:`probe` measurement in a fresh interpreter (``tree``: the simulator to import)."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run([sys.executable, str(HERE / "probe.py"), json.dumps(spec)], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a plain fixed-width table (numbers right-aligned)."""
    cells = [[_cell(x) for x in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def _cell(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
    return str(x)


# --------------------------------------------------------------------------- 1. M/M/c


def bench_mmc(needs: int, repeats: int, baseline: Path | None, tree: Path | None = None) -> dict[str, Any]:
    import mmc

    impls = ["cssim", "ciw", "heapq", "simpy", "lindley"] + (["cssim@baseline"] if baseline else [])
    rounds: list[dict[str, dict[str, Any]]] = []
    for _ in range(repeats):  # interleaved, so every implementation sees the same machine load
        rounds.append({name: probe({"kind": "mmc", "impl": name.split("@")[0], "needs": needs},
                                   baseline if name.endswith("@baseline") else tree) for name in impls})  # fmt: skip
    p_wait, theory = mmc.erlang_c_wait(mmc.SERVERS, mmc.RHO * mmc.SERVERS, mmc.MEAN_SERVICE_DAYS)
    out: dict[str, Any] = {"needs": needs, "servers": mmc.SERVERS, "rho": mmc.RHO, "repeats": repeats,
                           "erlang_c_mean_wait_days": theory, "erlang_c_p_wait": p_wait, "impls": {}}  # fmt: skip
    for name in impls:
        first = rounds[0][name]
        out["impls"][name] = {
            "needs_per_second": median([r[name]["per_second"] for r in rounds]),
            "seconds": median([r[name]["seconds"] for r in rounds]),
            "mean_wait_days": first["mean_wait"], "ci_low": first["ci_low"], "ci_high": first["ci_high"],
            "theory_inside": first["ci_low"] <= theory <= first["ci_high"],
        }  # fmt: skip
    for other in ("ciw", "heapq", "simpy", "cssim@baseline"):
        if other in impls:
            ratios = [r["cssim"]["per_second"] / r[other]["per_second"] for r in rounds]
            out[f"cssim_vs_{other.replace('@', '_')}"] = median(ratios)
    out["agreement"] = _agreement(out["impls"])
    rows = [[n, v["needs_per_second"], v["seconds"], v["mean_wait_days"] * 24 * 60,
             f"[{v['ci_low'] * 1440:.2f}, {v['ci_high'] * 1440:.2f}]", "yes" if v["theory_inside"] else "NO"]
            for n, v in out["impls"].items()]  # fmt: skip
    table(f"M/M/{mmc.SERVERS} at rho {mmc.RHO}, {needs:,} needs (median of {repeats}); Erlang C mean wait "
          f"{theory * 1440:.3f} min", ["implementation", "needs/s", "seconds", "mean wait min", "95% CI (min)",
                                       "Erlang C in CI"], rows)  # fmt: skip
    for key in [k for k in out if k.startswith("cssim_vs_")]:
        print(f"  {key}: {out[key]:.3f}x")
    print(f"  mean waits agree pairwise within their combined intervals: {out['agreement']['all']}")
    return out


def _agreement(impls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Pairwise: |difference of means| within the combined 95% half-widths (sqrt of sum of squares)."""
    names = list(impls)
    pairs = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            x, y = impls[a], impls[b]
            half = ((x["ci_high"] - x["ci_low"]) ** 2 / 4 + (y["ci_high"] - y["ci_low"]) ** 2 / 4) ** 0.5
            pairs[f"{a}|{b}"] = abs(x["mean_wait_days"] - y["mean_wait_days"]) <= half
    return {"pairs": pairs, "all": all(pairs.values())}


# --------------------------------------------------------------------------- 2. scaling


def bench_scaling(sizes: list[int], repeats: int, baseline: Path | None, tree: Path | None = None) -> dict[str, Any]:
    trees: list[tuple[str, Path | None]] = [("cssim", tree)] + ([("baseline", baseline)] if baseline else [])
    out: dict[str, Any] = {"sizes": sizes, "repeats": repeats, "trees": {}}
    rows = []
    for label, tree in trees:
        per_size = {}
        for n in sizes:
            runs = [probe({"kind": "scale", "customers": n}, tree) for _ in range(repeats)]
            per_size[str(n)] = {
                "customers": runs[0]["customers"], "customer_months": runs[0]["customer_months"],
                "csm_seats": runs[0]["csm_seats"], "needs": runs[0]["needs"],
                "wall_seconds": median([r["seconds"] for r in runs]),
                "cpu_seconds": median([r["cpu_seconds"] for r in runs]),
                "us_per_customer_month": median([r["us_per_customer_month"] for r in runs]),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                "rss_before_run_mb": runs[0]["rss_before_run_mb"],
            }  # fmt: skip
            v = per_size[str(n)]
            rows.append([label, v["customers"], v["csm_seats"], v["wall_seconds"], v["cpu_seconds"],
                         v["us_per_customer_month"], v["peak_rss_mb"]])  # fmt: skip
        out["trees"][label] = per_size
        if len(sizes) >= 2:
            big, small = per_size[str(sizes[-1])], per_size[str(sizes[-2])]
            out["trees"][label]["flatness"] = big["us_per_customer_month"] / small["us_per_customer_month"]
    table(
        f"Scaling: default scenario shape, 36 months, one replication (median of {repeats}; CPU time per "
        "customer-month)",
        ["tree", "customers", "CSMs", "wall s", "CPU s", "us/cust-month", "peak RSS MB"],
        rows,
    )
    for label in out["trees"]:
        if "flatness" in out["trees"][label]:
            print(f"  {label}: time per customer-month at {sizes[-1]:,} vs {sizes[-2]:,}: "
                  f"{out['trees'][label]['flatness']:.3f}x")  # fmt: skip
    return out


def bench_reads(sizes: list[int], repeats: int, tree: Path | None = None) -> dict[str, Any]:
    """The floor under scaling: one read of a random customer's state, by number of customers."""
    out: dict[str, Any] = {"sizes": sizes, "repeats": repeats, "per_size": {}}
    rows = []
    for n in sizes:
        runs = [probe({"kind": "reads", "customers": n}, tree) for _ in range(repeats)]
        v = out["per_size"][str(n)] = {"ns_random": median([r["ns_random"] for r in runs]),
                                       "ns_in_order": median([r["ns_in_order"] for r in runs])}  # fmt: skip
        rows.append([n, v["ns_random"], v["ns_in_order"]])
    table(f"Reads: one customer's state, picked at random or in order (median of {repeats}; ns per read)",
          ["customers", "random ns", "in order ns"], rows)  # fmt: skip
    if len(sizes) >= 2:
        big, small = out["per_size"][str(sizes[-1])], out["per_size"][str(sizes[-2])]
        out["random_growth"] = big["ns_random"] / small["ns_random"]
        out["extra_ns_per_random_read"] = big["ns_random"] - small["ns_random"]
        print(f"  a random read at {sizes[-1]:,} vs {sizes[-2]:,} customers: {out['random_growth']:.2f}x "
              f"(+{out['extra_ns_per_random_read']:.0f} ns)")  # fmt: skip
    return out


def bench_loop(sizes: list[int], repeats: int) -> dict[str, Any]:
    """The scaling goal held against the practical Python limit: the hand-written heapq loop
    (and a calendar of days in place of its heap) with one pending event per customer, the
    sizes interleaved round by round. Pure Python: no simulator is imported."""
    queues = ("heap", "calendar")
    rounds: dict[str, dict[int, list[dict[str, Any]]]] = {q: {n: [] for n in sizes} for q in queues}
    for _ in range(repeats):
        for n in sizes:
            for q in queues:
                rounds[q][n].append(probe({"kind": "loop", "customers": n, "queue": q}))
    for n in sizes:  # both queues run the same events in the same order, so the same draws
        counts = {r["events"] for q in queues for r in rounds[q][n]}
        if len(counts) != 1:
            raise SystemExit(f"loop: the heap and the calendar ran different events at {n:,} customers: {counts}")
    out: dict[str, Any] = {"sizes": sizes, "repeats": repeats, "queues": {}}
    rows = []
    for q in queues:
        per = out["queues"][q] = {"per_size": {}}
        for n in sizes:
            runs = rounds[q][n]
            v = per["per_size"][str(n)] = {key: median([r[key] for r in runs]) for key in
                                           ("ns_per_event", "us_per_customer_month", "peak_rss_mb")}  # fmt: skip
            v["events"] = runs[0]["events"]
            rows.append([f"{q}, {n:,} customers", v["events"], v["ns_per_event"], v["us_per_customer_month"],
                         v["peak_rss_mb"]])  # fmt: skip
        if len(sizes) >= 2:
            big, small = sizes[-1], sizes[-2]
            per["flatness"] = median([b["ns_per_event"] / s["ns_per_event"]
                                      for b, s in zip(rounds[q][big], rounds[q][small], strict=True)])  # fmt: skip
    table(f"Loop: the practical Python limit, one pending event per customer, 36 months (median of {repeats})",
          ["queue", "events", "ns/event", "us/customer-month", "peak RSS MB"], rows)  # fmt: skip
    for q in queues:
        if "flatness" in out["queues"][q]:
            print(f"  {q}: time per event at {sizes[-1]:,} vs {sizes[-2]:,} customers: "
                  f"{out['queues'][q]['flatness']:.2f}x (goal for cssim: 1.15x)")  # fmt: skip
    return out


# --------------------------------------------------------------------------- 3. main job


def bench_main(
    repeats: int, replications: int | None, baseline: Path | None, tree: Path | None = None
) -> dict[str, Any]:
    trees: list[tuple[str, Path | None]] = [("cssim", tree)] + ([("baseline", baseline)] if baseline else [])
    out: dict[str, Any] = {"replications": replications or "scenario default", "repeats": repeats, "trees": {}}
    walls: dict[str, list[float]] = {label: [] for label, _ in trees}
    cpus: dict[str, list[float]] = {label: [] for label, _ in trees}
    for _ in range(repeats):
        for label, tree in trees:
            wall, cpu = _main_job(tree, replications)
            walls[label].append(wall)
            cpus[label].append(cpu)
    rows = []
    for label, _ in trees:
        out["trees"][label] = {"wall_seconds": median(walls[label]), "all_wall_seconds": walls[label],
                               "run_cpu_seconds_total": median(cpus[label])}  # fmt: skip
        rows.append([label, median(walls[label]), median(cpus[label])])
    what = f"--replications {replications}" if replications else "default replications"
    table(
        f"Main job: cssim run scenarios/default.yaml ({what}), end to end (median of {repeats})",
        ["tree", "wall s", "run CPU s (sum)"],
        rows,
    )
    return out


def _main_job(tree: Path | None, replications: int | None) -> tuple[float, float]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    # Started from a folder of its own: ``python -m`` puts the working directory first on
    # sys.path, so from a checkout it would import that checkout's simulator, not ``tree``'s.
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cwd:
        imported = subprocess.run([sys.executable, "-c", "import simulator; print(simulator.__file__)"], env=env,
                                  cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
        expected = (tree or ROOT) / "simulator" / "__init__.py"
        if Path(imported).resolve() != expected.resolve():
            raise RuntimeError(f"main job would import {imported}, not {expected}")
        cmd = [sys.executable, "-m", "simulator", "run", str(ROOT / "scenarios" / "default.yaml"), "--out", tmp, "-q"]
        if replications:
            cmd += ["--replications", str(replications)]
        started = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True)
        wall = time.perf_counter() - started
        meta = json.loads((Path(tmp) / "run_meta.json").read_text())
    return wall, float(meta["timings"]["run_cpu_seconds_total"])


# --------------------------------------------------------------------------- 4. parallel


def bench_parallel(replications: int, repeats: int, tree: Path | None = None) -> dict[str, Any]:
    setups = [("1 worker", "local", 1), ("2 workers", "local", 2), ("dask local, 2 workers", "dask", 2)]
    walls: dict[str, list[float]] = {name: [] for name, _, _ in setups}
    for _ in range(repeats):
        for name, executor, workers in setups:
            walls[name].append(_experiment(executor, workers, replications, tree))
    runs = 4 * replications
    out: dict[str, Any] = {"runs": runs, "repeats": repeats, "setups": {}}
    base = median(walls["1 worker"])
    rows = []
    for name, _, _ in setups:
        wall = median(walls[name])
        out["setups"][name] = {"wall_seconds": wall, "speedup": base / wall, "all_wall_seconds": walls[name]}
        rows.append([name, wall, base / wall])
    table(
        f"Parallel: default scenario, {runs} runs (4 variants x {replications}), median of {repeats}",
        ["executor", "wall s", "speed-up"],
        rows,
    )
    return out


def _experiment(executor: str, workers: int, replications: int, tree: Path | None = None) -> float:
    code = (
        "import sys, time\nfrom simulator import run_experiment\n"
        "if __name__ == '__main__':\n"
        "    t = time.perf_counter()\n"
        f"    run_experiment({str(ROOT / 'scenarios' / 'default.yaml')!r}, replications={replications}, "
        f"executor={executor!r}, workers={workers})\n"
        "    print(time.perf_counter() - t)\n"
    )
    # The script gets a folder of its own: its folder heads sys.path, and a stray module in a
    # shared temp folder (a timeit.py, say) would shadow the standard library in it.
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "experiment.py"
        script.write_text(code)
        env = dict(os.environ)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{executor} experiment failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_start": os.getloadavg()}  # fmt: skip


def _merged(path: Path, results: dict[str, Any], only: list[str]) -> dict[str, Any]:
    """With ``--only``, the sections not measured now keep their figures from the existing file.

    Sections need different repeat counts (a 100,000-customer scaling run takes minutes, an
    M/M/c round seconds), so they are often measured in separate invocations; each section
    records its own machine, command and time, so merged figures stay attributable.
    """
    stamp = {key: results[key] for key in ("started", "quick", "machine", "command")}
    for name in only:
        if isinstance(results.get(name), dict):
            results[name]["measured"] = stamp
    if set(only) == set(SECTIONS) or not path.exists():
        return results
    try:
        earlier = json.loads(path.read_text())
    except (OSError, ValueError):
        return results
    kept = {name: earlier[name] for name in SECTIONS if name not in only and name in earlier}
    return {**results, **kept}


def _describe(tree: Path | None) -> dict[str, Any] | None:
    """Where a measured simulator comes from, and whether its engine is compiled (setup.py)."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    code = "import simulator, simulator.engine as e; print(simulator.__file__); print(getattr(e, 'compiled', bool)())"
    with tempfile.TemporaryDirectory() as cwd:
        lines = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, check=True, capture_output=True,
                               text=True).stdout.split()  # fmt: skip
    return {"path": str(Path(lines[0]).parent.parent), "compiled": lines[1] == "True"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--repeats", type=int, help="repeats per measurement (default 3; quick 1, M/M/c 3)")
    parser.add_argument("--baseline", type=Path, help="another source tree whose simulator to measure alongside")
    parser.add_argument("--tree", type=Path, help="the simulator to measure as cssim (default: this checkout), e.g. "
                        "a compiled install: pip install --no-deps --target DIR .")  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    quick = args.quick
    repeats = args.repeats or (1 if quick else 3)
    host = machine()
    command = " ".join(["python", "benchmarks/run.py", *sys.argv[1:]])
    results: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "quick": quick,
                               "machine": host, "command": command,
                               "trees": {"cssim": _describe(args.tree),
                                         "baseline": _describe(args.baseline) if args.baseline else None}}  # fmt: skip
    print(
        f"machine: {host['cpu']}, {host['cores']} cores, Python {host['python']}, "
        f"load average {host['load_average_start'][0]:.1f}"
    )
    if "mmc" in args.only:
        results["mmc"] = bench_mmc(20_000 if quick else 200_000, args.repeats or 3, args.baseline, args.tree)
    if "scaling" in args.only:
        results["scaling"] = bench_scaling([1_000, 10_000] if quick else [1_000, 10_000, 100_000], repeats,
                                           args.baseline, args.tree)  # fmt: skip
    if "main" in args.only:
        results["main"] = bench_main(repeats, 2 if quick else None, args.baseline, args.tree)
    if "parallel" in args.only:
        results["parallel"] = bench_parallel(2, repeats, args.tree)
    if "reads" in args.only:
        results["reads"] = bench_reads([1_000, 10_000] if quick else [1_000, 10_000, 100_000], repeats, args.tree)
    if "loop" in args.only:
        results["loop"] = bench_loop([1_000, 10_000] if quick else [1_000, 10_000, 100_000], repeats)
    results["load_average_end"] = os.getloadavg()
    args.out.write_text(json.dumps(_merged(args.out, results, args.only), indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
