"""The duty record's handlers for 《人大代表之声》专刊 items (dispatched by topic).

An item included with a deputy (a suggestion item names its lead deputy) goes on that
deputy's ``bulletin_items`` list — ``{"bulletin_id", "issue", "item", "kind", "title",
"on"}`` (``issue`` is ``"2024/2"``: year and number); an item removed before
publication leaves it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from renda_core.projections.unit import ViewUnit

DEPUTY, BULLETIN = "deputy", "bulletin"

TOPICS = (
    "renda:Bulletin.Opened",
    "renda:Bulletin.ItemIncluded",
    "renda:Bulletin.ItemRemoved",
)


def _opened(event: Any, view: ViewUnit) -> None:
    view.put(
        BULLETIN, str(event.originator_id), {"issue": f"{event.year}/{event.number}", "items": {}}
    )


def _included(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    issue = view.get(BULLETIN, key) or {"issue": None, "items": {}}
    if event.deputy is None or (doc := view.get(DEPUTY, str(event.deputy))) is None:
        return
    issue["items"][str(event.item)] = str(event.deputy)
    view.put(BULLETIN, key, issue)
    doc.setdefault("bulletin_items", []).append(
        {
            "bulletin_id": key,
            "issue": issue["issue"],
            "item": event.item,
            "kind": event.kind,
            "title": event.title,
            "on": event.on.isoformat(),
        }
    )
    view.put(DEPUTY, str(event.deputy), doc)


def _removed(event: Any, view: ViewUnit) -> None:
    key = str(event.originator_id)
    issue = view.get(BULLETIN, key)
    deputy = issue["items"].get(str(event.item)) if issue else None
    if deputy is None or (doc := view.get(DEPUTY, deputy)) is None:
        return
    doc["bulletin_items"] = [
        e
        for e in doc.get("bulletin_items", [])
        if not (e["bulletin_id"] == key and e["item"] == event.item)
    ]
    view.put(DEPUTY, deputy, doc)


HANDLERS: dict[str, Callable[[Any, ViewUnit], None]] = {
    "renda:Bulletin.Opened": _opened,
    "renda:Bulletin.ItemIncluded": _included,
    "renda:Bulletin.ItemRemoved": _removed,
}
