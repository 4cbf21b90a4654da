"""A progress bar for long experiments: runs done / total, elapsed, remaining.

Drawn with rich on stderr (stdout stays clean for the one-line summary), and only where a
person watches: never with ``--quiet``, when stderr is not a terminal, or under CI.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


def wanted(quiet: bool) -> bool:
    """Whether to draw a bar: not quiet, stderr is a terminal, and not in CI."""
    in_ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
    return not quiet and not in_ci and sys.stderr.isatty()


class RunProgress:
    """Counts finished runs; draws a bar when enabled, does nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.done = 0
        self.total = 0
        self._bar: Progress | None = None
        self._task: int | None = None

    def __enter__(self) -> RunProgress:
        if self.enabled:
            self._bar = Progress(
                TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"),
                TimeElapsedColumn(), TextColumn("remaining"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task("runs", total=None)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()

    def expect(self, more: int) -> None:
        """Add ``more`` runs to the total (a ``--precision`` batch adds runs as it goes)."""
        self.total += more
        self._update()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._update()

    def _update(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=self.total, completed=self.done)  # type: ignore[arg-type]
