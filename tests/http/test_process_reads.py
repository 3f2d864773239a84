"""The HTTP reads of issue 14's processes and the actor registry: every route × every
role against the permission matrix and the read policy, nothing recorded by a read
without a reason, an auditor's ``reason=`` recorded first (the event stream too)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.application.permissions import READS, allowed_roles, role_kind
from renda_core.application.readpolicy import REDACTED
from renda_core.http.process_routes import READ_ROUTES, ReadRoute
from tests.api.process_scenario import NOTE, build
from tests.conftest import STAFF
from tests.http.conftest import ROLES, TokenFor, bearer, head
from tests.http.test_stream import read_events, server  # noqa: F401  (the fixture)

PROCESS_READS = {
    "session.list", "session.show", "session.warnings", "meeting.list", "meeting.show",
    "motion.list", "motion.show", "inspection.list", "inspection.show", "plan.show",
    "campaign.show", "member.list", "member.show", "body.list", "body.show", "term.list",
    "deputy.record", "actor.list", "actor.show",
}  # fmt: skip


def url(route: ReadRoute, ids: dict[str, Any]) -> str:
    """The route's URL for the scenario's records, with the query its reads need."""
    record = {
        "get_session": "session",
        "get_meeting": "meeting",
        "get_motion": "motion",
        "get_inspection": "inspection",
        "get_campaign": "campaign",
        "get_member": "member",
        "get_body": "body",
        "record": "A",
    }.get(route.method)
    path = route.path.replace("{year}", "2026")
    if record is not None:
        path = path.replace("{id}", ids[record])
    path = path.replace("{id}", STAFF.id)  # an actor's id
    return path + ("?year=2024" if route.method in ("record", "assessment") else "")


def expected(route: ReadRoute, role: str) -> int:
    roles = allowed_roles(route.read) or frozenset()
    if role_kind(role) not in roles:
        return 403  # the matrix
    one_record = route.method.startswith("get_") or route.method == "record"
    if role_kind(role) == "unit" and one_record:
        return 403  # not a record its assignments need
    return 200


def test_every_process_read_has_a_route() -> None:
    assert {r.read for r in READ_ROUTES} == PROCESS_READS | {"report"}
    assert all(r.read in READS for r in READ_ROUTES)
    paths = [r.path for r in READ_ROUTES]
    assert len(paths) == len(set(paths))


def test_every_route_for_every_role(client: TestClient, api: RendaAPI, token_for: TokenFor) -> None:
    ids = build(api)
    tokens = {role: token_for(role) for role in ROLES}
    before = head(api)
    checked = 0
    for route in READ_ROUTES:
        for role, token in tokens.items():
            answer = client.get(url(route, ids), headers=bearer(token))
            assert answer.status_code == expected(route, role), (route.path, role, answer.text)
            if answer.status_code == 403:
                assert answer.json()["type"] == "urn:renda:problem:forbidden"
            checked += 1
    assert checked == len(READ_ROUTES) * len(ROLES)
    assert head(api) == before  # no read without a reason records anything


def test_what_the_routes_answer(client: TestClient, api: RendaAPI, token_for: TokenFor) -> None:
    ids = build(api)
    staff, editor = bearer(token_for("staff")), bearer(token_for("editor"))
    own = bearer(token_for(f"deputy:{ids['A']}", "jin"))
    auditor = bearer(token_for("auditor", "au-1"))
    session = client.get(f"/v1/sessions/{ids['session']}", headers=editor).json()
    assert session["attendance"] == {ids["A"]: "leave", ids["B"]: "present"}
    assert [s["id"] for s in client.get("/v1/sessions?level=省", headers=staff).json()] == [
        ids["session"]
    ]
    assert client.get("/v1/meetings?kind=forum", headers=staff).json() == []
    plan = client.get("/v1/plans/2026?level=provincial", headers=editor).json()
    assert plan["tasks"][0]["title"] == "推进代表家站提质增效"
    member = client.get(f"/v1/members/{ids['member']}", headers=staff).json()
    assert member["contacts"][0]["note"] == NOTE
    record = f"/v1/deputies/{ids['A']}/record?year=2024"
    assert client.get(record, headers=own).json()["contacts"][0]["note"] == NOTE
    assert client.get(record, headers=editor).json()["contacts"][0]["note"] == REDACTED
    assert client.get(record, headers=auditor).json()["contacts"][0]["note"] == REDACTED
    before = head(api)
    shown = client.get(record + "&reason=年度履职核查", headers=auditor).json()
    assert shown["contacts"][0]["note"] == NOTE and head(api) == before + 1
    assessment = client.get("/v1/assessment?year=2024", headers=editor).json()
    assert {d["deputy_id"] for d in assessment["deputies"]} == {ids["A"], ids["B"]}
    (actor,) = client.get("/v1/actors", headers=auditor).json()
    assert actor["id"] == STAFF.id and actor["roles"] == ["staff"]
    # the generic record route knows the new kinds
    answer = client.get(f"/v1/records/{ids['motion']}", headers=editor).json()
    assert answer["kind"] == "Motion" and answer["state"]["lead_deputy"] == ids["A"]


def test_errors_are_problems_and_record_nothing(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    ids = build(api)
    staff = bearer(token_for("staff"))
    before = head(api)
    for path, status, kind in (
        (f"/v1/sessions/{ids['meeting']}", 404, "not_found"),
        ("/v1/plans/2025", 404, "not_found"),
        ("/v1/actors/nobody", 404, "not_found"),
        ("/v1/sessions/not-an-id", 400, "invalid_input"),
        ("/v1/meetings?kind=宴会", 400, "invalid_input"),
        ("/v1/assessment", 400, "invalid_input"),  # year is required
        ("/v1/assessment?year=3000", 400, "invalid_input"),
        (f"/v1/deputies/{ids['A']}/record?year=1900", 400, "invalid_input"),
        ("/v1/plans/twenty", 400, "invalid_input"),
    ):
        answer = client.get(path, headers=staff)
        assert answer.status_code == status, (path, answer.text)
        assert answer.json()["type"] == f"urn:renda:problem:{kind}", path
    assert client.get("/v1/sessions").status_code == 401  # no token
    assert head(api) == before


def test_the_stream_takes_an_auditors_reason(
    server: str,  # noqa: F811
    api: RendaAPI,
    token_for: TokenFor,
) -> None:
    build(api)
    auditor = bearer(token_for("auditor", "au-1"))
    count = head(api)

    def notes(query: str) -> list[Any]:
        got = read_events(f"{server}/v1/events/stream?since=0{query}", auditor, count)
        return [e["data"]["data"].get("note") for e in got if "note" in e["data"]["data"]]  # type: ignore[index,union-attr]

    assert NOTE not in notes("") and REDACTED in notes("")
    assert head(api) == count  # nothing recorded without a reason
    assert NOTE in notes("&reason=审计抽查")
    assert head(api) == count + 1  # the disclosure, recorded before the stream
