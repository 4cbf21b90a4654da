"""Atomic writes: whole files or the old ones, with ordinary permissions; whole sets of files or the old
set; and which output folders may be written at all."""

from __future__ import annotations

import os
import re
import signal
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.errors import InputError, SetUnfinished, WriteFailed
from simulator.results.folder import Staging, check_output_folder, write_atomically
from simulator.results.results import output_files


def test_a_written_file_has_the_umask_mode_not_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "summary.csv"
        write_atomically(target, b"variant,metric\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_bytes() == b"variant,metric\n"


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "summary.csv"
    target.write_bytes(b"good")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteFailed, match=f"could not write {re.escape(str(target))}: No space left on device"):
        write_atomically(target, b"half")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


# ---- a whole set at once (Staging)


def _folder(tmp_path: Path) -> Path:
    """A results folder from an earlier run: tables, its run_meta.json and its report."""
    out = tmp_path / "out"
    out.mkdir()
    for name, text in {"summary.csv": "old summary", "needs.csv": "old needs", "run_meta.json": "{}",
                       "index.html": "<p>old report</p>"}.items():  # fmt: skip
        (out / name).write_text(text)
    return out


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def test_an_interrupted_set_leaves_the_folder_exactly_as_it_was(tmp_path: Path) -> None:
    out = _folder(tmp_path)
    before = _contents(out)
    with pytest.raises(KeyboardInterrupt), Staging(out, marker="run_meta.json", stale=("index.html",)) as stage:
        stage.write("needs.csv", b"new needs")
        stage.write("summary.csv", b"new summary")
        raise KeyboardInterrupt  # Ctrl-C while the rest of the set is written
    assert _contents(out) == before  # no new table beside the old summary, and no temporary file


def test_a_committed_set_replaces_the_old_one_and_drops_the_stale_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _folder(tmp_path)
    order: list[str] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (order.append(Path(dst).name), replace(src, dst))[1])
    with Staging(out, marker="run_meta.json", stale=("index.html",)) as stage:
        stage.write("run_meta.json", b'{"new": 1}')
        stage.write("summary.csv", b"new summary")
        stage.write("needs.csv", b"new needs")
        stage.commit()
    assert _contents(out) == {"needs.csv": "new needs", "run_meta.json": '{"new": 1}', "summary.csv": "new summary"}
    assert order[-1] == "run_meta.json"  # its presence marks a complete set, so it comes last


def test_ctrl_c_during_the_commit_waits_until_the_set_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _folder(tmp_path)
    replace = os.replace

    def interrupted(src: str, dst: str) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between two renames
        replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt), Staging(out, marker="run_meta.json", stale=("index.html",)) as stage:
        stage.write("summary.csv", b"new summary")
        stage.write("needs.csv", b"new needs")
        stage.write("run_meta.json", b"{}")
        stage.commit()
    assert _contents(out) == {"needs.csv": "new needs", "run_meta.json": "{}", "summary.csv": "new summary"}


def _refuse_renames_into(monkeypatch: pytest.MonkeyPatch, folder: Path, names: Callable[[str], bool]) -> None:
    """Renaming a temporary file over ``folder``'s file ``name`` fails (EIO) when ``names(name)`` holds."""
    replace = os.replace

    def failing(src: str, dst: str) -> None:
        if Path(dst).parent == folder and names(Path(dst).name):
            raise OSError(5, "Input/output error")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)


def test_a_rename_failing_mid_commit_leaves_the_folder_marked_unfinished_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _folder(tmp_path)
    _refuse_renames_into(monkeypatch, out, lambda name: name == "needs.csv")
    failed = f"could not write {re.escape(str(out / 'needs.csv'))}: Input/output error"
    stage = Staging(out, marker="run_meta.json", stale=("index.html",), unfinished=b"unfinished")
    with pytest.raises(SetUnfinished, match=failed), stage:
        stage.write("summary.csv", b"new summary")
        stage.write("needs.csv", b"new needs")
        stage.write("run_meta.json", b"{}")
        stage.commit()
    assert _contents(out) == {"needs.csv": "old needs", "run_meta.json": "unfinished", "summary.csv": "new summary"}


def test_a_commit_that_cannot_mark_the_folder_unfinished_leaves_it_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _folder(tmp_path)
    before = _contents(out)
    _refuse_renames_into(monkeypatch, out, lambda name: name == "run_meta.json")
    stage = Staging(out, marker="run_meta.json", stale=("index.html",), unfinished=b"unfinished")
    with pytest.raises(WriteFailed) as caught, stage:
        stage.write("summary.csv", b"new summary")
        stage.write("run_meta.json", b"{}")
        stage.commit()
    assert not isinstance(caught.value, SetUnfinished)
    assert _contents(out) == before


# ---- which folders may be written


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: (root / "afile").write_text("x") and root / "afile" / "sub", "afile is a file, not a folder"),
        (lambda root: (root / "afile").write_text("x") and root / "afile", "exists and is not a folder"),
        (lambda root: Path("/proc/cssim-cannot-write-here"), "cannot write there"),
        (lambda root: ((root / "o" / "summary.csv").mkdir(parents=True), (root / "o" / "run_meta.json").touch())
         and root / "o", "summary.csv is a folder there"),
        (lambda root: ((root / "mine").mkdir(), (root / "mine" / "customers.csv").write_text("my own data"))
         and root / "mine", "holds files cssim did not write (customers.csv)"),
    ],
)  # fmt: skip
def test_a_folder_cssim_cannot_or_must_not_write_is_refused_before_anything_runs(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    folder = make(tmp_path)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        check_output_folder(folder, output_files(), marks=("run_meta.json", "runs"))
    assert str(caught.value).startswith(f"--out {folder}: ")


@pytest.mark.parametrize("mark", ["run_meta.json", "runs"])
def test_a_folder_cssim_wrote_before_is_accepted_and_a_new_one_created(tmp_path: Path, mark: str) -> None:
    earlier = tmp_path / "earlier"
    (earlier / "summary.csv").parent.mkdir()
    (earlier / "summary.csv").write_text("old")
    (earlier / mark).mkdir() if mark == "runs" else (earlier / mark).write_text("{}")
    check_output_folder(earlier, output_files(), marks=("run_meta.json", "runs"))
    check_output_folder(tmp_path / "new" / "deeper", output_files(), marks=("run_meta.json", "runs"))
    assert (tmp_path / "new" / "deeper").is_dir() and not any((tmp_path / "new" / "deeper").iterdir())
