"""Where finished runs wait: one file per run in ``OUT/runs/``, or memory for notebooks.

A run is saved the moment it finishes, under its key (see
:func:`simulator.experiment.expansion.run_key`), by writing a temporary file and renaming
it: a killed process leaves whole runs and, at worst, a stray temporary file that is never
read as a run. ``--resume`` reuses every saved run whose key the new experiment needs; the
file records that key too (:func:`simulator.experiment.worker.check_key`), so one copied or
renamed over another run's file is refused rather than read as that run.
"""

from __future__ import annotations

import io
import re
import stat
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, Protocol

from simulator.errors import InputError, SimulatorWarning, WriteFailed
from simulator.results.folder import write_atomically

RUNS_FOLDER = "runs"
RUN_SUFFIX = ".run"
_LEGACY_SUFFIXES = (".json.gz",)
"""Runs saved by older versions (gzip'd JSON): never read (their format is gone), pruned."""
_KEY = re.compile(r"^[0-9a-f]{16,64}$")


class RunStore(Protocol):
    """Saved run payloads by key."""

    def has(self, key: str) -> bool: ...

    def save(self, key: str, payload: bytes) -> None: ...

    def load(self, key: str) -> bytes: ...

    def open(self, key: str) -> BinaryIO:
        """The saved payload as a stream, to read its start alone (which run it is)."""
        ...

    def where(self, key: str) -> str:
        """Where the run is saved, for messages: its file."""
        ...

    def prune(self, keep: set[str]) -> int: ...


class MemoryStore:
    """Runs kept in memory (the Python API without an output folder)."""

    def __init__(self) -> None:
        self._runs: dict[str, bytes] = {}

    def has(self, key: str) -> bool:
        return key in self._runs

    def save(self, key: str, payload: bytes) -> None:
        self._runs[key] = payload

    def load(self, key: str) -> bytes:
        return self._runs[key]

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self._runs[key])

    def where(self, key: str) -> str:
        return f"{key} (in memory)"

    def prune(self, keep: set[str]) -> int:
        stale = [k for k in self._runs if k not in keep]
        for key in stale:
            del self._runs[key]
        return len(stale)


class FolderStore:
    """Runs as ``<key>.run`` files in one folder, created on first save."""

    def __init__(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder}: exists and is not a folder; cannot keep finished runs there")
        self.folder = folder

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"run key must be lowercase hex, got {key!r}")
        return self.folder / f"{key}{RUN_SUFFIX}"

    def has(self, key: str) -> bool:
        """Whether run ``key`` is saved; the OSError if the file system cannot tell (no
        permission to search the folder, an I/O error), which the caller names."""
        try:
            return stat.S_ISREG(self.path(key).stat().st_mode)
        except (FileNotFoundError, NotADirectoryError):
            return False

    def save(self, key: str, payload: bytes) -> None:
        """Save one run; :class:`~simulator.errors.WriteFailed` if the disk refuses (full),
        the folder included: it is created with the first run, after checks of the output
        folder, so failing here is a failure, not bad input."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(self.folder, exc) from exc
        write_atomically(self.path(key), payload)

    def load(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def where(self, key: str) -> str:
        return str(self.path(key))

    def keys(self) -> set[str]:
        if not self.folder.is_dir():
            return set()
        return {
            p.name[: -len(RUN_SUFFIX)]
            for p in self.folder.glob(f"*{RUN_SUFFIX}")
            if _KEY.match(p.name[: -len(RUN_SUFFIX)])
        }

    def prune(self, keep: set[str]) -> int:
        """Delete saved runs not in ``keep``, leftover temporary files and runs of older
        formats; return how many runs went.

        It runs once the new results are in place, and they do not need these files (a run is
        only ever read under its own key), so a file that cannot be deleted (no permission, a
        busy or failing disk) stays: every other one is still tried, and one
        :class:`~simulator.errors.SimulatorWarning` names the folder and the first that stayed.
        """
        try:
            if not self.folder.is_dir():
                return 0
            stale = [self.path(key) for key in sorted(self.keys() - keep)]
            doomed = [*stale, *self.folder.glob(".*.tmp"), *self._legacy()]
        except OSError as exc:
            warnings.warn(SimulatorWarning(_left(self.folder, [], exc)), stacklevel=2)
            return 0
        failed = dict(_delete(doomed))
        if failed:
            first = next(iter(failed.values()))
            warnings.warn(SimulatorWarning(_left(self.folder, list(failed), first)), stacklevel=2)
        return sum(path not in failed for path in stale)

    def _legacy(self) -> Iterable[Path]:
        for suffix in _LEGACY_SUFFIXES:
            for old in self.folder.glob(f"*{suffix}"):
                if _KEY.match(old.name[: -len(suffix)]):
                    yield old


def _delete(paths: Iterable[Path]) -> Iterable[tuple[Path, OSError]]:
    """Delete each of ``paths``; yield those that would not go, with why."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            yield path, exc


def _left(folder: Path, paths: list[Path], error: OSError) -> str:
    """One line: which old saved runs stayed in ``folder`` and why (none listed: it could not be read)."""
    why = error.strerror or error
    if not paths:
        return f"could not clear old saved runs from {folder} ({why}); the results are complete"
    count = f"{len(paths)} old saved run{'s' if len(paths) > 1 else ''}"
    first = f"{paths[0]}: {why}" + (", and others" if len(paths) > 1 else "")
    them = "them" if len(paths) > 1 else "it"
    return f"could not remove {count} from {folder} ({first}); the results are complete; delete {them} for the space"


class KeepingStore:
    """A store that also keeps the runs saved through it in memory.

    The experiment reads every run back once its runs are done; the ones it just saved
    are still here instead of being read back from disk (the default experiment's are
    half a gigabyte). Runs saved earlier (``--resume``) are read from the folder.
    """

    def __init__(self, store: RunStore) -> None:
        self._store = store
        self._kept: dict[str, bytes] = {}

    def has(self, key: str) -> bool:
        return key in self._kept or self._store.has(key)

    def save(self, key: str, payload: bytes) -> None:
        self._store.save(key, payload)
        self._kept[key] = payload

    def load(self, key: str) -> bytes:
        kept = self._kept.get(key)
        return kept if kept is not None else self._store.load(key)

    def open(self, key: str) -> BinaryIO:
        kept = self._kept.get(key)
        return io.BytesIO(kept) if kept is not None else self._store.open(key)

    def where(self, key: str) -> str:
        return self._store.where(key)

    def prune(self, keep: set[str]) -> int:
        for key in [k for k in self._kept if k not in keep]:
            del self._kept[key]
        return self._store.prune(keep)
