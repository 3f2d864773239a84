"""``renda actor …`` and the registry at the CLI edge: exit codes, JSON, nothing
recorded on a refusal, and the OS user recorded beside the claimed actor."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.application.actors import REGISTRY_ENV
from renda_core.cli import cli
from renda_core.cli.context import os_user
from renda_core.projections.log import count_events, list_events
from tests.cli.test_deputy_cli import REGISTER


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(REGISTRY_ENV, "1")
    yield


def run(store: str, *args: str, actor: str = "boss", role: str = "staff") -> Result:
    return CliRunner().invoke(cli, ["--store", store, "--actor", actor, "--role", role, *args])


def events_in(store: str) -> int:
    with Renda(store) as app:
        return count_events(app)


def test_bootstrap_add_grant_revoke_list_show(store: str, on: None) -> None:
    refused = run(store, *REGISTER)
    assert refused.exit_code == 6 and "none is registered" in refused.output
    assert events_in(store) == 0
    someone_else = run(store, "actor", "add", "li", "--name", "李", "--role", "staff")
    assert someone_else.exit_code == 5 and "registers themselves" in someone_else.output
    first = run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["roles"] == ["staff"]
    added = run(
        store, "actor", "add", "zhang", "--name", "张三", "--role", "editor", "--role", "auditor"
    )
    assert added.exit_code == 0 and "editor, auditor" in added.output
    assert run(store, "actor", "grant", "zhang", "--role", "unit:省商务厅").exit_code == 0
    assert run(store, "actor", "revoke", "zhang", "--role", "editor").exit_code == 0
    shown = json.loads(run(store, "actor", "show", "zhang", "--json").output)
    assert shown["roles"] == ["auditor", "unit:省商务厅"] and shown["added_by"] == "boss"
    assert run(store, "actor", "grant", "zhang", "--role", "staff").exit_code == 0
    listed = json.loads(run(store, "actor", "list", "--json").output)
    assert [a["id"] for a in listed] == ["boss", "zhang"]
    assert run(store, "actor", "list", role="editor", actor="zhang").exit_code == 6
    revoked = run(store, "actor", "revoke", "zhang")
    assert revoked.exit_code == 0 and "revoked on" in revoked.output
    before = events_in(store)
    as_zhang = run(store, "actor", "list", actor="zhang", role="auditor")
    assert as_zhang.exit_code == 0  # reads are not checked against the registry
    late = run(store, *REGISTER, actor="zhang", role="staff")
    assert late.exit_code == 6 and "was revoked" in late.output
    assert run(store, "actor", "show", "nobody").exit_code == 4
    assert run(store, "actor", "grant", "boss", "--role", "king").exit_code == 3
    assert events_in(store) == before


def test_an_unregistered_actor_is_refused_with_json_error(store: str, on: None) -> None:
    assert run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff").exit_code == 0
    before = events_in(store)
    result = CliRunner().invoke(
        cli, ["--store", store, "--actor", "mallory", "--role", "staff", *REGISTER, "--json"]
    )
    assert result.exit_code == 6
    error = json.loads(result.stderr)
    assert error["error"] == "forbidden" and "not registered" in error["message"]
    assert events_in(store) == before


def test_the_os_user_is_recorded_beside_the_claimed_actor(store: str) -> None:
    result = run(store, *REGISTER, actor="claimed-clerk")
    assert result.exit_code == 0, result.output
    with Renda(store) as app:
        actor = list_events(app)[-1]["actor"]
    assert actor["id"] == "claimed-clerk" and actor["role"] == "staff"
    assert actor["os_user"] == os_user() and actor["os_user"]


def test_import_refuses_an_unregistered_line(store: str, on: None, tmp_path: object) -> None:
    from pathlib import Path

    assert run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff").exit_code == 0
    payload = {
        "name": "金美玉",
        "level": "provincial",
        "term": 14,
        "electoral_unit": "延边朝鲜族自治州人民代表大会",
        "area": "222401",
        "date": "2023-01-16",
    }
    lines = [
        {"id": "c1", "command": "deputy.register", "actor": {"id": "boss", "role": "staff"}},
        {"id": "c2", "command": "deputy.register", "actor": {"id": "eve", "role": "staff"}},
    ]
    path = Path(str(tmp_path)) / "in.jsonl"
    path.write_text(
        "".join(json.dumps({**line, "data": payload}, ensure_ascii=False) + "\n" for line in lines),
        encoding="utf-8",
    )
    before = events_in(store)
    result = run(store, "import", str(path))
    assert result.exit_code == 6 and "line 2" in result.output
    assert events_in(store) == before


def test_the_demo_writes_with_the_registry_off_and_leaves_it_on(store: str, on: None) -> None:
    demo = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.01"])
    assert demo.exit_code == 0, demo.output
    before = events_in(store)
    assert before > 100
    refused = run(store, *REGISTER, actor="demo-user")
    assert refused.exit_code == 6 and "none is registered" in refused.output
    assert events_in(store) == before
    assert run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff").exit_code == 0
    assert run(store, *REGISTER).exit_code == 0


def test_seals_and_tokens_need_a_registered_actor(
    store: str, on: None, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    key = Path(str(tmp_path)) / "k.pem"
    assert run(store, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    assert run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff").exit_code == 0
    before = events_in(store)
    sealed = run(store, "audit", "seal", actor="mallory")
    assert sealed.exit_code == 6 and "not registered" in sealed.output
    token = run(store, "token", "issue", "--actor", "svc", "--role", "auditor", actor="mallory")
    assert token.exit_code == 6 and "not registered" in token.output
    assert events_in(store) == before
    assert run(store, "audit", "seal").exit_code == 0
    assert run(store, "token", "issue", "--actor", "svc", "--role", "auditor").exit_code == 0


def test_the_registrys_history_names_who_did_what(store: str, on: None) -> None:
    from renda_core.domain.actor import registry_id

    assert run(store, "actor", "add", "boss", "--name", "王主任", "--role", "staff").exit_code == 0
    assert run(store, "actor", "add", "zhang", "--name", "张三", "--role", "editor").exit_code == 0
    assert run(store, "actor", "revoke", "zhang").exit_code == 0
    shown = run(store, "audit", "history", str(registry_id()), "--lang", "zh", "--json")
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.output)
    assert [r["what"] for r in rows] == ["建立操作人登记", "登记操作人", "登记操作人", "撤销操作人"]
    assert {(r["actor"], r["role_label"], r["os_user"]) for r in rows} == {
        ("boss", "工作人员", os_user())
    }
