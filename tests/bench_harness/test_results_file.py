"""The benchmarks' results file names the code it measured (``benchmarks/run.py``), so a
figure in docs/performance.md can be traced to a commit. No time is asserted."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from benchmarks import run
from benchmarks.common import Figure


def test_results_file_names_the_commit_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(run.__file__).resolve().parent.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.fail("the benchmarks are run from a git checkout; this one has no .git")
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    figure = Figure("f", 1.0, 2.0, "s", 0.5, "ratio >= 0.5", True, "sqlite", {})
    path = run.write("sqlite", True, {"modules": {"run": "ran"}, "figures": [figure]}, None)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["code"]["commit"] == head
    assert isinstance(payload["code"]["modified"], bool)
    assert payload["figures"][0]["ratio"] == 0.5


def test_no_code_outside_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(run.subprocess, "run", no_git)
    assert run.code() == {}
