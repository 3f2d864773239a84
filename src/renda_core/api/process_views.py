"""What the public API's reads of issue 14's processes return: sessions and attendance,
meetings and 列席, motions, inspections, the annual plan and campaigns, the standing
committee's members and bodies with the 双联系 ledger, terms, the duty record and the
assessment, and the actor registry.

Typed and frozen like :mod:`renda_core.api.views`: the fields an embedding system relies
on are typed, the rest of a record's data is kept as extra fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from renda_core.api.views import RecordView, Row


class SessionView(RecordView):
    """A congress session (人民代表大会会议): dates, suggestions received, attendance
    (deputy id → ``present`` 出席, ``leave`` 请假, ``absent`` 缺席)."""

    level: str
    term: int
    number: int
    title: str
    status: str
    status_label: str
    opened_on: date
    closed_on: date | None = None
    assignment_due: date | None = None
    suggestions: list[str]
    attendance: dict[str, str]


class AbsenceWarning(Row):
    """A deputy absent without leave from two sessions of one term (Art. 62): a warning
    for staff to examine, never a termination."""

    deputy_id: str
    name: str
    level: str
    term: int
    absences: list[dict[str, Any]]
    consecutive: bool


class MeetingView(RecordView):
    """A standing-committee meeting or forum and the deputies who attended as
    non-members (列席: deputy id → the day)."""

    kind: str
    kind_label: str
    level: str
    title: str
    status: str
    status_label: str
    opened_on: date
    closed_on: date | None = None
    observers: dict[str, date]


class MeetingSummary(Row):
    """One row of :meth:`RendaAPI.list_meetings` (from the meetings view)."""

    id: str
    kind: str
    level: str
    title: str
    opened_on: date
    closed_on: date | None = None
    observers: int


class MotionView(RecordView):
    """A motion (议案): proposer, signatories, the presidium's decision, the suggestion
    it became when not put on the agenda."""

    title: str
    level: str
    proposer: str
    proposer_label: str
    lead_deputy: str | None = None
    delegation: str | None = None
    cosigners: list[str]
    status: str
    status_label: str
    drafted_on: date
    session_id: str | None = None
    decision: str | None = None
    decided_on: date | None = None
    suggestion_id: str | None = None


class MotionSummary(Row):
    """One row of :meth:`RendaAPI.list_motions` (from the meetings view)."""

    id: str
    title: str
    level: str
    status: str
    status_label: str
    lead_deputy: str | None = None
    drafted_on: date


class InspectionView(RecordView):
    """An inspection or research (视察、专题调研): participants, findings, the report and
    the feedback the inspected bodies owe."""

    kind: str
    kind_label: str
    topic: str
    level: str
    organiser: str
    status: str
    status_label: str
    starts: date
    ends: date | None = None
    participants: list[str]
    report: dict[str, Any] | None = None
    feedback: list[dict[str, Any]]


class InspectionSummary(Row):
    """One row of :meth:`RendaAPI.list_inspections` (from the meetings view)."""

    id: str
    kind: str
    topic: str
    level: str
    status: str
    starts: date
    participants: int
    feedback_requested: int
    feedback_received: int


class PlanView(RecordView):
    """A year's deputy-work plan (年度代表工作计划): tasks with owners, due dates and
    progress, and its completion."""

    level: str
    year: int
    title: str
    adopted_on: date
    tasks: list[dict[str, Any]]
    completed: int
    completed_on_time: int
    completion_rate: float | None = None


class CampaignView(RecordView):
    """A campaign (e.g. 代表进家站，履职为人民) and the plan tasks linked to it."""

    title: str
    level: str
    launched_on: date
    concluded_on: date | None = None
    tasks: list[dict[str, Any]]


class MemberRow(Row):
    """A standing-committee member (常委会组成人员): what every read of one shows."""

    id: str
    name: str
    position: str
    level: str
    term: int
    since: date
    left_on: date | None = None


class MemberView(MemberRow):
    """A standing-committee member's own view (``renda member show``): the deputies he
    liaises with (双联系), the contacts made, his bodies."""

    bodies: list[dict[str, Any]]
    deputies: list[dict[str, Any]]
    contacts: list[dict[str, Any]]


class MemberSummary(MemberRow):
    """One row of :meth:`RendaAPI.list_members`: open liaisons and contacts counted."""

    deputies: int
    contacts: int


class BodyView(RecordView):
    """A body of the standing committee (主任会议, 专门委员会, 工作机构): members (member
    id → since), contacts with deputies, deputies invited into its work."""

    name: str
    kind: str
    kind_label: str
    level: str
    established_on: date
    members: dict[str, date]
    contacts: list[dict[str, Any]]
    participations: list[dict[str, Any]]


class TermView(RecordView):
    """A term (届) of a level's congress."""

    level: str
    number: int
    title: str
    began_on: date
    ended_on: date | None = None


class DutyRecordView(Row):
    """A deputy's duty record (履职档案) for a year or the whole mandate: each section's
    entries (``attendance``, ``observer``, ``motions``, ``suggestions_led`` …, as
    ``renda deputy record`` shows them) and ``summary``, the count per section."""

    deputy_id: str
    name: str
    level: str
    term: int
    area: str
    year: int | None = None
    registered_on: date
    terminated_on: date | None = None
    summary: dict[str, int]


class AssessmentView(Row):
    """A year's performance assessment (履职考核) by a scheme: ``deputies`` ranked, each
    with ``total``, ``points``, ``deductions`` and the ``items`` (the facts behind every
    point). A scheme is a province's choice; the built-in one is an example, not law."""

    year: int
    scheme: dict[str, Any]
    deputies: list[dict[str, Any]]


class ActorView(Row):
    """A registered actor (the actor registry): name, roles granted, status."""

    id: str
    name: str
    roles: list[str]
    status: str
    added_on: date | None = None
    revoked_on: date | None = None


__all__ = [
    "AbsenceWarning",
    "ActorView",
    "AssessmentView",
    "BodyView",
    "CampaignView",
    "DutyRecordView",
    "InspectionSummary",
    "InspectionView",
    "MeetingSummary",
    "MeetingView",
    "MemberRow",
    "MemberSummary",
    "MemberView",
    "MotionSummary",
    "MotionView",
    "PlanView",
    "SessionView",
    "TermView",
]
