"""Congress session (人民代表大会会议): the record that makes a suggestion a session one.

A session of the people's congress of one level (e.g. 省第十四届人民代表大会第二次会议:
level ``provincial``, term 14, number 2) is opened and closed on business dates.
Suggestions submitted while it is open are session suggestions (代表大会期间提出): the
session receives them, and when it closes it records, in the same write, the
assignment due date (交办期限) of each one still waiting for assignment, counted from
the closing day by the policy's ``session_assignment`` period.

At most one session of a level is open at a time: the level's :class:`SessionRoll`
(one per level, keyed by the level) knows which one, so a submission finds its session
without reading any projection.

Attendance (出席 / 请假 / 缺席) of the level's deputies is recorded on the session while
it is open and after it closed (a roll call is typed in later), for dates within the
session. Two sessions missed without leave are the Deputies Law's ground for the end
of a mandate (未经批准两次不出席本级人民代表大会会议的, 其代表资格终止): renda only
warns staff of it (``renda session warnings``), it never ends a mandate by itself.

Lifecycle::

    open → closed
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.values import Actor, Labelled, Level

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一, 105 → 一百零五 (terms and session numbers)."""
    if n < 1:
        raise ValueError(f"expected a positive number, got {n}")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + DIGITS[rest] if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return chinese_number(n // 100) + "百" + tail


class SessionStatus(Labelled):
    OPEN = "open", "会议期间"
    CLOSED = "closed", "已闭会"


class AttendanceStatus(Labelled):
    """A deputy's attendance of a session (or of a meeting)."""

    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


def session_title(level: str, term: int, number: int, name: str | None = None) -> str:
    """``provincial``, 14, 2 → 省第十四届人民代表大会第二次会议; with the congress's
    division ``name`` (吉林省, 北京市) → 吉林省第十四届人民代表大会第二次会议."""
    prefix = name or Level.of(level).label
    if level == Level.NATIONAL.value:
        return f"第{chinese_number(term)}届全国人民代表大会第{chinese_number(number)}次会议"
    return f"{prefix}第{chinese_number(term)}届人民代表大会第{chinese_number(number)}次会议"


class CongressSession(Aggregate):
    """One session of the people's congress of one level."""

    TOPIC = "renda:CongressSession"

    class Event(Aggregate.Event):
        TOPIC = "renda:CongressSession.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:CongressSession.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Opened: ClassVar[type[Aggregate.Event]]
        SuggestionReceived: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]
        AttendanceRecorded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, level: str, term: int, number: int, **_: Any) -> UUID:
        """A natural key: the level, the term (届) and the session number (次)."""
        return session_id(level, term, number)

    # -- commands ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        level: Level | str,
        term: int,
        number: int,
        title: str | None,
        on: date,
        actor: Actor,
        name: str | None = None,
    ) -> CongressSession:
        """Open a session (开幕) on the business date ``on``; without a ``title`` it is
        named as :func:`session_title` names it (``name``: the congress's division's)."""
        if term < 1 or number < 1:
            raise RuleViolated("the term (届) and the session number (次) start at 1")
        level_value = Level.of(level).value
        return cls(
            level=level_value,
            term=term,
            number=number,
            title=title or session_title(level_value, term, number, name),
            on=on,
            actor=actor,
        )

    def receive(self, *, suggestion_id: str, on: date, actor: Actor) -> None:
        """A suggestion submitted while the session is open becomes one of its own."""
        self._check_open("receive a suggestion")
        if on < self.opened_on:
            raise RuleViolated(f"date {on} is before the session opened ({self.opened_on})")
        if suggestion_id in self.suggestions:
            raise RuleViolated(f"suggestion {suggestion_id} is already one of this session's")
        self._received(suggestion_id=suggestion_id, on=on, actor=actor)

    def close(
        self,
        *,
        on: date,
        assignment_due: date,
        period: str,
        policy: str,
        pending: list[str],
        actor: Actor,
    ) -> None:
        """Close the session (闭幕): ``pending`` are its suggestions still to be assigned,
        each of which gets ``assignment_due`` (recorded on the suggestion too)."""
        self._check_open("close")
        if on < self.opened_on:
            raise RuleViolated(f"date {on} is before the session opened ({self.opened_on})")
        if self.received_on and on < max(self.received_on.values()):
            raise RuleViolated(
                f"date {on} is before the last suggestion received "
                f"({max(self.received_on.values())})"
            )
        last_attended = self.__dict__.get("attendance_until")
        if last_attended is not None and on < last_attended:
            raise RuleViolated(f"date {on} is before attendance recorded on {last_attended}")
        if assignment_due <= on:
            raise RuleViolated("the assignment due date must be after the closing day")
        strangers = [s for s in pending if s not in self.suggestions]
        if strangers:
            raise RuleViolated(f"not suggestions of this session: {', '.join(strangers)}")
        self._closed(
            assignment_due=assignment_due,
            period=period,
            policy=policy,
            pending=list(pending),
            on=on,
            actor=actor,
        )

    def record_attendance(
        self, *, deputy_ids: list[str], status: str, note: str | None, on: date, actor: Actor
    ) -> None:
        """Record the attendance of deputies (出席, 请假 with approval, 缺席 without leave).

        A deputy's earlier status for this session may be corrected by recording another;
        recording the status a deputy already has changes nothing and is refused.
        """
        value = AttendanceStatus.of(status).value
        if not deputy_ids:
            raise RuleViolated("name at least one deputy")
        if len(set(deputy_ids)) != len(deputy_ids):
            raise RuleViolated("a deputy is named twice")
        if on < self.opened_on:
            raise RuleViolated(f"date {on} is before the session opened ({self.opened_on})")
        if self.closed_on is not None and on > self.closed_on:
            raise RuleViolated(f"date {on} is after the session closed ({self.closed_on})")
        current = self.attendance_of()
        same = [d for d in deputy_ids if current.get(d) == value]
        if same:
            raise RuleViolated(
                f"already recorded as {AttendanceStatus.of(value).label}: {', '.join(same)}"
            )
        self._attendance_recorded(
            deputy_ids=list(deputy_ids), status=value, note=note, on=on, actor=actor
        )

    def attendance_of(self) -> dict[str, str]:
        """deputy id → attendance status (sessions recorded before attendance had none)."""
        found: dict[str, str] = self.__dict__.get("attendance", {})
        return found

    def _check_open(self, what: RefusalPhrase) -> None:
        if self.status != SessionStatus.OPEN:
            raise RuleViolated(f"cannot {what}: {self.title} closed on {self.closed_on}")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Opened", topic="renda:CongressSession.Opened")
    def __init__(
        self, *, level: str, term: int, number: int, title: str, on: date, actor: Actor
    ) -> None:
        self.level = level
        self.term = term
        self.number = number
        self.title = title
        self.opened_on = on
        self.closed_on: date | None = None
        self.status = SessionStatus.OPEN
        self.suggestions: list[str] = []
        self.received_on: dict[str, date] = {}
        self.assignment_due: date | None = None
        self.period: str | None = None
        self.policy: str | None = None
        self.pending: list[str] = []
        self.attendance: dict[str, str] = {}

    @event("SuggestionReceived", topic="renda:CongressSession.SuggestionReceived")
    def _received(self, *, suggestion_id: str, on: date, actor: Actor) -> None:
        self.suggestions.append(suggestion_id)
        self.received_on[suggestion_id] = on

    @event("Closed", topic="renda:CongressSession.Closed")
    def _closed(
        self,
        *,
        assignment_due: date,
        period: str,
        policy: str,
        pending: list[str],
        on: date,
        actor: Actor,
    ) -> None:
        self.status = SessionStatus.CLOSED
        self.closed_on = on
        self.assignment_due = assignment_due
        self.period = period
        self.policy = policy
        self.pending = list(pending)

    @event("AttendanceRecorded", topic="renda:CongressSession.AttendanceRecorded")
    def _attendance_recorded(
        self, *, deputy_ids: list[str], status: str, note: str | None, on: date, actor: Actor
    ) -> None:
        attendance = self.__dict__.setdefault("attendance", {})
        for deputy_id in deputy_ids:
            attendance[deputy_id] = status
        until: date | None = self.__dict__.get("attendance_until")
        if until is None or on > until:
            self.__dict__["attendance_until"] = on

    # -- reading ------------------------------------------------------------------

    def is_open_on(self, day: date) -> bool:
        return self.status == SessionStatus.OPEN and day >= self.opened_on

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "level": self.level,
            "term": self.term,
            "number": self.number,
            "title": self.title,
            "status": SessionStatus.of(self.status).value,
            "status_label": SessionStatus.of(self.status).label,
            "opened_on": self.opened_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "assignment_due": self.assignment_due.isoformat() if self.assignment_due else None,
            "assignment_period": self.period,
            "policy": self.policy,
            "suggestions": list(self.suggestions),
            "due_recorded_for": list(self.pending),
            "attendance": dict(self.attendance_of()),
            "version": self.version,
        }


