"""Reports, the event log as CloudEvents, health and the OpenAPI document."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.application.commands import COMMANDS
from renda_core.application.inputs import today as business_today
from tests.http.conftest import TokenFor, bearer, head, register_body


def test_reports_answer_the_json_of_the_api(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for("auditor", "au-1")
    api.register_deputy(register_body())
    answer = client.get("/v1/reports/annual", params={"year": 2023}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    expected = json.loads(json.dumps(api.report("annual", year=2023), default=str))
    assert answer.json() == expected
    csv = client.get("/v1/reports/annual?year=2023&format=csv", headers=bearer(token))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    html = client.get("/v1/reports/annual?year=2023&format=html&lang=en", headers=bearer(token))
    assert html.status_code == 200 and "<html" in html.text.lower()
    for name in api.report_names():
        if name == "annual":
            continue
        answer = client.get(f"/v1/reports/{name}", headers=bearer(token))
        assert answer.status_code in (200, 400), (name, answer.text)  # 400: a required option
        if answer.status_code == 200:
            assert answer.json() == json.loads(json.dumps(api.report(name), default=str))
    assert client.get("/v1/reports/nope", headers=bearer(token)).status_code == 404
    bad = client.get("/v1/reports/annual?year=2023&colour=red", headers=bearer(token))
    assert bad.status_code == 400
    future = business_today().year + 1  # a year not begun: refused, not a report of zeros
    refused = client.get(f"/v1/reports/annual?year={future}", headers=bearer(token))
    assert refused.status_code == 400, refused.text
    assert f"{future} 年尚未开始" in refused.json()["detail"]


def test_events_are_paged_by_position_as_cloudevents(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for("auditor", "au-1")
    for name in ("甲", "乙", "丙"):
        api.register_deputy(register_body(name=name))
    everything = client.get("/v1/events", params={"limit": 1000}, headers=bearer(token)).json()
    positions = [int(i["sequence"]) for i in everything["items"]]
    assert positions == sorted(positions) and len(positions) == head(api)
    item = everything["items"][-1]
    assert item["specversion"] == "1.0" and item["type"] == "renda.Deputy.Registered"
    assert item["data"]["actor"] == {"id": "clerk-1", "role": "staff"}
    assert item["data"]["data"]["name"] == "丙"
    paged: list[int] = []
    since = 0
    while True:
        page = client.get("/v1/events", params={"since": since, "limit": 2}, headers=bearer(token))
        body = page.json()
        paged += [int(i["sequence"]) for i in body["items"]]
        if not body["more"]:
            break
        since = body["next_since"]
    assert paged == positions
    assert client.get("/v1/events?limit=0", headers=bearer(token)).status_code == 400


def test_health_and_openapi_need_no_token(client: TestClient, api: RendaAPI) -> None:
    api.register_deputy(register_body())
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["store"] == "reachable"
    assert health["head"] >= 1 and all("lag" in p for p in health["projections"].values())
    doc = client.get("/v1/openapi.json").json()
    for spec in COMMANDS.values():
        operation = doc["paths"][f"/v1/commands/{spec.name}"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    for path in ("/v1/commands:batch", "/v1/reports/{name}", "/v1/events/stream", "/v1/health"):
        assert path in doc["paths"]
