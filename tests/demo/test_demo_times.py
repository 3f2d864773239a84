"""``RENDA_DEBUG_DEMO_TIMES``: ``renda demo`` prints each step's seconds (wall clock and
its own CPU) to stderr, and nothing of the kind without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from renda_core.cli import cli


def test_the_demo_prints_its_steps_times_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENDA_DEBUG_DEMO_TIMES", "1")
    store = str(tmp_path / "demo.sqlite")
    result = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.01"])
    assert result.exit_code == 0, result.output
    steps = re.findall(
        r"renda demo: step (\d+)/(\d+) .* (\d+\.\d) s \(CPU (\d+\.\d) s\)\n", result.stderr
    )
    assert steps and steps[-1][0] == steps[-1][1]  # the last step is the total
    assert [int(done) for done, _, _, _ in steps] == list(range(1, len(steps) + 1))
    for what in ("accountability, members, meetings", "waiting for the follower"):
        assert re.search(rf"renda demo: {what} \d+\.\d s \(CPU \d+\.\d s\)\n", result.stderr), what
    assert "renda demo: catch-up and report" in result.stderr


def test_the_demo_prints_no_times_unasked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RENDA_DEBUG_DEMO_TIMES", raising=False)
    store = str(tmp_path / "demo.sqlite")
    result = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.01"])
    assert result.exit_code == 0, result.output
    assert "renda demo:" not in result.stderr
