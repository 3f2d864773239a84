"""Reading one deputy's duty record (履职档案) from the ``duty_record`` view.

Lists that other processes add (``attendance``, ``observer``, ``motions``,
``inspections``, ``legislation``, ``terms``, ``mandate``) are read with defaults, so a
view written before they existed reads as "nothing recorded".
"""

from __future__ import annotations

from typing import Any

from renda_adapters.record.sections import SECTIONS
from renda_core.domain.errors import NotFound
from renda_core.domain.suggestion import Status
from renda_core.projections.reports import ReportContext

DEPUTY, SUGGESTION, OPINION = "deputy", "suggestion", "opinion"
ATTENDANCE = ("present", "leave", "absent")


def _overlaps(since: str | None, until: str | None, year: int) -> bool:
    start = int(since[:4]) if since else year
    return start <= year and (until is None or int(until[:4]) >= year)


def duty_record(ctx: ReportContext, deputy_id: str, year: int | None = None) -> dict[str, Any]:
    """A deputy's duty record, for one year or (``year=None``) the whole mandate."""
    doc = ctx.view.get_entity(DEPUTY, deputy_id)
    if doc is None:
        raise NotFound(f"no deputy with id {deputy_id}")
    return build_record(doc, deputy_id, year, lambda kind, key: ctx.view.get_entity(kind, key))


def build_record(
    doc: dict[str, Any], deputy_id: str, year: int | None, side: Any
) -> dict[str, Any]:
    """The record of one deputy document; ``side(kind, key)`` reads the view's other
    documents (a suggestion's current status, an opinion's)."""

    def dated(items: list[dict[str, Any]], key: str = "on") -> list[dict[str, Any]]:
        return [i for i in items if year is None or not i.get(key) or i[key][:4] == str(year)]

    def spans(items: list[dict[str, Any]], since: str = "since", until: str = "until") -> Any:
        return [i for i in items if year is None or _overlaps(i.get(since), i.get(until), year)]

    opinions = []
    for item in dated(doc["opinions"]):
        state = side(OPINION, item["opinion_id"]) or {}
        opinions.append({**item, "status": state.get("status")})
    suggestions: dict[str, list[dict[str, Any]]] = {}
    for key in ("suggestions_led", "suggestions_cosigned"):
        suggestions[key] = []
        for item in dated(doc[key]):
            state = side(SUGGESTION, item["suggestion_id"]) or {}
            status = state.get("status")
            suggestions[key].append(
                {
                    **item,
                    "title": state.get("title") or item["title"],
                    "status": status,
                    "status_label": Status.of(status).label if status else None,
                    "status_since": state.get("status_since"),
                    "urged": int(state.get("urged", 0)),
                }
            )
    trainings = [
        t
        for t in doc["trainings"]
        if year is None
        or t["starts"][:4] == str(year)
        or (t["completed_on"] or "")[:4] == str(year)
    ]
    terminated = doc["terminated_on"]
    mandate = doc.get("mandate") or {
        "status": "terminated" if terminated else "active",
        "events": [],
    }
    record: dict[str, Any] = {
        "deputy_id": deputy_id,
        "name": doc["name"],
        "level": doc["level"],
        "term": doc["term"],
        "area": doc["area"],
        "electoral_unit": doc["electoral_unit"],
        "registered_on": doc["registered_on"],
        "terminated_on": terminated,
        "year": year,
        "mandate": mandate,
        "terms": spans(doc.get("terms", []), "from", "to"),
        "stations": spans(doc["stations"]),
        "station_activities": dated(doc["station_activities"]),
        "opinions": opinions,
        **suggestions,
        "groups": spans(doc["groups"]),
        "group_activities": dated(doc["group_activities"]),
        "trainings": trainings,
        "liaisons": spans(doc["liaisons"]),
        "contacts": dated(doc["contacts"]),
    }
    for section in SECTIONS:  # the rest: lists other processes add, dated by "on"
        if section.key not in record:
            record[section.key] = dated(doc.get(section.key, []))
    summary = {s.key: len(record[s.key]) for s in SECTIONS}
    summary["trainings_completed"] = sum(1 for t in trainings if t["completed_on"])
    for status in ATTENDANCE:
        summary[f"attendance_{status}"] = sum(
            1 for a in record["attendance"] if a.get("status") == status
        )
    summary["suggestions_urged"] = sum(
        s["urged"] for s in record["suggestions_led"] + record["suggestions_cosigned"]
    )
    record["summary"] = summary
    return record
