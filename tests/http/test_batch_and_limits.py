"""Batches (the envelope of ``renda import``, atomic) and the limits: 413, 429, CORS."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.http.limits import HttpSettings
from tests.http.conftest import TokenFor, bearer, head, make_client, register_body


def envelope(cid: str, **data: object) -> dict[str, object]:
    return {"id": cid, "command": "deputy.register", "data": register_body(**data)}


def test_a_batch_is_one_transaction(client: TestClient, api: RendaAPI, token_for: TokenFor) -> None:
    token = token_for("staff", "clerk-3")
    before = head(api)
    good = [envelope("b-1", name="甲"), envelope("b-2", name="乙")]
    terminate = {
        "id": "b-3",
        "command": "deputy.terminate",
        "data": {"deputy_id": "@b-1", "reason": "resignation", "date": "2024-01-02"},
    }
    again = {**terminate, "id": "b-4"}  # terminating twice breaks a rule: nothing written
    answer = client.post(
        "/v1/commands:batch", json=[*good, terminate, again], headers=bearer(token)
    )
    assert answer.status_code == 409, answer.text
    assert head(api) == before
    answer = client.post("/v1/commands:batch", json=[*good, terminate], headers=bearer(token))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"total": 3, "applied": 3, "skipped": 0, "failed": 0, "error": None}
    assert head(api) == before + 3
    # JSON Lines, re-sent: every command id already applied is skipped
    lines = "\n".join(json.dumps(e) for e in [*good, terminate])
    answer = client.post(
        "/v1/commands:batch",
        content=lines.encode(),
        headers={**bearer(token), "Content-Type": "application/x-ndjson"},
    )
    assert answer.json()["skipped"] == 3 and head(api) == before + 3
    bad = client.post(
        "/v1/commands:batch", json=[envelope("b-9", level="x")], headers=bearer(token)
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].startswith("line 1")


def test_limits_answer_413_and_429(api: RendaAPI, token_for: TokenFor) -> None:
    token = token_for()
    settings = HttpSettings(max_body_bytes=2000, max_batch=2, rate_per_minute=0)
    with make_client(api, settings) as client:
        before = head(api)
        big = register_body(name="名" * 2000)
        answer = client.post("/v1/commands/deputy.register", json=big, headers=bearer(token))
        assert answer.status_code == 413
        assert answer.json()["type"] == "urn:renda:problem:payload_too_large"
        three = [envelope(f"c-{i}", name=f"代表{i}") for i in range(3)]
        answer = client.post("/v1/commands:batch", json=three, headers=bearer(token))
        assert answer.status_code == 413
        assert head(api) == before
    with make_client(api, HttpSettings(rate_per_minute=60, burst=3)) as client:
        codes = [client.get("/v1/events", headers=bearer(token)).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        limited = client.get("/v1/events", headers=bearer(token))
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/v1/health").status_code == 200  # health is never limited


def test_cors_is_off_by_default(api: RendaAPI, token_for: TokenFor) -> None:
    preflight = {
        "Origin": "https://oa.example.org",
        "Access-Control-Request-Method": "POST",
    }
    with make_client(api) as client:
        answer = client.options("/v1/commands/deputy.register", headers=preflight)
        assert "access-control-allow-origin" not in answer.headers
    settings = HttpSettings(rate_per_minute=0, cors_origins=("https://oa.example.org",))
    with make_client(api, settings) as client:
        answer = client.options("/v1/commands/deputy.register", headers=preflight)
        assert answer.headers["access-control-allow-origin"] == "https://oa.example.org"
