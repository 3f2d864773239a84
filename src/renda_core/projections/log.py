"""Reading the event log for auditors (``renda events list``) and the runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from renda_core.application.base import RendaBase, store_errors, to_uuid
from renda_core.domain.values import Actor

PAGE = 500
#: the largest position a store can hold (SQLite's INTEGER, PostgreSQL's BIGINT): a
#: position asked for beyond it (``events export --since 9223372036854775808``) has no
#: event after it, and is never sent to the store, which could not even compare it
LAST_POSITION = 2**63 - 1


def iter_notifications(
    app: RendaBase, start: int = 0, stop: int | None = None
) -> Iterator[tuple[int, Any]]:
    """(position, domain event) after ``start`` up to ``stop``, in log order."""
    if start >= LAST_POSITION:
        return
    if stop is not None:
        stop = min(stop, LAST_POSITION)
    with store_errors("cannot read the event log"):
        while True:
            page = app.recorder.select_notifications(
                start=start, limit=PAGE, stop=stop, inclusive_of_start=False
            )
            for notification in page:
                yield notification.id, app.mapper.to_domain_event(notification)
            if len(page) < PAGE:
                return
            start = page[-1].id


def plain(value: Any) -> Any:
    """JSON-able form of event data (dates as ISO strings, actors as objects)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Actor):
        if value.os_user is None:
            return {"id": value.id, "role": value.role}
        return {"id": value.id, "role": value.role, "os_user": value.os_user}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_to_dict(position: int, event: Any) -> dict[str, Any]:
    data = (
        {f.name: getattr(event, f.name) for f in fields(event)}
        if is_dataclass(event)
        else dict(vars(event))
    )
    meta = {"originator_id", "originator_version", "timestamp", "originator_topic"}
    return {
        "position": position,
        "topic": getattr(type(event), "TOPIC", type(event).__qualname__),
        "aggregate_id": str(event.originator_id),
        "version": event.originator_version,
        "recorded_at": event.timestamp.isoformat(),
        "actor": plain(data.get("actor")),
        "data": {k: plain(v) for k, v in data.items() if k not in meta | {"actor"}},
    }


def list_events(
    app: RendaBase, aggregate_id: str | UUID | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Events in log order, optionally of one aggregate only."""
    wanted = to_uuid(aggregate_id, "aggregate") if aggregate_id is not None else None
    rows = []
    for position, event in iter_notifications(app):
        if wanted is None or event.originator_id == wanted:
            rows.append(event_to_dict(position, event))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def count_events(app: RendaBase) -> int:
    with store_errors("cannot read the event log"):
        return len(list(iter_notifications(app)))


def last_position(app: RendaBase) -> int:
    """The position of the last event in the log (0 when the log is empty)."""
    with store_errors("cannot read the event log"):
        return app.recorder.max_notification_id() or 0
