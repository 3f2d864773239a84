"""The projection runner: feeds the notification log to each adapter on its own.

It pulls (``select_notifications`` from the adapter's tracked position), which works on
SQLite (no subscriptions there) and on PostgreSQL alike, and never misses a lost
NOTIFY. Each batch of events is written to the adapter's view together with its
tracking position, in one transaction: exactly once. A failing adapter is reported and
stays at its position; the others go on.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking

from renda_core.application.app import Renda, store_errors
from renda_core.domain.errors import InvalidInput
from renda_core.ports.contracts import Projection
from renda_core.projections.unit import ViewUnit
from renda_core.projections.views import View, open_view

log = logging.getLogger(__name__)

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
ERROR_KEY = "last_error"


@dataclass
class ProjectionStatus:
    name: str
    position: int
    head: int
    lag: int
    error: str | None


@dataclass
class CatchUpResult:
    name: str
    processed: int
    position: int
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def end_of_day(day: date) -> datetime:
    """``--as-of-date D``: the log as it stood at the end of D, Beijing time."""
    return datetime.combine(day + timedelta(days=1), time(0), BUSINESS_TZ).astimezone(
        UTC
    ) - timedelta(microseconds=1)


class ProjectionRunner:
    def __init__(
        self,
        app: Renda,
        projections: Mapping[str, Projection],
        *,
        batch_size: int = 1000,
    ) -> None:
        self.app = app
        self.projections = dict(projections)
        self.batch_size = batch_size
        self._views: dict[str, View] = {}
        # Stored counter values per view, valid only at the position they were read at
        # (another process may have moved the view on since).
        self._figure_caches: dict[str, tuple[int, dict[Any, int]]] = {}

    def names(self, names: Iterable[str] | None = None) -> list[str]:
        if not names:
            return list(self.projections)
        unknown = [n for n in names if n not in self.projections]
        if unknown:
            known = ", ".join(self.projections) or "none"
            raise InvalidInput(
                f"no projection named {', '.join(unknown)} (known: {known})",
                [{"field": "name", "message": "unknown projection"}],
            )
        return list(names)

    def view(self, name: str) -> View:
        if name not in self._views:
            with store_errors(f"cannot open the view of {name}"):
                self._views[name] = open_view(self.app.store, name)
        return self._views[name]

    def head(self) -> int:
        with store_errors("cannot read the event log"):
            return self.app.recorder.max_notification_id() or 0

    def position(self, name: str) -> int:
        with store_errors(f"cannot read the position of {name}"):
            return self.view(name).max_tracking_id(self.app.name) or 0

    def status(self, names: Iterable[str] | None = None) -> list[ProjectionStatus]:
        head = self.head()
        rows = []
        for name in self.names(names):
            position = self.position(name)
            rows.append(
                ProjectionStatus(
                    name,
                    position,
                    head,
                    max(head - position, 0),
                    self.view(name).get_meta(ERROR_KEY),
                )
            )
        return rows

    def catch_up(self, names: Iterable[str] | None = None) -> list[CatchUpResult]:
        """Bring each adapter's view up to the current head of the log."""
        head = self.head()
        return [self._catch_up(name, head) for name in self.names(names)]

    def rebuild(self, names: Iterable[str] | None = None) -> list[CatchUpResult]:
        """Drop each view and its tracking position, then catch up from the start."""
        selected = self.names(names)
        for name in selected:
            with store_errors(f"cannot reset the view of {name}"):
                self.view(name).reset(self.app.name)
            self._figure_caches.pop(name, None)
        head = self.head()
        return [self._catch_up(name, head) for name in selected]

    def _catch_up(self, name: str, head: int) -> CatchUpResult:
        projection = self.projections[name]
        view = self.view(name)
        start = self.position(name)
        processed = 0
        while start < head:
            with store_errors("cannot read the event log"):
                notifications = self.app.recorder.select_notifications(
                    start=start,
                    limit=self.batch_size,
                    stop=head,
                    topics=tuple(projection.topics),
                    inclusive_of_start=False,
                )
            if not notifications:
                # Nothing of this adapter's topics up to head: record that it is current.
                with store_errors(f"cannot record the position of {name}"):
                    view.insert_tracking(Tracking(self.app.name, head))
                cached = self._figure_caches.get(name)
                if cached is not None and cached[0] == start:
                    self._figure_caches[name] = (head, cached[1])
                start = head
                break
            cached = self._figure_caches.get(name)
            if cached is None or cached[0] != start:
                cached = (start, {})
            unit = ViewUnit(view, cached[1])
            last_ok = start
            failure: str | None = None
            for notification in notifications:
                try:
                    event: Any = self.app.mapper.to_domain_event(notification)
                    unit.begin(notification.id, event.timestamp)
                    projection.process_event(event, unit)
                except Exception as exc:
                    unit.discard_event()
                    failure = (
                        f"at position {notification.id} ({notification.topic}): "
                        f"{type(exc).__name__}: {exc}"
                    )
                    log.error("projection %s failed %s", name, failure)
                    log.debug("%s", traceback.format_exc())
                    break
                unit.commit_event()
                last_ok = notification.id
            with store_errors(f"cannot write the view of {name}"):
                if last_ok > start:
                    try:
                        view.apply(Tracking(self.app.name, last_ok), unit)
                    except BaseException:
                        self._figure_caches.pop(name, None)
                        raise
                    unit.written()
                    self._figure_caches[name] = (last_ok, cached[1])
                    processed += unit.events
                    start = last_ok
                if failure is not None:
                    view.set_meta(ERROR_KEY, failure)
            if failure is not None:
                return CatchUpResult(name, processed, start, failure)
        if view.get_meta(ERROR_KEY) is not None:
            view.set_meta(ERROR_KEY, None)
        return CatchUpResult(name, processed, start)

    def close(self) -> None:
        for view in self._views.values():
            view.datastore.close()  # type: ignore[attr-defined]
        self._views.clear()
