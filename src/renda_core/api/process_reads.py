"""The public API's reads of issue 14's processes, and of the actor registry.

A mixin of :class:`~renda_core.api.facade.RendaAPI`: each read runs through the read
policy (``application/readpolicy.py``) exactly as the records' ``get_*`` do — the role
checked against the permission matrix first, a unit refused what its assignments do
not need, a deputy shown his own records in full and others' personal fields redacted,
an auditor's reason recorded before anything is shown.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import pluggy
from pydantic import BaseModel

from renda_core.api.process_views import (
    AbsenceWarning,
    ActorView,
    AssessmentView,
    BodyView,
    CampaignView,
    DutyRecordView,
    InspectionSummary,
    InspectionView,
    MeetingSummary,
    MeetingView,
    MemberSummary,
    MemberView,
    MotionSummary,
    MotionView,
    PlanView,
    SessionView,
    TermView,
)
from renda_core.application.app import Renda
from renda_core.application.base import to_uuid
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Actor
from renda_core.projections.reports import ReportContext

V = TypeVar("V", bound=BaseModel)

Load = Callable[[], Any]
F = TypeVar("F", bound=Callable[..., Any])

AS_READER = """Read as ``actor`` (default: the store's actor) under the read policy;
``reason``: an auditor's reason to see personal fields (recorded first)."""
"""What every read's docstring ends with."""


def _as_reader(read: F) -> F:
    """Append :data:`AS_READER` to a read's docstring (said once, documented on each)."""
    read.__doc__ = f"{inspect.cleandoc(read.__doc__ or '')}\n\n{AS_READER}"
    return read


class ProcessReads:
    """Mixin: typed reads of sessions, meetings, motions, inspections, the plan, the
    standing committee, terms, the duty record, the assessment and the actor registry."""

    _application: Renda

    # what RendaAPI provides ------------------------------------------------------------

    def _get(
        self, view: type[V], read: str, record_id: str, actor: Actor | None, reason: str | None
    ) -> V:
        raise NotImplementedError

    def _judged(
        self, read: str, kind: str, load: Load, actor: Actor | None, reason: str | None
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _redacted(
        self, read: str, load: Load, actor: Actor | None, reason: str | None
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _listed(
        self, view: type[V], read: str, load: Load, actor: Actor | None, reason: str | None
    ) -> list[V]:
        raise NotImplementedError

    def _context(self, projection: str) -> ReportContext:
        raise NotImplementedError

    def _shared_plugins(self) -> pluggy.PluginManager:
        raise NotImplementedError

    def _level(self, level: str | None, area: str | None = None) -> str | None:
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------

    def _from_meetings(
        self,
        view: type[V],
        read: str,
        entries: Callable[[ReportContext, str | None], list[dict[str, Any]]],
        wanted: str | None,
        actor: Actor | None,
        reason: str | None,
    ) -> list[V]:
        """A list read from the meetings view (meetings, motions, inspections)."""
        from renda_adapters.meetings import MeetingsProjection

        name = MeetingsProjection.name
        return self._listed(view, read, lambda: entries(self._context(name), wanted), actor, reason)

    # -- sessions and meetings -------------------------------------------------------------

    @_as_reader
    def get_session(
        self, session_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> SessionView:
        """One congress session: dates, suggestions received, each deputy's attendance."""
        return self._get(SessionView, "session.show", session_id, actor, reason)

    @_as_reader
    def list_sessions(
        self, *, level: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[SessionView]:
        """The recorded sessions (of one ``level``), by level and opening day."""
        wanted = self._level(level)
        return self._listed(
            SessionView,
            "session.list",
            lambda: self._application.sessions(wanted),
            actor,
            reason,
        )

    @_as_reader
    def session_warnings(
        self, *, level: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[AbsenceWarning]:
        """Deputies absent without leave from two sessions of one term (Art. 62): a
        warning for staff, leaders and auditors to examine, never a termination."""
        wanted = self._level(level)
        return self._listed(
            AbsenceWarning,
            "session.warnings",
            lambda: self._application.session_warnings(wanted),
            actor,
            reason,
        )

    @_as_reader
    def get_meeting(
        self, meeting_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> MeetingView:
        """One standing-committee meeting or forum and its 列席 deputies."""
        return self._get(MeetingView, "meeting.show", meeting_id, actor, reason)

    @_as_reader
    def list_meetings(
        self, *, kind: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[MeetingSummary]:
        """Meetings and forums (of one ``kind``, English value or Chinese label), by
        opening day, from the meetings view (caught up first)."""
        from renda_adapters.meetings import meeting_entries
        from renda_core.domain.meeting import MeetingKind

        wanted = _parsed(MeetingKind, kind, "kind")
        return self._from_meetings(
            MeetingSummary, "meeting.list", meeting_entries, wanted, actor, reason
        )

    # -- motions and inspections -----------------------------------------------------------

    @_as_reader
    def get_motion(
        self, motion_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> MotionView:
        """One motion (议案): signatories, decision, linked suggestion."""
        return self._get(MotionView, "motion.show", motion_id, actor, reason)

    @_as_reader
    def list_motions(
        self, *, status: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[MotionSummary]:
        """Motions (of one ``status``), by drafting day, from the meetings view."""
        from renda_adapters.meetings import motion_entries
        from renda_core.domain.motion import MotionStatus

        wanted = _parsed(MotionStatus, status, "status")
        return self._from_meetings(
            MotionSummary, "motion.list", motion_entries, wanted, actor, reason
        )

    @_as_reader
    def get_inspection(
        self, inspection_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> InspectionView:
        """One inspection or research: participants, findings, report, feedback."""
        return self._get(InspectionView, "inspection.show", inspection_id, actor, reason)

    @_as_reader
    def list_inspections(
        self, *, kind: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[InspectionSummary]:
        """Inspections and research (of one ``kind``), by starting day."""
        from renda_adapters.meetings import inspection_entries
        from renda_core.domain.inspection import InspectionKind

        wanted = _parsed(InspectionKind, kind, "kind")
        return self._from_meetings(
            InspectionSummary, "inspection.list", inspection_entries, wanted, actor, reason
        )

    # -- the plan ------------------------------------------------------------------------

    @_as_reader
    def get_plan(
        self,
        year: int,
        *,
        level: str = "provincial",
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> PlanView:
        """A year's deputy-work plan with its tasks, progress and completion."""
        wanted = (_year(year), self._level(level) or "provincial")
        data = self._judged(
            "plan.show", "plan", lambda: self._application.plan(*wanted), actor, reason
        )
        return PlanView.model_validate(data)

    @_as_reader
    def get_campaign(
        self, campaign_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> CampaignView:
        """One campaign and the plan tasks linked to it."""
        return self._get(CampaignView, "campaign.show", campaign_id, actor, reason)

    # -- the standing committee and terms --------------------------------------------------

    @_as_reader
    def get_member(
        self, member_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> MemberView:
        """A standing-committee member's own view: the deputies he liaises with (双联系),
        the contacts made (notes are personal: staff only), his bodies."""
        from renda_adapters.committee import CommitteeProjection, member_view

        key = str(to_uuid(member_id, "member"))

        def load() -> dict[str, Any]:
            data = member_view(self._context(CommitteeProjection.name), key)
            return {"id": data.pop("member_id"), **data}

        return MemberView.model_validate(self._judged("member.show", "member", load, actor, reason))

    @_as_reader
    def list_members(
        self, *, actor: Actor | None = None, reason: str | None = None
    ) -> list[MemberSummary]:
        """The standing committee's members, by level, position and name, each with
        the deputies he liaises with now and the contacts recorded (counted)."""
        from renda_adapters.committee import CommitteeProjection
        from renda_adapters.committee.view import MEMBER
        from renda_core.domain.committee import Position

        keys = ("name", "position", "level", "term", "since", "left_on")

        def rows() -> list[dict[str, Any]]:
            found = [
                {
                    "id": key,
                    **{k: doc[k] for k in keys},
                    "deputies": sum(1 for d in doc["deputies"] if d["until"] is None),
                    "contacts": len(doc["contacts"]),
                }
                for key, doc in self._context(CommitteeProjection.name).entities(MEMBER)
            ]
            order = list(Position)
            return sorted(found, key=lambda r: (r["level"], order.index(r["position"]), r["name"]))

        return self._listed(MemberSummary, "member.list", rows, actor, reason)

    @_as_reader
    def get_body(
        self, body_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> BodyView:
        """One body of the standing committee: members, contacts, participations."""
        return self._get(BodyView, "body.show", body_id, actor, reason)

    @_as_reader
    def list_bodies(
        self, *, actor: Actor | None = None, reason: str | None = None
    ) -> list[BodyView]:
        """The bodies of the standing committee, by level, kind and name."""
        from renda_adapters.committee import CommitteeProjection
        from renda_adapters.committee.view import BODY

        def rows() -> list[dict[str, Any]]:
            ids = [key for key, _ in self._context(CommitteeProjection.name).entities(BODY)]
            found = [self._application.body(key) for key in ids]
            return sorted(found, key=lambda r: (r["level"], r["kind"], r["name"]))

        return self._listed(BodyView, "body.list", rows, actor, reason)

    @_as_reader
    def list_terms(
        self, *, level: str | None = None, actor: Actor | None = None, reason: str | None = None
    ) -> list[TermView]:
        """The recorded terms (届) (of one ``level``)."""
        wanted = self._level(level)
        return self._listed(
            TermView, "term.list", lambda: self._application.terms(wanted), actor, reason
        )

    # -- the duty record and the assessment ------------------------------------------------

    @_as_reader
    def record(
        self,
        deputy_id: str,
        year: int | None = None,
        *,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> DutyRecordView:
        """A deputy's duty record (履职档案) for ``year`` (business dates) or the whole
        mandate: what ``renda deputy record`` shows. A deputy reads his own in full and
        others' with personal fields (contact notes) redacted; a unit none."""
        from renda_adapters.record import DutyRecordProjection, duty_record

        key = str(to_uuid(deputy_id, "deputy"))
        wanted = None if year is None else _year(year)

        def load() -> dict[str, Any]:
            return duty_record(self._context(DutyRecordProjection.name), key, wanted)

        data = self._judged("deputy.record", "duty_record", load, actor, reason)
        return DutyRecordView.model_validate(data)

    @_as_reader
    def assessment(
        self,
        year: int,
        *,
        scheme: str | None = None,
        area: str | None = None,
        level: str | None = None,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> AssessmentView:
        """A year's performance assessment (``renda report assessment``): deputies
        ranked by the scheme a province plugin registered (``renda_register_assessment``,
        else ``scheme``; the built-in one is an example, not law), each point with its
        facts. A report: every role may run it; facts' personal fields are redacted
        but for staff (an auditor with a reason)."""
        from renda_adapters.assessment.report import run_assessment

        wanted = (_year(year), scheme, area, self._level(level, area))

        def load() -> dict[str, Any]:
            return run_assessment(self._context("duty_record"), self._shared_plugins(), *wanted)

        return AssessmentView.model_validate(self._redacted("report", load, actor, reason))

    # -- the actor registry --------------------------------------------------------------

    @_as_reader
    def list_actors(
        self, *, actor: Actor | None = None, reason: str | None = None
    ) -> list[ActorView]:
        """Every registered actor, revoked ones too, by id (staff and auditors)."""
        rows = self._application.actors
        return self._listed(ActorView, "actor.list", rows, actor, reason)

    @_as_reader
    def get_actor(
        self, actor_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> ActorView:
        """One registered actor: name, roles granted, status (staff and auditors)."""
        data = self._redacted(
            "actor.show", lambda: self._application.registered_actor(actor_id), actor, reason
        )
        return ActorView.model_validate(data)


def _parsed(enum: Any, value: str | None, field: str) -> str | None:
    """An enum's value from its English value or Chinese label (``InvalidInput`` else)."""
    if value is None:
        return None
    try:
        return str(enum.parse(value).value)
    except ValueError as exc:
        raise InvalidInput(
            f"invalid input — {field}: {exc}", [{"field": field, "message": str(exc)}]
        ) from None


def _year(year: int) -> int:
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise InvalidInput(
            f"year {year} is out of range", [{"field": "year", "message": "1949–2200"}]
        )
    return year


__all__ = ["ProcessReads"]
