"""As of a past moment: what a report would have printed then.

``--as-of`` names a *recorded* moment: a date (the end of that day, Beijing time) or a
timestamp. A report read as of it shows the log as recorded by then:

- counters come from the views' history by log position (no log scan, see
  :meth:`~renda_core.projections.views.View.figures`);
- documents (the suggestions an overdue list is judged from, the divisions of the
  annual report, …) are replayed from the log up to that moment through the adapter
  itself, into memory (:class:`LogReplay`): the view keeps only current documents.

The business date a report judges by (overdue on, the default year) is then the as-of
moment's date in Beijing, so replaying "as of day 2" gives what was printed on day 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from renda_core.domain.errors import InvalidInput, ProjectionFailed

if TYPE_CHECKING:  # a replay imports them; parsing --as-of (every report) does not
    from renda_core.projections.runner import ProjectionRunner

FIRST_YEAR = 1949
BATCH = 5000


def business_tz() -> tzinfo:
    """Beijing time (:data:`renda_core.application.inputs.BUSINESS_TZ`), imported when a
    date is judged: ``zoneinfo`` reads its database then, not when a report starts."""
    from renda_core.application.inputs import BUSINESS_TZ

    return BUSINESS_TZ


def __getattr__(name: str) -> Any:
    """``BUSINESS_TZ`` stays importable from here."""
    if name == "BUSINESS_TZ":
        return business_tz()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def now() -> datetime:
    """The current moment (UTC). Tests replace it to move the report's clock."""
    return datetime.now(UTC)


def business_today() -> date:
    """Today's business date, Beijing time."""
    return now().astimezone(business_tz()).date()


