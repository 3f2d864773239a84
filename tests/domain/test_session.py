"""Pure tests of the CongressSession aggregate and its level's roll.

Policy field ``session_assignment`` (default one calendar month, after 《上海市人民代表大会
关于代表建议、批评和意见的规定》 Art. 15; docs/suggestions.md "Congress sessions"): a
session suggestion's assignment due date is counted from the session's close;
DESIGN.md: at most one session of a level's congress is open at a time.
"""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.deadlines import NATIONAL, Clock, Period, Unit
from renda_core.domain.errors import RuleViolated
from renda_core.domain.session import (
    CongressSession,
    SessionRoll,
    chinese_number,
    session_id,
    session_title,
)
from renda_core.domain.suggestion import Status
from renda_core.domain.values import Actor
from tests.domain.test_suggestion import CLOCK, at, d

STAFF = Actor("clerk-1", "staff")


def opened(on: str = "2024-01-20") -> CongressSession:
    return CongressSession.open(
        level="provincial", term=14, number=2, title=None, on=d(on), actor=STAFF
    )


def test_titles_and_natural_keys() -> None:
    assert [chinese_number(n) for n in (1, 2, 10, 14, 20, 21, 99, 100, 105, 110)] == [
        "一",
        "二",
        "十",
        "十四",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零五",
        "一百一十",
    ]
    assert session_title("provincial", 14, 2) == "省第十四届人民代表大会第二次会议"
    assert session_title("national", 14, 3) == "第十四届全国人民代表大会第三次会议"
    s = opened()
    assert s.title == "省第十四届人民代表大会第二次会议"
    assert s.id == session_id("provincial", 14, 2) != session_id("provincial", 14, 3)
    assert s.to_dict()["status"] == "open"


def test_a_session_receives_suggestions_only_while_open_and_from_its_opening_day() -> None:
    s = opened()
    with pytest.raises(RuleViolated, match="before the session opened"):
        s.receive(suggestion_id="a", on=d("2024-01-19"), actor=STAFF)
    s.receive(suggestion_id="a", on=d("2024-01-20"), actor=STAFF)
    with pytest.raises(RuleViolated, match="already one of this session"):
        s.receive(suggestion_id="a", on=d("2024-01-21"), actor=STAFF)
    s.close(
        on=d("2024-01-25"),
        assignment_due=d("2024-02-24"),
        period="30 days",
        policy="national",
        pending=["a"],
        actor=STAFF,
    )
    with pytest.raises(RuleViolated, match="closed on 2024-01-25"):
        s.receive(suggestion_id="b", on=d("2024-01-26"), actor=STAFF)


def test_close_rules() -> None:
    s = opened()
    s.receive(suggestion_id="a", on=d("2024-01-23"), actor=STAFF)
    s.collect_events()

    def close(on: str, due: str = "2024-03-01", pending: tuple[str, ...] = ("a",)) -> None:
        s.close(
            on=d(on),
            assignment_due=d(due),
            period="30 days",
            policy="national",
            pending=list(pending),
            actor=STAFF,
        )

    with pytest.raises(RuleViolated, match="before the last suggestion received"):
        close("2024-01-22")
    with pytest.raises(RuleViolated, match="after the closing day"):
        close("2024-01-25", due="2024-01-25")
    with pytest.raises(RuleViolated, match="not suggestions of this session: z"):
        close("2024-01-25", pending=("a", "z"))
    assert s.collect_events() == []  # nothing recorded by a refusal
    close("2024-01-25")
    with pytest.raises(RuleViolated, match="cannot close"):
        close("2024-01-26")


