"""The output folder: which folders cssim may write, and replacing a whole set of files at once.

A results folder is read as one set: tables, the resolved scenario and ``run_meta.json``
from the same experiment, and ``index.html`` rendered from them. Writing each file
atomically is not enough for that: a run interrupted while its half gigabyte of tables is
written would leave new tables beside the old summary and report, which ``cssim report``
would then render as if they belonged together. So new files are first written under
temporary names (:class:`Staging`), and only once all are complete are they renamed into
place, in one short step during which Ctrl-C waits. Per-file renames cannot swap a set at
once, so that step makes a part-way folder recognisable instead: the old ``run_meta.json``
is first replaced by one that says the set is unfinished (and the old ``index.html``,
stale against the new tables, goes), the tables follow, and the new ``run_meta.json``
comes last. A rename that fails in between (an I/O error), or a process killed there,
leaves a folder ``cssim report`` refuses as unfinished, never a mix it would render; a
rerun completes it. Interrupted before that step, the folder is exactly as it was.

The folder itself is checked before anything runs (:func:`check_output_folder`): a path
cssim cannot create, a file where a folder is meant, a folder where one of its files
goes, or a folder already holding files cssim did not write (a typo'd ``--out`` must
not overwrite somebody's ``customers.csv``, nor a run its own ``index.html`` notes) is bad
input, not a traceback at the end of a long run. A write that fails later all the same (the
disk fills up) is a failure, :class:`~simulator.errors.WriteFailed`, naming the file meant:
the folder is as it was (or, failing in the renaming step, :class:`~simulator.errors.SetUnfinished`:
the folder is marked unfinished).
"""

from __future__ import annotations

import functools
import os
import signal
import tempfile
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from simulator.errors import DISK_FAILURES, NO_PERMISSION, InputError, SetUnfinished, WriteFailed

Buffer = bytes | memoryview
"""Bytes, or a view into bytes (a saved run's table inside its payload: no copy)."""

REPORT_FILE = "index.html"
GENERATOR = '<meta name="generator" content="cssim">'
"""In the head of every report page (its template writes it): how :func:`is_report` knows one."""


