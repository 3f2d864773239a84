"""The permission matrix: generated into docs/permissions.md, and every pair tried
through the application (every forbidden pair refused, nothing recorded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from renda_core import Actor, Renda
from renda_core.application.commands import COMMANDS
from renda_core.application.permissions import (
    ROLE_KINDS,
    allowed_roles,
    check_permission,
    permission_matrix,
)
from renda_core.docgen import render_permissions_markdown
from renda_core.domain.errors import Forbidden

DOCS = Path(__file__).parents[2] / "docs"


def actor_of(kind: str) -> Actor:
    role = f"{kind}:matrix" if kind in ("deputy", "unit", "leader") else kind
    return Actor("matrix-tester", role)


def test_permission_matrix_doc_is_current() -> None:
    current = (DOCS / "permissions.md").read_text(encoding="utf-8")
    assert current == render_permissions_markdown(), (
        "docs/permissions.md is stale: run "
        "`python -m renda_core.docgen permissions > docs/permissions.md`"
    )


def test_matrix_names_every_command_and_every_role() -> None:
    rows = permission_matrix()
    names = [name for name, *_ in rows]
    assert set(COMMANDS) <= set(names)
    assert {"events.list", "projections.rebuild", "audit.reproduce"} <= set(names)
    assert len(names) == len(set(names))
    for _, _, _, allowed in rows:
        assert set(allowed) == set(ROLE_KINDS)
    # the auditor never writes business events
    assert not any(allowed["auditor"] for _, kind, _, allowed in rows if kind == "write")


def test_every_pair_through_the_application(app: Renda) -> None:
    """Every role × every write command: a forbidden pair is refused before anything is
    loaded or validated, and nothing is recorded; an allowed pair passes the policy."""
    head = app.recorder.max_notification_id()
    refused = allowed = 0
    for name, spec in sorted(COMMANDS.items()):
        for kind in ROLE_KINDS:
            actor = actor_of(kind)
            if kind in spec.roles:
                check_permission(name, actor)
                allowed += 1
                continue
            with pytest.raises(Forbidden) as caught:
                getattr(app, spec.method)({}, actor)
            assert name.replace(".", " ") in str(caught.value)
            refused += 1
    assert app.recorder.max_notification_id() == head
    assert refused > 250 and allowed > 60
    assert refused + allowed == len(COMMANDS) * len(ROLE_KINDS)


def test_reads_and_operations_follow_the_matrix() -> None:
    for name, _, _, allowed in permission_matrix():
        for kind, ok in allowed.items():
            if ok:
                check_permission(name, actor_of(kind))
            else:
                with pytest.raises(Forbidden):
                    check_permission(name, actor_of(kind))
    assert allowed_roles("no.such.command") is None
    with pytest.raises(Forbidden):
        check_permission("no.such.command", actor_of("staff"))
