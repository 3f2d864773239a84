"""Suspension of duties (暂停执行代表职务) has effect: while a deputy's duties are
suspended, every command in which the deputy exercises the duties is refused with a
RuleViolated naming the suspension, and nothing is recorded; staff's records about the
deputy stay allowed; after the deputy resumes, the same acts are accepted again.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from renda_core import Actor, Renda
from renda_core.application.areas import read_division_csv
from renda_core.application.inputs import dates_as_of
from renda_core.domain.errors import RuleViolated
from renda_core.projections.log import count_events
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF, register_payload

SUSPENDED_ON, RESUMED_ON = "2025-03-01", "2025-09-01"
DURING, AFTER = "2025-04-10", "2025-09-10"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with dates_as_of(date(2026, 11, 30)):
        yield


def _world(app: Renda) -> dict[str, Any]:
    """Deputies A (to be suspended) and B, with a station, a group, an inspection, a
    meeting, a session, a body, a member, a draft suggestion and a draft motion by A,
    and a suggestion by B that invited A: all before the suspension."""
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2023-01-01"}, STAFF)
    a = app.register_deputy(register_payload(name="金美玉"), STAFF)
    b = app.register_deputy(register_payload(name="朴成哲"), STAFF)
    station = app.establish_station(
        {"name": "南岭街道代表之家", "kind": "home", "division": "220102001", "date": "2023-01-20"},
        STAFF,
    )
    for d in (a, b):
        app.enter_station({"station_id": station, "deputy_id": d, "date": "2023-02-01"}, STAFF)
    other_station = app.establish_station(
        {
            "name": "南岭街道代表联络站",
            "kind": "home",
            "division": "220102001",
            "date": "2023-01-20",
        },
        STAFF,
    )
    group = app.form_group(
        {
            "name": "延边代表小组",
            "basis": "electoral_unit",
            "unit": "延边州",
            "level": "provincial",
            "term": 14,
            "area": "222401",
            "date": "2023-02-01",
        },
        STAFF,
    )
    app.add_group_member({"group_id": group, "deputy_id": b, "date": "2023-02-02"}, STAFF)
    inspection = app.plan_inspection(
        {
            "kind": "专题调研",
            "topic": "黑土地保护",
            "level": "provincial",
            "starts": "2025-10-06",
            "ends": "2025-10-08",
            "date": "2025-01-05",
        },
        STAFF,
    )
    meeting = app.open_meeting(
        {"kind": "forum", "level": "provincial", "title": "代表座谈会", "date": "2025-01-06"},
        STAFF,
    )
    session = app.open_session(
        {"level": "provincial", "term": 14, "number": 4, "date": DURING}, STAFF
    )
    member = app.add_member(
        {
            "name": "陈立",
            "position": "委员",
            "level": "provincial",
            "term": 14,
            "date": "2023-01-20",
        },
        STAFF,
    )
    body = app.add_body(
        {"name": "法制委员会", "kind": "专门委员会", "level": "provincial", "date": "2023-01-20"},
        STAFF,
    )
    lead_a, lead_b = Actor("jin", f"deputy:{a}"), Actor("piao", f"deputy:{b}")
    text = {"body": "建议……", "channel": "闭会期间", "source": "其他", "date": "2025-01-10"}
    own = app.draft_suggestion({**text, "title": "关于珲春口岸的建议"}, lead_a)
    other = app.draft_suggestion({**text, "title": "关于养老服务的建议"}, lead_b)
    app.invite_cosigner({"suggestion_id": other, "deputy_id": a, "date": "2025-01-11"}, lead_b)
    on = {"date": "2025-01-10"}
    motion = app.draft_motion(
        {"title": "关于黑土地保护条例的议案", "body": "……", "level": "provincial", **on},
        lead_a,
    )
    other_motion = app.draft_motion(
        {"title": "关于养老服务条例的议案", "body": "……", "level": "provincial", **on},
        lead_b,
    )
    return {
        "A": a,
        "B": b,
        "lead_a": lead_a,
        "station": station,
        "other_station": other_station,
        "group": group,
        "inspection": inspection,
        "meeting": meeting,
        "session": session,
        "member": member,
        "body": body,
        "own": own,
        "other": other,
        "motion": motion,
        "other_motion": other_motion,
    }


#: (what the deputy does, the call on a given date): the acts refused while suspended
Act = Callable[[Renda, dict[str, Any], str], object]
ACTS: dict[str, Act] = {
    "suggestion.draft": lambda app, w, on: app.draft_suggestion(
        {"title": "新建议", "body": "……", "channel": "闭会期间", "source": "其他", "date": on},
        w["lead_a"],
    ),
    "suggestion.submit": lambda app, w, on: app.submit_suggestion(
        {"suggestion_id": w["own"], "date": on}, w["lead_a"]
    ),
    "suggestion.invite": lambda app, w, on: app.invite_cosigner(
        {"suggestion_id": w["other"], "deputy_id": w["A"], "date": on},
        Actor("piao", f"deputy:{w['B']}"),
    ),
    "suggestion.cosign": lambda app, w, on: app.cosign_suggestion(
        {"suggestion_id": w["other"], "date": on}, w["lead_a"]
    ),
    "motion.draft": lambda app, w, on: app.draft_motion(
        {"title": "新议案", "body": "……", "level": "provincial", "date": on}, w["lead_a"]
    ),
    "motion.cosign": lambda app, w, on: app.cosign_motion(
        {"motion_id": w["other_motion"], "date": on}, w["lead_a"]
    ),
    "motion.submit": lambda app, w, on: app.submit_motion(
        {"motion_id": w["motion"], "date": on}, w["lead_a"]
    ),
    "station.enter": lambda app, w, on: app.enter_station(
        {"station_id": w["other_station"], "deputy_id": w["A"], "date": on}, STAFF
    ),
    "station.activity": lambda app, w, on: app.hold_station_activity(
        {
            "station_id": w["station"],
            "kind": "face_to_face",
            "date": on,
            "deputies": [w["B"], w["A"]],
            "people_received": 12,
        },
        STAFF,
    ),
    "opinion.collect": lambda app, w, on: app.collect_opinion(
        {
            "station_id": w["station"],
            "channel": "reception_day",
            "content": "小区加装电梯",
            "deputies": [w["A"]],
            "date": on,
        },
        STAFF,
    ),
    "group.add": lambda app, w, on: app.add_group_member(
        {"group_id": w["group"], "deputy_id": w["A"], "date": on}, STAFF
    ),
    "inspection.join": lambda app, w, on: app.join_inspection(
        {"inspection_id": w["inspection"], "deputy_id": w["A"], "date": on}, STAFF
    ),
    "meeting.observe": lambda app, w, on: app.record_observers(
        {"meeting_id": w["meeting"], "deputy_ids": [w["B"], w["A"]], "date": on}, STAFF
    ),
    "session.attendance (present)": lambda app, w, on: app.record_session_attendance(
        {"session_id": w["session"], "status": "出席", "deputy_ids": [w["A"]], "date": on},
        STAFF,
    ),
    "member.contact": lambda app, w, on: app.member_contact(
        {"member_id": w["member"], "deputy_id": w["A"], "form": "visit", "date": on}, STAFF
    ),
    "body.contact": lambda app, w, on: app.body_contact(
        {"body_id": w["body"], "deputy_id": w["A"], "form": "forum", "date": on}, STAFF
    ),
    "body.invite": lambda app, w, on: app.body_invite(
        {
            "body_id": w["body"],
            "kind": "legislation",
            "title": "黑土地保护条例（草案）",
            "deputy_ids": [w["A"]],
            "date": on,
        },
        STAFF,
    ),
    "deputy.report-to-constituents": lambda app, w, on: app.report_to_constituents(
        {"deputy_id": w["A"], "date": on, "place": "代表之家", "attendees": 30}, w["lead_a"]
    ),
}


#: acts that, once the suspension is over, meet a rule of their own in this small world
OTHER_RULE_AFTER = {
    "motion.submit": "needs 10 or more deputies jointly; it has 1",
    "suggestion.invite": "already invited as co-signer",  # invited before the suspension
}


def _suspend(app: Renda, deputy: UUID) -> None:
    app.suspend_deputy({"deputy_id": deputy, "ground": "detained", "date": SUSPENDED_ON}, STAFF)


@pytest.mark.parametrize("act", sorted(ACTS))
def test_refused_while_suspended_and_accepted_after_resuming(app: Renda, act: str) -> None:
    w = _world(app)
    _suspend(app, w["A"])
    before = count_events(app)
    with pytest.raises(RuleViolated, match=r"金美玉 .*暂停执行代表职务.* since 2025-03-01"):
        ACTS[act](app, w, DURING)
    assert count_events(app) == before
    app.resume_deputy({"deputy_id": w["A"], "date": RESUMED_ON}, STAFF)
    if act in OTHER_RULE_AFTER:  # past the suspension, the command's own rules apply
        with pytest.raises(RuleViolated, match=OTHER_RULE_AFTER[act]):
            ACTS[act](app, w, AFTER)
        return
    ACTS[act](app, w, AFTER)
    assert count_events(app) > before + 1


def test_the_same_acts_are_accepted_before_a_suspension_begins(app: Renda) -> None:
    """The refusal is by the act's business date, not by the deputy's status now."""
    w = _world(app)
    _suspend(app, w["A"])
    app.enter_station(
        {"station_id": w["other_station"], "deputy_id": w["A"], "date": "2025-02-27"}, STAFF
    )
    app.add_group_member({"group_id": w["group"], "deputy_id": w["A"], "date": "2025-02-28"}, STAFF)
    members = app.group(w["group"])["members"]
    assert str(w["A"]) in {m["deputy_id"] for m in members}


def test_staff_records_about_a_suspended_deputy_stay_allowed(app: Renda) -> None:
    w = _world(app)
    _suspend(app, w["A"])
    session = {"session_id": w["session"], "deputy_ids": [w["A"]], "date": DURING}
    app.record_session_attendance({**session, "status": "请假"}, STAFF)
    app.correct_deputy({"deputy_id": w["A"], "phone": "13900000000", "date": DURING}, STAFF)
    app.member_liaise({"member_id": w["member"], "deputy_id": w["A"], "date": DURING}, STAFF)
    app.leave_station({"station_id": w["station"], "deputy_id": w["A"], "date": DURING}, STAFF)
    app.terminate_deputy(
        {"deputy_id": w["A"], "ground": "deprived_of_political_rights", "date": "2025-05-01"},
        STAFF,
    )
    app.announce_termination(
        {"deputy_id": w["A"], "notice": "公告第12号", "date": "2025-05-10"}, STAFF
    )
    data = app.deputy(w["A"])
    assert data["status"] == "terminated" and data["announcement"] == "公告第12号"
    assert data["suspensions"] == [
        {"ground": "detained", "since": SUSPENDED_ON, "until": "2025-05-01"}
    ]