def write_temporary(path: Path, data: bytes | Sequence[Buffer]) -> Path:
    """Write ``data`` next to ``path`` under a temporary name and return that name.

    The temporary file lives in the same folder (rename is atomic only within a file
    system) and is fsynced, so a crash after the rename leaves whole data. ``mkstemp``
    creates the file owner-only; it gets the ordinary mode (0666 less the umask) so a
    shared report folder stays readable by whoever may read the folder. ``data`` may come
    in chunks, written one after another (never joined in memory). Raises
    :class:`~simulator.errors.WriteFailed` if the file system refuses (a full disk).
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteFailed(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteFailed(path, exc) from exc
        raise
    return Path(tmp)


def write_atomically(path: Path, data: bytes | Sequence[Buffer]) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    tmp = write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteFailed(path, exc) from exc
        raise


@functools.cache
def _umask() -> int:
    """The process umask (read once: setting it to read it is not thread-safe to repeat)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Staging:
    """New files of one folder, written under temporary names, renamed into place together.

    Used as a context manager: leaving it by an exception (Ctrl-C included) deletes every
    temporary file and leaves the folder as it was; :meth:`commit` replaces the set.
    :meth:`write` may be called from several threads.

    ``unfinished`` is what the ``marker`` file holds while the set is being replaced: the
    old marker is replaced by it before anything else changes and the new marker replaces
    it last. Per-file renames cannot swap a set at once, so a rename that fails part way
    (or a process killed there) leaves a folder that says it is unfinished, rather than one
    merely missing its marker. Without it the old marker is simply removed first.
    """

    def __init__(self, folder: Path, marker: str, stale: Collection[str] = (), unfinished: bytes | None = None) -> None:
        self.folder = folder
        self._marker, self._stale, self._unfinished = marker, tuple(stale), unfinished
        self._pending: dict[str, Path] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.discard()

    def write(self, name: str, data: bytes | Sequence[Buffer]) -> None:
        """Stage ``data`` as the folder's file ``name`` (written now, in place at :meth:`commit`)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(self.folder, exc) from exc
        tmp = write_temporary(self.folder / name, data)
        with self._lock:
            old = self._pending.get(name)
            self._pending[name] = tmp
        if old is not None:
            old.unlink(missing_ok=True)

    @property
    def staged(self) -> frozenset[str]:
        """Names staged and not yet committed."""
        with self._lock:
            return frozenset(self._pending)

    def commit(self) -> None:
        """Put every staged file in place: the old ``marker`` replaced by ``unfinished`` (or
        removed) and the ``stale`` files removed, the others renamed, the new ``marker`` last;
        Ctrl-C waits until it is done.

        Raises :class:`~simulator.errors.WriteFailed` if the folder is still as it was, and
        :class:`~simulator.errors.SetUnfinished` once it is not; either way no temporary file
        is left behind.
        """
        with self._lock:
            pending, self._pending = self._pending, {}
        order = sorted(pending, key=lambda name: name == self._marker)
        placeholder: Path | None = None
        try:
            if self._unfinished is not None:
                placeholder = write_temporary(self.folder / self._marker, self._unfinished)
            with _interrupts_deferred():
                self._retire(placeholder)
                for name in order:
                    self._move(pending[name], name)
        finally:
            for tmp in (*pending.values(), placeholder):
                if tmp is not None:
                    tmp.unlink(missing_ok=True)  # those renamed into place are no longer there

    def _retire(self, placeholder: Path | None) -> None:
        """Mark the folder unfinished (or unmark it), then drop the ``stale`` files. Marking
        is the first change the folder sees: if it fails, the folder is as it was."""
        marker = self.folder / self._marker
        try:
            if placeholder is not None:
                os.replace(placeholder, marker)
            else:
                marker.unlink(missing_ok=True)
        except OSError as exc:
            raise WriteFailed(marker, exc) from exc
        for name in self._stale:
            try:
                (self.folder / name).unlink(missing_ok=True)
            except OSError as exc:
                raise SetUnfinished(self.folder / name, exc, self.folder) from exc

    def _move(self, tmp: Path, name: str) -> None:
        """Rename one staged file into place (the folder is marked unfinished until the marker's turn)."""
        try:
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            raise SetUnfinished(self.folder / name, exc, self.folder) from exc

    def discard(self) -> None:
        """Delete the staged files not yet committed."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for tmp in pending.values():
            tmp.unlink(missing_ok=True)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C during the block is held back and raised once it ends (main thread only:
    elsewhere Python delivers no signal anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def check_output_folder(folder: Path, files: Collection[str], marks: Collection[str], flag: str = "--out") -> None:
    """Refuse a folder cssim cannot or must not write, and create it (empty) if it is new.

    ``files`` are the names cssim writes there (none may be a folder, and an existing
    ``index.html`` must be a cssim report); ``marks`` are the entries whose presence shows
    an earlier cssim output (``run_meta.json``, ``runs/``): a folder holding other things
    and none of them belongs to somebody else.
    """
    where = f"{flag} {folder}"
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            what = "exists and is not a folder" if parent == folder else f"{parent} is a file, not a folder"
            raise InputError(f"{where}: {what}")
    if folder.is_dir():
        entries = sorted(entry.name for entry in folder.iterdir())
        if entries and not any(mark in entries for mark in marks):
            shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
            raise InputError(
                f"{where}: the folder holds files cssim did not write ({shown}); choose a new or empty folder, "
                "or one cssim wrote before"
            )
        check_own_files(folder, files, where)
    check_writable(folder, where)


def check_own_files(folder: Path, files: Collection[str], where: str) -> None:
    """Refuse (bad input, named ``where``) a folder whose ``files`` cssim cannot put in place
    or must not replace: one is a folder there, or ``index.html`` is not a cssim report.

    The commands check it before anything runs; :meth:`~simulator.results.results.Results.write`
    checks it too, since the library may be handed any folder, and its set drops the old
    report: somebody's own page must be refused there as the commands refuse it.
    """
    for name in files:
        if (folder / name).is_dir():
            raise InputError(f"{where}: {name} is a folder there; cssim writes a file of that name")
        if name == REPORT_FILE and (folder / name).exists() and not is_report(folder / name):
            raise InputError(
                f"{where}: {name} there exists and is not a cssim report; cssim replaces only its own: "
                "move it, or choose another folder"
            )


def check_writable(folder: Path, where: str) -> None:
    """Create ``folder`` if it is new, and refuse it (bad input, named ``where``) if cssim
    cannot write files there: read-only, no permission. Checked before anything is built,
    so the answer is not a traceback after the work. A full disk is no fault of the input:
    :class:`~simulator.errors.WriteFailed`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        if exc.errno in DISK_FAILURES:
            raise WriteFailed(folder, exc) from exc
        raise InputError(f"{where}: cannot write there ({exc.strerror or exc})") from None


def is_report(path: Path) -> bool:
    """Whether ``path`` is a page cssim wrote, which cssim may replace (never somebody's own page)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)  # the generator tag follows the CSP line of script hashes
    except OSError:
        return False
    return GENERATOR.encode() in head


__all__ = [
    "DISK_FAILURES",
    "GENERATOR",
    "NO_PERMISSION",
    "REPORT_FILE",
    "Buffer",
    "Staging",
    "check_output_folder",
    "check_own_files",
    "check_writable",
    "is_report",
    "write_atomically",
    "write_temporary",
]
