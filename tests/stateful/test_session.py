"""Random command sequences drive congress sessions and their suggestions against a
simple model: at most one session of a level is open; a suggestion submitted while a
session is open (on or after its opening day) is received by it; closing records the
assignment due date (policy ``session_assignment``: one calendar month, moved off a rest
day) on exactly the session's suggestions still waiting for assignment; a refusal
records nothing; and a second application reading the stored events rebuilds the same
state."""

from __future__ import annotations

import itertools
from calendar import monthrange
from collections import Counter
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from renda_core import Actor, Renda, RendaError
from renda_core.domain.calendar import WorkCalendar
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload

START = date(2024, 1, 10)
SETTINGS = settings(
    max_examples=20,
    stateful_step_count=14,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
REACHED: Counter[str] = Counter()  # a fresh term per example: session ids are natural keys
days = st.integers(min_value=0, max_value=40)
WORK = WorkCalendar()


def one_month_after(day: date) -> date:
    """The model of ``session_assignment``: the same day of the next month, clamped to
    a shorter month's end, then moved off a holiday or rest day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    end = date(year, month, min(day.day, monthrange(year, month)[1]))
    while not WORK.is_workday(end):
        end += timedelta(days=1)
    return end


def session_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    deputy = app.register_deputy(register_payload(level="provincial"), STAFF)
    lead = Actor("jin", f"deputy:{deputy}")
    terms = itertools.count(1)  # per store: a term is 1…99

    class SessionMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.term = next(terms)
            self.sessions: dict[int, dict[str, Any]] = {}  # number -> model
            self.open: int | None = None
            self.suggestions: dict[UUID, dict[str, Any]] = {}
            # the path that records due dates, taken in every example rather than by
            # chance: session 1 receives a suggestion and closes while it still waits
            self.open_session(1, 0)
            self.submit(0, True)
            self.close_session(0)

        def attempt(self, call: Any, allowed: bool) -> Any:
            before = count_events(app)
            try:
                result = call()
            except RendaError as error:
                assert not allowed, f"refused: {error}"
                assert count_events(app) == before  # nothing recorded
                return None
            assert allowed, "accepted"
            return result

        @rule(number=st.integers(1, 3), offset=days)
        def open_session(self, number: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.open is None and number not in self.sessions
            data = {"level": "provincial", "term": self.term, "number": number, "date": on}
            sid = self.attempt(lambda: app.open_session(data, STAFF), ok)
            if sid is not None:
                self.sessions[number] = {
                    "id": sid,
                    "opened": on,
                    "closed": None,
                    "members": [],
                    "due": None,
                    "recorded": [],
                }
                self.open = number

        @rule(offset=days, in_session=st.booleans())
        def submit(self, offset: int, in_session: bool) -> None:
            on = START + timedelta(days=offset)
            if in_session and self.open is not None:
                on = self.sessions[self.open]["opened"] + timedelta(days=offset % 5)
            body = {"title": "建议", "body": "……", "channel": "session", "source": "session"}
            sid = app.draft_suggestion({**body, "date": START}, lead)
            self.attempt(
                lambda: app.submit_suggestion({"suggestion_id": sid, "date": on}, lead), True
            )
            self.suggestions[sid] = {
                "status": "submitted",
                "since": on,
                "submitted": on,
                "due": None,
            }
            if self.open is not None and on >= self.sessions[self.open]["opened"]:
                self.sessions[self.open]["members"].append(sid)

        @rule(pick=st.integers(0, 30), later=st.integers(0, 5))
        def accept_or_assign(self, pick: int, later: int) -> None:
            if not self.suggestions:
                return
            sid = list(self.suggestions)[pick % len(self.suggestions)]
            model = self.suggestions[sid]
            on = model["since"] + timedelta(days=later)
            ref = {"suggestion_id": sid, "date": on}
            if model["status"] == "submitted":
                if self.attempt(lambda: app.accept_suggestion(ref, STAFF), True) is None:
                    model.update(status="accepted", since=on)
            elif model["status"] == "accepted":
                data = {**ref, "lead_unit": "省商务厅"}
                if self.attempt(lambda: app.assign_suggestion(data, STAFF), True) is None:
                    model.update(status="assigned", since=on)
            else:
                data = {**ref, "lead_unit": "省商务厅"}
                self.attempt(lambda: app.assign_suggestion(data, STAFF), False)

        @rule(shift=st.integers(-5, 10))
        def close_session(self, shift: int) -> None:
            if self.open is None:
                if self.sessions:
                    closed = next(iter(self.sessions.values()))
                    data = {"session_id": closed["id"], "date": START + timedelta(days=60)}
                    self.attempt(lambda: app.close_session(data, STAFF), False)
                return
            model = self.sessions[self.open]
            received = [self.suggestions[s]["submitted"] for s in model["members"]]
            on = max([model["opened"], *received]) + timedelta(days=shift)
            ok = shift >= 0
            data = {"session_id": model["id"], "date": on}
            if self.attempt(lambda: app.close_session(data, STAFF), ok) is not None:
                due = one_month_after(on)
                waiting = [
                    s
                    for s in model["members"]
                    if self.suggestions[s]["status"] in ("submitted", "accepted")
                ]
                REACHED["close with due dates" if waiting else "close, none waiting"] += 1
                for s in waiting:
                    self.suggestions[s]["due"] = due
                model.update(closed=on, due=due, recorded=waiting)
                self.open = None

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            open_ids = []
            for number, model in self.sessions.items():
                data = app.session(model["id"])
                assert data["number"] == number and data["term"] == self.term
                assert data["suggestions"] == [str(s) for s in model["members"]]
                assert data["status"] == ("open" if model["closed"] is None else "closed")
                assert data["due_recorded_for"] == [str(s) for s in model["recorded"]]
                due = model["due"]
                assert data["assignment_due"] == (due.isoformat() if due else None)
                assert reader.session(model["id"]) == data  # replayed from the store
                if data["status"] == "open":
                    open_ids.append(data["id"])
            assert len(open_ids) <= 1
            for sid, model in self.suggestions.items():
                doc = app.suggestion(sid)
                assert doc["status"] == model["status"]
                want = model["due"].isoformat() if model["due"] else None
                assert doc["assignment_due"] == want
                assert reader.suggestion(sid) == doc

        def teardown(self) -> None:
            if self.open is not None:  # the next example opens its own session
                data = {"session_id": self.sessions[self.open]["id"], "date": date(2025, 1, 1)}
                app.close_session(data, STAFF)

    return SessionMachine


def test_session_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(session_machine(app, reader), settings=SETTINGS)
    assert REACHED["close with due dates"] > 0  # the interesting path was taken
