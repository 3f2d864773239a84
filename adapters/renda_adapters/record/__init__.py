"""The deputy's duty record (代表履职档案), a projection over every aggregate.

The Deputies Law (Art. 58) asks for every deputy's activity to be recorded and made
public. View ``duty_record`` keeps one document per deputy: stations entered,
station activities attended, opinions received, suggestions led and co-signed, group
memberships and activities, trainings, contacts with the standing-committee
liaison, reports to constituents (述职, ``record/accountability.py``), bulletin items
(``record/bulletin.py``) and each suggestion's 催办 count. ``renda deputy record ID
--year Y [--json | --format html]`` reads it (``record/read.py``, ``record/page.py``).

Other processes add their lists with a module of handlers dispatched by topic
(``HANDLERS``), their topics appended to ``DutyRecordProjection.topics`` and their
list keys to ``LISTS``; ``record/read.py`` reads every such key with a default.

Suggestion events (``renda:Suggestion.*``) are handled by their stable topics, so this
adapter does not depend on the Suggestion module's event classes. Every event that
changes a suggestion's status is among them (``STATUS_TOPICS``), so a record shows the
current status (``status``, ``status_label``, ``status_since``), never a stale one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.record import accountability, bulletin, members, page
from renda_adapters.record.meetings import MEETING_HANDLERS, MEETING_LISTS, MEETING_TOPICS
from renda_adapters.record.read import duty_record
from renda_core.domain.deputy import Deputy
from renda_core.domain.group import DeputyGroup
from renda_core.domain.opinion import Opinion
from renda_core.domain.station import Station
from renda_core.domain.suggestion import Status
from renda_core.domain.training import TrainingCourse
from renda_core.ports import hookimpl
from renda_core.projections.unit import ViewUnit

DEPUTY, STATION, GROUP, COURSE, SUGGESTION, OPINION = (
    "deputy",
    "station",
    "group",
    "course",
    "suggestion",
    "opinion",
)
#: every Suggestion event that moves it to another status, with the status it enters
#: (the values of ``renda_core.domain.suggestion.Status``). Before issue 10 only
#: Submitted, Withdrawn and Closed were here, so a record kept showing "submitted" for
#: a suggestion long accepted, not accepted, assigned, replied or evaluated.
STATUS_TOPICS = {
    "renda:Suggestion.Presubmitted": Status.PRESUBMITTED,
    "renda:Suggestion.Reviewed": Status.DRAFT,
    "renda:Suggestion.Submitted": Status.SUBMITTED,
    "renda:Suggestion.Accepted": Status.ACCEPTED,
    "renda:Suggestion.NotAccepted": Status.CONVERTED,
    "renda:Suggestion.Withdrawn": Status.WITHDRAWN,
    "renda:Suggestion.Assigned": Status.ASSIGNED,
    "renda:Suggestion.Reassigned": Status.ASSIGNED,
    "renda:Suggestion.Replied": Status.REPLIED,
    "renda:Suggestion.Evaluated": Status.EVALUATED,
    "renda:Suggestion.RehandlingOrdered": Status.REHANDLING,
    "renda:Suggestion.Closed": Status.CLOSED,
}
SUGGESTION_TOPICS = (
    "renda:Suggestion.Drafted",
    "renda:Suggestion.Revised",
    "renda:Suggestion.Cosigned",
    *STATUS_TOPICS,
)
LISTS = (
    "stations",
    "station_activities",
    "opinions",
    "suggestions_led",
    "suggestions_cosigned",
    "groups",
    "group_activities",
    "trainings",
    "contacts",
    "constituent_reports",
    "bulletin_items",
    *members.LISTS,
    *MEETING_LISTS,
)


class DutyRecordProjection:
    name = "duty_record"
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Deputy.Registered",
        "renda:Deputy.DetailsCorrected",
        "renda:Deputy.LiaisonAssigned",
        "renda:Deputy.LiaisonEnded",
        "renda:Deputy.ContactRecorded",
        "renda:Deputy.MandateTerminated",
        "renda:Station.Established",
        "renda:Station.DeputyEntered",
        "renda:Station.DeputyLeft",
        "renda:Station.ActivityHeld",
        "renda:Opinion.Collected",
        "renda:Opinion.Screened",
        "renda:Opinion.AnsweredOnTheSpot",
        "renda:Opinion.Referred",
        "renda:Opinion.Escalated",
        "renda:Opinion.ResultRecorded",
        "renda:Opinion.FedBack",
        "renda:Opinion.Evaluated",
        "renda:Opinion.Closed",
        "renda:DeputyGroup.Formed",
        "renda:DeputyGroup.MemberAdded",
        "renda:DeputyGroup.MemberRemoved",
        "renda:DeputyGroup.LeaderAppointed",
        "renda:DeputyGroup.ActivityHeld",
        "renda:TrainingCourse.Planned",
        "renda:TrainingCourse.DeputyEnrolled",
        "renda:TrainingCourse.AttendanceRecorded",
        "renda:TrainingCourse.DeputyCompleted",
        *SUGGESTION_TOPICS,
        *accountability.TOPICS,
        *bulletin.TOPICS,
        *members.TOPICS,
        *MEETING_TOPICS,
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events handled by topic (``HANDLERS``); other kinds are not this adapter's
        business."""
        topic = getattr(type(event), "TOPIC", "")
        handler = (
            HANDLERS.get(topic) or members.MEMBER_HANDLERS.get(topic) or MEETING_HANDLERS.get(topic)
        )
        if handler is not None:
            handler(event, view)

    # -- deputies -----------------------------------------------------------------

    @process_event.register(Deputy.Registered)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc: dict[str, Any] = {
            "name": event.name,
            "level": event.level,
            "term": event.term,
            "area": event.area,
            "electoral_unit": event.electoral_unit,
            "registered_on": event.on.isoformat(),
            "terminated_on": None,
            "liaisons": [],
        }
        doc.update({key: [] for key in LISTS})
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.DetailsCorrected)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, str(event.originator_id))
        for key in ("name", "level", "term", "area", "electoral_unit"):
            if key in event.changes:
                doc[key] = event.changes[key]
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.LiaisonAssigned)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, str(event.originator_id))
        doc["liaisons"].append({"member": event.member, "since": _d(event.on), "until": None})
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.LiaisonEnded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, str(event.originator_id))
        member = getattr(event, "member", None)  # None: the one open (class version 1)
        for entry in reversed(doc["liaisons"]):
            if entry["until"] is None and member in (None, entry["member"]):
                entry["until"] = _d(event.on)
                break
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.ContactRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, str(event.originator_id))
        doc["contacts"].append(
            {"form": event.form, "member": event.member, "note": event.note, "on": _d(event.on)}
        )
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.MandateTerminated)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, str(event.originator_id))
        doc["terminated_on"] = _d(event.on)
        view.put(DEPUTY, str(event.originator_id), doc)
        members.terminated(event, view)

    # -- stations -----------------------------------------------------------------

    @process_event.register(Station.Established)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            STATION, str(event.originator_id), {"name": event.name, "division": event.division}
        )

    @process_event.register(Station.DeputyEntered)
    def _(self, event: Any, view: ViewUnit) -> None:
        station = _side(view, STATION, str(event.originator_id))
        doc = _deputy(view, event.deputy_id)
        doc["stations"].append(
            {
                "station_id": str(event.originator_id),
                "station": station["name"],
                "division": station["division"],
                "since": _d(event.on),
                "until": None,
            }
        )
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(Station.DeputyLeft)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, event.deputy_id)
        for entry in reversed(doc["stations"]):
            if entry["station_id"] == str(event.originator_id) and entry["until"] is None:
                entry["until"] = _d(event.on)
                break
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(Station.ActivityHeld)
    def _(self, event: Any, view: ViewUnit) -> None:
        station = _side(view, STATION, str(event.originator_id))
        for deputy_id in event.deputies:
            doc = _deputy(view, deputy_id)
            doc["station_activities"].append(
                {
                    "station_id": str(event.originator_id),
                    "station": station["name"],
                    "number": event.number,
                    "kind": event.kind,
                    "topic": event.topic,
                    "on": _d(event.on),
                }
            )
            view.put(DEPUTY, deputy_id, doc)

    # -- opinions -----------------------------------------------------------------

    @process_event.register(Opinion.Collected)
    def _(self, event: Any, view: ViewUnit) -> None:
        station = _side(view, STATION, event.station_id)
        key = str(event.originator_id)
        view.put(OPINION, key, {"status": "collected"})
        for deputy_id in event.deputies:
            doc = _deputy(view, deputy_id)
            doc["opinions"].append(
                {
                    "opinion_id": key,
                    "station": station["name"],
                    "channel": event.channel,
                    "category": event.category,
                    "on": _d(event.on),
                }
            )
            view.put(DEPUTY, deputy_id, doc)

    @process_event.register(Opinion.Screened)
    @process_event.register(Opinion.AnsweredOnTheSpot)
    @process_event.register(Opinion.Referred)
    @process_event.register(Opinion.Escalated)
    @process_event.register(Opinion.ResultRecorded)
    @process_event.register(Opinion.FedBack)
    @process_event.register(Opinion.Evaluated)
    @process_event.register(Opinion.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        view.put(OPINION, key, {"status": _opinion_status(event)})

    # -- deputy groups ------------------------------------------------------------

    @process_event.register(DeputyGroup.Formed)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(GROUP, str(event.originator_id), {"name": event.name})

    @process_event.register(DeputyGroup.MemberAdded)
    def _(self, event: Any, view: ViewUnit) -> None:
        group = _side(view, GROUP, str(event.originator_id))
        doc = _deputy(view, event.deputy_id)
        doc["groups"].append(
            {
                "group_id": str(event.originator_id),
                "group": group["name"],
                "since": _d(event.on),
                "until": None,
                "leader_since": None,
            }
        )
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(DeputyGroup.MemberRemoved)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, event.deputy_id)
        entry = _open_group(doc, str(event.originator_id))
        if entry is not None:
            entry["until"] = _d(event.on)
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(DeputyGroup.LeaderAppointed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, event.deputy_id)
        entry = _open_group(doc, str(event.originator_id))
        if entry is not None:
            entry["leader_since"] = _d(event.on)
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(DeputyGroup.ActivityHeld)
    def _(self, event: Any, view: ViewUnit) -> None:
        group = _side(view, GROUP, str(event.originator_id))
        for deputy_id in event.participants:
            doc = _deputy(view, deputy_id)
            doc["group_activities"].append(
                {
                    "group_id": str(event.originator_id),
                    "group": group["name"],
                    "kind": event.kind,
                    "topic": event.topic,
                    "disputes_handled": event.disputes_handled,
                    "disputes_resolved": event.disputes_resolved,
                    "on": _d(event.on),
                }
            )
            view.put(DEPUTY, deputy_id, doc)

    # -- training -----------------------------------------------------------------

    @process_event.register(TrainingCourse.Planned)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            COURSE,
            str(event.originator_id),
            {
                "title": event.title,
                "kind": event.kind,
                "topic": event.topic,
                "starts": _d(event.starts),
                "ends": _d(event.ends),
            },
        )

    @process_event.register(TrainingCourse.DeputyEnrolled)
    def _(self, event: Any, view: ViewUnit) -> None:
        course = _side(view, COURSE, str(event.originator_id))
        doc = _deputy(view, event.deputy_id)
        doc["trainings"].append(
            {
                "course_id": str(event.originator_id),
                **course,
                "enrolled_on": _d(event.on),
                "days_attended": 0,
                "completed_on": None,
            }
        )
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(TrainingCourse.AttendanceRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, event.deputy_id)
        for entry in doc["trainings"]:
            if entry["course_id"] == str(event.originator_id):
                entry["days_attended"] += 1
        view.put(DEPUTY, event.deputy_id, doc)

    @process_event.register(TrainingCourse.DeputyCompleted)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _deputy(view, event.deputy_id)
        for entry in doc["trainings"]:
            if entry["course_id"] == str(event.originator_id):
                entry["completed_on"] = _d(event.on)
        view.put(DEPUTY, event.deputy_id, doc)


