"""Pure tests of attendance (出席 / 请假 / 缺席) on a congress session and of 列席 on a
standing-committee meeting or forum: every refused change raises and records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.errors import RuleViolated
from renda_core.domain.meeting import Meeting, meeting_id, meeting_title
from renda_core.domain.session import CongressSession
from renda_core.domain.values import Actor

STAFF = Actor("clerk-1", "staff")
D1, D2 = "deputy-1", "deputy-2"


def session() -> CongressSession:
    s = CongressSession.open(
        level="provincial", term=14, number=2, title=None, on=date(2024, 1, 20), actor=STAFF
    )
    s.collect_events()
    return s


def refused(aggregate: object, call: object, match: str) -> None:
    before = aggregate.version  # type: ignore[attr-defined]
    with pytest.raises(RuleViolated, match=match):
        call()  # type: ignore[operator]
    assert aggregate.pending_events == []  # type: ignore[attr-defined]
    assert aggregate.version == before  # type: ignore[attr-defined]


def test_attendance_is_recorded_and_corrected() -> None:
    s = session()
    s.record_attendance(
        deputy_ids=[D1, D2], status="present", note=None, on=date(2024, 1, 20), actor=STAFF
    )
    s.record_attendance(
        deputy_ids=[D2], status="leave", note="主任会议批准", on=date(2024, 1, 21), actor=STAFF
    )
    assert s.attendance_of() == {D1: "present", D2: "leave"}
    assert s.to_dict()["attendance"] == {D1: "present", D2: "leave"}
    (event,) = [e for e in s.collect_events() if type(e).__name__ == "AttendanceRecorded"][1:]
    assert event.note == "主任会议批准"


def test_attendance_after_the_close_within_the_session_dates() -> None:
    s = session()
    s.close(
        on=date(2024, 1, 25),
        assignment_due=date(2024, 2, 25),
        period="30 days",
        policy="national",
        pending=[],
        actor=STAFF,
    )
    s.record_attendance(
        deputy_ids=[D1], status="absent", note=None, on=date(2024, 1, 25), actor=STAFF
    )
    assert s.attendance_of() == {D1: "absent"}


@pytest.mark.parametrize(
    ("ids", "status", "on", "match"),
    [
        ([], "present", date(2024, 1, 20), "at least one"),
        ([D1, D1], "present", date(2024, 1, 20), "twice"),
        ([D1], "present", date(2024, 1, 19), "before the session opened"),
    ],
)
def test_attendance_refused(ids: list[str], status: str, on: date, match: str) -> None:
    s = session()
    refused(
        s,
        lambda: s.record_attendance(deputy_ids=ids, status=status, note=None, on=on, actor=STAFF),
        match,
    )


def test_the_same_status_twice_and_dates_after_the_close_are_refused() -> None:
    s = session()
    s.record_attendance(
        deputy_ids=[D1], status="absent", note=None, on=date(2024, 1, 20), actor=STAFF
    )
    s.collect_events()
    refused(
        s,
        lambda: s.record_attendance(
            deputy_ids=[D2, D1], status="absent", note=None, on=date(2024, 1, 21), actor=STAFF
        ),
        "already recorded as 缺席",
    )
    s.close(
        on=date(2024, 1, 25),
        assignment_due=date(2024, 2, 25),
        period="30 days",
        policy="national",
        pending=[],
        actor=STAFF,
    )
    s.collect_events()
    refused(
        s,
        lambda: s.record_attendance(
            deputy_ids=[D2], status="present", note=None, on=date(2024, 1, 26), actor=STAFF
        ),
        "after the session closed",
    )


def test_an_unknown_status_is_not_recorded() -> None:
    s = session()
    with pytest.raises(ValueError):
        s.record_attendance(
            deputy_ids=[D1], status="late", note=None, on=date(2024, 1, 20), actor=STAFF
        )
    assert s.pending_events == []


# -- standing-committee meetings and forums (列席) -------------------------------------


def sc_meeting() -> Meeting:
    m = Meeting.open(
        kind="sc_meeting",
        level="provincial",
        term=14,
        number=15,
        title=None,
        on=date(2024, 3, 1),
        actor=STAFF,
    )
    m.collect_events()
    return m


def test_a_standing_committee_meeting_is_keyed_and_titled() -> None:
    m = sc_meeting()
    assert m.id == meeting_id("provincial", 14, 15)
    assert m.title == meeting_title("provincial", 14, 15) == "省十四届人大常委会第十五次会议"
    m.record_observers(deputy_ids=[D1, D2], on=date(2024, 3, 2), actor=STAFF)
    m.close(on=date(2024, 3, 3), actor=STAFF)
    assert m.to_dict()["observers"] == {D1: "2024-03-02", D2: "2024-03-02"}
    assert m.to_dict()["status"] == "closed"


def test_a_forum_needs_a_title_and_gets_a_random_id() -> None:
    with pytest.raises(RuleViolated, match="needs a title"):
        Meeting.open(
            kind="forum",
            level="provincial",
            term=None,
            number=None,
            title=None,
            on=date(2024, 3, 1),
            actor=STAFF,
        )
    forum = Meeting.open(
        kind="forum",
        level="provincial",
        term=None,
        number=None,
        title="列席代表座谈会",
        on=date(2024, 3, 1),
        actor=STAFF,
    )
    assert forum.id != meeting_id("provincial", 14, 15)
    assert forum.title == "列席代表座谈会"


@pytest.mark.parametrize(
    ("term", "number", "match"),
    [(None, 3, "term"), (14, None, "term"), (0, 3, "start at 1"), (14, 0, "start at 1")],
)
def test_a_meeting_without_term_or_number_is_refused(
    term: int | None, number: int | None, match: str
) -> None:
    with pytest.raises(RuleViolated, match=match):
        Meeting.open(
            kind="sc_meeting",
            level="provincial",
            term=term,
            number=number,
            title=None,
            on=date(2024, 3, 1),
            actor=STAFF,
        )


def test_observers_refused() -> None:
    m = sc_meeting()
    rec = m.record_observers
    refused(m, lambda: rec(deputy_ids=[], on=date(2024, 3, 1), actor=STAFF), "at least one")
    refused(m, lambda: rec(deputy_ids=[D1, D1], on=date(2024, 3, 1), actor=STAFF), "twice")
    refused(m, lambda: rec(deputy_ids=[D1], on=date(2024, 2, 28), actor=STAFF), "before")
    rec(deputy_ids=[D1], on=date(2024, 3, 1), actor=STAFF)
    m.collect_events()
    refused(m, lambda: rec(deputy_ids=[D1], on=date(2024, 3, 2), actor=STAFF), "already")
    m.close(on=date(2024, 3, 2), actor=STAFF)
    m.collect_events()
    refused(m, lambda: rec(deputy_ids=[D2], on=date(2024, 3, 3), actor=STAFF), "after")


def test_close_refused() -> None:
    m = sc_meeting()
    refused(m, lambda: m.close(on=date(2024, 2, 1), actor=STAFF), "before the meeting opened")
    m.record_observers(deputy_ids=[D1], on=date(2024, 3, 3), actor=STAFF)
    m.collect_events()
    refused(m, lambda: m.close(on=date(2024, 3, 2), actor=STAFF), "last observer")
    m.close(on=date(2024, 3, 3), actor=STAFF)
    m.collect_events()
    refused(m, lambda: m.close(on=date(2024, 3, 4), actor=STAFF), "already closed")


def test_a_session_does_not_close_before_attendance_recorded_in_it() -> None:
    s = session()
    s.record_attendance(
        deputy_ids=[D1], status="present", note=None, on=date(2024, 1, 23), actor=STAFF
    )
    s.collect_events()

    def close() -> None:
        s.close(
            on=date(2024, 1, 22),
            assignment_due=date(2024, 2, 25),
            period="30 days",
            policy="national",
            pending=[],
            actor=STAFF,
        )

    refused(s, close, "before attendance recorded on 2024-01-23")
