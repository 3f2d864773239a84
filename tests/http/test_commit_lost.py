"""An HTTP command on PostgreSQL whose ``COMMIT`` lost its answer (the server ended the
session under it: ``pg_terminate_backend`` from another connection). With an
``Idempotency-Key`` it is sent once more, which the key makes safe — recorded once
whether the first ``COMMIT`` went through or not; without one it is a 503 saying to
check before sending it again, and it is not sent again."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from renda_core import RendaAPI
from tests.commit_loss import lose_commits
from tests.http.conftest import TokenFor, bearer, head, register_body

pytestmark = pytest.mark.postgres


@pytest.fixture
def backend() -> str:
    return "postgres"


@pytest.mark.parametrize("committed", [False, True])
def test_a_keyed_command_whose_commit_lost_its_answer_is_recorded_once(
    client: TestClient,
    api: RendaAPI,
    token_for: TokenFor,
    pg_admin: Any,
    monkeypatch: pytest.MonkeyPatch,
    committed: bool,
) -> None:
    headers = {**bearer(token_for()), "Idempotency-Key": "oa-lost-1"}
    before = head(api)
    ended = lose_commits(monkeypatch, pg_admin, committed=committed, times=1)
    answer = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert len(ended) == 1  # the first COMMIT's answer was lost: the retry was tested
    assert answer.status_code == 200, answer.text
    assert answer.json()["replayed"] is committed  # the first's result when it committed
    assert head(api) == before + 1
    again = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert again.json()["replayed"] is True
    assert again.json()["result"] == answer.json()["result"]
    assert head(api) == before + 1


def test_a_keyed_command_is_sent_again_once_only(
    client: TestClient,
    api: RendaAPI,
    token_for: TokenFor,
    pg_admin: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = {**bearer(token_for()), "Idempotency-Key": "oa-lost-2"}
    before = head(api)
    ended = lose_commits(monkeypatch, pg_admin, committed=False, times=5)
    answer = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert len(ended) == 2
    assert answer.status_code == 503
    # in the answer's language (zh by default): 「…可能已记录，也可能未记录；请先核实…」
    assert "可能已记录，也可能未记录；请先核实" in answer.json()["detail"], answer.text
    assert head(api) == before


def test_a_command_without_a_key_is_not_sent_again_and_says_to_check(
    client: TestClient,
    api: RendaAPI,
    token_for: TokenFor,
    pg_admin: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = {**bearer(token_for()), "Accept-Language": "en"}  # a write: before the loss
    before = head(api)
    ended = lose_commits(monkeypatch, pg_admin, committed=False, times=5)
    answer = client.post("/v1/commands/deputy.register", json=register_body(), headers=headers)
    assert len(ended) == 1
    assert answer.status_code == 503
    assert "it may or may not have been recorded; check" in answer.json()["detail"]
    assert head(api) == before


@pytest.mark.parametrize("committed", [False, True])
def test_a_batch_whose_commit_lost_its_answer_is_recorded_once(
    client: TestClient,
    api: RendaAPI,
    token_for: TokenFor,
    pg_admin: Any,
    monkeypatch: pytest.MonkeyPatch,
    committed: bool,
) -> None:
    headers = bearer(token_for("staff", "clerk-3"))
    envelopes = [
        {"id": f"lost-b-{n}", "command": "deputy.register", "data": register_body(name=name)}
        for n, name in enumerate(["甲", "乙"])
    ]
    before = head(api)
    ended = lose_commits(monkeypatch, pg_admin, committed=committed, times=1)
    answer = client.post("/v1/commands:batch", json=envelopes, headers=headers)
    assert len(ended) == 1
    assert answer.status_code == 200, answer.text
    # sent once more: the ids the first attempt recorded are skipped
    expected = (0, 2) if committed else (2, 0)
    assert (answer.json()["applied"], answer.json()["skipped"]) == expected
    assert head(api) == before + 2
