"""The projection runner: feeds the notification log to each adapter on its own.

It pulls (``select_notifications`` from the adapters' tracked positions), which works on
SQLite (no subscriptions there) and on PostgreSQL alike, and never misses a lost
NOTIFY. Adapters at the same position share one read and one decoding of each batch;
each adapter's part of the batch is written to its own view together with its tracking
position, in one transaction: exactly once. A failing adapter is reported and stays at
its position; the others go on.
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
from renda_core.projections.unit import ViewState, ViewUnit
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
    """The log as it stood at the end of ``day``, Beijing time."""
    return datetime.combine(day + timedelta(days=1), time(0), BUSINESS_TZ).astimezone(
        UTC
    ) - timedelta(microseconds=1)


class ProjectionRunner:
    def __init__(
        self,
        app: Renda,
        projections: Mapping[str, Projection],
        *,
        batch_size: int = 5000,
    ) -> None:
        self.app = app
        self.projections = dict(projections)
        self.batch_size = batch_size
        self._views: dict[str, View] = {}
        # What each view holds, valid only at the position it was seen at (another
        # process may have moved the view on since).
        self._states: dict[str, ViewState] = {}
        self._clean: set[str] = set()  # views known to hold no error

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
        return self._run(self.names(names), self.head())

    def rebuild(self, names: Iterable[str] | None = None) -> list[CatchUpResult]:
        """Drop each view and its tracking position, then catch up from the start."""
        selected = self.names(names)
        for name in selected:
            with store_errors(f"cannot reset the view of {name}"):
                self.view(name).reset(self.app.name)
            self._states.pop(name, None)
        return self._run(selected, self.head())

    # -- the loop ---------------------------------------------------------------

    def _state(self, name: str, position: int) -> ViewState:
        state = self._states.get(name)
        if state is None or state.position != position:
            # Position 0: nothing was ever written to this view, so it is empty.
            state = ViewState(position, written=set() if position == 0 else None)
            self._states[name] = state
        return state

    def _run(self, names: list[str], head: int) -> list[CatchUpResult]:
        results = {n: CatchUpResult(n, 0, self.position(n)) for n in names}
        active = [n for n in names if results[n].position < head]
        while active:
            start = min(results[n].position for n in active)
            group = [n for n in active if results[n].position == start]
            self._batch(group, start, head, results)
            active = [n for n in active if results[n].position < head and not results[n].error]
        for name in names:
            if results[name].error is None and name not in self._clean:
                # A success clears an error left by an earlier run (read once per runner).
                with store_errors(f"cannot write the view of {name}"):
                    if self.view(name).get_meta(ERROR_KEY) is not None:
                        self.view(name).set_meta(ERROR_KEY, None)
                self._clean.add(name)
        return [results[n] for n in names]

    def _batch(
        self, group: list[str], start: int, head: int, results: dict[str, CatchUpResult]
    ) -> None:
        """One batch of the log for the adapters in ``group`` (all at ``start``)."""
        topic_sets = {n: frozenset(self.projections[n].topics) for n in group}
        topics: tuple[str, ...] = ()
        if all(topic_sets.values()):
            topics = tuple(sorted(frozenset().union(*topic_sets.values())))
        with store_errors("cannot read the event log"):
            notifications = self.app.recorder.select_notifications(
                start=start,
                limit=self.batch_size,
                stop=head,
                topics=topics,
                inclusive_of_start=False,
            )
        end = notifications[-1].id if notifications else head
        decoded: list[tuple[int, str, Any]] = []
        with store_errors("cannot read the event log"):  # undecodable bytes: damage
            for notification in notifications:
                event = self.app.mapper.to_domain_event(notification)
                decoded.append((notification.id, notification.topic, event))
        for name in group:
            wanted = topic_sets[name]
            mine = [d for d in decoded if not wanted or d[1] in wanted]
            self._deliver(name, mine, start, end, results[name])

    def _deliver(
        self,
        name: str,
        events: list[tuple[int, str, Any]],
        start: int,
        end: int,
        result: CatchUpResult,
    ) -> None:
        """Process ``events`` into a unit and write it with tracking position ``end``."""
        projection = self.projections[name]
        view = self.view(name)
        state = self._state(name, start)
        unit = ViewUnit(view, state)
        failed_at: int | None = None
        failure: str | None = None
        process = projection.process_event  # bound once: dispatch descriptors are costly
        for index, (position, topic, event) in enumerate(events):
            try:
                unit.begin(position, event.timestamp)
                process(event, unit)
            except Exception as exc:
                failed_at = index
                failure = f"at position {position} ({topic}): {type(exc).__name__}: {exc}"
                log.error("projection %s failed %s", name, failure)
                log.debug("%s", traceback.format_exc())
                break
        if failed_at is not None:
            # Throw the unit away; the events before the failure go into a fresh one.
            self._states.pop(name, None)
            state = self._state(name, start)
            unit = ViewUnit(view, state)
            for position, _, event in events[:failed_at]:
                unit.begin(position, event.timestamp)
                process(event, unit)
            end = events[failed_at - 1][0] if failed_at else start
        with store_errors(f"cannot write the view of {name}"):
            if end > start:
                try:
                    if unit.events:
                        view.apply(Tracking(self.app.name, end), unit)
                    else:
                        view.insert_tracking(Tracking(self.app.name, end))
                except BaseException:
                    self._states.pop(name, None)
                    raise
                unit.written(end)
                result.processed += unit.events
                result.position = end
            if failure is not None:
                view.set_meta(ERROR_KEY, failure)
                self._clean.discard(name)
                result.error = failure

    def close(self) -> None:
        for view in self._views.values():
            view.datastore.close()  # type: ignore[attr-defined]
        self._views.clear()
