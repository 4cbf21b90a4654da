"""The compiled build (setup.py: the engine through mypyc) runs the same model as the source.

The package installs compiled where a C compiler is at hand; the tests otherwise run the
Python source (an editable install is never compiled). This builds the package as a user
gets it, then runs every shipped scenario's first variants in both and compares what each
run hands back (metrics and every table, as bytes). Locally it is skipped when nothing
can be compiled; in CI (``CSSIM_REQUIRE_COMPILED=1``) that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("runs_fingerprint.py")


def _unavailable(why: str) -> None:
    if os.environ.get("CSSIM_REQUIRE_COMPILED") == "1":
        pytest.fail(f"the compiled build is required here (CSSIM_REQUIRE_COMPILED=1): {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def compiled_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built and installed as ``pip install .`` would (about a minute)."""
    if shutil.which(os.environ.get("CC", "cc")) is None:
        _unavailable("no C compiler")
    target = tmp_path_factory.mktemp("compiled")
    done = subprocess.run(
        # No wheel cache: pip may reuse a wheel built earlier from the same folder, before the edits under test.
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-cache-dir", "--quiet", "--target", str(target),
         str(ROOT)],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"pip install . failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if not list((target / "simulator" / "engine").glob("agenda*.so")):
        _unavailable(f"the build fell back to pure Python:\n{done.stderr[-3000:]}")
    return target


def _fingerprints(tree: Path, cwd: Path) -> tuple[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(SCRIPT), str(ROOT / "scenarios")], env=env, cwd=cwd,
                          capture_output=True, text=True, check=True)  # fmt: skip
    first, *runs = done.stdout.splitlines()
    return first, runs


def test_the_compiled_build_gives_the_same_bytes_as_the_source(compiled_tree: Path, tmp_path: Path) -> None:
    source, from_source = _fingerprints(ROOT, tmp_path)
    built, from_build = _fingerprints(compiled_tree, tmp_path)
    assert source == f"{ROOT / 'simulator'} False"
    assert built == f"{compiled_tree / 'simulator'} True"  # the build under test, and compiled
    assert len(from_source) >= 20  # every shipped scenario, up to ten variants each (every comp plan)
    assert from_build == from_source


def test_the_installed_package_writes_the_report(compiled_tree: Path, tmp_path: Path) -> None:
    """Everything the report needs (templates, styles) ships in the package, not only in a checkout."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(compiled_tree)}
    scenario = ROOT / "scenarios" / "lemkin_check.yaml"
    cmd = [sys.executable, "-m", "simulator", "run", str(scenario), "--out", str(out), "--replications", "1",
           "--set", "horizon_months=8", "--set", "warmup_months=1", "--workers", "1", "-q"]  # fmt: skip
    done = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<html" in (out / "index.html").read_text(encoding="utf-8")
