"""The duty record's handlers for reports to constituents (述职) and 催办.

Dispatched by topic, the way the suggestion handlers are (``HANDLERS`` in the package):

- ``renda:ConstituentReport.*``: the deputy's ``constituent_reports`` list —
  ``{"report_id", "on", "place", "attendees", "audience", "evaluation",
  "evaluation_label"}``; a cancelled report leaves the list.
- ``renda:Reminder.Issued`` of kind ``urge``: the suggestion's ``urged`` count (催办
  issued by the clock, all deadlines and owners together), shown on each suggestion
  entry of the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from renda_core.domain.accountability import Evaluation
from renda_core.domain.reminder import URGE
from renda_core.projections.unit import ViewUnit

DEPUTY, SUGGESTION, REPORT = "deputy", "suggestion", "constituent_report"

TOPICS = (
    "renda:ConstituentReport.Reported",
    "renda:ConstituentReport.Evaluated",
    "renda:ConstituentReport.Cancelled",
    "renda:Reminder.Issued",
)


def _reported(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    view.put(REPORT, key, {"deputy_id": event.deputy_id})
    doc = view.get(DEPUTY, event.deputy_id)
    if doc is None:
        raise LookupError(f"deputy {event.deputy_id} is not in the duty-record view")
    doc.setdefault("constituent_reports", []).append(
        {
            "report_id": key,
            "on": event.on.isoformat(),
            "place": event.place,
            "attendees": event.attendees,
            "audience": event.audience,
            "evaluation": event.evaluation,
            "evaluation_label": _label(event.evaluation),
        }
    )
    view.put(DEPUTY, event.deputy_id, doc)


def _evaluated(event: Any, view: ViewUnit) -> None:
    key, doc = _report_owner(event, view)
    for entry in doc.get("constituent_reports", []):
        if entry["report_id"] == key:
            entry["evaluation"] = event.evaluation
            entry["evaluation_label"] = _label(event.evaluation)
    view.put(DEPUTY, _deputy_key(view, key), doc)


def _cancelled(event: Any, view: ViewUnit) -> None:
    key, doc = _report_owner(event, view)
    doc["constituent_reports"] = [
        e for e in doc.get("constituent_reports", []) if e["report_id"] != key
    ]
    view.put(DEPUTY, _deputy_key(view, key), doc)


def _reminder(event: Any, view: ViewUnit) -> None:
    if event.kind != URGE:
        return
    key = str(event.suggestion_id)
    state = view.get(SUGGESTION, key) or {"title": None}
    state["urged"] = int(state.get("urged", 0)) + 1
    view.put(SUGGESTION, key, state)


def _label(evaluation: str | None) -> str | None:
    return Evaluation.of(evaluation).label if evaluation else None


def _deputy_key(view: ViewUnit, report_key: str) -> str:
    side = view.get(REPORT, report_key)
    if side is None:
        raise LookupError(f"report {report_key} is not in the duty-record view")
    return str(side["deputy_id"])


def _report_owner(event: Any, view: ViewUnit) -> tuple[str, dict[str, Any]]:
    key = str(event.originator_id)
    deputy_key = _deputy_key(view, key)
    doc = view.get(DEPUTY, deputy_key)
    if doc is None:
        raise LookupError(f"deputy {deputy_key} is not in the duty-record view")
    return key, doc


HANDLERS: dict[str, Callable[[Any, ViewUnit], None]] = {
    "renda:ConstituentReport.Reported": _reported,
    "renda:ConstituentReport.Evaluated": _evaluated,
    "renda:ConstituentReport.Cancelled": _cancelled,
    "renda:Reminder.Issued": _reminder,
}
