"""The ``meetings`` view: congress sessions and attendance, standing-committee meetings
and forums with 列席, motions (议案) and inspections (视察、专题调研).

Documents (one per record): ``session``, ``meeting``, ``motion``, ``inspection``, and
``deputy`` (name, level, area, and the sessions each one missed without leave per
term, for the Art. 62 warning). Counters (by business-date year):

- ``sessions_held`` / ``meetings_held`` (key: kind) / ``observers`` (key: kind)
- ``attendance`` (key: status, area and level of the deputy, year the session opened);
  a corrected status moves the count, it never counts twice
- ``absence_warnings``: deputies who reached two sessions missed without leave in one
  term, counted in the year of the second (undone if a correction takes it back)
- ``motions_submitted``, ``motions_received``, ``motions_decided`` (key: decision),
  ``motions_voted`` (key: passed / not_passed), ``motions_to_suggestions``
- ``inspections`` (key: kind, year held), ``inspection_participants``,
  ``inspection_reports``, ``feedback_requested``, ``feedback_received`` (key: on_time /
  late), ``feedback_outstanding`` (requested and not yet received, by the year of the
  request)
- ``constituent_reports``: reports to constituents (述职), by the deputy's area and level
  and the year reported; a cancelled report is taken back (document
  ``constituent_report``)
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.rollup import rolled_up
from renda_core.domain.accountability import ConstituentReport
from renda_core.domain.deputy import Deputy
from renda_core.domain.inspection import Inspection
from renda_core.domain.meeting import Meeting
from renda_core.domain.motion import Motion
from renda_core.domain.session import AttendanceStatus, CongressSession
from renda_core.projections.unit import ViewUnit

SESSION, MEETING, MOTION, INSPECTION, DEPUTY, REPORT = (
    "session",
    "meeting",
    "motion",
    "inspection",
    "deputy",
    "constituent_report",
)
ABSENT = AttendanceStatus.ABSENT.value
#: the figures counted by area (the rest have none): rolled up for the annual report
BY_AREA = ("attendance", "absence_warnings", "constituent_reports")


@rolled_up(*BY_AREA, province=True)
class MeetingsProjection:
    name = "meetings"
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Deputy.Registered",
        "renda:Deputy.DetailsCorrected",
        "renda:CongressSession.Opened",
        "renda:CongressSession.Closed",
        "renda:CongressSession.AttendanceRecorded",
        "renda:Meeting.Opened",
        "renda:Meeting.ObserversRecorded",
        "renda:Meeting.Closed",
        "renda:Motion.Drafted",
        "renda:Motion.Cosigned",
        "renda:Motion.Submitted",
        "renda:Motion.Received",
        "renda:Motion.Decided",
        "renda:Motion.Voted",
        "renda:Inspection.Planned",
        "renda:Inspection.ParticipantJoined",
        "renda:Inspection.Held",
        "renda:Inspection.Reported",
        "renda:Inspection.FeedbackRequested",
        "renda:Inspection.FeedbackReceived",
        "renda:ConstituentReport.Reported",
        "renda:ConstituentReport.Cancelled",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    # -- deputies -----------------------------------------------------------------

    @process_event.register(Deputy.Registered)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {"name": event.name, "level": event.level, "area": event.area, "missed": {}}
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.DetailsCorrected)
    def _(self, event: Any, view: ViewUnit) -> None:
        if not {"name", "level", "area"} & set(event.changes):
            return
        key = str(event.originator_id)
        doc = view.get(DEPUTY, key)
        if doc is not None:
            for field in ("name", "level", "area"):
                if field in event.changes:
                    doc[field] = event.changes[field]
            view.put(DEPUTY, key, doc)

    # -- congress sessions and attendance ----------------------------------------

    @process_event.register(CongressSession.Opened)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "title": event.title,
            "level": event.level,
            "term": event.term,
            "number": event.number,
            "opened_on": event.on.isoformat(),
            "closed_on": None,
            "attendance": {},
        }
        view.put(SESSION, str(event.originator_id), doc)
        view.add("sessions_held", level=event.level, year=event.on.year)

    @process_event.register(CongressSession.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, SESSION, key)
        doc["closed_on"] = event.on.isoformat()
        view.put(SESSION, key, doc)

    @process_event.register(CongressSession.AttendanceRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        session = _doc(view, SESSION, key)
        year = int(session["opened_on"][:4])
        for deputy_id in event.deputy_ids:
            known = view.get(DEPUTY, deputy_id)
            deputy = known or {"area": "", "level": "", "missed": {}}
            where = {"area": deputy["area"], "level": session["level"], "year": year}
            before = session["attendance"].get(deputy_id)
            if before is not None:
                view.add("attendance", -1, key=before, **where)
            view.add("attendance", key=event.status, **where)
            session["attendance"][deputy_id] = event.status
            if known is not None:
                _track_absence(view, deputy_id, deputy, session, key, event.status)
        view.put(SESSION, key, session)

    # -- standing-committee meetings and forums ------------------------------------

    @process_event.register(Meeting.Opened)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "kind": event.kind,
            "level": event.level,
            "term": event.term,
            "number": event.number,
            "title": event.title,
            "opened_on": event.on.isoformat(),
            "closed_on": None,
            "observers": [],
        }
        view.put(MEETING, str(event.originator_id), doc)
        view.add("meetings_held", key=event.kind, level=event.level, year=event.on.year)

    @process_event.register(Meeting.ObserversRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, MEETING, key)
        doc["observers"].extend(event.deputy_ids)
        view.put(MEETING, key, doc)
        view.add(
            "observers",
            len(event.deputy_ids),
            key=doc["kind"],
            level=doc["level"],
            year=event.on.year,
        )

    @process_event.register(Meeting.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, MEETING, key)
        doc["closed_on"] = event.on.isoformat()
        view.put(MEETING, key, doc)

    # -- motions ------------------------------------------------------------------

    @process_event.register(Motion.Drafted)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "title": event.title,
            "level": event.level,
            "proposer": event.proposer,
            "lead_deputy": event.lead_deputy,
            "delegation": event.delegation,
            "cosigners": 0,
            "status": "draft",
            "drafted_on": event.on.isoformat(),
            "submitted_on": None,
            "session_id": None,
            "suggestion_id": None,
        }
        view.put(MOTION, str(event.originator_id), doc)

    @process_event.register(Motion.Cosigned)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, MOTION, key)
        doc["cosigners"] += 1
        view.put(MOTION, key, doc)

    @process_event.register(Motion.Submitted)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _motion_status(view, event, "submitted")
        doc.update(submitted_on=event.on.isoformat(), session_id=event.session_id)
        view.put(MOTION, str(event.originator_id), doc)
        view.add("motions_submitted", key=doc["proposer"], level=doc["level"], year=event.on.year)

    @process_event.register(Motion.Received)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _motion_status(view, event, "received")
        view.put(MOTION, str(event.originator_id), doc)
        view.add("motions_received", level=doc["level"], year=event.on.year)

    @process_event.register(Motion.Decided)
    def _(self, event: Any, view: ViewUnit) -> None:
        status = "on_agenda" if event.decision == "agenda" else "not_on_agenda"
        doc = _motion_status(view, event, status)
        doc["suggestion_id"] = event.suggestion_id
        view.put(MOTION, str(event.originator_id), doc)
        view.add("motions_decided", key=event.decision, level=doc["level"], year=event.on.year)
        if event.suggestion_id:
            view.add("motions_to_suggestions", level=doc["level"], year=event.on.year)

    @process_event.register(Motion.Voted)
    def _(self, event: Any, view: ViewUnit) -> None:
        status = "passed" if event.passed else "not_passed"
        doc = _motion_status(view, event, status)
        view.put(MOTION, str(event.originator_id), doc)
        view.add("motions_voted", key=status, level=doc["level"], year=event.on.year)

    # -- inspections --------------------------------------------------------------

    @process_event.register(Inspection.Planned)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "kind": event.kind,
            "topic": event.topic,
            "level": event.level,
            "organiser": event.organiser,
            "group_id": event.group_id,
            "annual_topic": event.annual_topic,
            "starts": event.starts.isoformat(),
            "ends": event.ends.isoformat(),
            "status": "planned",
            "participants": [],
            "held_on": None,
            "reported_on": None,
            "feedback": {},
        }
        view.put(INSPECTION, str(event.originator_id), doc)

    @process_event.register(Inspection.ParticipantJoined)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, INSPECTION, key)
        doc["participants"].append(event.deputy_id)
        view.put(INSPECTION, key, doc)

    @process_event.register(Inspection.Held)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, INSPECTION, key)
        doc.update(status="held", held_on=event.on.isoformat())
        view.put(INSPECTION, key, doc)
        where = {"level": doc["level"], "year": event.on.year}
        view.add("inspections", key=doc["kind"], **where)
        view.add("inspection_participants", len(doc["participants"]), key=doc["kind"], **where)
        if doc["annual_topic"]:
            view.add("annual_topics", key=doc["kind"], **where)

    @process_event.register(Inspection.Reported)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, INSPECTION, key)
        doc.update(status="reported", reported_on=event.on.isoformat())
        view.put(INSPECTION, key, doc)
        view.add("inspection_reports", key=doc["kind"], level=doc["level"], year=event.on.year)

    @process_event.register(Inspection.FeedbackRequested)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, INSPECTION, key)
        doc["feedback"][event.body] = {
            "due": event.due.isoformat(),
            "received_on": None,
            "requested_on": event.on.isoformat(),
        }
        view.put(INSPECTION, key, doc)
        view.add("feedback_requested", level=doc["level"], year=event.on.year)
        view.add("feedback_outstanding", level=doc["level"], year=event.on.year)

    @process_event.register(Inspection.FeedbackReceived)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = _doc(view, INSPECTION, key)
        feedback = doc["feedback"][event.body]
        if feedback["received_on"] is None and feedback.get("requested_on"):
            requested = int(feedback["requested_on"][:4])
            view.add("feedback_outstanding", -1, level=doc["level"], year=requested)
        feedback["received_on"] = event.on.isoformat()
        view.put(INSPECTION, key, doc)
        timing = "on_time" if event.on_time else "late"
        view.add("feedback_received", key=timing, level=doc["level"], year=event.on.year)

    # -- reports to constituents (述职) ---------------------------------------------

    @process_event.register(ConstituentReport.Reported)
    def _(self, event: Any, view: ViewUnit) -> None:
        deputy = view.get(DEPUTY, event.deputy_id) or {}
        where = {
            "area": deputy.get("area") or "",
            "level": deputy.get("level") or "",
            "year": event.on.year,
        }
        view.put(REPORT, str(event.originator_id), where)
        view.add("constituent_reports", **where)

    @process_event.register(ConstituentReport.Cancelled)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        where = view.get(REPORT, key)
        if where is not None:
            view.add("constituent_reports", -1, **where)
            view.delete(REPORT, key)


def _doc(view: ViewUnit, kind: str, key: str) -> dict[str, Any]:
    doc = view.get(kind, key)
    if doc is None:
        raise LookupError(f"{kind} {key} is not in the meetings view")
    return doc


def _motion_status(view: ViewUnit, event: Any, status: str) -> dict[str, Any]:
    doc = _doc(view, MOTION, str(event.originator_id))
    doc["status"] = status
    return doc


def _track_absence(
    view: ViewUnit,
    deputy_id: str,
    deputy: dict[str, Any],
    session: dict[str, Any],
    session_id: str,
    status: str,
) -> None:
    """Keep the sessions a deputy missed without leave, per level and term; count a
    warning when the second one of a term is recorded (and take it back on a
    correction that leaves fewer than two)."""
    term = f"{session['level']}/{session['term']}"
    missed: list[list[str]] = deputy["missed"].setdefault(term, [])
    warned: dict[str, str] = deputy.setdefault("warned", {})
    where = {"area": deputy["area"], "level": session["level"]}
    if term in warned:  # take back the old contribution, then count afresh
        view.add("absence_warnings", -1, year=int(warned.pop(term)[:4]), **where)
    missed[:] = [m for m in missed if m[0] != session_id]
    if status == ABSENT:
        missed.append([session_id, session["opened_on"]])
    missed.sort(key=lambda m: m[1])
    if len(missed) >= 2:
        warned[term] = missed[1][1]
        view.add("absence_warnings", year=int(missed[1][1][:4]), **where)
    view.put(DEPUTY, deputy_id, deputy)
