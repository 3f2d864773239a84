"""Every role × every command over HTTP: allowed, or 403 with nothing recorded; and a
token can never act as another actor."""

from __future__ import annotations

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.application.commands import COMMANDS
from renda_core.application.permissions import role_kind
from tests.http.conftest import ROLES, TokenFor, bearer, head, register_body


def test_permission_matrix(client: TestClient, api: RendaAPI, token_for: TokenFor) -> None:
    tokens = {role: token_for(role) for role in ROLES}
    before = head(api)
    checked = 0
    for spec in COMMANDS.values():
        for role, token in tokens.items():
            # an empty body: the permission is checked before the data (as in the CLI)
            answer = client.post(f"/v1/commands/{spec.name}", json={}, headers=bearer(token))
            if role_kind(role) in spec.roles:
                assert answer.status_code == 400, (spec.name, role, answer.text)
            else:
                assert answer.status_code == 403, (spec.name, role, answer.text)
                assert answer.json()["type"] == "urn:renda:problem:forbidden"
            checked += 1
    assert checked == len(COMMANDS) * len(ROLES)
    assert head(api) == before  # nothing recorded by any of them


def test_forbidden_with_valid_data_records_nothing(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    tokens = {role: token_for(role) for role in ROLES}
    before = head(api)
    for role in ROLES:
        allowed = role_kind(role) in COMMANDS["deputy.register"].roles
        answer = client.post(
            "/v1/commands/deputy.register", json=register_body(), headers=bearer(tokens[role])
        )
        assert answer.status_code == (200 if allowed else 403), role
    assert head(api) == before + sum(
        role_kind(r) in COMMANDS["deputy.register"].roles for r in ROLES
    )


def test_a_token_cannot_act_as_another_actor(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for("staff", "clerk-2")
    deputy = token_for("deputy:d-9", "d-9")
    before = head(api)
    other = {
        "id": "b-1",
        "command": "deputy.register",
        "actor": {"id": "clerk-1", "role": "staff"},
        "data": register_body(),
    }
    answer = client.post("/v1/commands:batch", json=[other], headers=bearer(token))
    assert answer.status_code == 403 and head(api) == before
    higher = {**other, "actor": {"id": "clerk-2", "role": "editor"}}
    answer = client.post("/v1/commands:batch", json=[higher], headers=bearer(token))
    assert answer.status_code == 403 and head(api) == before
    # headers claiming an actor change nothing: the token decides
    answer = client.post(
        "/v1/commands/deputy.register",
        json=register_body(),
        headers={**bearer(token), "X-Renda-Actor": "clerk-1", "X-Renda-Role": "staff"},
    )
    assert answer.status_code == 200
    (event,) = api.history(answer.json()["result"])
    assert event.actor == {"id": "clerk-2", "role": "staff"}
    # a deputy's token cannot issue a staff command by naming staff in an envelope
    staffed = {**other, "actor": {"id": "d-9", "role": "staff"}}
    answer = client.post("/v1/commands:batch", json=[staffed], headers=bearer(deputy))
    assert answer.status_code == 403
    assert head(api) == before + 1
