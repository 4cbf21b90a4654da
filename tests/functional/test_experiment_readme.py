"""The README's Python API example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def python_api_example() -> str:
    """The first ```python block under the "## Python API" heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)
    assert len(section) == 2, "README.md has no '## Python API' section"
    body = section[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", body, re.DOTALL)
    assert match, "the Python API section has no ```python block"
    return match.group(1)


def test_readme_python_api_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(python_api_example(), "README.md (Python API)", "exec"), namespace)
    results = namespace["results"]
    out = capsys.readouterr().out
    assert results.variants == ["base", "teams.pool.csms=1", "teams.pool.csms=2", "teams.pool.csms=3"]  # type: ignore[attr-defined]
    assert "jit_share" in out and "grr" in out
    jit = results.metric("jit_share")["mean"]  # type: ignore[attr-defined]
    assert jit["teams.pool.csms=3"] > jit["teams.pool.csms=1"], "a bigger desk should guide more needs on time"
