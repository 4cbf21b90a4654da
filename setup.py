"""Build: the engine and model compiled with mypyc where a C compiler is at hand, pure Python otherwise.

Compiled, the default scenario's simulation takes ~40% of the CPU time (a whole run ~50%: benchmarks/README.md),
with the same numbers (tests/packaging/). It is all or nothing: if any part fails to build
(no compiler, no Python headers, no mypy), every compiled module is dropped and the
package installs as pure Python, which runs the same model. Never compiled:

- an editable install (``pip install -e .``), so the ``.py`` files being edited are the
  code that runs (a compiled module next to its source would shadow it);
- with ``CSSIM_PURE=1`` in the environment.

Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent

COMPILED_MODULES = [
    *(f"simulator/engine/{m}.py" for m in (
        "agenda", "coverage", "demand", "draws", "named", "named_choice", "options", "recorder", "records",
        "simulate", "snapshots", "staffing", "streams", "wakes", "work", "world",
    )),
    *(f"simulator/model/{m}.py" for m in (
        "benefit", "csm", "customer", "decisions", "features", "health", "need", "renewal", "segment",
    )),
    *(f"simulator/model/plans/{m}.py" for m in (
        "book", "curves", "effects", "gain", "incentive", "metrics", "pricing", "tally",
    )),
]  # fmt: skip
"""The modules a run spends its time in; the rest (scenario, results, report, CLI) stays Python."""


def _editable() -> bool:
    return any(arg in ("editable_wheel", "develop") for arg in sys.argv)


def _building() -> bool:
    """Building the package, not only reading its metadata (pip asks setup.py for that
    first, and compiling costs about a minute)."""
    return any(arg in ("bdist_wheel", "build", "build_ext", "install") for arg in sys.argv)


def _extensions() -> list[Any]:
    if os.environ.get("CSSIM_PURE") == "1" or _editable() or not _building():
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("cssim: mypy (mypyc) is not available: installing pure Python", file=sys.stderr)
        return []
    try:  # with the project's mypy settings (pyproject.toml), as `mypy` checks the code
        return list(mypycify(COMPILED_MODULES, opt_level="3", debug_level="0"))
    except (Exception, SystemExit) as exc:  # mypyc refused the code (it exits on a type error)
        print(f"cssim: mypyc could not compile ({exc!r}): installing pure Python", file=sys.stderr)
        return []


class OptionalBuildExt(build_ext):
    """Build every compiled module, or none: a partial set could import a module whose
    shared library is missing."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # CompileError, LinkError, no compiler at all
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            print(f"cssim: compiling failed ({exc}): installing pure Python", file=sys.stderr)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
