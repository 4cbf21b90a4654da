"""Print a SHA-256 of every run's encoded outcome, for the shipped scenarios shortened to a year.

Run as a script in a fresh interpreter whose ``simulator`` is the build under test
(``PYTHONPATH``): the first line says where it came from and whether it is compiled, then
one ``label digest`` line per run. The digest covers exactly what a run hands back to
``cssim run`` (its metrics and every table as CSV), so two builds agree only if a user
would get the same files from both.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SCENARIOS = Path(sys.argv[1])


def main() -> None:
    import simulator
    from simulator.engine import compiled
    from simulator.experiment.expansion import expand, run_json
    from simulator.experiment.worker import RunTask, execute
    from simulator.scenario.loading import load_scenario

    print(Path(simulator.__file__).parent, compiled())
    for path in sorted(SCENARIOS.glob("*.yaml")):
        base = load_scenario(path, ["horizon_months=12", "warmup_months=2"])
        for variant in expand(base)[:10]:  # comp_plans: every plan; a sweep: its first values
            done = execute(RunTask(variant.name, 0, run_json(variant.scenario), label=variant.name))
            print(f"{path.stem}:{variant.name}", hashlib.sha256(done.payload).hexdigest())


if __name__ == "__main__":
    main()
