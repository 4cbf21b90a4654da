"""The record every scenario check produces, and how it reads on one line.

A :class:`Problem` is *where* (a path of keys as the file has them), *what* is wrong and
the offending value; the loader adds the file and line. Keeping this record plain lets
the cross checks, the pydantic error translation and the YAML reader report alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, Final

import yaml

Loc = tuple[str | int, ...]


class _Nothing:
    """Marks a problem with no offending value to show (a missing key, an empty file)."""

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING: Final = _Nothing()


@dataclass(frozen=True)
class Problem:
    """One defect: where (a path of keys), what is wrong, and the offending value."""

    loc: Loc
    message: str
    value: Any = NOTHING
    also: tuple[Loc, ...] = ()
    """Other places the problem depends on (``horizon_months`` for a too-long warm-up), so an
    override that changed one of them, rather than ``loc``, is named as its cause."""

    @property
    def path(self) -> str:
        return ".".join(str(p) for p in self.loc) or "(top level)"

    @property
    def text(self) -> str:
        """``path: message (got value)``: the problem without its file and line."""
        got = "" if self.value is NOTHING else f" (got {show(self.value)})"
        return f"{self.path}: {self.message}{got}"


def did_you_mean(word: Any, options: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest option, or ``""`` when none is close."""
    close = get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def show(value: Any) -> str:
    """A value as the user wrote it in YAML, short enough for one line."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, int) and value.bit_length() > 256:  # repr of a huge int is slow, or refused
        return f"a number of about {value.bit_length() * 0.30103:,.0f} digits"
    text = repr(value) if isinstance(value, int | float | str) else _flow(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _flow(value: Any) -> str:
    """Flow-style YAML (``{dist: lognormal}``, ``2024-01-01``) on one line, as the user would write it."""
    try:
        text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
    except yaml.YAMLError:  # not plain data
        return repr(value)
    text = text.strip().removesuffix("\n...").strip()  # a lone scalar ends its document with '...'
    return " ".join(text.splitlines())


def meant_share(lo: float, hi: float, value: float) -> float | None:
    """The share a value outside ``[lo, hi]`` most likely meant, if the range is a share
    (0-1) and the value reads as a percentage (``90`` for 0.9); else None."""
    return value / 100 if (lo, hi) == (0.0, 1.0) and 1 < value <= 100 else None
