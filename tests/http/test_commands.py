"""Commands over HTTP: the same models, errors as problems, exactly once per key."""

from __future__ import annotations

import threading
from uuid import UUID

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.http.problems import MEDIA_TYPE
from renda_core.http.tokens import revoke_token
from tests.conftest import STAFF
from tests.http.conftest import TokenFor, bearer, head, register_body


def test_a_command_records_what_the_api_records(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for("staff", "clerk-9")
    before = head(api)
    answer = client.post(
        "/v1/commands/deputy.register", json=register_body(), headers=bearer(token)
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["command"] == "deputy.register" and body["replayed"] is False
    deputy = api.get_deputy(body["result"])
    assert deputy.name == "金美玉" and deputy.level == "provincial"
    assert head(api) == before + 1
    (event,) = api.history(body["result"])
    assert event.actor == {"id": "clerk-9", "role": "staff"}  # the token's actor, nobody else

    record = client.get(f"/v1/records/{body['result']}", headers=bearer(token))
    assert record.status_code == 200
    assert record.json()["kind"] == "Deputy" and record.json()["state"]["name"] == "金美玉"
    history = client.get(f"/v1/records/{body['result']}/history", headers=bearer(token))
    assert [e["topic"] for e in history.json()] == ["renda:Deputy.Registered"]
    assert history.json()[0]["actor"] == {"id": "clerk-9", "role": "staff"}


def test_invalid_input_is_a_problem_listing_each_field(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    before = head(api)
    answer = client.post(
        "/v1/commands/deputy.register",
        json=register_body(level="galactic", area="99"),
        headers=bearer(token),
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith(MEDIA_TYPE)
    problem = answer.json()
    assert problem["type"] == "urn:renda:problem:invalid_input" and problem["status"] == 400
    assert {e["field"] for e in problem["errors"]} >= {"level", "area"}
    assert head(api) == before
    # a body that is not an object, an unknown field (the actor cannot be given either)
    for body in ([1, 2], {**register_body(), "actor": {"id": "x", "role": "staff"}}):
        answer = client.post("/v1/commands/deputy.register", json=body, headers=bearer(token))
        assert answer.status_code == 400 and answer.json()["errors"]
    assert head(api) == before


def test_error_kinds_have_their_status(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    missing = str(UUID(int=7))
    answer = client.post(
        "/v1/commands/deputy.terminate",
        json={"deputy_id": missing, "reason": "resignation", "date": "2024-01-02"},
        headers=bearer(token),
    )
    assert answer.status_code == 404 and answer.json()["type"].endswith(":not_found")
    did = api.register_deputy(register_body())
    stop = {"deputy_id": str(did), "reason": "resignation", "date": "2024-01-02"}
    assert client.post("/v1/commands/deputy.terminate", json=stop, headers=bearer(token)).is_success
    again = client.post("/v1/commands/deputy.terminate", json=stop, headers=bearer(token))
    assert again.status_code == 409 and again.json()["type"].endswith(":rule_violated")
    assert client.post("/v1/commands/no.such", json={}, headers=bearer(token)).status_code == 404
    assert client.get(f"/v1/records/{missing}", headers=bearer(token)).status_code == 404
    assert client.get("/v1/records/not-a-uuid", headers=bearer(token)).status_code == 400


def test_requests_need_a_valid_token(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    before = head(api)
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("renda_" + "x" * 43)):
        answer = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["type"] == "urn:renda:problem:unauthorized"
        assert answer.headers["www-authenticate"].startswith("Bearer")
    token = token_for()
    assert client.get("/v1/events", headers=bearer(token)).status_code == 200
    from renda_core.domain.token import ApiToken
    from renda_core.http.tokens import token_hash

    revoke_token(api, str(ApiToken.create_id(token_hash(token))), reason="left", actor=STAFF)
    assert client.get("/v1/events", headers=bearer(token)).status_code == 401
    after = head(api)
    answer = client.post(
        "/v1/commands/deputy.register", json=register_body(), headers=bearer(token)
    )
    assert answer.status_code == 401 and head(api) == after
    assert before < after  # issuing and revoking were recorded (as ApiToken events)


def test_an_expired_token_authenticates_nothing(api: RendaAPI, token_for: TokenFor) -> None:
    from datetime import UTC, datetime, timedelta

    from renda_core.http.tokens import authenticate, issue_token

    issued = issue_token(
        api,
        holder_id="svc",
        holder_role="auditor",
        expires="1h",
        note="short",
        actor=STAFF,
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    import pytest

    from renda_core import NotFound

    with pytest.raises(NotFound):
        authenticate(api, issued.token)
    assert authenticate(api, token_for("auditor", "a-1")).id == "a-1"


def test_the_same_key_twice_records_one_set_of_events(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    headers = {**bearer(token), "Idempotency-Key": "oa-2024-0001"}
    before = head(api)
    first = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert first.status_code == 200 and first.json()["replayed"] is False
    middle = head(api)
    assert middle == before + 1
    second = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert second.status_code == 200 and second.json()["replayed"] is True
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["result"] == first.json()["result"]
    assert head(api) == middle
    # the same key with other content is refused, nothing recorded
    other = client.post(
        "/v1/commands/deputy.register", json=register_body(name="李明"), headers=headers
    )
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert head(api) == middle
    # a command returning nothing replays as nothing
    stop = {"deputy_id": first.json()["result"], "reason": "resignation", "date": "2024-01-02"}
    key = {**bearer(token), "Idempotency-Key": "oa-2024-0002"}
    one = client.post("/v1/commands/deputy.terminate", json=stop, headers=key)
    two = client.post("/v1/commands/deputy.terminate", json=stop, headers=key)
    assert one.status_code == two.status_code == 200
    assert two.json()["replayed"] and two.json()["result"] is None
    assert head(api) == middle + 1


def test_the_same_key_sent_at_once_is_applied_once(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    headers = {**bearer(token), "Idempotency-Key": "race-1"}
    before = head(api)
    answers: list[int] = []
    results: list[object] = []

    def send() -> None:
        answer = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
        answers.append(answer.status_code)
        if answer.status_code == 200:
            results.append(answer.json()["result"])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert head(api) == before + 1
    assert set(answers) <= {200, 409}
    assert answers.count(200) >= 1 and len(set(results)) == 1  # each 200: the first result
