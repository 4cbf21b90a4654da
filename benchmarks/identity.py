"""Do two versions of the engine give identical tables? A fingerprint per run, to compare.

An optimisation must keep results identical for the same seed (or say why not). This
prints, for every shipped scenario's base and variants (and the M/M/c benchmark queue),
a SHA-256 of each table ``simulate`` returns, rows in order and floats by ``repr`` (exact).
Run it before and after a change and compare::

    python benchmarks/identity.py --out /tmp/before.json
    # ... change the engine ...
    python benchmarks/identity.py --compare /tmp/before.json

``--quick`` fingerprints the base of each scenario only (one replication).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def fingerprint(output: Any) -> dict[str, str]:
    """Table name -> SHA-256 of its rows (repr of every value, so floats are exact)."""
    out = {}
    for name, rows in output.tables().items():
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(row).encode())
            digest.update(b"\n")
        out[name] = f"{len(rows)}:{digest.hexdigest()[:16]}"
    return out


def cases(quick: bool) -> list[tuple[str, Any]]:
    """(label, scenario) pairs: every shipped scenario's variants (only bases when quick)."""
    from mmc import scenario_data

    from simulator.experiment.expansion import expand
    from simulator.scenario.loading import load_scenario
    from simulator.scenario.schema import Scenario

    found: list[tuple[str, Any]] = [("mmc", Scenario.model_validate(scenario_data(20_000)))]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        variants = expand(load_scenario(path))
        for variant in variants[:1] if quick else variants:
            found.append((f"{path.stem}:{variant.name}", variant.scenario))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="base of each scenario only")
    parser.add_argument("--replications", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the fingerprints here (JSON)")
    parser.add_argument("--compare", type=Path, help="compare with fingerprints written earlier")
    args = parser.parse_args(argv)
    from simulator.engine import simulate

    prints: dict[str, dict[str, str]] = {}
    for label, scenario in cases(args.quick):
        for r in range(args.replications):
            prints[f"{label}#{r}"] = fingerprint(simulate(scenario, r))
            print(f"{label}#{r}: {' '.join(f'{k}={v}' for k, v in prints[f'{label}#{r}'].items())}", flush=True)
    if args.out:
        args.out.write_text(json.dumps(prints, indent=1, sort_keys=True))
    if args.compare:
        before = json.loads(args.compare.read_text())
        changed = [key for key in prints if key in before and before[key] != prints[key]]
        for key in changed:
            diff = [t for t in prints[key] if prints[key][t] != before[key].get(t)]
            print(f"CHANGED {key}: {', '.join(diff)}")
        print(f"{len(prints) - len(changed)} of {len(prints)} runs identical")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
