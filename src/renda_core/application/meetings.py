"""Attendance of congress sessions, standing-committee meetings and forums (列席), and the
warning staff get when a deputy missed two sessions without leave.

- ``session.attendance``: one status (出席 / 请假 / 缺席) for many deputies of the
  session's level, recorded on the session.
- ``meeting.open`` / ``meeting.observe`` / ``meeting.close``: a standing-committee meeting
  (常委会会议) or a forum (座谈会) and the deputies who attended as observers (列席).
- :meth:`MeetingCommands.session_warnings`: the Deputies Law ends the mandate of a deputy
  who, without approval, twice did not attend a session of the congress of their level
  (未经批准两次不出席本级人民代表大会会议的). renda lists such deputies for staff to
  examine; it never ends a mandate by itself (``deputy.terminate`` does, by a person).
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.commands import (
    BusinessDate,
    Command,
    LevelField,
    LongText,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.sessions import SessionCommands
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import NotFound, RuleViolated
from renda_core.domain.meeting import Meeting, MeetingKind
from renda_core.domain.session import AttendanceStatus, CongressSession
from renda_core.domain.values import Actor, Level

STAFF = {"staff"}
AttendanceField = Annotated[AttendanceStatus, accepts_labels(AttendanceStatus)]
MeetingKindField = Annotated[MeetingKind, accepts_labels(MeetingKind)]
DeputyIds = Annotated[list[UUID], Field(min_length=1, max_length=2000)]


class RecordAttendance(Command):
    """Record the attendance of deputies at a congress session (出席 / 请假 / 缺席)."""

    session_id: UUID
    status: AttendanceField
    deputy_ids: DeputyIds
    date: BusinessDate
    note: LongText | None = Field(default=None, description="e.g. the approval of a leave")


class OpenMeeting(Command):
    """Open a standing-committee meeting (常委会会议) or hold a forum (座谈会)."""

    kind: MeetingKindField
    level: LevelField
    term: Annotated[int, Field(ge=1, le=99, description="届")] | None = None
    number: Annotated[int, Field(ge=1, le=200, description="次")] | None = None
    title: Text | None = Field(
        default=None, description="default: e.g. 省十四届人大常委会第五次会议"
    )
    date: BusinessDate


class RecordObservers(Command):
    """Deputies attended a meeting or forum as observers (列席)."""

    meeting_id: UUID
    deputy_ids: DeputyIds
    date: BusinessDate


class CloseMeeting(Command):
    """Close a meeting (闭幕)."""

    meeting_id: UUID
    date: BusinessDate


class MeetingCommands(SessionCommands):
    """Attendance, meetings with observers (列席) and the Art. 62 warning."""

    @command("session.attendance", RecordAttendance, STAFF)
    def record_session_attendance(self, cmd: RecordAttendance, actor: Actor) -> None:
        """Record one attendance status for many deputies of the session's level."""
        session = self._load(CongressSession, cmd.session_id, "session")
        self._preload(cmd.deputy_ids)  # in a batch: all in one read
        ids = []
        for deputy_id in cmd.deputy_ids:
            deputy = self._load(Deputy, deputy_id, "deputy")
            if deputy.level != session.level:
                raise RuleViolated(
                    f"{deputy.name} ({deputy.id}) is a deputy of level {deputy.level}, "
                    f"not of {session.title}'s"
                )
            ended = deputy.terminated_on
            if ended is not None and ended < session.opened_on:
                raise RuleViolated(
                    f"{deputy.name} ({deputy.id}): the mandate ended on {ended}, "
                    f"before {session.title} opened"
                )
            if cmd.status is AttendanceStatus.PRESENT:
                deputy.check_may_exercise_duties(f"attend {session.title}", cmd.date)
            ids.append(str(deputy.id))
        session.record_attendance(
            deputy_ids=ids, status=cmd.status.value, note=cmd.note, on=cmd.date, actor=actor
        )
        self._save(session)

    @command("meeting.open", OpenMeeting, STAFF)
    def open_meeting(self, cmd: OpenMeeting, actor: Actor) -> UUID:
        """Open a standing-committee meeting or hold a forum; returns its id."""
        meeting = Meeting.open(
            kind=cmd.kind,
            level=cmd.level,
            term=cmd.term,
            number=cmd.number,
            title=cmd.title,
            on=cmd.date,
            actor=actor,
        )
        if cmd.kind is MeetingKind.SC_MEETING and self._exists(meeting.id):
            raise RuleViolated(f"{meeting.title} is already recorded")
        self._save(meeting)
        return meeting.id

    @command("meeting.observe", RecordObservers, STAFF)
    def record_observers(self, cmd: RecordObservers, actor: Actor) -> None:
        """Record deputies who attended as observers (列席)."""
        meeting = self._load(Meeting, cmd.meeting_id, "meeting")
        ids = []
        for deputy_id in cmd.deputy_ids:
            deputy = self._load(Deputy, deputy_id, "deputy")
            deputy.check_may_exercise_duties(f"attend {meeting.title} (列席)", cmd.date)
            ids.append(str(deputy.id))
        meeting.record_observers(deputy_ids=ids, on=cmd.date, actor=actor)
        self._save(meeting)

    @command("meeting.close", CloseMeeting, STAFF)
    def close_meeting(self, cmd: CloseMeeting, actor: Actor) -> None:
        """Close a meeting."""
        self._change(
            Meeting, cmd.meeting_id, "meeting", lambda m: m.close(on=cmd.date, actor=actor)
        )

    # -- queries ----------------------------------------------------------------

    def meeting(self, meeting_id: UUID | str) -> dict[str, Any]:
        """A meeting as plain data (with its observers)."""
        return self._load(Meeting, meeting_id, "meeting").to_dict()

    def session_warnings(self, level: str | None = None) -> list[dict[str, Any]]:
        """Deputies who missed two or more sessions of their level's congress without
        leave (缺席) in one term: each with the sessions missed and whether two of them
        were consecutive. A warning to examine, never a termination."""
        out: list[dict[str, Any]] = []
        for lv in Level:
            if level is not None and lv.value != level:
                continue
            by_term: dict[int, list[CongressSession]] = {}
            roll = self._roll(lv.value)
            for key in roll.sessions if roll else ():
                session = self.get_session(key)
                by_term.setdefault(session.term, []).append(session)
            for term, sessions in sorted(by_term.items()):
                sessions.sort(key=lambda s: (s.number, s.opened_on))
                missed: dict[str, list[int]] = {}
                for index, session in enumerate(sessions):
                    for deputy_id, status in session.attendance_of().items():
                        if status == AttendanceStatus.ABSENT.value:
                            missed.setdefault(deputy_id, []).append(index)
                for deputy_id, indexes in missed.items():
                    if len(indexes) < 2:
                        continue
                    out.append(
                        self._warning(deputy_id, lv.value, term, [sessions[i] for i in indexes])
                        | {"consecutive": any(b - a == 1 for a, b in itertools.pairwise(indexes))}
                    )
        return sorted(out, key=lambda w: (list(Level).index(w["level"]), w["term"], w["name"]))

    def _warning(
        self, deputy_id: str, level: str, term: int, missed: list[CongressSession]
    ) -> dict[str, Any]:
        try:
            deputy = self._load(Deputy, deputy_id, "deputy")
            name, active = deputy.name, deputy.is_active
        except NotFound:
            name, active = deputy_id, False
        return {
            "deputy_id": deputy_id,
            "name": name,
            "active": active,
            "level": level,
            "term": term,
            "absences": [
                {"session_id": str(s.id), "title": s.title, "opened_on": s.opened_on.isoformat()}
                for s in missed
            ],
            "ground": "未经批准两次不出席本级人民代表大会会议",
        }
