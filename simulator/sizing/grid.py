"""What ``cssim size`` may vary, and over which values: ``--vary PATH --values LO:HI[:STEP]``.

Both are checked before anything runs. The path must name one number of the scenario (a
headcount, a rate); a path holding a whole number (``teams.pool.csms``) takes whole values
only, since half a CSM cannot be hired. The two ends of the range are validated as
scenarios, so a value the schema refuses (0 CSMs) is reported with its path and bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.errors import InputError, ScenarioError
from simulator.scenario.checks import validate_data
from simulator.scenario.experiment_spec import arithmetic, experiment_key_problem
from simulator.scenario.overrides import apply_overrides, get_path
from simulator.scenario.problems import show
from simulator.scenario.schema import MAX_SWEEP_POINTS

Value = int | float
"""One value of the varied path."""

_EXAMPLE = "e.g. --values 4:20 or --values 4:20:2"


@dataclass(frozen=True)
class Grid:
    """The values a search may try, in increasing order: LO, LO + STEP, ... up to HI."""

    lo: Value
    hi: Value
    step: Value

    @classmethod
    def parse(cls, text: str) -> Grid:
        """Read ``LO:HI`` or ``LO:HI:STEP`` (STEP 1 by default); InputError says what is wrong."""
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise InputError(f"--values {text}: expected LO:HI or LO:HI:STEP, {_EXAMPLE}")
        names = ("LO", "HI", "STEP")
        lo, hi, step = (_number(text, names[i], part) for i, part in enumerate([*parts, "1"][:3]))
        if step <= 0:
            raise InputError(f"--values {text}: STEP must be above 0 (got {show(step)})")
        if lo > hi:
            raise InputError(f"--values {text}: LO ({show(lo)}) must not be above HI ({show(hi)}); {_EXAMPLE}")
        grid = cls(lo, hi, step)
        if grid.count() > MAX_SWEEP_POINTS:
            raise InputError(f"--values {text}: holds more than {MAX_SWEEP_POINTS} values; use a larger STEP")
        return grid

    @property
    def whole(self) -> bool:
        return all(isinstance(x, int) for x in (self.lo, self.hi, self.step))

    def count(self) -> int:
        span = (self.hi - self.lo) / self.step
        return int(span + 1e-9) + 1 if span < MAX_SWEEP_POINTS else MAX_SWEEP_POINTS + 1

    def values(self) -> list[Value]:
        """Every value of the range (HI included when a whole number of steps reaches it)."""
        if self.whole:
            return list(range(int(self.lo), int(self.hi) + 1, int(self.step)))
        return arithmetic(self.lo, self.step, self.count())

    def describe(self) -> str:
        return f"{show(self.lo)}:{show(self.hi)}" + ("" if self.step == 1 else f":{show(self.step)}")


def _number(text: str, name: str, part: str) -> Value:
    raw = part.strip()
    try:
        value: Value = int(raw)
    except ValueError:
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"--values {text}: {name} is not a number (got {raw!r}); {_EXAMPLE}") from None
    if not math.isfinite(value):
        raise InputError(f"--values {text}: {name} must be a finite number (got {raw!r})")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def check_vary(base: dict[str, Any], path: str, grid: Grid) -> None:
    """Raise if ``path`` is not one number of the scenario, or the range does not suit it.

    ``base`` is the scenario's plain data (variants and sweep left out).
    """
    whole = experiment_key_problem(path)
    if whole is not None:
        raise InputError(f"--vary {path}: {whole}; size a value of the business, e.g. --vary teams.pool.csms")
    try:
        apply_overrides(base, {path: grid.lo}, complete=base)
    except InputError as exc:
        raise InputError(f"--vary {path}: {exc}") from None
    current = _current(base, path)
    if isinstance(current, bool) or not isinstance(current, int | float | None):
        raise InputError(
            f"--vary {path}: holds {show(current)}, not a number; sizing varies one number, e.g. --vary teams.pool.csms"
        )
    if isinstance(current, int) and not grid.whole:
        raise InputError(
            f"--values {grid.describe()}: {path} is a whole number (whole CSMs, whole customers), "
            f"so LO, HI and STEP must be whole numbers"
        )
    ends = list(dict.fromkeys((grid.lo, grid.hi)))
    found: dict[str, list[Value]] = {}
    for value in ends:
        for problem in _problems(base, path, value):
            found.setdefault(problem.text, []).append(value)
    if found:  # a problem of the path itself (an unknown key) comes once, not once per end
        raise ScenarioError(
            [f"--vary {path}: {text}" if len(at) == len(ends) > 1 else f"--vary {path}={show(at[0])}: {text}"
             for text, at in found.items()]
        )  # fmt: skip


def _current(base: dict[str, Any], path: str) -> Any:
    try:
        return get_path(base, path)
    except KeyError:
        return None  # a key the schema does not have: validation names it next


def _problems(base: dict[str, Any], path: str, value: Value) -> list[Any]:
    _, problems = validate_data(apply_overrides(base, {path: value}, complete=base), whole=False)
    return problems
