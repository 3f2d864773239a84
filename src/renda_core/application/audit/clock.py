"""Recorded time never goes backwards.

eventsourcing stamps each event's ``timestamp`` (the recorded time) from the writing
machine's clock when the aggregate creates the event. Before a write is encoded, the
application moves every new event's timestamp up to the recorded time of the last event
in the log (and of the event before it in the same write) when its clock is behind. A
writer whose clock reads 2000-01-01 thus stamps its events with the last recorded time,
and an as-of report for a past moment cannot change afterwards.

Two writers racing on different machines read the last recorded time before their
writes are serialized; their events can then be out of order by at most the time one
write takes (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any


def last_recorded_time(app: Any) -> datetime | None:
    """The recorded time of the last event in the log (None when it is empty).

    A recorder with ``last_notification()`` (PostgreSQL) reads the last event in one
    statement; otherwise the log's last position is read, then its event."""
    read_last = getattr(app.recorder, "last_notification", None)
    if read_last is not None:
        notification = read_last()
        if notification is None:
            return None
        stamp: datetime = app.mapper.to_domain_event(notification).timestamp
        return stamp
    last = app.recorder.max_notification_id()
    if not last:
        return None
    found = app.recorder.select_notifications(start=last, limit=1)
    if not found:
        return None
    timestamp: datetime = app.mapper.to_domain_event(found[0]).timestamp
    return timestamp


def stamp_not_before(events: Sequence[Any], floor: datetime | None) -> None:
    """Move each event's timestamp up to ``floor`` and to the one before it."""
    for event in events:
        if floor is not None and event.timestamp < floor:
            object.__setattr__(event, "timestamp", floor)
        floor = event.timestamp