def test_one_open_session_per_level() -> None:
    roll = SessionRoll.start(level="provincial", actor=STAFF)
    first = opened()
    roll.note_opened(session=first, actor=STAFF)
    second = CongressSession.open(
        level="provincial", term=14, number=3, title=None, on=d("2024-02-01"), actor=STAFF
    )
    with pytest.raises(RuleViolated, match="still open"):
        roll.note_opened(session=second, actor=STAFF)
    first.close(
        on=d("2024-01-25"),
        assignment_due=d("2024-02-24"),
        period="30 days",
        policy="national",
        pending=[],
        actor=STAFF,
    )
    roll.note_closed(session=first, actor=STAFF)
    roll.note_opened(session=second, actor=STAFF)
    assert roll.open_session == str(second.id)
    with pytest.raises(RuleViolated, match="not the open session"):
        roll.note_closed(session=first, actor=STAFF)
    second.close(
        on=d("2024-02-05"),
        assignment_due=d("2024-03-06"),
        period="30 days",
        policy="national",
        pending=[],
        actor=STAFF,
    )
    roll.note_closed(session=second, actor=STAFF)
    with pytest.raises(RuleViolated, match="already opened"):
        roll.note_opened(session=first, actor=STAFF)
    assert roll.open_session is None and roll.sessions == [str(first.id), str(second.id)]


def test_policy_session_assignment_is_one_month_after_the_close_shanghai_art_15() -> None:
    # policy field session_assignment: 《上海市人民代表大会关于代表建议、批评和意见的规定》
    # Art. 15, 闭会后一个月内 — a calendar month (add_months), not 30 days
    assert NATIONAL.session_assignment == Period(1, Unit.MONTHS)
    assert NATIONAL.to_dict()["session_assignment"]["label"] == "1个月"
    # same day next month: 2025-01-20 -> Thursday 2025-02-20 (30 days would be 02-19)
    assert CLOCK.due(NATIONAL.session_assignment, date(2025, 1, 20)) == date(2025, 2, 20)
    # clamped to the end of a shorter month: 2024-01-31 -> 2024-02-29 (30 days: 03-01)
    assert CLOCK.due(NATIONAL.session_assignment, date(2024, 1, 31)) == date(2024, 2, 29)
    # a month after 2024-01-25 is Sunday 2024-02-25: the period ends on the next working
    # day (roll_to_working_day, Civil Code Art. 203 style)
    assert CLOCK.due(NATIONAL.session_assignment, date(2024, 1, 25)) == date(2024, 2, 26)
    province = Clock(NATIONAL.with_changes(session_assignment=Period(20, Unit.WORKING_DAYS)))
    # 20 working days after 2024-01-25: 春节 02-10…17 off, 02-04 and 02-18 worked
    assert province.due(province.policy.session_assignment, date(2024, 1, 25)) == date(2024, 2, 27)


def test_the_suggestion_records_its_session_assignment_due_date() -> None:
    s = at(Status.SUBMITTED)
    assert s.assignment_due is not None  # an inter-session one has its own 7 working days
    s.collect_events()
    s.set_session_assignment_due(
        session_id="sess", due=d("2024-10-20"), policy="national", on=d("2024-09-20"), actor=STAFF
    )
    assert [type(e).TOPIC for e in s.collect_events()] == [  # type: ignore[attr-defined]
        "renda:Suggestion.SessionAssignmentDue"
    ]
    doc = s.to_dict()
    assert doc["assignment_due"] == "2024-10-20" and doc["session_id"] == "sess"
    assert doc["open_deadlines"] == [
        {"deadline": "assignment_due", "due": "2024-10-20", "owner": "office"}
    ]
    with pytest.raises(RuleViolated, match="before the submission"):
        at(Status.ACCEPTED).set_session_assignment_due(
            session_id="sess", due=d("2024-10-20"), policy="n", on=d("2024-09-01"), actor=STAFF
        )
    with pytest.raises(RuleViolated, match="cannot set a session assignment date"):
        at(Status.ASSIGNED).set_session_assignment_due(
            session_id="sess", due=d("2024-12-20"), policy="n", on=d("2024-11-20"), actor=STAFF
        )
