"""The README's tour runs as written: its shell block, line for line, in order, on a
copy of the clone's files (``examples/``), with this interpreter's ``renda``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]


def tour_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A short tour of the CLI", 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found, "the README has no tour block"
    return found.group(1)


def test_the_tour_block_uses_only_shipped_files() -> None:
    block = tour_block()
    for name in re.findall(r"examples/[\w.-]+", block):
        assert (ROOT / name).is_file(), name
    assert "…" not in block and "..." not in block  # no placeholder lines


@pytest.mark.skipif(shutil.which("bash") is None, reason="the tour is a bash script")
def test_readme_tour_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "renda").exists(), "renda is not installed beside this interpreter"
    # the set-up made .venv; here it is this interpreter's environment
    activate = tmp_path / ".venv" / "bin" / "activate"
    activate.parent.mkdir(parents=True)
    activate.write_text(f'export PATH="{bin_dir}:$PATH"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENDA_", "LC_", "LANG"))}
    env["LANG"] = "C.UTF-8"  # a machine that says nothing about language: Chinese
    script = "set -euo pipefail\n" + tour_block()
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("exit 6")  # the auditor is refused
    assert "不能执行 deputy terminate" in result.stderr  # Chinese by default (docs/i18n.md)
    book = openpyxl.load_workbook(tmp_path / "年度报告.xlsx")
    assert len(book.sheetnames) == 6
    roster = openpyxl.load_workbook(tmp_path / "代表名单.xlsx").worksheets[0]
    names = {row[1] for row in roster.iter_rows(min_row=2, values_only=True)}
    assert {"金美玉", "李建国", "金美善", "崔英哲"} <= names
    assert (tmp_path / "2026.html").stat().st_size > 1000
