"""``cssim report DIR`` where the page cannot be written: a folder cssim may not write (read-only,
no permission) is bad input, exit 2; a disk that fills up while the page is written is a
failure, exit 1. Either way one line says so, without a traceback, and the previous report and
the folder are left as they were (no temporary file behind)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import InputError
from simulator.results.results import Results


def refuse_new_files(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int, prefix: str = "") -> None:
    """Creating a file in ``folder`` (whose name starts with ``prefix``) fails with ``code``, as
    on a read-only file system (EROFS), without permission (EACCES) or on a full disk (ENOSPC);
    reading goes on as usual. Root ignores permissions, so a real chmod would prove nothing here."""
    real_open = os.open

    def guarded(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        where = Path(os.path.abspath(path))
        inside = where == folder or (where.parent == folder and where.name.startswith(prefix))
        if inside and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def report(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(app, ["report", *args])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.exception
    return outcome.exit_code, outcome.output


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES], ids=["read-only", "no permission"])
def test_a_folder_cssim_cannot_write_exits_2_and_says_so(
    folder: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    before = contents(folder)
    refuse_new_files(monkeypatch, folder, code)
    exit_code, output = report(str(folder))
    assert exit_code == 2, output
    assert f"error: {folder}: cannot write there ({os.strerror(code)})" in output
    assert "Traceback" not in output
    assert contents(folder) == before


def test_an_out_file_in_a_folder_cssim_cannot_write_exits_2_naming_the_flag(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    refuse_new_files(monkeypatch, shared, errno.EROFS)
    exit_code, output = report(str(folder), "--out", str(shared / "acme.html"))
    assert exit_code == 2, output
    assert f"error: --out {shared / 'acme.html'}: cannot write there (Read-only file system)" in output
    assert list(shared.iterdir()) == []


def test_a_full_disk_while_the_page_is_written_exits_1_in_one_line_and_keeps_the_old_report(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(folder)
    refuse_new_files(monkeypatch, folder, errno.ENOSPC, prefix=".index.html.")
    exit_code, output = report(str(folder))
    assert exit_code == 1, output
    page = folder / "index.html"
    left = "the previous report was left as it was"
    assert output.strip() == f"error: could not write {page}: No space left on device; {left}"
    assert contents(folder) == before


def test_a_full_disk_at_the_rename_exits_1_and_leaves_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(folder)

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    exit_code, output = report(str(folder))
    assert exit_code == 1, output
    assert f"could not write {folder / 'index.html'}: No space left on device" in output
    assert "Traceback" not in output
    assert contents(folder) == before


def test_results_write_from_python_refuses_an_index_html_cssim_did_not_write(folder: Path, results: Results) -> None:
    """The library refuses to replace somebody's own page as ``cssim run`` and ``cssim report`` do."""
    (folder / "index.html").write_text("<html>my notes</html>")
    before = contents(folder)
    with pytest.raises(InputError, match=r"index\.html there exists and is not a cssim report") as caught:
        results.write(folder)
    assert str(caught.value).startswith(f"{folder}: ")
    assert contents(folder) == before
    assert not list(folder.glob(".*.tmp"))


def test_results_write_from_python_replaces_a_report_cssim_wrote(folder: Path, results: Results) -> None:
    assert (folder / "index.html").is_file()
    results.write(folder)
    assert not (folder / "index.html").exists()  # stale against the new tables: it goes with the old set


def test_a_full_disk_as_a_new_out_folder_is_created_exits_1_not_2(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "shared" / "acme.html"
    real_mkdir = Path.mkdir

    def full(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == target.parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", full)
    exit_code, output = report(str(folder), "--out", str(target))
    assert exit_code == 1, output
    assert output.strip() == f"error: could not write {target.parent}: No space left on device; nothing was written"
