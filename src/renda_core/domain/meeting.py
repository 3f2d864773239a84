"""Standing-committee meetings (常委会会议) and forums (座谈会), with 列席.

A meeting of a level's standing committee (e.g. 省十四届人大常委会第十五次会议: level
``provincial``, term 14, number 15) or a forum the office holds is recorded with its
dates. Deputies who are not members attend it as observers (列席); the Deputies Law
lets deputies be invited to attend the standing committee's meetings as non-voting
observers, and the duty record lists each such attendance.

A standing-committee meeting is keyed by its level, term and number; a forum has a
random id.

Lifecycle::

    open → closed      (observers may be recorded in both, for dates within the meeting)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.session import chinese_number
from renda_core.domain.values import Actor, Labelled, Level


class MeetingKind(Labelled):
    SC_MEETING = "sc_meeting", "常委会会议"
    FORUM = "forum", "座谈会"


class MeetingStatus(Labelled):
    OPEN = "open", "会议期间"
    CLOSED = "closed", "已闭会"


def meeting_title(level: str, term: int, number: int) -> str:
    """``provincial``, 14, 15 → 省十四届人大常委会第十五次会议."""
    if level == Level.NATIONAL.value:
        return f"第{chinese_number(term)}届全国人大常委会第{chinese_number(number)}次会议"
    prefix = Level.of(level).label
    return f"{prefix}{chinese_number(term)}届人大常委会第{chinese_number(number)}次会议"


def meeting_id(level: str, term: int, number: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/sc-meetings/{Level.of(level).value}/{term}/{number}")


class Meeting(Aggregate):
    """One standing-committee meeting or forum, and the deputies who attended as observers."""

    TOPIC = "renda:Meeting"

    class Event(Aggregate.Event):
        TOPIC = "renda:Meeting.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Meeting.Created"

    if TYPE_CHECKING:
        Opened: ClassVar[type[Aggregate.Event]]
        ObserversRecorded: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, kind: str, level: str, term: int | None, number: int | None, **_: Any) -> UUID:
        if kind == MeetingKind.SC_MEETING.value and term is not None and number is not None:
            return meeting_id(level, term, number)
        return new_id()

    # -- commands ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        kind: MeetingKind | str,
        level: Level | str,
        term: int | None,
        number: int | None,
        title: str | None,
        on: date,
        actor: Actor,
    ) -> Meeting:
        """Open a meeting (or hold a forum) on the business date ``on``."""
        kind_value = MeetingKind.of(kind).value
        level_value = Level.of(level).value
        if kind_value == MeetingKind.SC_MEETING.value:
            if term is None or number is None:
                raise RuleViolated(
                    "a standing-committee meeting needs its term (届) and number (次)"
                )
            if term < 1 or number < 1:
                raise RuleViolated("the term (届) and the meeting number (次) start at 1")
            title = title or meeting_title(level_value, term, number)
        elif not title:
            raise RuleViolated("a forum (座谈会) needs a title")
        assert title is not None
        return cls(
            kind=kind_value,
            level=level_value,
            term=term,
            number=number,
            title=title,
            on=on,
            actor=actor,
        )

    def record_observers(self, *, deputy_ids: list[str], on: date, actor: Actor) -> None:
        """Deputies attended as observers (列席) on ``on``."""
        if not deputy_ids:
            raise RuleViolated("name at least one deputy")
        if len(set(deputy_ids)) != len(deputy_ids):
            raise RuleViolated("a deputy is named twice")
        self._check_within(on)
        twice = [d for d in deputy_ids if d in self.observers]
        if twice:
            raise RuleViolated(f"already recorded as observers (列席): {', '.join(twice)}")
        self._observers_recorded(deputy_ids=list(deputy_ids), on=on, actor=actor)

    def close(self, *, on: date, actor: Actor) -> None:
        """Close the meeting (闭幕) on ``on``."""
        if self.status != MeetingStatus.OPEN:
            raise RuleViolated(f"{self.title} already closed on {self.closed_on}")
        if on < self.opened_on:
            raise RuleViolated(f"date {on} is before the meeting opened ({self.opened_on})")
        last = max(self.observers.values(), default=None)
        if last is not None and on < last:
            raise RuleViolated(f"date {on} is before the last observer recorded ({last})")
        self._closed(on=on, actor=actor)

    def _check_within(self, on: date) -> None:
        if on < self.opened_on:
            raise RuleViolated(f"date {on} is before the meeting opened ({self.opened_on})")
        if self.closed_on is not None and on > self.closed_on:
            raise RuleViolated(f"date {on} is after the meeting closed ({self.closed_on})")

    # -- events -----------------------------------------------------------------

    @event("Opened", topic="renda:Meeting.Opened")
    def __init__(
        self,
        *,
        kind: str,
        level: str,
        term: int | None,
        number: int | None,
        title: str,
        on: date,
        actor: Actor,
    ) -> None:
        self.kind = kind
        self.level = level
        self.term = term
        self.number = number
        self.title = title
        self.opened_on = on
        self.closed_on: date | None = None
        self.status = MeetingStatus.OPEN.value
        self.observers: dict[str, date] = {}

    @event("ObserversRecorded", topic="renda:Meeting.ObserversRecorded")
    def _observers_recorded(self, *, deputy_ids: list[str], on: date, actor: Actor) -> None:
        for deputy_id in deputy_ids:
            self.observers[deputy_id] = on

    @event("Closed", topic="renda:Meeting.Closed")
    def _closed(self, *, on: date, actor: Actor) -> None:
        self.status = MeetingStatus.CLOSED.value
        self.closed_on = on

    # -- reading ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "kind_label": MeetingKind.of(self.kind).label,
            "level": self.level,
            "term": self.term,
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "status_label": MeetingStatus.of(self.status).label,
            "opened_on": self.opened_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "observers": {k: v.isoformat() for k, v in self.observers.items()},
            "version": self.version,
        }
