"""The public API is a conscious contract: its names and signatures are pinned, and its
reference (docs/api.md) is generated from the docstrings and current."""

from __future__ import annotations

import json
from pathlib import Path

import renda_core
from renda_core.docgen import public_api, render_api_markdown

ROOT = Path(__file__).parents[2]
SNAPSHOT = Path(__file__).parent / "public_api.json"


def test_public_names_and_signatures_match_the_snapshot() -> None:
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert public_api() == pinned, (
        "the public API changed: if that is intended, follow semantic versioning "
        "(a removed or changed name or signature is a major change; an added one minor), "
        "bump renda_core.__version__ and pyproject.toml, add a docs/changelog.md entry, and "
        "run `python -m renda_core.docgen api-snapshot > tests/api/public_api.json`"
    )


def test_the_snapshot_is_of_this_version() -> None:
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert pinned["version"] == renda_core.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{renda_core.__version__}"\n' in pyproject
    changelog = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert f"## {renda_core.__version__}" in changelog


def test_api_reference_is_current() -> None:
    current = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == render_api_markdown(), (
        "docs/api.md is stale: run `python -m renda_core.docgen api > docs/api.md`"
    )


def test_every_public_name_is_in_the_reference() -> None:
    text = render_api_markdown()
    for name in renda_core.__all__:
        if name != "__version__":
            assert f"`{name}" in text, name
