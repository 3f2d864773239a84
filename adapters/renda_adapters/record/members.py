"""Duty-record facts of the deputy's lifecycle and the standing committee (issue 14
items 3 and 4), dispatched by topic (``MEMBER_HANDLERS``) like the suggestion handlers.

Keys on the deputy's document:

- ``mandate``: ``{"status": "active"|"suspended"|"terminated", "events": [{"kind",
  "on", "ground"}]}`` — kinds ``suspended``, ``resumed``, ``terminated``, ``announced``,
  ``reelected``, ``by_elected`` (this deputy filled a vacancy), ``vacancy_filled``
  (this deputy's seat was filled by a by-election); created by the first such event
  (:func:`mandate_of` gives the default).
- ``terms``: ``[{"term", "level", "from", "to"}]`` — filled from the first lifecycle
  event on (:func:`terms_of` gives the registration's term before that).
- ``legislation``: ``[{"kind", "title", "on", "body_id", "body"}]`` — deputies invited
  into legislation and supervision work, or met in a special committee's liaison
  (``kind``: ``legislation``, ``supervision``, ``committee_liaison``).
- ``contacts`` entries from a body carry ``"body"`` and ``"body_id"`` (and ``member``
  ``None``). Contacts by a member recorded as such carry the member's id as ``member``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from renda_core.projections.unit import ViewUnit

DEPUTY, BODY = "deputy", "committee_body"
TOPICS = (
    "renda:Deputy.DutiesSuspended",
    "renda:Deputy.DutiesResumed",
    "renda:Deputy.TerminationAnnounced",
    "renda:Deputy.ReElected",
    "renda:Deputy.ByElected",
    "renda:Deputy.VacancyFilled",
    "renda:CommitteeBody.Established",
    "renda:CommitteeBody.ContactRecorded",
    "renda:CommitteeBody.ParticipationRecorded",
)
LISTS = ("terms", "legislation")


def mandate_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``mandate`` entry (a document written before any lifecycle event has none)."""
    status = "terminated" if doc.get("terminated_on") else "active"
    found: dict[str, Any] = doc.setdefault("mandate", {"status": status, "events": []})
    return found


def terms_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``terms`` entry, seeded with the registration's term."""
    if not doc.get("terms"):
        doc["terms"] = [
            {"term": doc["term"], "level": doc["level"], "from": doc["registered_on"], "to": None}
        ]
    found: list[dict[str, Any]] = doc["terms"]
    return found


def _lifecycle(kind: str, status: str | None) -> Callable[[Any, ViewUnit], None]:
    def handle(event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = view.get(DEPUTY, key)
        if doc is None:
            return
        mandate = mandate_of(doc)
        mandate["events"].append(
            {"kind": kind, "on": event.on.isoformat(), "ground": getattr(event, "ground", None)}
        )
        if status is not None:
            mandate["status"] = status
        terms = terms_of(doc)
        if kind == "reelected":
            terms[-1]["to"] = event.on.isoformat()
            terms.append(
                {
                    "term": event.term,
                    "level": doc["level"],
                    "from": event.on.isoformat(),
                    "to": None,
                }
            )
            doc["term"] = event.term
        view.put(DEPUTY, key, doc)

    return handle


def terminated(event: Any, view: ViewUnit) -> None:
    """The mandate's end, called from the record's own ``MandateTerminated`` handler."""
    key = str(event.originator_id)
    doc = view.get(DEPUTY, key)
    if doc is None:
        return
    mandate = mandate_of(doc)
    mandate["status"] = "terminated"
    mandate["events"].append(
        {"kind": "terminated", "on": event.on.isoformat(), "ground": event.ground}
    )
    terms_of(doc)[-1]["to"] = event.on.isoformat()
    view.put(DEPUTY, key, doc)


def _body_established(event: Any, view: ViewUnit) -> None:
    view.put(BODY, str(event.originator_id), {"name": event.name, "kind": event.kind})


def _body_contact(event: Any, view: ViewUnit) -> None:
    body = view.get(BODY, str(event.originator_id)) or {"name": None}
    doc = view.get(DEPUTY, event.deputy_id)
    if doc is None:
        return
    doc["contacts"].append(
        {
            "form": event.form,
            "member": None,
            "note": event.note,
            "on": event.on.isoformat(),
            "body_id": str(event.originator_id),
            "body": body["name"],
        }
    )
    view.put(DEPUTY, event.deputy_id, doc)


def _participation(event: Any, view: ViewUnit) -> None:
    body = view.get(BODY, str(event.originator_id)) or {"name": None}
    for deputy_id in event.deputies:
        doc = view.get(DEPUTY, deputy_id)
        if doc is None:
            continue
        doc.setdefault("legislation", []).append(
            {
                "kind": event.kind,
                "title": event.title,
                "on": event.on.isoformat(),
                "body_id": str(event.originator_id),
                "body": body["name"],
            }
        )
        view.put(DEPUTY, deputy_id, doc)


MEMBER_HANDLERS: dict[str, Callable[[Any, ViewUnit], None]] = {
    "renda:Deputy.DutiesSuspended": _lifecycle("suspended", "suspended"),
    "renda:Deputy.DutiesResumed": _lifecycle("resumed", "active"),
    "renda:Deputy.TerminationAnnounced": _lifecycle("announced", None),
    "renda:Deputy.ReElected": _lifecycle("reelected", None),
    "renda:Deputy.ByElected": _lifecycle("by_elected", None),
    "renda:Deputy.VacancyFilled": _lifecycle("vacancy_filled", None),
    "renda:CommitteeBody.Established": _body_established,
    "renda:CommitteeBody.ContactRecorded": _body_contact,
    "renda:CommitteeBody.ParticipationRecorded": _participation,
}
