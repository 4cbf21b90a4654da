"""The project's errors, caught once in the CLI: exit code 2 for bad input, 1 for a failure
(:class:`FileFailed`: a file the machine would not write or read)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

DISK_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})
"""Errors of the machine, not of the input: a full disk or quota, an I/O error (exit 1, not 2)."""
NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM})
"""Errors of the user's folder when a file cssim wrote is read back (exit 2); any other is the machine's (exit 1)."""
NOT_A_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.ENAMETOOLONG})
"""Errors of a path the user gave that names no readable file (exit 2)."""


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
    """A file could not be read for a reason of the machine (an I/O error). No permission to
    read it is the user's folder: bad input, an :class:`InputError`, instead (:func:`unreadable`)."""

    verb = "read"


class SimulatorWarning(UserWarning):
    """Something cssim could not do that leaves its results whole (an old saved run it could not
    delete); the CLI prints it as one ``warning:`` line and still exits 0."""


def unreadable(path: Path, error: OSError, advice: str = "") -> SimulatorError:
    """The error for a file the user gave, or one in their folder, that the file system would not
    read: bad input (:class:`InputError`, exit 2) when it is theirs to fix (no permission, not a
    file), else the machine's failure (:class:`ReadFailed`, exit 1: an I/O error)."""
    if error.errno in NO_PERMISSION | NOT_A_FILE:
        message = f"{path}: cannot be read ({error.strerror or error})"
        return InputError(f"{message}; {advice}" if advice else message)
    return ReadFailed(path, error, advice)


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


def file_error(error: OSError) -> SimulatorError:
    """A file system error on ``error.filename`` that no check turned into one of ours: no
    permission or no such path is the user's to fix (:class:`InputError`), anything else the
    machine's failure (:class:`FileFailed`). The CLI's last net before a traceback."""
    path = Path(os.fsdecode(error.filename))
    if error.errno in NO_PERMISSION | NOT_A_FILE:
        return InputError(f"{path}: {error.strerror or error}")
    return FileFailed(path, error)
