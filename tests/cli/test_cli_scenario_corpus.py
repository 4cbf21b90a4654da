"""Every broken scenario of ``tests/corpus`` fails ``cssim validate`` the way it declares.

Each corpus file holds one defect and starts with ``# expect: LINE dotted.path``: the
message must name that line and that path, the exit code must be 2 (bad input), and no
traceback may leak out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert first.startswith("# expect: "), f"{path.name}: first line must be '# expect: LINE path'"
    line, dotted = first.removeprefix("# expect: ").split(" ", 1)
    return int(line), dotted


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_broken_scenario_is_refused_with_line_and_path(path: Path) -> None:
    line, dotted = expectation(path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}: {dotted}: " in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
