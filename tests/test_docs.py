"""Docs are part of the feature: the CLI reference is current, and code examples run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from renda_core.docgen import render_cli_markdown

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def test_cli_reference_is_current() -> None:
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == render_cli_markdown(), (
        "docs/cli.md is stale: run `python -m renda_core.docgen cli > docs/cli.md`"
    )


def test_chinese_cli_reference_is_current() -> None:
    current = (DOCS / "zh" / "cli.md").read_text(encoding="utf-8")
    assert current == render_cli_markdown("zh"), (
        "docs/zh/cli.md is stale: run `python -m renda_core.docgen cli --lang zh > docs/zh/cli.md`"
    )


RUNNABLE = ["embedding.md"]


@pytest.mark.parametrize("name", RUNNABLE)
def test_python_examples_in_docs_run(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = PYTHON_BLOCK.findall((DOCS / name).read_text(encoding="utf-8"))
    assert blocks, f"{name} has no python example"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, f"docs/{name}", "exec"), {"__name__": "__docs__"})
    assert os.path.exists(tmp_path / "embedded.sqlite")


def test_every_doc_page_is_linked_from_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        if page.name != "index.md":
            assert str(page.relative_to(DOCS)) in index, f"docs/index.md does not link {page}"


def test_event_catalogue_is_current() -> None:
    from renda_core.domain.catalogue import render, topics

    current = (DOCS / "events.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/events.md is stale: run `python -m renda_core.docgen events > docs/events.md`"
    )
    assert {"renda:Deputy.Registered", "renda:Station.ActivityHeld"} <= topics()