def session_id(level: str, term: int, number: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/congress-sessions/{Level.of(level).value}/{term}/{number}")


class SessionRoll(Aggregate):
    """The sessions of one level (会次): which exist and which one is open."""

    TOPIC = "renda:SessionRoll"

    class Event(Aggregate.Event):
        TOPIC = "renda:SessionRoll.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:SessionRoll.Created"

    if TYPE_CHECKING:
        Started: ClassVar[type[Aggregate.Event]]
        SessionOpened: ClassVar[type[Aggregate.Event]]
        SessionClosed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, level: str, **_: Any) -> UUID:
        return roll_id(level)

    @classmethod
    def start(cls, *, level: str, actor: Actor) -> SessionRoll:
        return cls(level=Level.of(level).value, actor=actor)

    def note_opened(self, *, session: CongressSession, actor: Actor) -> None:
        if self.open_session is not None:
            raise RuleViolated(
                f"a session of this level is still open ({self.open_session}); close it first"
            )
        key = str(session.id)
        if key in self.sessions:
            raise RuleViolated(f"{session.title} was already opened")
        self._opened(session_id=key, on=session.opened_on, actor=actor)

    def note_closed(self, *, session: CongressSession, actor: Actor) -> None:
        if self.open_session != str(session.id):
            raise RuleViolated(f"{session.title} is not the open session of its level")
        assert session.closed_on is not None
        self._closed(session_id=str(session.id), on=session.closed_on, actor=actor)

    @event("Started", topic="renda:SessionRoll.Started")
    def __init__(self, *, level: str, actor: Actor) -> None:
        self.level = level
        self.sessions: list[str] = []
        self.open_session: str | None = None

    @event("SessionOpened", topic="renda:SessionRoll.SessionOpened")
    def _opened(self, *, session_id: str, on: date, actor: Actor) -> None:
        self.sessions.append(session_id)
        self.open_session = session_id

    @event("SessionClosed", topic="renda:SessionRoll.SessionClosed")
    def _closed(self, *, session_id: str, on: date, actor: Actor) -> None:
        self.open_session = None


def roll_id(level: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/congress-sessions/{Level.of(level).value}")
