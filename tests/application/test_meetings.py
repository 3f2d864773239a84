"""Sessions' attendance and the Art. 62 warning, standing-committee meetings with 列席,
motions (议案) handled as suggestions, inspections: through the application, the
``meetings`` view's reports and the duty record, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from renda_core import Actor, Renda
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolated
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.log import count_events
from renda_core.projections.reports import fresh_context, run_report
from renda_core.projections.runner import ProjectionRunner
from tests.conftest import STAFF, register_payload


@pytest.fixture
def runner(app: Renda) -> Iterator[ProjectionRunner]:
    r = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    yield r
    r.close()


def deputies(app: Renda, n: int, level: str = "provincial") -> list[UUID]:
    return [
        app.register_deputy(register_payload(name=f"代表{i}", level=level), STAFF) for i in range(n)
    ]


def session(app: Renda, number: int, year: int) -> UUID:
    data = {"level": "provincial", "term": 14, "number": number, "date": f"{year}-01-15"}
    return app.open_session(data, STAFF)


def close(app: Renda, sid: UUID, year: int) -> None:
    app.close_session({"session_id": sid, "date": f"{year}-01-19"}, STAFF)


def attend(app: Renda, sid: UUID, status: str, ids: list[UUID], year: int) -> None:
    data = {"session_id": sid, "status": status, "deputy_ids": ids, "date": f"{year}-01-15"}
    app.record_session_attendance(data, STAFF)


def refused(app: Renda, error: type[Exception], call: Any) -> None:
    before = count_events(app)
    with pytest.raises(error):
        call()
    assert count_events(app) == before


def record(runner: ProjectionRunner, deputy: UUID, year: int | None = None) -> dict[str, Any]:
    from renda_adapters.record import duty_record

    return duty_record(fresh_context(runner, "duty_record"), str(deputy), year)


def report(runner: ProjectionRunner, name: str, year: int) -> dict[str, Any]:
    from renda_core.ports.plugins import collect_reports

    rep = collect_reports(get_plugin_manager())[name]
    return run_report(runner, rep, year=year)


# -- attendance and the Art. 62 warning ------------------------------------------------


def test_two_sessions_missed_without_leave_warn_and_never_terminate(
    app: Renda, runner: ProjectionRunner
) -> None:
    a, b, c = deputies(app, 3)
    s1 = session(app, 1, 2023)
    attend(app, s1, "缺席", [a], 2023)
    attend(app, s1, "absent", [b], 2023)
    attend(app, s1, "present", [c], 2023)
    close(app, s1, 2023)
    s2 = session(app, 2, 2024)
    attend(app, s2, "leave", [a], 2024)  # 请假 with approval: not a ground
    attend(app, s2, "absent", [b], 2024)
    close(app, s2, 2024)
    assert [w["deputy_id"] for w in app.session_warnings()] == [str(b)]
    (warning,) = app.session_warnings("provincial")
    assert warning["consecutive"] is True and warning["term"] == 14
    assert [x["session_id"] for x in warning["absences"]] == [str(s1), str(s2)]
    assert app.session_warnings("national") == []
    assert app.deputy(b)["status"] == "active"  # a warning, never a termination

    s3 = session(app, 3, 2025)
    attend(app, s3, "absent", [a], 2025)  # a's second absence, not consecutive
    close(app, s3, 2025)
    by_id = {w["deputy_id"]: w for w in app.session_warnings()}
    assert set(by_id) == {str(a), str(b)} and by_id[str(a)]["consecutive"] is False

    from renda_adapters.meetings import absence_warnings

    listed = absence_warnings(fresh_context(runner, "meetings"))
    assert {w["deputy_id"] for w in listed} == {str(a), str(b)}
    assert report(runner, "meetings", 2024)["absence_warnings"] == 1
    assert report(runner, "meetings", 2025)["absence_warnings"] == 1
    # a correction (the leave was approved after all) takes the warning back
    app.record_session_attendance(
        {"session_id": s2, "status": "leave", "deputy_ids": [b], "date": "2024-01-16"}, STAFF
    )
    assert [w["deputy_id"] for w in app.session_warnings()] == [str(a)]
    figures = report(runner, "meetings", 2024)
    assert figures["absence_warnings"] == 0
    assert figures["attendance"] == {"present": 0, "leave": 2, "absent": 0}
    assert record(runner, b, 2024)["attendance"] == [
        {
            "meeting_id": str(s2),
            "kind": "congress_session",
            "title": "省第十四届人民代表大会第二次会议",
            "on": "2024-01-15",
            "status": "leave",
        }
    ]


def test_attendance_errors_record_nothing(app: Renda) -> None:
    (a,) = deputies(app, 1)
    (national,) = deputies(app, 1, level="national")
    sid = session(app, 1, 2024)
    data = {"session_id": sid, "status": "present", "deputy_ids": [a], "date": "2024-01-15"}
    refused(
        app, InvalidInput, lambda: app.record_session_attendance({**data, "status": "迟到"}, STAFF)
    )
    refused(
        app, InvalidInput, lambda: app.record_session_attendance({**data, "deputy_ids": []}, STAFF)
    )
    refused(app, NotFound, lambda: app.record_session_attendance({**data, "session_id": a}, STAFF))
    refused(
        app,
        RuleViolated,
        lambda: app.record_session_attendance({**data, "deputy_ids": [a, national]}, STAFF),
    )
    refused(
        app,
        RuleViolated,
        lambda: app.record_session_attendance({**data, "date": "2024-01-14"}, STAFF),
    )
    deputy = Actor("x", f"deputy:{a}")
    refused(app, Forbidden, lambda: app.record_session_attendance(data, deputy))


# -- standing-committee meetings and 列席 ----------------------------------------------


def test_observers_of_a_meeting_and_a_forum(app: Renda, runner: ProjectionRunner) -> None:
    a, b = deputies(app, 2)
    mid = app.open_meeting(
        {
            "kind": "常委会会议",
            "level": "provincial",
            "term": 14,
            "number": 20,
            "date": "2025-03-26",
        },
        STAFF,
    )
    app.record_observers({"meeting_id": mid, "deputy_ids": [a, b], "date": "2025-03-26"}, STAFF)
    app.close_meeting({"meeting_id": mid, "date": "2025-03-28"}, STAFF)
    forum = app.open_meeting(
        {"kind": "forum", "level": "provincial", "title": "列席代表座谈会", "date": "2025-06-10"},
        STAFF,
    )
    app.record_observers({"meeting_id": forum, "deputy_ids": [a], "date": "2025-06-10"}, STAFF)
    again = {
        "kind": "sc_meeting",
        "level": "provincial",
        "term": 14,
        "number": 20,
        "date": "2025-04-01",
    }
    refused(app, RuleViolated, lambda: app.open_meeting(again, STAFF))
    refused(
        app,
        RuleViolated,
        lambda: app.record_observers(
            {"meeting_id": mid, "deputy_ids": [a], "date": "2025-03-27"}, STAFF
        ),
    )
    refused(
        app,
        InvalidInput,
        lambda: app.open_meeting(
            {"kind": "plenary", "level": "provincial", "date": "2025-03-26"}, STAFF
        ),
    )
    assert app.meeting(mid)["title"] == "省十四届人大常委会第二十次会议"
    assert [o["title"] for o in record(runner, a, 2025)["observer"]] == [
        "省十四届人大常委会第二十次会议",
        "列席代表座谈会",
    ]
    figures = report(runner, "meetings", 2025)
    assert figures["meetings_held"] == {"sc_meeting": 1, "forum": 1}
    assert figures["observers"] == {"sc_meeting": 2, "forum": 1}


# -- motions ---------------------------------------------------------------------------


def test_a_motion_not_on_the_agenda_becomes_a_linked_suggestion(
    app: Renda, runner: ProjectionRunner
) -> None:
    lead, *others = deputies(app, 10)
    lead_actor = Actor("lead", f"deputy:{lead}")
    mid = app.draft_motion(
        {
            "title": "关于制定黑土地保护条例的议案",
            "body": "……",
            "level": "provincial",
            "date": "2025-01-10",
        },
        lead_actor,
    )
    for d in others[:8]:
        app.cosign_motion({"motion_id": mid, "date": "2025-01-11"}, Actor("d", f"deputy:{d}"))
    ref = {"motion_id": mid, "date": "2025-01-16"}
    refused(app, RuleViolated, lambda: app.submit_motion(ref, lead_actor))  # no open session
    sid = session(app, 3, 2025)
    refused(app, RuleViolated, lambda: app.submit_motion(ref, lead_actor))  # 9 < 10 signatures
    app.cosign_motion({"motion_id": mid, "deputy_id": others[8], "date": "2025-01-15"}, STAFF)
    refused(app, Forbidden, lambda: app.submit_motion(ref, Actor("d", f"deputy:{others[0]}")))
    assert app.submit_motion(ref, lead_actor) == str(sid)
    refused(app, Forbidden, lambda: app.receive_motion(ref, lead_actor))
    app.receive_motion(ref, STAFF)
    decide = {**ref, "decision": "不列入会议议程", "reason": "属于建议范围"}
    suggestion_id = app.decide_motion(decide, STAFF)
    assert suggestion_id is not None
    motion = app.motion(mid)
    assert motion["status"] == "not_on_agenda" and motion["suggestion_id"] == suggestion_id
    suggestion = app.suggestion(suggestion_id)
    assert suggestion["motion_id"] == str(mid)  # linked both ways
    assert suggestion["status"] == "submitted" and suggestion["lead_deputy"] == str(lead)
    assert suggestion_id in app.session(sid)["suggestions"]  # a session suggestion
    refused(app, RuleViolated, lambda: app.decide_motion(decide, STAFF))

    assert record(runner, lead, 2025)["motions"] == [
        {
            "motion_id": str(mid),
            "title": "关于制定黑土地保护条例的议案",
            "role": "lead",
            "status": "not_on_agenda",
            "on": "2025-01-10",
        }
    ]
    assert record(runner, others[8], 2025)["motions"][0]["role"] == "cosigner"
    figures = report(runner, "motions", 2025)
    assert figures["submitted"] == 1 and figures["handled_as_suggestions"] == 1
    assert figures["decided"] == {"agenda": 0, "not_agenda": 1}


def test_a_motion_on_the_agenda_is_voted(app: Renda, runner: ProjectionRunner) -> None:
    (lead,) = deputies(app, 1, level="township")
    others = deputies(app, 4, level="township")
    app.open_session({"level": "township", "term": 3, "number": 1, "date": "2025-02-01"}, STAFF)
    mid = app.draft_motion(
        {
            "title": "关于修建村道的议案",
            "body": "……",
            "level": "乡",
            "lead_deputy": lead,
            "date": "2025-02-01",
        },
        STAFF,
    )
    for d in others:  # 5 deputies jointly suffice at the township level
        app.cosign_motion({"motion_id": mid, "deputy_id": d, "date": "2025-02-01"}, STAFF)
    ref = {"motion_id": mid, "date": "2025-02-02"}
    app.submit_motion(ref, STAFF)
    app.receive_motion(ref, STAFF)
    refused(app, RuleViolated, lambda: app.vote_motion({**ref, "passed": True}, STAFF))
    assert app.decide_motion({**ref, "decision": "agenda"}, STAFF) is None
    app.vote_motion({**ref, "passed": True, "date": "2025-02-03"}, STAFF)
    assert app.motion(mid)["status"] == "passed"
    assert report(runner, "motions", 2025)["voted"] == {"passed": 1, "not_passed": 0}


def test_motion_drafting_errors_record_nothing(app: Renda) -> None:
    (lead,) = deputies(app, 1)
    (other,) = deputies(app, 1)
    base = {"title": "议案", "body": "……", "level": "provincial", "date": "2025-01-10"}
    refused(app, InvalidInput, lambda: app.draft_motion(base, STAFF))  # no lead deputy
    refused(app, InvalidInput, lambda: app.draft_motion({**base, "title": ""}, STAFF))
    refused(
        app,
        Forbidden,
        lambda: app.draft_motion({**base, "lead_deputy": other}, Actor("l", f"deputy:{lead}")),
    )
    refused(
        app,
        RuleViolated,
        lambda: app.draft_motion(
            {**base, "proposer": "delegation", "delegation": "长春代表团"}, STAFF
        ),
    )
    refused(
        app,
        RuleViolated,
        lambda: app.draft_motion({**base, "lead_deputy": lead, "level": "county"}, STAFF),
    )
    refused(
        app,
        NotFound,
        lambda: app.cosign_motion(
            {"motion_id": lead, "deputy_id": lead, "date": "2025-01-10"}, STAFF
        ),
    )


# -- inspections -----------------------------------------------------------------------


def test_an_inspection_with_report_and_feedback(app: Renda, runner: ProjectionRunner) -> None:
    a, b = deputies(app, 2)
    iid = app.plan_inspection(
        {
            "kind": "专题调研",
            "topic": "黑土地保护",
            "level": "provincial",
            "starts": "2025-05-06",
            "ends": "2025-05-08",
            "date": "2025-04-01",
            "annual_topic": True,
        },
        STAFF,
    )
    for d in (a, b):
        app.join_inspection({"inspection_id": iid, "deputy_id": d, "date": "2025-04-02"}, STAFF)
    ref = {"inspection_id": iid, "date": "2025-05-08"}
    refused(
        app, RuleViolated, lambda: app.report_inspection({**ref, "title": "t", "text": "x"}, STAFF)
    )
    app.hold_inspection({**ref, "findings": "部分地区耕地质量下降"}, STAFF)
    app.report_inspection(
        {**ref, "title": "关于黑土地保护的调研报告", "text": "……", "date": "2025-05-20"}, STAFF
    )
    fb = {"inspection_id": iid, "body": "省农业农村厅", "due": "2025-07-01", "date": "2025-05-21"}
    app.request_inspection_feedback(fb, STAFF)
    refused(app, RuleViolated, lambda: app.request_inspection_feedback(fb, STAFF))
    refused(
        app, InvalidInput, lambda: app.request_inspection_feedback({**fb, "due": "someday"}, STAFF)
    )
    app.receive_inspection_feedback(
        {"inspection_id": iid, "body": "省农业农村厅", "text": "已部署整改", "date": "2025-06-20"},
        STAFF,
    )
    data = app.inspection(iid)
    assert data["status"] == "reported" and data["feedback"][0]["on_time"] is True
    assert record(runner, a, 2025)["inspections"] == [
        {
            "inspection_id": str(iid),
            "topic": "黑土地保护",
            "kind": "research",
            "on": "2025-05-08",
            "report": True,
        }
    ]
    figures = report(runner, "inspections", 2025)
    assert figures["held"] == {"inspection": 0, "research": 1}
    assert figures["participants"]["research"] == 2 and figures["annual_topics"] == 1
    assert figures["feedback_received"] == {"on_time": 1, "late": 0}
    refused(
        app,
        RuleViolated,
        lambda: app.plan_inspection(
            {
                "kind": "inspection",
                "topic": "t",
                "level": "provincial",
                "organiser": "group",
                "starts": "2025-05-06",
                "ends": "2025-05-08",
                "date": "2025-04-01",
            },
            STAFF,
        ),
    )
    refused(
        app,
        NotFound,
        lambda: app.plan_inspection(
            {
                "kind": "inspection",
                "topic": "t",
                "level": "provincial",
                "organiser": "group",
                "group_id": a,
                "starts": "2025-05-06",
                "ends": "2025-05-08",
                "date": "2025-04-01",
            },
            STAFF,
        ),
    )
