"""The project's one error type, caught once in the CLI (exit code 2 for bad input)."""

from __future__ import annotations


class SimulatorError(Exception):
    """Base of every error cssim raises on purpose; the CLI prints it without a traceback."""


class ScenarioError(SimulatorError):
    """A scenario (file, ``--set`` flag or variant) is invalid.

    ``problems`` holds one line per defect, already formatted as
    ``FILE:LINE: dotted.path: what is wrong (got VALUE)`` so every caller reports all of
    them at once.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class InputError(SimulatorError):
    """Bad input that is not a scenario: a CLI flag, an output folder, a CSV file."""
