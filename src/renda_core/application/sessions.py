"""Congress sessions (人民代表大会会议) and the batch assignment of a 交办会.

- ``session.open`` / ``session.close``: a session of one level's congress. A suggestion
  submitted while its level's session is open is received by the session in the same
  write as its ``Submitted`` event; when the session closes, each of its suggestions
  still waiting for assignment records its assignment due date (the policy's
  ``session_assignment`` after the close), all in one write with the ``Closed`` event.
- :meth:`SessionCommands.assign_batch`: many ``suggestion.assign`` commands as one
  transaction (``app.batch()``): one ``Assigned`` event per suggestion, or nothing at all,
  with an error that names the failing line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import Field

from renda_core.application.commands import (
    BusinessDate,
    Command,
    LevelField,
    Text,
    command,
    parse,
)
from renda_core.application.permissions import check_permission
from renda_core.application.suggestions import SubmitSuggestion, SuggestionCommands
from renda_core.domain.errors import InvalidInput, RendaError, RuleViolated
from renda_core.domain.session import CongressSession, SessionRoll, roll_id, session_id
from renda_core.domain.suggestion import Status, Suggestion
from renda_core.domain.values import Actor, Level

STAFF = {"staff"}
WAITING = (Status.SUBMITTED, Status.ACCEPTED)


class OpenSession(Command):
    """Open a session of a level's people's congress (开幕)."""

    level: LevelField
    term: Annotated[int, Field(ge=1, le=99, description="届")]
    number: Annotated[int, Field(ge=1, le=30, description="次 (session number in the term)")]
    title: Text | None = Field(
        default=None,
        description="default: e.g. 吉林省第十四届人民代表大会第二次会议 (by the store's province)",
    )
    date: BusinessDate


class CloseSession(Command):
    """Close a session (闭幕); its suggestions get their assignment due date."""

    session_id: UUID
    date: BusinessDate


class SessionCommands(SuggestionCommands):
    """The CongressSession part of the application (and the session side of submission)."""

    @command("session.open", OpenSession, STAFF)
    def open_session(self, cmd: OpenSession, actor: Actor) -> UUID:
        """Open a session; returns its id (the same for the same level, term and number)."""
        level = cmd.level.value
        if self._exists(session_id(level, cmd.term, cmd.number)):
            raise RuleViolated(
                f"session {cmd.term}届 {cmd.number}次 of level {level} is already recorded"
            )
        roll = self._roll(level) or SessionRoll.start(level=level, actor=actor)
        session = CongressSession.open(
            level=level,
            term=cmd.term,
            number=cmd.number,
            title=cmd.title,
            on=cmd.date,
            actor=actor,
            name=None if cmd.title else self.congress_name(level),
        )
        roll.note_opened(session=session, actor=actor)
        self._save(session, roll)
        return session.id

    @command("session.close", CloseSession, STAFF)
    def close_session(self, cmd: CloseSession, actor: Actor) -> list[str]:
        """Close a session and record the assignment due date of each of its suggestions
        still waiting for assignment (one write); returns their ids."""
        session = self._load(CongressSession, cmd.session_id, "session")
        roll = self._roll(session.level)
        assert roll is not None  # an opened session is on its level's roll
        clock = self.clock()
        period = clock.policy.session_assignment
        due = clock.due(period, cmd.date)
        waiting = [
            s
            for s in (self._load(Suggestion, i, "suggestion") for i in session.suggestions)
            if s.status in WAITING
        ]
        session.close(
            on=cmd.date,
            assignment_due=due,
            period=str(period),
            policy=clock.policy.name,
            pending=[str(s.id) for s in waiting],
            actor=actor,
        )
        roll.note_closed(session=session, actor=actor)
        for suggestion in waiting:
            suggestion.set_session_assignment_due(
                session_id=str(session.id),
                due=due,
                policy=clock.policy.name,
                on=cmd.date,
                actor=actor,
            )
        self._save(session, roll, *waiting)
        return [str(s.id) for s in waiting]

    def submit_suggestion(self, data: SubmitSuggestion | Mapping[str, Any], actor: Actor) -> None:
        """Formally submit; during an open session of the suggestion's level, the session
        receives it in the same write (it becomes a session suggestion)."""
        check_permission("suggestion.submit", actor)
        cmd = parse(SubmitSuggestion, data)
        with self._atomic():
            super().submit_suggestion(cmd, actor)
            suggestion = self._load(Suggestion, cmd.suggestion_id, "suggestion")
            roll = self._roll(suggestion.level)
            if roll is None or roll.open_session is None:
                return
            session = self._load(CongressSession, roll.open_session, "session")
            if session.is_open_on(cmd.date):
                session.receive(suggestion_id=str(suggestion.id), on=cmd.date, actor=actor)
                self._save(session)

    # -- 交办会: many assignments at once -------------------------------------------

    def assign_batch(self, rows: Sequence[Mapping[str, Any]], actor: Actor) -> list[UUID]:
        """Assign many suggestions in one transaction (交办会).

        Each row is the input of ``suggestion.assign`` (``suggestion_id``, ``lead_unit``,
        ``co_units``, ``complex``, ``date``) plus ``line``, how the error names it
        (``"line 3"``). Any failing row raises the error of its kind, naming the row,
        and nothing is recorded. Returns the assigned ids in order.
        """
        if not rows:
            raise InvalidInput(
                "nothing to assign: no suggestion was named",
                [{"field": "rows", "message": "at least one suggestion"}],
            )
        seen: dict[str, str] = {}
        done: list[UUID] = []
        with self._atomic():
            for row in rows:
                where = str(row.get("line") or f"row {len(done) + 1}")
                data = {k: v for k, v in row.items() if k != "line"}
                key = str(data.get("suggestion_id"))
                if key in seen:
                    raise RuleViolated(f"{where}: suggestion {key} is also on {seen[key]}")
                seen[key] = where
                try:
                    self.assign_suggestion(data, actor)
                except RendaError as exc:
                    raise _naming(where, exc) from exc
                done.append(UUID(key))
        return done

    # -- queries ----------------------------------------------------------------

    def get_session(self, session_id: UUID | str) -> CongressSession:
        return self._load(CongressSession, session_id, "session")

    def session(self, session_id: UUID | str) -> dict[str, Any]:
        """A session as plain data (with the ids of its suggestions)."""
        return self.get_session(session_id).to_dict()

    def sessions(self, level: str | None = None) -> list[dict[str, Any]]:
        """Every recorded session (of one level), by level then opening day."""
        out = []
        for lv in Level:
            if level is not None and lv.value != level:
                continue
            roll = self._roll(lv.value)
            for key in roll.sessions if roll else ():
                out.append(self.session(key))
        return sorted(out, key=lambda s: (list(Level).index(s["level"]), s["opened_on"]))

    def session_suggestions(self, session_id: UUID | str, status: str | None = None) -> list[UUID]:
        """The ids of a session's suggestions (only those in ``status``, if given)."""
        session = self.get_session(session_id)
        ids = []
        for key in session.suggestions:
            suggestion = self._load(Suggestion, key, "suggestion")
            if status is None or suggestion.status == status:
                ids.append(suggestion.id)
        return ids

    # -- helpers ----------------------------------------------------------------

    def _roll(self, level: str) -> SessionRoll | None:
        try:
            roll = self._get(roll_id(level))
        except AggregateNotFoundError:
            return None
        assert isinstance(roll, SessionRoll)
        return roll

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One write for everything in the block: a batch of its own, or the open one."""
        if self._batch is not None:
            yield
            return
        with self.batch():
            yield


def _naming(where: str, exc: RendaError) -> RendaError:
    """The same kind of error (same exit code), its message prefixed with the row."""
    if isinstance(exc, InvalidInput):
        return InvalidInput(f"{where}: {exc.message}", exc.errors)
    named = type(exc)(f"{where}: {exc.message}")
    return named
