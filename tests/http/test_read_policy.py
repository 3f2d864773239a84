"""The read policy over HTTP: the token's actor is the reader (a sample of the matrix
in tests/audit/test_read_policy.py), and an auditor's ``reason=`` is recorded first."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.application.readpolicy import REDACTED
from tests.audit.policy_world import CITIZEN, CITIZEN_PHONE, PHONE, UNIT, build_world
from tests.http.conftest import TokenFor, bearer, head


def test_records_follow_the_read_policy(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    w = build_world(api._application)
    other = bearer(token_for("unit:其他厅"))
    referred = bearer(token_for(f"unit:{UNIT}"))
    auditor = bearer(token_for("auditor", "au-1"))
    editor = bearer(token_for("editor"))
    before = head(api)  # issuing a token records an event: all issued above
    refused = client.get(f"/v1/records/{w.o1}", headers=other)
    assert refused.status_code == 403 and CITIZEN not in refused.text
    shown = client.get(f"/v1/records/{w.o1}", headers=referred).json()
    assert shown["state"]["citizen_name"] == CITIZEN
    redacted = client.get(f"/v1/records/{w.o1}", headers=auditor).json()
    assert redacted["state"]["citizen_name"] == REDACTED and CITIZEN_PHONE not in json.dumps(
        redacted, ensure_ascii=False
    )
    deputy = client.get(f"/v1/records/{w.a}", headers=editor).json()
    assert deputy["state"]["phone"] == REDACTED and deputy["state"]["id"] == w.a
    assert head(api) == before  # reads without a reason record nothing
    reasoned = client.get(f"/v1/records/{w.o1}", params={"reason": "审计抽查"}, headers=auditor)
    assert reasoned.json()["state"]["citizen_name"] == CITIZEN
    assert head(api) == before + 1


def test_the_log_over_http_is_staff_and_auditors_redacted(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    w = build_world(api._application)
    editor = bearer(token_for("editor"))
    assert client.get("/v1/events", headers=editor).status_code == 403
    assert client.get(f"/v1/records/{w.a}/history", headers=editor).status_code == 403
    auditor = bearer(token_for("auditor", "au-1"))
    page = client.get("/v1/events", params={"limit": 1000}, headers=auditor)
    assert page.status_code == 200 and PHONE not in page.text and CITIZEN not in page.text
    history = client.get(f"/v1/records/{w.a}/history", headers=auditor)
    assert history.status_code == 200 and PHONE not in history.text
    staff = client.get("/v1/events", params={"limit": 1000}, headers=bearer(token_for("staff")))
    assert PHONE in staff.text and CITIZEN in staff.text
