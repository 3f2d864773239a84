"""Hypothesis drives one suggestion through random commands against a small model of
its states and due dates; after every step the aggregate re-read from the store must
agree with the model (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from renda_core import Actor, Renda
from renda_core.domain.deadlines import add_months
from renda_core.domain.errors import Forbidden, RuleViolated
from renda_core.projections.log import count_events
from tests.conftest import register_payload

STAFF = Actor("clerk-1", "staff")
LEAD_UNIT, CO_UNIT = "省商务厅", "省交通运输厅"
START = date(2025, 1, 6)
# 30 steps of at most 15 days stay inside the packaged calendar (2026).
steps = st.integers(min_value=0, max_value=15)


def working_days_after(start: date, count: int) -> date:
    """The model's own count, from the packaged arrangement's official holidays."""
    import chinese_calendar

    day, found = start, 0
    while found < count:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            found += 1
    return day


def rolled(day: date) -> date:
    """A period ending on a holiday or rest day ends on the next working day (policy
    ``roll_to_working_day``, on by default)."""
    import chinese_calendar

    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


class SuggestionMachine(RuleBasedStateMachine):
    app: Renda

    def __init__(self) -> None:
        super().__init__()
        self.today = START
        self.state = "draft"
        self.due: dict[str, date | None] = {}
        self.cosigned = False
        self.rehandlings = 0
        self.last_rating_bad = False
        self.replies = 0
        self.reply_due_assigned = START

    @initialize()
    def draft(self) -> None:
        app = self.app
        lead = app.register_deputy(register_payload(name="金美玉"), STAFF)
        self.co = app.register_deputy(register_payload(name="李春华", area="220104"), STAFF)
        self.lead = Actor("jin", f"deputy:{lead}")
        self.sid: UUID = app.draft_suggestion(
            {
                "title": "关于口岸建设的建议",
                "body": "……",
                "channel": "recess",
                "source": "forum",
                "date": self.today,
            },
            self.lead,
        )

    # -- helpers ------------------------------------------------------------------

    def _try(self, allowed: bool, call: Any) -> bool:
        """Run a command; when the model says it is illegal, it must record nothing."""
        before = count_events(self.app)
        try:
            call()
        except (RuleViolated, Forbidden):
            assert not allowed, "the model allowed what the aggregate refused"
            assert count_events(self.app) == before
            return False
        assert allowed, "the aggregate allowed what the model refuses"
        return True

    def _advance(self, days: int) -> date:
        self.today += timedelta(days=days)
        return self.today

    # -- rules --------------------------------------------------------------------

    @precondition(lambda m: m.state == "draft" and not m.cosigned)
    @rule()
    def invite_and_cosign(self) -> None:
        ok = self._try(
            self.state == "draft" and not self.cosigned,
            lambda: self.app.invite_cosigner(
                {"suggestion_id": self.sid, "deputy_id": self.co, "date": self.today}, self.lead
            ),
        )
        if ok:
            self.app.cosign_suggestion(
                {"suggestion_id": self.sid, "date": self.today},
                Actor("li", f"deputy:{self.co}"),
            )
            self.cosigned = True

    @precondition(lambda m: m.state == "draft")
    @rule(days=steps)
    def submit(self, days: int) -> None:
        on = self._advance(days)
        if self._try(
            self.state == "draft",
            lambda: self.app.submit_suggestion({"suggestion_id": self.sid, "date": on}, self.lead),
        ):
            self.state = "submitted"
            self.due["assignment_due"] = working_days_after(on, 7)

    @precondition(lambda m: m.state == "submitted")
    @rule(days=steps)
    def accept(self, days: int) -> None:
        on = self._advance(days)
        if self._try(
            self.state == "submitted",
            lambda: self.app.accept_suggestion({"suggestion_id": self.sid, "date": on}, STAFF),
        ):
            self.state = "accepted"

    @precondition(lambda m: m.state == "accepted")
    @rule(days=steps, complex_=st.booleans())
    def assign(self, days: int, complex_: bool) -> None:
        on = self._advance(days)
        data = {
            "suggestion_id": self.sid,
            "date": on,
            "lead_unit": LEAD_UNIT,
            "co_units": [CO_UNIT],
            "complex": complex_,
        }
        if self._try(self.state == "accepted", lambda: self.app.assign_suggestion(data, STAFF)):
            self.state = "assigned"
            reply_due = rolled(add_months(on, 6 if complex_ else 3))
            self.reply_due_assigned = reply_due
            self.due.update(
                reply_due=reply_due,
                objection_until=working_days_after(on, 7),
                co_opinion_due=rolled(add_months(on, 1)),
                # Art. 51: 6 months from 交办 in total, extensions included
                extension_limit=rolled(add_months(on, 6)),
            )

    @precondition(lambda m: m.state == "assigned")
    @rule(days=steps)
    def object_(self, days: int) -> None:
        on = self._advance(days)
        unit = Actor("w", f"unit:{CO_UNIT}")
        allowed = self.state == "assigned" and on <= (self.due["objection_until"] or on)
        allowed = allowed and not getattr(self, "objected", False)
        if self._try(
            allowed,
            lambda: self.app.object_assignment(
                {"suggestion_id": self.sid, "date": on, "reason": "不属职责"}, unit
            ),
        ):
            self.objected = True
            self.app.deny_objection(
                {"suggestion_id": self.sid, "date": on, "unit": CO_UNIT, "note": "属协办职责"},
                STAFF,
            )

    @precondition(lambda m: m.state == "assigned")
    @rule(months=st.integers(min_value=1, max_value=4))
    def extend(self, months: int) -> None:
        base = self.due.get("reply_due")
        until = add_months(base, months) if base else self.today
        limit = self.due.get("extension_limit")
        if limit is not None:  # one extension's cap after the assigned due date, too
            limit = min(limit, rolled(add_months(self.reply_due_assigned, 3)))
        on = self.today
        allowed = (
            self.state == "assigned"
            and limit is not None
            and base is not None
            and base < until <= limit
            and on <= base  # never after the due date
        )
        if self._try(
            allowed,
            lambda: self.app.extend_suggestion(
                {"suggestion_id": self.sid, "date": on, "until": until, "reason": "需调研"}, STAFF
            ),
        ):
            self.due["reply_due"] = until

    @precondition(lambda m: m.state in ("assigned", "rehandling"))
    @rule(days=steps, result_class=st.sampled_from("ABCD"))
    def reply(self, days: int, result_class: str) -> None:
        on = self._advance(days)
        unit = Actor("w", f"unit:{LEAD_UNIT}")
        data = {
            "suggestion_id": self.sid,
            "date": on,
            "result_class": result_class,
            "text": "答复",
        }
        if self._try(
            self.state in ("assigned", "rehandling"),
            lambda: self.app.reply_suggestion(data, unit),
        ):
            self.state = "replied"
            self.replies += 1
            self.due["rehandle_due"] = None
            self.due["disclosure_due"] = working_days_after(on, 20)

    @precondition(lambda m: m.state == "replied")
    @rule(days=steps, bad=st.booleans())
    def evaluate(self, days: int, bad: bool) -> None:
        on = self._advance(days)
        rating = "dissatisfied" if bad else "satisfied"
        data = {
            "suggestion_id": self.sid,
            "date": on,
            "attitude": "satisfied",
            "result": rating,
            "reason": "未解决" if bad else None,
        }
        if self._try(
            self.state == "replied", lambda: self.app.evaluate_suggestion(data, self.lead)
        ):
            self.state = "evaluated"
            self.last_rating_bad = bad

    @precondition(lambda m: m.state == "evaluated")
    @rule(days=steps)
    def rehandle(self, days: int) -> None:
        on = self._advance(days)
        allowed = self.state == "evaluated" and self.last_rating_bad and self.rehandlings < 1
        if self._try(
            allowed,
            lambda: self.app.rehandle_suggestion({"suggestion_id": self.sid, "date": on}, STAFF),
        ):
            self.state = "rehandling"
            self.rehandlings += 1
            self.due["rehandle_due"] = rolled(add_months(on, 1))

    @rule(dice=st.integers(min_value=0, max_value=5))
    def withdraw(self, dice: int) -> None:
        if dice:  # withdrawal ends the story: keep it rare so the rest gets explored
            return
        consents = [self.co] if self.cosigned else []
        data = {
            "suggestion_id": self.sid,
            "date": self.today,
            "statement": "书面撤回",
            "consents": consents,
        }
        if self._try(
            self.state in ("draft", "submitted", "accepted"),
            lambda: self.app.withdraw_suggestion(data, self.lead),
        ):
            self.state = "withdrawn"

    @precondition(
        # after 不满意 prefer re-handling; closing then is still tried by the rule below
        lambda m: (
            m.state == "replied"
            or (m.state == "evaluated" and not (m.last_rating_bad and m.rehandlings < 1))
        )
    )
    @rule(days=steps)
    def close(self, days: int) -> None:
        on = self._advance(days)
        if self._try(
            self.state in ("replied", "evaluated"),
            lambda: self.app.close_suggestion({"suggestion_id": self.sid, "date": on}, STAFF),
        ):
            self.state = "closed"

    @rule(
        name=st.sampled_from(
            ["submit", "accept", "assign", "object_", "reply", "evaluate", "rehandle", "close"]
        ),
        days=steps,
    )
    def anything_at_any_time(self, name: str, days: int) -> None:
        """Any command in any state: legal ones go ahead, illegal ones record nothing."""
        args: dict[str, Any] = {
            "assign": {"complex_": False},
            "reply": {"result_class": "A"},
            "evaluate": {"bad": True},
        }.get(name, {})
        getattr(self, name)(days, **args)

    @rule()
    def a_stranger_unit_is_forbidden(self) -> None:
        stranger = Actor("x", "unit:省教育厅")
        self._try(
            False,
            lambda: self.app.reply_suggestion(
                {"suggestion_id": self.sid, "date": self.today, "result_class": "A", "text": "x"},
                stranger,
            ),
        )

    # -- the model and the store agree ----------------------------------------------

    @invariant()
    def store_agrees_with_the_model(self) -> None:
        if not hasattr(self, "sid"):
            return
        data = self.app.suggestion(self.sid)
        assert data["status"] == self.state
        for key, expected in self.due.items():
            assert data[key] == (expected.isoformat() if expected else None), key
        assert len(data["replies"]) == self.replies
        if self.state == "rehandling":
            assert data["open_deadlines"][0]["deadline"] == "rehandle_due"
        # a fresh read of the log gives the same state
        again = self.app.repository.get(self.sid)
        assert again.to_dict() == self.app.get_suggestion(self.sid).to_dict()


def test_suggestion_lifecycle_against_a_model(app: Renda) -> None:
    SuggestionMachine.app = app
    run_state_machine_as_test(
        SuggestionMachine,
        settings=settings(max_examples=40, stateful_step_count=50, deadline=None),
    )
