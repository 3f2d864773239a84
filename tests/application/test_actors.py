"""Actors who are who they say: the actor registry (``actor.add/grant/revoke``) and its
enforcement on every write (commands, operations, import), on SQLite and PostgreSQL.

These tests turn the registry on explicitly (the rest of the suite opts out in
``tests/conftest.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from renda_core import Actor, Renda
from renda_core.application.actors import REGISTRY_ENV, registry_required
from renda_core.application.importer import apply_commands, parse_lines
from renda_core.application.operations import record_operation
from renda_core.application.store import parse_store
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import count_events, list_events
from tests.conftest import register_payload

BOSS = Actor("boss", "staff")
CLERK = Actor("clerk-2", "staff")


@pytest.fixture
def reg(store: str) -> Iterator[Renda]:
    """A store with the registry on, and nobody registered yet."""
    with Renda(store, require_registered_actors=True) as application:
        yield application


@pytest.fixture
def booted(reg: Renda) -> Renda:
    """The registry with its first staff (``boss``) and a clerk."""
    reg.add_actor({"actor_id": "boss", "name": "王主任", "roles": ["staff"]}, BOSS)
    reg.add_actor({"actor_id": "clerk-2", "name": "李干事", "roles": ["staff", "auditor"]}, BOSS)
    return reg


def refused(app: Renda, error: type[Exception], call: Any, match: str) -> None:
    """``call`` raises ``error`` (message containing ``match``) and records nothing."""
    before = count_events(app)
    with pytest.raises(error) as caught:
        call()
    assert match in str(caught.value)
    assert count_events(app) == before


def test_bootstrap_the_first_actor_registers_themselves_as_staff(reg: Renda) -> None:
    # nothing else is accepted on an empty registry, not even from staff
    refused(
        reg, Forbidden, lambda: reg.register_deputy(register_payload(), BOSS), "none is registered"
    )
    # the first add must register the acting actor, with staff, acting as staff
    refused(
        reg,
        RuleViolated,
        lambda: reg.add_actor({"actor_id": "other", "name": "某", "roles": ["staff"]}, BOSS),
        "registers themselves",
    )
    refused(
        reg,
        RuleViolated,
        lambda: reg.add_actor({"actor_id": "boss", "name": "王主任", "roles": ["auditor"]}, BOSS),
        "registers themselves",
    )
    reg.add_actor({"actor_id": "boss", "name": "王主任", "roles": ["staff"]}, BOSS)
    assert reg.registered_actor("boss")["roles"] == ["staff"]
    added = [e for e in list_events(reg) if e["topic"] == "renda:ActorRegistry.ActorAdded"]
    assert added[0]["actor"] == {"id": "boss", "role": "staff"}
    assert added[0]["data"]["name"] == "王主任"
    # now the registered staff may write
    reg.register_deputy(register_payload(), BOSS)


def test_unknown_revoked_and_ungranted_actors_are_refused(booted: Renda) -> None:
    app = booted
    write = lambda actor: lambda: app.register_deputy(register_payload(), actor)  # noqa: E731
    refused(app, Forbidden, write(Actor("stranger", "staff")), "not registered")
    app.add_actor({"actor_id": "ed", "name": "编辑", "roles": ["editor"]}, BOSS)
    refused(app, Forbidden, write(Actor("ed", "staff")), "not granted the role staff")
    app.revoke_actor({"actor_id": "clerk-2"}, BOSS)
    refused(app, Forbidden, write(CLERK), "was revoked")
    assert app.registered_actor("clerk-2")["status"] == "revoked"
    # the revoked actor can never come back under the same id
    refused(
        app,
        RuleViolated,
        lambda: app.add_actor({"actor_id": "clerk-2", "name": "李", "roles": ["staff"]}, BOSS),
        "revoked",
    )
    refused(
        app,
        RuleViolated,
        lambda: app.grant_role({"actor_id": "clerk-2", "role": "staff"}, BOSS),
        "revoked",
    )
    # managing the registry needs a registered staff too
    refused(
        app,
        Forbidden,
        lambda: app.add_actor(
            {"actor_id": "x", "name": "某", "roles": ["staff"]}, Actor("x", "staff")
        ),
        "not registered",
    )
    # and the role kind: only staff manages actors
    refused(
        app,
        Forbidden,
        lambda: app.add_actor(
            {"actor_id": "x", "name": "某", "roles": ["staff"]}, Actor("clerk-2", "auditor")
        ),
        "staff",
    )


def test_grant_and_revoke_one_role(booted: Renda) -> None:
    app = booted
    unit = Actor("zhang", "unit:省商务厅")
    app.add_actor({"actor_id": "zhang", "name": "张三", "roles": ["editor"]}, BOSS)
    refused(
        app, Forbidden, lambda: app.reply_suggestion({}, unit), "not granted the role unit:省商务厅"
    )
    app.grant_role({"actor_id": "zhang", "role": "unit:省商务厅"}, CLERK)
    assert app.registered_actor("zhang")["roles"] == ["editor", "unit:省商务厅"]
    # now the registry lets the unit through; the command itself checks its input
    with pytest.raises(InvalidInput):
        app.reply_suggestion({}, unit)
    app.revoke_actor({"actor_id": "zhang", "role": "unit:省商务厅"}, BOSS)
    refused(app, Forbidden, lambda: app.reply_suggestion({}, unit), "not granted")
    refused(
        app,
        RuleViolated,
        lambda: app.revoke_actor({"actor_id": "zhang", "role": "unit:省商务厅"}, BOSS),
        "does not have the role",
    )
    refused(
        app,
        RuleViolated,
        lambda: app.grant_role({"actor_id": "zhang", "role": "editor"}, BOSS),
        "already has",
    )
    refused(
        app,
        NotFound,
        lambda: app.grant_role({"actor_id": "nobody", "role": "editor"}, BOSS),
        "nobody",
    )
    refused(
        app,
        InvalidInput,
        lambda: app.grant_role({"actor_id": "zhang", "role": "king"}, BOSS),
        "role",
    )
    recorded = [e for e in list_events(app) if e["topic"].startswith("renda:ActorRegistry.Role")]
    assert [(e["topic"].rsplit(".", 1)[1], e["actor"]["id"]) for e in recorded] == [
        ("RoleGranted", "clerk-2"),
        ("RoleRevoked", "boss"),
    ]


def test_the_last_staff_cannot_be_revoked(booted: Renda) -> None:
    app = booted
    app.revoke_actor({"actor_id": "clerk-2", "role": "staff"}, BOSS)
    refused(app, RuleViolated, lambda: app.revoke_actor({"actor_id": "boss"}, BOSS), "last staff")
    refused(
        app,
        RuleViolated,
        lambda: app.revoke_actor({"actor_id": "boss", "role": "staff"}, BOSS),
        "last staff",
    )


def test_deputy_roles_name_an_active_registered_deputy(booted: Renda) -> None:
    app = booted
    deputy_id = app.register_deputy(register_payload(), BOSS)
    ghost = "00000000-0000-0000-0000-000000000000"
    me = Actor("jin", f"deputy:{deputy_id}")
    app.add_actor(
        {"actor_id": "jin", "name": "金美玉", "roles": [f"deputy:{deputy_id}", f"deputy:{ghost}"]},
        BOSS,
    )
    draft = {
        "title": "关于口岸建设的建议",
        "body": "建议……",
        "channel": "闭会期间",
        "source": "列席代表座谈会",
        "date": "2024-09-01",
    }
    app.draft_suggestion(draft, me)
    refused(
        app,
        Forbidden,
        lambda: app.draft_suggestion(draft, Actor("jin", f"deputy:{ghost}")),
        "not a registered deputy",
    )
    app.terminate_deputy({"deputy_id": deputy_id, "reason": "transfer", "date": "2024-10-01"}, BOSS)
    refused(app, Forbidden, lambda: app.draft_suggestion(draft, me), "mandate ended")


def test_deputy_roles_are_checked_with_the_registry_off(app: Renda, staff: Actor) -> None:
    assert not app.require_registered_actors
    draft = {
        "title": "关于口岸建设的建议",
        "body": "建议……",
        "channel": "闭会期间",
        "source": "列席代表座谈会",
        "date": "2024-09-01",
    }
    ghost = Actor("x", "deputy:00000000-0000-0000-0000-000000000000")
    refused(app, Forbidden, lambda: app.draft_suggestion(draft, ghost), "not a registered deputy")
    refused(
        app, Forbidden, lambda: app.draft_suggestion(draft, Actor("x", "deputy:abc")), "deputy's id"
    )
    station_like = app.register_deputy(register_payload(), staff)  # a deputy …
    app.terminate_deputy(
        {"deputy_id": station_like, "reason": "death", "date": "2024-02-01"}, staff
    )
    late = Actor("jin", f"deputy:{station_like}")
    refused(app, Forbidden, lambda: app.draft_suggestion(draft, late), "mandate ended")
    # … and anyone else may write, registered or not (the registry is off)
    app.register_deputy(register_payload(name="李春华"), Actor("anyone", "staff"))


def test_recorded_operations_are_checked_too(booted: Renda) -> None:
    refused(
        booted,
        Forbidden,
        lambda: record_operation(booted, "projections.rebuild", ["x"], Actor("stranger", "staff")),
        "not registered",
    )
    record_operation(booted, "projections.rebuild", ["x"], BOSS)


def _line(n: int, actor: dict[str, str], **data: Any) -> str:
    return json.dumps(
        {
            "id": f"c{n}",
            "command": "deputy.register",
            "actor": actor,
            "data": register_payload(**data),
        },
        ensure_ascii=False,
    )


def test_import_refuses_lines_from_unregistered_actors_before_writing(booted: Renda) -> None:
    lines = [
        _line(1, {"id": "boss", "role": "staff"}, name="甲"),
        _line(2, {"id": "stranger", "role": "staff"}, name="乙"),
        _line(3, {"id": "clerk-2", "role": "editor"}, name="丙"),
    ]
    before = count_events(booted)
    with pytest.raises(Forbidden) as caught:
        apply_commands(booted, parse_lines(lines))
    assert "2 line(s)" in str(caught.value) and "line 2" in str(caught.value)
    assert count_events(booted) == before
    # registered actors import, and the importing OS user is recorded beside them
    result = apply_commands(booted, parse_lines(lines[:1]), os_user="ops")
    assert result.applied == 1
    last = list_events(booted)[-1]
    assert last["actor"] == {"id": "boss", "role": "staff", "os_user": "ops"}


def test_the_registry_is_on_by_default_for_postgresql_only(monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite = parse_store("x.sqlite")
    postgres = parse_store("postgresql://u:p@localhost:5432/db")
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    assert registry_required(postgres) and not registry_required(sqlite)
    monkeypatch.setenv(REGISTRY_ENV, "0")
    assert not registry_required(postgres)
    monkeypatch.setenv(REGISTRY_ENV, "1")
    assert registry_required(sqlite)
    assert not registry_required(sqlite, False)  # the parameter wins
    monkeypatch.setenv(REGISTRY_ENV, "maybe")
    with pytest.raises(InvalidInput):
        registry_required(sqlite)


def test_the_environment_turns_the_registry_on(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REGISTRY_ENV, "1")
    with Renda(store) as app:
        assert app.require_registered_actors
        refused(app, Forbidden, lambda: app.register_deputy(register_payload(), BOSS), "registered")


def test_reads_are_not_checked_against_the_registry(booted: Renda) -> None:
    deputy_id = booted.register_deputy(register_payload(), BOSS)
    assert booted.deputy(deputy_id)["name"] == "金美玉"  # reads take no actor at all
    assert [a["id"] for a in booted.actors()] == ["boss", "clerk-2"]


def test_events_without_os_user_replay_and_none_is_not_written() -> None:
    from renda_core.application.base import ActorAsDict

    transcoding = ActorAsDict()
    old = transcoding.decode({"id": "clerk-1", "role": "staff"})  # as recorded before
    assert old == Actor("clerk-1", "staff") and old.os_user is None
    # an actor without os_user is stored exactly as before (same bytes, same chain hash)
    assert transcoding.encode(Actor("clerk-1", "staff")) == {"id": "clerk-1", "role": "staff"}
    with_user = Actor("clerk-1", "staff", "li")
    assert transcoding.decode(transcoding.encode(with_user)).os_user == "li"
    assert with_user == Actor("clerk-1", "staff")  # not part of the actor's identity
