"""The project's errors, caught once in the CLI: exit code 2 for bad input, 1 for a failure
(:class:`FileFailed`: a file the machine would not write or read)."""

from __future__ import annotations

from pathlib import Path


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


class FileFailed(SimulatorError):
    """A file could not be written or read for a reason that is not the input's (a full disk,
    an I/O error): a failure, so the CLI exits 1 on it, not 2. ``advice``, if any, says what
    to do about it after the error itself."""

    verb = "use"

    def __init__(self, path: Path, error: OSError, advice: str = "") -> None:
        self.path, self.error = path, error
        message = f"could not {self.verb} {path}: {error.strerror or error}"
        super().__init__(f"{message}; {advice}" if advice else message)


class WriteFailed(FileFailed):
    """A file could not be written (a full disk). Files are written under a temporary name and
    renamed, so ``path`` is as it was before.
    """

    verb = "write"


class ReadFailed(FileFailed):
    """A file cssim wrote could not be read back for a reason of the machine (an I/O error). No
    permission to read it is the user's folder: bad input, an :class:`InputError`, instead."""

    verb = "read"


class SetUnfinished(WriteFailed):
    """A set of files was being put in place when a rename failed: some are new, some old.

    Per-file renames cannot swap a set at once, so the folder is marked unfinished before
    the first one (:class:`~simulator.results.folder.Staging`) and ``cssim report`` refuses
    it until a rerun completes the set; ``path`` is the file whose rename failed.
    """

    def __init__(self, path: Path, error: OSError, folder: Path) -> None:
        super().__init__(path, error)
        self.folder = folder

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}; {self.folder} holds part of the new files, marked unfinished until a rerun completes them"
