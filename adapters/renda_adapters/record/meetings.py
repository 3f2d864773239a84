"""The duty record's part of sessions, meetings, motions and inspections.

Handlers by topic (dispatched like ``SUGGESTION_HANDLERS``), adding to each deputy's
document:

- ``attendance``: ``{"meeting_id", "kind": "congress_session", "title", "on", "status"}``
  (a corrected status replaces the earlier one; ``on`` is the session's opening day)
- ``observer``: ``{"meeting_id", "title", "on"}`` — 列席 of a standing-committee meeting
  or a forum
- ``motions``: ``{"motion_id", "title", "role": "lead"|"cosigner", "status", "on"}``
  (``status`` follows the motion; ``on``: the day the deputy signed)
- ``inspections``: ``{"inspection_id", "topic", "kind", "on", "report": bool}`` (``on``:
  the planned start, then the day it was held)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from renda_core.projections.unit import ViewUnit

SESSION, MEETING, MOTION, INSPECTION, DEPUTY = (
    "congress_session",
    "meeting",
    "motion",
    "inspection",
    "deputy",
)
MEETING_LISTS = ("attendance", "observer", "motions", "inspections")


def _d(value: date) -> str:
    return value.isoformat()


def _deputy(view: ViewUnit, key: str) -> dict[str, Any] | None:
    doc = view.get(DEPUTY, key)
    if doc is not None:
        for name in MEETING_LISTS:  # records written before these lists existed
            doc.setdefault(name, [])
    return doc


def _session_opened(event: Any, view: ViewUnit) -> None:
    view.put(SESSION, str(event.originator_id), {"title": event.title, "on": _d(event.on)})


def _attendance(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    session = view.get(SESSION, key) or {"title": None, "on": _d(event.on)}
    for deputy_id in event.deputy_ids:
        doc = _deputy(view, deputy_id)
        if doc is None:
            continue
        entry = next((e for e in doc["attendance"] if e["meeting_id"] == key), None)
        if entry is None:
            entry = {
                "meeting_id": key,
                "kind": "congress_session",
                "title": session["title"],
                "on": session["on"],
            }
            doc["attendance"].append(entry)
        entry["status"] = event.status
        view.put(DEPUTY, deputy_id, doc)


def _meeting_opened(event: Any, view: ViewUnit) -> None:
    view.put(MEETING, str(event.originator_id), {"title": event.title})


def _observers(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    meeting = view.get(MEETING, key) or {"title": None}
    for deputy_id in event.deputy_ids:
        doc = _deputy(view, deputy_id)
        if doc is not None:
            entry = {"meeting_id": key, "title": meeting["title"], "on": _d(event.on)}
            doc["observer"].append(entry)
            view.put(DEPUTY, deputy_id, doc)


def _motion_drafted(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    view.put(MOTION, key, {"title": event.title, "deputies": []})
    if event.lead_deputy:
        _motion_signed(view, key, str(event.lead_deputy), "lead", event.on)


def _motion_cosigned(event: Any, view: ViewUnit) -> None:
    _motion_signed(view, str(event.originator_id), str(event.deputy_id), "cosigner", event.on)


def _motion_signed(view: ViewUnit, key: str, deputy_id: str, role: str, on: date) -> None:
    motion = view.get(MOTION, key) or {"title": None, "deputies": []}
    doc = _deputy(view, deputy_id)
    if doc is None:
        return
    doc["motions"].append(
        {"motion_id": key, "title": motion["title"], "role": role, "status": "draft", "on": _d(on)}
    )
    view.put(DEPUTY, deputy_id, doc)
    motion["deputies"].append(deputy_id)
    view.put(MOTION, key, motion)


def _motion_status(status: str | Callable[[Any], str]) -> Callable[[Any, ViewUnit], None]:
    def handle(event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        value = status(event) if callable(status) else status
        motion = view.get(MOTION, key) or {"deputies": []}
        for deputy_id in motion["deputies"]:
            doc = _deputy(view, deputy_id)
            if doc is None:
                continue
            for entry in doc["motions"]:
                if entry["motion_id"] == key:
                    entry["status"] = value
            view.put(DEPUTY, deputy_id, doc)

    return handle


def _inspection_planned(event: Any, view: ViewUnit) -> None:
    view.put(
        INSPECTION,
        str(event.originator_id),
        {"topic": event.topic, "kind": event.kind, "on": _d(event.starts), "deputies": []},
    )


def _inspection_joined(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    inspection = view.get(INSPECTION, key)
    doc = _deputy(view, str(event.deputy_id))
    if inspection is None or doc is None:
        return
    doc["inspections"].append(
        {
            "inspection_id": key,
            "topic": inspection["topic"],
            "kind": inspection["kind"],
            "on": inspection["on"],
            "report": False,
        }
    )
    view.put(DEPUTY, str(event.deputy_id), doc)
    inspection["deputies"].append(str(event.deputy_id))
    view.put(INSPECTION, key, inspection)


def _inspection_change(change: Callable[[Any, dict[str, Any]], None]) -> Any:
    def handle(event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        inspection = view.get(INSPECTION, key)
        if inspection is None:
            return
        for deputy_id in inspection["deputies"]:
            doc = _deputy(view, deputy_id)
            if doc is None:
                continue
            for entry in doc["inspections"]:
                if entry["inspection_id"] == key:
                    change(event, entry)
            view.put(DEPUTY, deputy_id, doc)

    return handle


def _held(event: Any, entry: dict[str, Any]) -> None:
    entry["on"] = _d(event.on)


def _reported(event: Any, entry: dict[str, Any]) -> None:
    entry["report"] = True


MEETING_HANDLERS: dict[str, Callable[[Any, ViewUnit], None]] = {
    "renda:CongressSession.Opened": _session_opened,
    "renda:CongressSession.AttendanceRecorded": _attendance,
    "renda:Meeting.Opened": _meeting_opened,
    "renda:Meeting.ObserversRecorded": _observers,
    "renda:Motion.Drafted": _motion_drafted,
    "renda:Motion.Cosigned": _motion_cosigned,
    "renda:Motion.Submitted": _motion_status("submitted"),
    "renda:Motion.Received": _motion_status("received"),
    "renda:Motion.Decided": _motion_status(
        lambda e: "on_agenda" if e.decision == "agenda" else "not_on_agenda"
    ),
    "renda:Motion.Voted": _motion_status(lambda e: "passed" if e.passed else "not_passed"),
    "renda:Inspection.Planned": _inspection_planned,
    "renda:Inspection.ParticipantJoined": _inspection_joined,
    "renda:Inspection.Held": _inspection_change(_held),
    "renda:Inspection.Reported": _inspection_change(_reported),
}
MEETING_TOPICS = tuple(MEETING_HANDLERS)