@dataclass(frozen=True)
class AsOf:
    """A recorded moment: ``moment`` (UTC, aware) and how to print it (``label``)."""

    moment: datetime
    label: str

    @property
    def day(self) -> date:
        """The business date of the moment (Beijing time)."""
        return self.moment.astimezone(business_tz()).date()

    @classmethod
    def end_of(cls, day: date) -> AsOf:
        """The end of ``day`` in Beijing time (its last microsecond)."""
        end = datetime.combine(day + timedelta(days=1), time(0), business_tz()) - timedelta(
            microseconds=1
        )
        return cls(end.astimezone(UTC), day.isoformat())

    @classmethod
    def at(cls, moment: datetime) -> AsOf:
        """A timestamp; without a zone it is Beijing time."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=business_tz())
        label = moment.astimezone(business_tz()).isoformat()
        return cls(moment.astimezone(UTC), label)


def parse_as_of(value: str, field: str = "as-of", *, current: datetime | None = None) -> AsOf:
    """``YYYY-MM-DD`` (end of that day, Beijing) or an ISO 8601 timestamp.

    Refuses what cannot be a recorded moment: malformed text, a year before 1949, and
    anything after now (nothing has been recorded after now). Errors are InvalidInput.
    """
    option = field  # the option named: "--{option}" (a field's name is shown as typed)
    text = value.strip()
    current = current or now()
    today = current.astimezone(business_tz()).date()
    day: date | None = None
    moment: datetime | None = None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"--{option}: '{value}' is not a date like 2024-01-31 or a timestamp "
                "like 2024-01-31T18:00 (Beijing) or 2024-01-31T10:00+00:00"
            ) from None
    year = day.year if day is not None else moment.year  # type: ignore[union-attr]
    if year < FIRST_YEAR:
        raise InvalidInput(f"--{option}: '{value}' is before {FIRST_YEAR}: nothing was recorded")
    future = InvalidInput(
        f"--{option}: '{value}' is in the future: nothing has been recorded after now"
    )
    if day is not None:
        if day > today:
            raise future
        return AsOf.end_of(day)
    assert moment is not None
    try:
        as_of = AsOf.at(moment)
    except OverflowError:
        raise future from None
    if as_of.moment > current:
        raise future
    return as_of


def parse_day(value: str, field: str = "on") -> date:
    """A business date ``YYYY-MM-DD`` (InvalidInput otherwise)."""
    option = field  # the option named: "--{option}" (a field's name is shown as typed)
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"--{option}: '{value}' is not a date like 2024-12-31") from None
    if day.year < FIRST_YEAR:
        raise InvalidInput(f"--{option}: '{value}' is before {FIRST_YEAR}")
    return day


def as_of_from(value: AsOf | date | datetime | None) -> AsOf | None:
    """An AsOf from what the library API accepts (a date: the end of that day)."""
    if value is None or isinstance(value, AsOf):
        return value
    if isinstance(value, datetime):
        return AsOf.at(value)
    return AsOf.end_of(value)


class LogReplay:
    """The adapters' documents as the log stood at ``as_of``, replayed into memory.

    Each adapter named gets its events (its topics) in log order, from the start up to
    the last one recorded by the moment, in a fresh unit that never reads its view; the
    documents it would have written are kept. All adapters wanted before the first read
    share one pass over the log.
    """

    def __init__(self, runner: ProjectionRunner, as_of: AsOf) -> None:
        self.runner = runner
        self.as_of = as_of
        self._wanted: dict[str, int] = {}
        self._done: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    def want(self, name: str, floor: int = 0) -> None:
        """Replay ``name`` at the next read; at least up to log position ``floor``."""
        if name not in self._done:
            self._wanted[name] = max(self._wanted.get(name, 0), floor)

    def documents(self, name: str, kind: str) -> dict[str, dict[str, Any]]:
        """The documents of ``kind`` in ``name``'s view as of the moment, by key."""
        if name not in self._done:
            self.want(name)
            self._replay(dict(self._wanted))
            self._wanted.clear()
        return self._done[name].get(kind, {})

    def _replay(self, floors: dict[str, int]) -> None:
        from renda_core.application.base import store_errors
        from renda_core.projections.unit import ViewState, ViewUnit

        projections = {n: self.runner.projections[n] for n in floors}
        units = {
            n: ViewUnit(self.runner.view(n), ViewState(0, written=set()), undo=False)
            for n in projections
        }  # a failure stops the replay: nothing to undo
        wanted = {n: frozenset(p.topics) for n, p in projections.items()}
        topics: tuple[str, ...] = ()
        if all(wanted.values()):
            topics = tuple(sorted(frozenset().union(*wanted.values())))
        active = set(projections)
        app = self.runner.app
        start = 0
        moment = self.as_of.moment
        while active:
            with store_errors("cannot read the event log"):
                page = app.recorder.select_notifications(
                    start=start, limit=BATCH, topics=topics, inclusive_of_start=False
                )
            for notification in page:
                event: Any = app.mapper.to_domain_event(notification)
                position, topic = notification.id, notification.topic
                for name in list(active):
                    if position > floors[name] and event.timestamp > moment:
                        active.discard(name)
                        continue
                    if wanted[name] and topic not in wanted[name]:
                        continue
                    unit = units[name]
                    try:
                        unit.begin(position, event.timestamp, event)
                        projections[name].process_event(event, unit)
                    except Exception as exc:
                        raise ProjectionFailed(
                            f"the '{name}' adapter failed at position {position} ({topic}) "
                            f"replaying the log as of {self.as_of.label}: "
                            f"{type(exc).__name__}: {exc}"
                        ) from exc
                if not active:
                    break
            if len(page) < BATCH:
                break
            start = page[-1].id
        for name, unit in units.items():
            # As the view would hold them: through JSON (tuples become lists, …).
            self._done[name] = _documents(unit.entity_changes())


def _documents(
    changes: Iterable[tuple[str, str, dict[str, Any] | None]],
) -> dict[str, dict[str, dict[str, Any]]]:
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, key, doc in changes:
        if doc is not None:
            by_kind.setdefault(kind, {})[key] = json.loads(json.dumps(doc, ensure_ascii=False))
    return by_kind
