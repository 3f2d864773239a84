"""Operational commands are guarded and recorded: ``projections rebuild`` needs staff
and leaves an ``Operation.Performed`` event; ``events list`` is for staff and auditors."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from renda_core.cli import cli
from renda_core.cli.context import Env, os_user
from tests.audit.raw import register


def run(store: str, role: str, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--store", store, "--role", role, "--actor", "op-1", *args], obj=Env(store=store)
    )


def events(store: str) -> list[dict[str, object]]:
    listed = run(store, "auditor", "events", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows: list[dict[str, object]] = json.loads(listed.output)
    return rows


def test_rebuild_needs_staff_and_is_recorded(store: str) -> None:
    register(store, 2)
    before = events(store)
    for role in (
        "auditor",
        "unit:某局",
        "deputy:x",
        "editor",
        "leader:某",
    ):
        refused = run(store, role, "projections", "rebuild")
        assert refused.exit_code == 6, (role, refused.output)
    assert events(store) == before  # nothing recorded on a refusal
    rebuilt = run(store, "staff", "projections", "rebuild", "deputy_roster")
    assert rebuilt.exit_code == 0, rebuilt.output
    after = events(store)
    assert len(after) == len(before) + 1
    last = after[-1]
    assert last["topic"] == "renda:Operation.Performed"
    assert last["actor"] == {"id": "op-1", "role": "staff", "os_user": os_user()}
    assert last["data"]["command"] == "projections.rebuild"  # type: ignore[index]
    assert last["data"]["targets"] == ["deputy_roster"]  # type: ignore[index]


def test_events_list_is_for_staff_and_auditors(store: str) -> None:
    register(store, 1)
    for role in ("unit:其他厅", "deputy:x", "editor", "leader:某"):
        assert run(store, role, "events", "list").exit_code == 6, role
    assert run(store, "staff", "events", "list", "--json").exit_code == 0
