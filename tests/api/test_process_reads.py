"""The library API reads issue 14's processes and the actor registry: typed views, the
read policy applied (a deputy's own record in full, a unit none, editors redacted, an
auditor's reason recorded first), errors that record nothing; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

import renda_core
from renda_core import (
    Actor,
    DutyRecordView,
    Forbidden,
    InvalidInput,
    NotFound,
    RendaAPI,
)
from renda_core.application.readpolicy import REDACTED
from renda_core.projections.log import count_events
from tests.api.process_scenario import NOTE, build
from tests.conftest import STAFF

EDITOR = Actor("ed", "editor")
UNIT = Actor("u", "unit:省商务厅")
AUDITOR = Actor("au", "auditor")
LEADER = Actor("ld", "leader:省长")


@pytest.fixture
def api(store: str) -> Iterator[RendaAPI]:
    with renda_core.open(store, actor=STAFF) as opened:
        yield opened


@pytest.fixture
def ids(api: RendaAPI) -> dict[str, Any]:
    return build(api)


def refused(api: RendaAPI, error: type[Exception], call: Callable[[], Any]) -> None:
    before = count_events(api._application)
    with pytest.raises(error):
        call()
    assert count_events(api._application) == before


def test_each_process_reads_as_a_typed_view(api: RendaAPI, ids: dict[str, Any]) -> None:
    a, b = ids["A"], ids["B"]
    session = api.get_session(ids["session"])
    assert session.title == "省第十四届人民代表大会第二次会议"
    assert session.attendance == {a: "leave", b: "present"}
    assert session.opened_on == date(2024, 1, 15) and session.closed_on is None
    assert [s.id for s in api.list_sessions(level="省")] == [ids["session"]]
    assert api.list_sessions(level="county") == []
    assert api.session_warnings() == []  # on leave is not a ground

    meeting = api.get_meeting(ids["meeting"])
    assert meeting.observers == {a: date(2024, 3, 26)} and meeting.kind == "sc_meeting"
    (row,) = api.list_meetings(kind="常委会会议")
    assert (row.id, row.observers) == (ids["meeting"], 1)
    assert api.list_meetings(kind="forum") == []

    motion = api.get_motion(ids["motion"])
    assert motion.lead_deputy == a and motion.status == "draft" and motion.cosigners == []
    assert [m.id for m in api.list_motions()] == [ids["motion"]]
    assert api.list_motions(status="列入会议议程") == []

    inspection = api.get_inspection(ids["inspection"])
    assert inspection.participants == [a] and inspection.kind == "research"
    (row,) = api.list_inspections()
    assert (row.participants, row.feedback_requested) == (1, 0)

    plan = api.get_plan(2026)
    assert [t["title"] for t in plan.tasks] == ["推进代表家站提质增效"]  # a list, not a count
    assert (plan.completed, plan.completion_rate) == (0, 0.0)
    assert api.get_campaign(ids["campaign"]).title == "代表进家站，履职为人民"

    member = api.get_member(ids["member"])
    assert member.name == "陈立" and member.position == "vice_chair"
    assert [(d["deputy_id"], d["contacts"]) for d in member.deputies] == [(a, 1)]
    assert member.contacts[0]["note"] == NOTE
    (listed,) = api.list_members()
    assert (listed.id, listed.deputies, listed.contacts) == (ids["member"], 1, 1)
    assert api.get_body(ids["body"]).kind_label == "专门委员会"
    assert [x.id for x in api.list_bodies()] == [ids["body"]]
    (term,) = api.list_terms()
    assert (term.number, term.began_on) == (14, date(2023, 1, 16))

    record = api.record(a, 2024)
    assert isinstance(record, DutyRecordView) and record.name == "金美玉"
    assert record.summary["attendance_leave"] == 1 and record.summary["observer"] == 1
    assert record.summary["motions"] == 1 and record.summary["inspections"] == 1
    assert record.model_dump()["contacts"][0]["note"] == NOTE
    assert api.record(a, 2023).summary["attendance"] == 0
    assessment = api.assessment(2024)
    assert assessment.year == 2024 and assessment.scheme["name"] == "example"
    assert {d["deputy_id"] for d in assessment.deputies} == {a, b}

    (registered,) = api.list_actors()
    assert (registered.id, registered.roles, registered.status) == (STAFF.id, ["staff"], "active")
    assert api.get_actor(STAFF.id).name == "李干事"


def test_the_duty_record_follows_the_read_policy(api: RendaAPI, ids: dict[str, Any]) -> None:
    a, b = ids["A"], ids["B"]

    def note(actor: Actor, reason: str | None = None) -> str:
        shown = api.record(a, 2024, actor=actor, reason=reason).model_dump()
        return str(shown["contacts"][0]["note"])

    before = count_events(api._application)
    assert note(Actor("jin", f"deputy:{a}")) == NOTE  # his own record, in full
    assert note(Actor("piao", f"deputy:{b}")) == REDACTED  # another's: redacted
    assert note(EDITOR) == REDACTED and note(LEADER) == REDACTED
    assert note(AUDITOR) == REDACTED
    assert note(EDITOR, reason="核查") == REDACTED  # a reason changes nothing for an editor
    assert count_events(api._application) == before  # nothing recorded so far
    refused(api, Forbidden, lambda: api.record(a, 2024, actor=UNIT))  # a unit: none of it
    assert note(AUDITOR, reason="年度履职核查") == NOTE
    assert count_events(api._application) == before + 1  # the disclosure, first
    (event,) = api.history(_last_record(api))
    assert event.topic.startswith("renda:Disclosure")
    assert event.data["reason"] == "年度履职核查" and event.data["read"] == "deputy.record"


def _last_record(api: RendaAPI) -> str:
    application = api._application
    (last,) = application.recorder.select_notifications(start=count_events(application), limit=1)
    return str(last.originator_id)


def test_the_matrix_guards_every_process_read(api: RendaAPI, ids: dict[str, Any]) -> None:
    a = ids["A"]
    # member.show is staff only (contact notes); warnings for staff, auditors, leaders
    for actor in (EDITOR, AUDITOR, LEADER, Actor("jin", f"deputy:{a}")):
        refused(api, Forbidden, lambda actor=actor: api.get_member(ids["member"], actor=actor))
    for actor in (EDITOR, UNIT, Actor("jin", f"deputy:{a}")):
        refused(api, Forbidden, lambda actor=actor: api.session_warnings(actor=actor))
        refused(api, Forbidden, lambda actor=actor: api.list_actors(actor=actor))
        refused(api, Forbidden, lambda actor=actor: api.get_actor(STAFF.id, actor=actor))
    assert api.session_warnings(actor=LEADER) == []
    assert [x.id for x in api.list_actors(actor=AUDITOR)] == [STAFF.id]
    # a unit is refused records its assignments do not need, and its lists are empty
    for read in (api.get_session, api.get_meeting, api.get_motion, api.get_inspection):
        name = read.__name__.removeprefix("get_")
        refused(api, Forbidden, lambda read=read, name=name: read(ids[name], actor=UNIT))
    assert api.list_sessions(actor=UNIT) == [] and api.list_motions(actor=UNIT) == []
    # every other role reads them; the refused role is checked before the record loads
    assert api.get_motion(ids["motion"], actor=EDITOR).title == "关于制定黑土地保护条例的议案"
    assert len(api.list_members(actor=Actor("jin", f"deputy:{a}"))) == 1
    refused(api, Forbidden, lambda: api.get_member(str(UUID(int=7)), actor=EDITOR))
    # the assessment is a report: a unit may run it, personal facts redacted
    assert api.assessment(2024, actor=UNIT).year == 2024


def test_errors_record_nothing(api: RendaAPI, ids: dict[str, Any]) -> None:
    refused(api, NotFound, lambda: api.get_session(ids["meeting"]))  # a meeting's id
    refused(api, NotFound, lambda: api.get_motion(str(UUID(int=1))))
    refused(api, NotFound, lambda: api.get_plan(2025))
    refused(api, NotFound, lambda: api.get_member(ids["body"]))
    refused(api, NotFound, lambda: api.record(ids["member"], 2024))
    refused(api, NotFound, lambda: api.get_actor("nobody"))
    refused(api, InvalidInput, lambda: api.get_session("not-an-id"))
    refused(api, InvalidInput, lambda: api.list_meetings(kind="宴会"))
    refused(api, InvalidInput, lambda: api.list_motions(status="lost"))
    refused(api, InvalidInput, lambda: api.list_sessions(level="galactic"))
    refused(api, InvalidInput, lambda: api.record(ids["A"], 1900))
    refused(api, InvalidInput, lambda: api.assessment(3000))
    refused(api, InvalidInput, lambda: api.assessment(2024, scheme="no-such-scheme"))
    refused(api, InvalidInput, lambda: api.get_plan(2026, actor=AUDITOR, reason=" "))
