"""A stateful test of the statutory clock (issue 10): preconditions force every run
through an extension request and its decision, 分办 (two lead units each replying for
its part) and re-handling after a 不满意 result; after every step the store agrees with
the model, and replaying the stored events in a fresh application rebuilds the same
state. ``test_the_path_as_an_explicit_sequence`` walks the same path step by step."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from hypothesis import HealthCheck, settings
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
from tests.conftest import STAFF, register_payload
from tests.stateful.test_suggestion import rolled

UNITS = ("省商务厅", "省发改委")
START = date(2025, 3, 3)
steps = st.integers(min_value=0, max_value=10)


class ClockMachine(RuleBasedStateMachine):
    app: Renda

    def __init__(self) -> None:
        super().__init__()
        self.today = START
        self.state = "accepted"
        self.reply_due: date | None = None
        self.extension = "none"  # none → requested → granted / refused
        self.parts_replied: list[str] = []
        self.rehandlings = 0
        self.reached: set[str] = set()

    @initialize()
    def accepted(self) -> None:
        app = self.app
        lead = app.register_deputy(register_payload(name="金美玉"), STAFF)
        self.lead = Actor("jin", f"deputy:{lead}")
        self.sid: UUID = app.draft_suggestion(
            {
                "title": "关于口岸建设的建议",
                "body": "……",
                "channel": "recess",
                "source": "forum",
                "date": START,
            },
            self.lead,
        )
        app.submit_suggestion({"suggestion_id": self.sid, "date": START}, self.lead)
        app.accept_suggestion({"suggestion_id": self.sid, "date": START}, STAFF)

    def _ref(self, days: int = 0) -> dict[str, object]:
        self.today += timedelta(days=days)
        return {"suggestion_id": self.sid, "date": self.today}

    @precondition(lambda m: m.state == "accepted")
    @rule(days=steps)
    def assign_split(self, days: int) -> None:
        data = {**self._ref(days), "lead_unit": UNITS[0], "parts": [UNITS[1]]}
        self.app.assign_suggestion(data, STAFF)
        self.state = "assigned"
        self.assigned_on = self.today
        self.reply_due = rolled(add_months(self.today, 3))
        self.reached.add("分办")

    @precondition(lambda m: m.state == "assigned" and m.extension == "none")
    @rule(days=steps)
    def request_extension(self, days: int) -> None:
        assert self.reply_due is not None
        self.until = add_months(self.reply_due, 1)
        data = {**self._ref(days), "until": self.until, "reason": "需跨部门协调"}
        self.app.request_extension(data, Actor("w", f"unit:{UNITS[0]}"))
        self.extension = "requested"
        self.reached.add("extension request")

    @precondition(lambda m: m.extension == "requested")
    @rule(days=steps, grant=st.booleans())
    def decide_extension(self, days: int, grant: bool) -> None:
        data = {**self._ref(days), "grant": grant, "note": "同意" if grant else "不同意"}
        self.app.decide_extension(data, STAFF)
        self.extension = "granted" if grant else "refused"
        if grant:
            self.reply_due = self.until

    @precondition(lambda m: m.state == "assigned" and m.extension in ("granted", "refused"))
    @rule(days=steps)
    def reply_part(self, days: int) -> None:
        unit = next(u for u in UNITS if u not in self.parts_replied)
        data = {**self._ref(days), "result_class": "B", "text": f"{unit}的答复"}
        self.app.reply_suggestion(data, Actor("w", f"unit:{unit}"))
        self.parts_replied.append(unit)
        if len(self.parts_replied) == len(UNITS):
            self.state = "replied"

    @precondition(lambda m: m.state == "replied")
    @rule(days=steps)
    def evaluate(self, days: int) -> None:
        bad = self.rehandlings == 0  # the first result is 不满意: re-handling follows
        data = {
            **self._ref(days),
            "attitude": "satisfied",
            "result": "dissatisfied" if bad else "satisfied",
            "reason": "未解决" if bad else None,
        }
        self.app.evaluate_suggestion(data, self.lead)
        self.state = "evaluated"

    @precondition(lambda m: m.state == "evaluated" and m.rehandlings == 0)
    @rule(days=steps)
    def rehandle(self, days: int) -> None:
        self.app.rehandle_suggestion(self._ref(days), STAFF)
        self.state = "rehandling"
        self.rehandlings += 1
        self.reached.add("re-handling")

    @precondition(lambda m: m.state == "rehandling")
    @rule(days=steps)
    def reply_again(self, days: int) -> None:
        data = {**self._ref(days), "result_class": "A", "text": "再次答复"}
        self.app.reply_suggestion(data, Actor("w", f"unit:{UNITS[0]}"))
        self.state = "replied"

    @precondition(lambda m: m.state == "evaluated" and m.rehandlings == 1)
    @rule(days=steps)
    def close(self, days: int) -> None:
        self.app.close_suggestion(self._ref(days), STAFF)
        self.state = "closed"

    @precondition(lambda m: m.state == "closed")
    @rule()
    def closed_after_the_whole_path(self) -> None:
        """Whoever reaches closure went through every part of the clock's path."""
        assert self.reached == {"分办", "extension request", "re-handling"}

    @invariant()
    def store_agrees_with_the_model_and_replays(self) -> None:
        if not hasattr(self, "sid"):
            return
        data = self.app.suggestion(self.sid)
        assert data["status"] == self.state
        if self.reply_due is not None and self.rehandlings == 0:
            assert data["reply_due"] == self.reply_due.isoformat()
        assert data["extension_request"] is None or self.extension == "requested"
        replied = {p["unit"] for p in data["parts"] if p["replied_on"]}
        assert replied == set(self.parts_replied) or self.state not in ("assigned",)
        with Renda(self.app.store) as fresh:  # replay the stored events
            assert fresh.repository.get(self.sid).to_dict() == data


def test_the_clock_path_against_a_model(app: Renda) -> None:
    ClockMachine.app = app
    run_state_machine_as_test(
        ClockMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=12,
            deadline=None,
            # one rule is enabled at a time (the path is forced): many draws are skipped
            suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
        ),
    )


def test_the_path_as_an_explicit_sequence(app: Renda) -> None:
    """The same path, step by step: every rule reached, not by chance."""
    ClockMachine.app = app
    m = ClockMachine()
    m.accepted()
    for step in (
        lambda: m.assign_split(3),
        lambda: m.request_extension(10),
        lambda: m.decide_extension(2, True),
        lambda: m.reply_part(5),
        lambda: m.reply_part(5),
        lambda: m.evaluate(3),
        lambda: m.rehandle(2),
        lambda: m.reply_again(10),
        lambda: m.evaluate(3),
        lambda: m.close(1),
    ):
        step()
        m.store_agrees_with_the_model_and_replays()
    assert m.reached == {"分办", "extension request", "re-handling"}
    assert m.state == "closed"
    data = app.suggestion(m.sid)
    assert [p["on_time"] for p in data["parts"]] == [True, True]
    assert data["extension_decisions"][0]["decision"]["granted"] is True