# -- suggestions, by topic --------------------------------------------------------------


def _suggestion_drafted(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    title = getattr(event, "title", None)
    state = {"title": title, "status": Status.DRAFT.value, "status_since": _d(event.on)}
    view.put(SUGGESTION, key, state)
    lead = getattr(event, "lead_deputy", None)
    if lead and (doc := view.get(DEPUTY, str(lead))) is not None:
        doc["suggestions_led"].append({"suggestion_id": key, "title": title, "on": _d(event.on)})
        view.put(DEPUTY, str(lead), doc)


def _suggestion_cosigned(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    suggestion = view.get(SUGGESTION, key) or {"title": None}
    deputy_id = str(event.deputy_id)
    if (doc := view.get(DEPUTY, deputy_id)) is not None:
        doc["suggestions_cosigned"].append(
            {"suggestion_id": key, "title": suggestion["title"], "on": _d(event.on)}
        )
        view.put(DEPUTY, deputy_id, doc)


def _suggestion_revised(event: Any, view: ViewUnit) -> None:
    changes = getattr(event, "changes", {}) or {}
    if "title" in changes:
        key = str(event.originator_id)
        suggestion = view.get(SUGGESTION, key) or {"title": None, "status": Status.DRAFT.value}
        suggestion["title"] = changes["title"]
        view.put(SUGGESTION, key, suggestion)


def _suggestion_status(status: Status) -> Any:
    def handle(event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        suggestion = view.get(SUGGESTION, key) or {"title": None}
        suggestion["status"] = status.value
        suggestion["status_since"] = _d(event.on)
        view.put(SUGGESTION, key, suggestion)

    return handle


SUGGESTION_HANDLERS = {
    "renda:Suggestion.Drafted": _suggestion_drafted,
    "renda:Suggestion.Revised": _suggestion_revised,
    "renda:Suggestion.Cosigned": _suggestion_cosigned,
    **{topic: _suggestion_status(status) for topic, status in STATUS_TOPICS.items()},
}
#: every handler by topic: one line per module (``record/meetings.py`` …) merges its own
HANDLERS = {
    **SUGGESTION_HANDLERS,
    **accountability.HANDLERS,
    **bulletin.HANDLERS,
}


# -- helpers -------------------------------------------------------------------------


def _d(value: date) -> str:
    return value.isoformat()


def _deputy(view: ViewUnit, key: str) -> dict[str, Any]:
    doc = view.get(DEPUTY, key)
    if doc is None:
        raise LookupError(f"deputy {key} is not in the duty-record view")
    return doc


def _side(view: ViewUnit, kind: str, key: str) -> dict[str, Any]:
    doc = view.get(kind, key)
    if doc is None:
        raise LookupError(f"{kind} {key} is not in the duty-record view")
    return doc


def _open_group(doc: dict[str, Any], group_id: str) -> dict[str, Any] | None:
    for entry in reversed(doc["groups"]):
        if entry["group_id"] == group_id and entry["until"] is None:
            found: dict[str, Any] = entry
            return found
    return None


def _opinion_status(event: Any) -> str:
    name = type(event).__name__
    if name == "Screened":
        return {"accepted": "accepted", "out_of_scope": "out_of_scope"}.get(event.outcome, "merged")
    if name == "Evaluated":
        return "accepted" if event.rating == "unsatisfied" else "closed"
    return {
        "AnsweredOnTheSpot": "handled",
        "Referred": "referred",
        "Escalated": "escalated",
        "ResultRecorded": "handled",
        "FedBack": "fed_back",
        "Closed": "closed",
    }[name]


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(DutyRecordProjection())


@hookimpl
def renda_report_template(name: str, lang: str) -> str | None:
    """The built-in page of a duty record (``record.html``)."""
    return page.builtin_template(name, lang)


__all__ = ["DutyRecordProjection", "duty_record"]
