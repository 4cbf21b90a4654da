"""Run stores: the folder keeps whole runs by key; the keeping store serves this invocation's from memory."""

from __future__ import annotations

from pathlib import Path

from simulator.experiment.store import FolderStore, KeepingStore

KEY, OTHER = "ab" * 8, "cd" * 8


def test_runs_saved_now_are_read_from_memory_and_earlier_runs_from_the_folder(tmp_path: Path) -> None:
    folder = FolderStore(tmp_path / "runs")
    folder.save(OTHER, b"earlier")
    store = KeepingStore(folder)
    store.save(KEY, b"fresh")
    assert folder.load(KEY) == b"fresh"  # saved to disk all the same
    folder.path(KEY).unlink()
    assert store.has(KEY) and store.load(KEY) == b"fresh"
    assert store.has(OTHER) and store.load(OTHER) == b"earlier"


def test_prune_forgets_kept_runs_too(tmp_path: Path) -> None:
    store = KeepingStore(FolderStore(tmp_path / "runs"))
    store.save(KEY, b"one")
    store.save(OTHER, b"two")
    assert store.prune({OTHER}) == 1
    assert not store.has(KEY) and store.load(OTHER) == b"two"
