"""Suggestions through the application: roles, subjects, active deputies, the calendar
years recorded as events, and the bulletin's forwarding — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from renda_core import Actor, Renda
from renda_core.domain.calendar import YearArrangement
from renda_core.domain.deadlines import NATIONAL, Period, Unit
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import count_events
from tests.application.test_escalation import accepted_opinion
from tests.conftest import STAFF, register_payload

UNIT = Actor("wang", "unit:省商务厅")
CO_UNIT = Actor("zhao", "unit:省交通运输厅")
EDITOR = Actor("ed", "editor")
LEADER = Actor("gov", "leader:省长")
AUDITOR = Actor("audit", "auditor")

YEAR_2027: dict[str, Any] = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（示例）",
    "holidays": [
        {"name": "元旦", "date": "2027-01-01"},
        {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"},
        {"name": "清明节", "from": "2027-04-05", "to": "2027-04-05"},
        {"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"},
        {"name": "端午节", "date": "2027-06-09"},
        {"name": "中秋节", "date": "2027-09-15"},
        {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
    ],
    "workdays": ["2027-02-14", "2027-02-20", "2027-04-25", "2027-09-26", "2027-10-09"],
}


def deputy(app: Renda, name: str = "金美玉", area: str = "222401") -> tuple[UUID, Actor]:
    deputy_id = app.register_deputy(register_payload(name=name, area=area), STAFF)
    return deputy_id, Actor(name, f"deputy:{deputy_id}")


def drafted(app: Renda, lead: Actor, **extra: Any) -> UUID:
    data = {
        "title": "关于加快边境口岸建设的建议",
        "body": "建议……",
        "channel": "闭会期间",
        "source": "列席代表座谈会",
        "date": "2024-09-01",
        **extra,
    }
    return app.draft_suggestion(data, lead)


def assigned(app: Renda, lead: Actor, on: str = "2024-09-27") -> UUID:
    sid = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
    app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
    app.assign_suggestion(
        {
            "suggestion_id": sid,
            "date": on,
            "lead_unit": "省商务厅",
            "co_units": ["省交通运输厅"],
        },
        STAFF,
    )
    return sid


def refused(app: Renda, error: type[Exception], call: Any, match: str | None = None) -> None:
    before = count_events(app)
    with pytest.raises(error, match=match):
        call()
    assert count_events(app) == before


def test_show_gives_status_and_every_current_due_date(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    data = app.suggestion(sid)
    assert data["status"] == "assigned"
    assert data["reply_due"] == "2024-12-27"
    assert data["objection_until"] == "2024-10-12"
    assert data["co_opinion_due"] == "2024-10-28"  # 10-27 is a Sunday: rolled
    assert data["disclosure_due"] is None and data["rehandle_due"] is None
    assert data["lead_name"] == "金美玉" and data["area"] == "222401"


def test_role_kinds_are_enforced_and_record_nothing(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    refused(
        app,
        Forbidden,
        lambda: app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, UNIT),
        "needs the role staff",
    )
    refused(
        app,
        Forbidden,
        lambda: app.reply_suggestion(
            {"suggestion_id": sid, "date": "2024-12-01", "result_class": "A", "text": "x"}, STAFF
        ),
    )
    for actor in (AUDITOR, EDITOR, LEADER):
        refused(app, Forbidden, lambda a=actor: drafted(app, a))
    refused(
        app,
        Forbidden,
        lambda: app.register_deputy(register_payload(), AUDITOR),
        "needs the role staff",
    )


def test_a_deputy_acts_only_on_their_own_suggestions(app: Renda) -> None:
    _, lead = deputy(app)
    _, other = deputy(app, "李春华", "220104")
    sid = drafted(app, lead)
    refused(
        app,
        Forbidden,
        lambda: app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, other),
        "not the lead deputy",
    )
    refused(
        app,
        Forbidden,
        lambda: drafted(app, other, lead_deputy=str(lead.role.split(":")[1])),
        "only as the lead deputy",
    )
    refused(
        app,
        Forbidden,
        lambda: app.cosign_suggestion(
            {"suggestion_id": sid, "date": "2024-09-03", "deputy_id": lead.role.split(":")[1]},
            other,
        ),
        "only for themselves",
    )
    refused(app, Forbidden, lambda: drafted(app, Actor("x", "deputy:not-a-uuid")), "deputy's id")


def test_a_unit_acts_only_on_suggestions_assigned_to_it(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    stranger = Actor("li", "unit:省教育厅")
    refused(
        app,
        Forbidden,
        lambda: app.object_assignment(
            {"suggestion_id": sid, "date": "2024-10-08", "reason": "x"}, stranger
        ),
        "not assigned to 省教育厅",
    )
    refused(
        app,
        Forbidden,
        lambda: app.reply_suggestion(
            {
                "suggestion_id": sid,
                "date": "2024-12-01",
                "result_class": "A",
                "text": "x",
                "unit": "省交通运输厅",
            },
            UNIT,
        ),
        "only for 省商务厅",
    )
    refused(
        app,
        RuleViolated,
        lambda: app.reply_suggestion(
            {"suggestion_id": sid, "date": "2024-12-01", "result_class": "A", "text": "x"},
            CO_UNIT,
        ),
        "only the lead unit",
    )
    app.send_co_opinion({"suggestion_id": sid, "date": "2024-10-20", "text": "意见"}, CO_UNIT)
    app.reply_suggestion(
        {"suggestion_id": sid, "date": "2024-12-01", "result_class": "b", "text": "答复"}, UNIT
    )
    refused(
        app,
        Forbidden,
        lambda: app.commit_suggestion(
            {"suggestion_id": sid, "date": "2024-12-02", "text": "x", "due": "2025-06-30"},
            CO_UNIT,
        ),
        "only the lead unit",
    )
    app.commit_suggestion(
        {"suggestion_id": sid, "date": "2024-12-02", "text": "建成", "due": "2025-06-30"}, UNIT
    )
    assert app.suggestion(sid)["replies"][0]["result_class"] == "B"


def test_only_active_deputies_lead_and_cosign(app: Renda) -> None:
    lead_id, lead = deputy(app)
    co_id, co = deputy(app, "李春华", "220104")
    sid = drafted(app, lead)
    app.invite_cosigner({"suggestion_id": sid, "deputy_id": co_id, "date": "2024-09-02"}, lead)
    app.terminate_deputy({"deputy_id": co_id, "reason": "transfer", "date": "2024-09-02"}, STAFF)
    # a deputy role must name a deputy whose mandate is active (the actor check)
    refused(
        app,
        Forbidden,
        lambda: app.cosign_suggestion({"suggestion_id": sid, "date": "2024-09-03"}, co),
        "mandate ended",
    )
    app.terminate_deputy({"deputy_id": lead_id, "reason": "death", "date": "2024-09-05"}, STAFF)
    refused(app, Forbidden, lambda: drafted(app, lead), "mandate ended")


def test_invalid_input_field_by_field(app: Renda) -> None:
    _, lead = deputy(app)
    with pytest.raises(InvalidInput) as caught:
        app.draft_suggestion({"title": "", "channel": "sometimes", "date": "x"}, lead)
    fields = {e["field"] for e in caught.value.errors}
    assert {"title", "channel", "source", "body", "date"} <= fields
    with pytest.raises(NotFound):
        app.suggestion("5b8f0a9e-0000-4000-8000-000000000000")


def test_merge_saves_every_suggestion_in_one_transaction(app: Renda) -> None:
    _, lead = deputy(app)
    a, b = assigned(app, lead), assigned(app, lead)
    app.merge_suggestions({"suggestion_id": a, "others": [b], "date": "2024-10-01"}, STAFF)
    assert app.suggestion(a)["handled_with"] == [str(b)]
    assert app.suggestion(b)["handled_with"] == [str(a)]


def test_calendar_years_added_as_events_extend_the_clock(app: Renda) -> None:
    """A missing year never blocks a fact: the submission is recorded with its due
    date pending, and the date is computed when the year is added (issue 10, item 4)."""
    _, lead = deputy(app)
    sid = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": "2026-12-28"}, lead)
    data = app.suggestion(sid)
    assert data["status"] == "submitted" and data["assignment_due"] is None
    assert [(p["deadline"], p["year"]) for p in data["pending_due_dates"]] == [
        ("assignment_due", 2027)
    ]
    assert app.pending_due_dates() == {2027: [str(sid)]}
    refused(
        app,
        Forbidden,
        lambda: app.add_calendar_year({**YEAR_2027, "date": "2026-11-10"}, UNIT),
    )
    app.add_calendar_year({**YEAR_2027, "date": "2026-11-10"}, STAFF)
    assert app.suggestion(sid)["pending_due_dates"] == []
    assert app.pending_due_dates() == {}
    # 12-29, 30, 31, (01-01 off), 01-04, 05, 06, 07
    assert app.suggestion(sid)["assignment_due"] == "2027-01-07"
    refused(
        app,
        RuleViolated,
        lambda: app.add_calendar_year({**YEAR_2027, "date": "2026-11-11"}, STAFF),
        "already recorded",
    )
    revised = {**YEAR_2027, "workdays": ["2027-02-14"], "replace": True, "date": "2026-12-01"}
    app.add_calendar_year(revised, STAFF)
    assert app.calendar_year(2027)["origin"] == "recorded"
    # the recorded due date does not move when the calendar is revised
    assert app.suggestion(sid)["assignment_due"] == "2027-01-07"
    assert {"year": 2027}.items() <= app.calendar_years()[-1].items()


def test_plugin_years_and_policies_apply_per_application(app: Renda) -> None:
    arrangement = YearArrangement(
        2027,
        frozenset({__import__("datetime").date(2027, 1, 1)}),
        frozenset(),
        "plugin",
    )
    app.use_calendar_years([arrangement])
    assert app.calendar_year(2027)["origin"] == "plugin"
    app.use_deadline_policy(NATIONAL.with_changes(name="sichuan", reply=Period(2, Unit.MONTHS)))
    _, lead = deputy(app)
    sid = assigned(app, lead)
    data = app.suggestion(sid)
    assert data["reply_due"] == "2024-11-27" and data["policy"] == "sichuan"
    with Renda(app.store) as other:
        assert other.deadline_policy is NATIONAL and 2027 not in other.supplied_years


def test_bulletin_forward_assigns_with_the_clock_running(app: Renda) -> None:
    _, lead = deputy(app)
    sid = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
    bid = app.open_bulletin(
        {"year": 2024, "number": 3, "title": "专刊", "date": "2024-09-12"}, EDITOR
    )
    refused(
        app,
        RuleViolated,
        lambda: app.open_bulletin(
            {"year": 2024, "number": 3, "title": "again", "date": "2024-09-12"}, EDITOR
        ),
        "already open",
    )
    app.include_item(
        {"bulletin": "2024/3", "ref": str(sid), "summary": "摘要", "date": "2024-09-13"}, EDITOR
    )
    app.include_item(
        {
            "bulletin": str(bid),
            "kind": "opinion",
            "ref": str(accepted_opinion(app)[0]),
            "title": "群众反映养老服务",
            "summary": "社情民意摘要",
            "date": "2024-09-13",
        },
        EDITOR,
    )
    refused(
        app,
        Forbidden,
        lambda: app.publish_bulletin(
            {"bulletin": "2024/3", "recipients": ["省委"], "date": "2024-09-14"}, STAFF
        ),
    )
    app.publish_bulletin(
        {"bulletin": "2024/3", "recipients": ["省委", "省政府"], "date": "2024-09-14"}, EDITOR
    )
    app.instruct_item(
        {"bulletin": "2024/3", "item": 1, "text": "请研办", "date": "2024-09-20"}, LEADER
    )
    forwarded = app.forward_item(
        {"bulletin": "2024/3", "item": 1, "lead_unit": "省商务厅", "date": "2024-09-27"}, LEADER
    )
    assert forwarded == sid
    s = app.suggestion(sid)
    assert s["status"] == "assigned" and s["reply_due"] == "2024-12-27"
    assert s["bulletins"] == [{"bulletin_id": str(bid), "item": 1, "on": "2024-09-13"}]
    created = app.forward_item(
        {"bulletin": "2024/3", "item": 2, "lead_unit": "省民政厅", "date": "2024-09-27"}, LEADER
    )
    c = app.suggestion(created)
    assert c["source"] == "bulletin" and c["lead_deputy"] is None
    assert c["bulletins"][0]["item"] == 2 and c["status"] == "assigned"
    issue = app.bulletin("2024/3")
    assert [i["outcome"]["lead_unit"] for i in issue["items"]] == ["省商务厅", "省民政厅"]
    assert issue["items"][0]["instructions"][0]["leader"] == "省长"
    refused(
        app,
        RuleViolated,
        lambda: app.forward_item(
            {"bulletin": "2024/3", "item": 1, "lead_unit": "省商务厅", "date": "2024-09-28"},
            LEADER,
        ),
        "already forwarded",
    )
