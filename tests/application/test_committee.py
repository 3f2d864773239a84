"""The standing committee: members, bodies, the 双联系 ledger and a member's own view,
plus the annual deputy-work plan — through the application and the CLI, on both stores."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload


def member(app: Renda, name: str = "陈立", **kw: object) -> UUID:
    data = {"name": name, "position": "委员", "level": "provincial", "term": 14}
    return app.add_member({**data, "date": "2023-01-20", **kw}, STAFF)


def test_ledger_many_to_many_and_a_members_view(app: Renda, store: str) -> None:
    a, b = member(app, "陈立", position="副主任"), member(app, "周敏")
    d1 = app.register_deputy(register_payload(), STAFF)
    d2 = app.register_deputy(register_payload(name="赵德明"), STAFF)
    for m, d in ((a, d1), (a, d2), (b, d1)):
        app.member_liaise({"member_id": m, "deputy_id": d, "date": "2023-02-01"}, STAFF)
    with pytest.raises(RuleViolated, match="already this deputy's liaison"):
        app.member_liaise({"member_id": a, "deputy_id": d1, "date": "2023-02-02"}, STAFF)
    contact = {"member_id": a, "deputy_id": d1, "form": "visit", "date": "2023-03-01"}
    app.member_contact(contact, STAFF)
    app.member_contact({**contact, "date": "2023-05-01", "form": "座谈"}, STAFF)
    # a member who is not the deputy's liaison may record a contact too
    app.member_contact({**contact, "member_id": b, "deputy_id": d2}, STAFF)
    app.member_unliaise({"member_id": a, "deputy_id": d2, "date": "2023-06-01"}, STAFF)
    deputy = app.deputy(d1)
    assert {x["member"] for x in deputy["liaisons"]} == {str(a), str(b)}

    runner = CliRunner()
    shown = runner.invoke(cli, ["--store", store, "member", "show", str(a), "--json"])
    assert shown.exit_code == 0, shown.output
    view = json.loads(shown.output)
    assert view["name"] == "陈立" and view["position"] == "vice_chair"
    by_deputy = {d["deputy_id"]: d for d in view["deputies"]}
    assert by_deputy[str(d1)]["contacts"] == 2
    assert by_deputy[str(d1)]["last_contact"] == "2023-05-01"
    assert by_deputy[str(d2)]["until"] == "2023-06-01"
    assert [c["on"] for c in view["contacts"]] == ["2023-03-01", "2023-05-01"]
    listed = json.loads(runner.invoke(cli, ["--store", store, "member", "list", "--json"]).output)
    assert {r["name"]: r["deputies"] for r in listed} == {"陈立": 1, "周敏": 1}
    report = runner.invoke(
        cli, ["--store", store, "report", "committee", "--year", "2023", "--json"]
    )
    data = json.loads(report.output)
    assert data["members"] == 2 and data["deputies_liaised"] == 2
    assert data["deputies_contacted"] == 2 and data["member_contacts"] == {"visit": 2, "forum": 1}
    # the roster counts d1 (two liaisons) once; d2's only liaison ended
    roster = json.loads(
        runner.invoke(cli, ["--store", store, "report", "deputies", "--json"]).output
    )
    assert roster["liaison_deputies"] == 1


def test_member_and_body_rules(app: Renda) -> None:
    m = member(app)
    d = app.register_deputy(register_payload(), STAFF)
    county = app.register_deputy(register_payload(level="county", area="220122"), STAFF)
    body = app.add_body(
        {"name": "法制委员会", "kind": "专门委员会", "level": "provincial", "date": "2023-01-20"},
        STAFF,
    )
    office = app.add_body(
        {
            "name": "代表工作委员会",
            "kind": "working_body",
            "level": "provincial",
            "date": "2023-01-20",
        },
        STAFF,
    )
    before = count_events(app)
    liaise = {"member_id": m, "deputy_id": d, "date": "2023-02-01"}
    newcomer = {"name": "X", "level": "provincial", "term": 14, "date": "2023-01-01"}
    invite = {"body_id": body, "kind": "legislation", "title": "立法调研", "date": "2023-03-01"}
    bad: list[tuple[object, dict[str, object], type[Exception]]] = [
        (app.member_liaise, {**liaise, "deputy_id": county}, RuleViolated),  # other level
        (app.member_liaise, {**liaise, "date": "2023-01-01"}, RuleViolated),  # before office
        (app.member_unliaise, {**liaise, "date": "2023-03-01"}, RuleViolated),  # no liaison
        (app.add_member, {**newcomer, "position": "boss"}, InvalidInput),
        (app.body_join, {"body_id": body, "member_id": d, "date": "2023-02-01"}, NotFound),
        (
            app.body_invite,
            {**invite, "body_id": office, "kind": "committee_liaison", "deputy_ids": [str(d)]},
            RuleViolated,
        ),
        (app.body_invite, {**invite, "deputy_ids": []}, InvalidInput),
        (app.body_invite, {**invite, "deputy_ids": [str(d), str(d)]}, RuleViolated),
    ]
    for method, data, error in bad:
        with pytest.raises(error):
            method(data, STAFF)  # type: ignore[operator]
    assert count_events(app) == before
    app.body_join({"body_id": body, "member_id": m, "date": "2023-02-01"}, STAFF)
    with pytest.raises(RuleViolated, match="already a member"):
        app.body_join({"body_id": body, "member_id": m, "date": "2023-02-02"}, STAFF)
    app.body_invite(
        {
            "body_id": body,
            "kind": "参与立法工作",
            "title": "《吉林省黑土地保护条例》立法调研",
            "deputy_ids": [str(d)],
            "date": "2023-04-01",
        },
        STAFF,
    )
    app.body_contact(
        {"body_id": office, "deputy_id": d, "form": "phone", "date": "2023-04-02"}, STAFF
    )
    app.member_leaves({"member_id": m, "date": "2023-12-31"}, STAFF)
    with pytest.raises(RuleViolated, match="left office"):
        app.member_contact(
            {"member_id": m, "deputy_id": d, "form": "visit", "date": "2024-01-02"}, STAFF
        )
    shown = app.body(body)
    assert shown["kind_label"] == "专门委员会" and len(shown["participations"]) == 1


def test_the_plan_and_its_completion(app: Renda, store: str) -> None:
    app.adopt_plan({"level": "provincial", "year": 2026, "date": "2026-01-15"}, STAFF)
    task = {"level": "provincial", "year": 2026, "owner": "代表工作委员会", "date": "2026-01-15"}
    one = app.add_plan_task({**task, "title": "推进代表家站提质增效", "due": "2026-06-30"}, STAFF)
    two = app.add_plan_task({**task, "title": "举办代表履职学习班", "due": "2026-09-30"}, STAFF)
    three = app.add_plan_task({**task, "title": "开展专题调研", "due": "2026-12-31"}, STAFF)
    assert (one, two, three) == (1, 2, 3)
    key = {"level": "provincial", "year": 2026}
    app.report_plan_progress({**key, "task": 1, "percent": 50, "date": "2026-03-01"}, STAFF)
    with pytest.raises(RuleViolated, match="cannot go back"):
        app.report_plan_progress({**key, "task": 1, "percent": 40, "date": "2026-03-02"}, STAFF)
    app.complete_plan_task({**key, "task": 1, "date": "2026-06-20"}, STAFF)
    app.complete_plan_task({**key, "task": 2, "date": "2026-10-08"}, STAFF)  # late
    with pytest.raises(RuleViolated, match="completed on"):
        app.complete_plan_task({**key, "task": 1, "date": "2026-07-01"}, STAFF)
    with pytest.raises(RuleViolated, match="no task 9"):
        app.complete_plan_task({**key, "task": 9, "date": "2026-07-01"}, STAFF)
    with pytest.raises(NotFound):
        app.complete_plan_task({**key, "year": 2025, "task": 1, "date": "2026-07-01"}, STAFF)
    with pytest.raises(RuleViolated, match="not in the plan's year"):
        app.add_plan_task({**task, "title": "x", "due": "2027-01-31"}, STAFF)
    c = app.launch_campaign(
        {"title": "代表进家站，履职为人民", "level": "provincial", "date": "2026-02-01"}, STAFF
    )
    app.link_campaign_task({"campaign_id": c, "year": 2026, "task": 1, "date": "2026-02-01"}, STAFF)
    with pytest.raises(RuleViolated, match="already linked"):
        app.link_campaign_task(
            {"campaign_id": c, "year": 2026, "task": 1, "date": "2026-02-02"}, STAFF
        )
    result = CliRunner().invoke(
        cli, ["--store", store, "report", "plan", "--year", "2026", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["tasks"], data["completed"], data["completed_on_time"]) == (3, 2, 1)
    assert data["completion_rate"] == round(2 / 3, 4)
    assert data["plans"][0]["tasks"][0]["campaigns"] == ["代表进家站，履职为人民"]
    assert app.plan(2026)["completion_rate"] == round(2 / 3, 4)
