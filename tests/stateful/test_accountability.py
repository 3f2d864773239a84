"""Random command sequences drive reports to constituents (代表述职) against a simple
model: one report per deputy, day and place; an evaluation once, not before the report,
never after a cancellation; a cancellation once, with a reason; attendees 1…100000; a
refusal records nothing; and a second application reading the stored events rebuilds
the same state."""

from __future__ import annotations

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

from renda_core import Renda, RendaError
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload

START = date(2024, 3, 1)
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
REACHED: Counter[str] = Counter()
PLACES = ("延吉市河南街道代表联络站", "珲春市代表之家", "敦化市江南镇代表联络站")
EVALUATIONS = (None, "satisfied", "basically_satisfied", "unsatisfied", "满意")


def report_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    deputies = [
        app.register_deputy(register_payload(name=n, date="2024-01-01"), STAFF)
        for n in ("金美玉", "朴成哲")
    ]
    recorded: set[tuple[UUID, date, str]] = set()  # across examples: ids are natural keys
    base = [START]

    class ReportMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            base[0] += timedelta(days=40)  # each example its own days
            self.reports: dict[UUID, dict[str, Any]] = {}

        def attempt(self, call: Any, allowed: bool) -> Any:
            before = count_events(app)
            try:
                result = call()
            except RendaError as error:
                assert not allowed, f"refused: {error}"
                assert count_events(app) == before
                return None
            assert allowed, "accepted"
            return result

        @rule(
            who=st.integers(0, 1),
            day=st.integers(0, 3),
            place=st.sampled_from(PLACES),
            attendees=st.integers(-1, 200),
            evaluation=st.sampled_from(EVALUATIONS),
        )
        def report(
            self, who: int, day: int, place: str, attendees: int, evaluation: str | None
        ) -> None:
            on = base[0] + timedelta(days=day)
            key = (deputies[who], on, place)
            ok = attendees >= 1 and key not in recorded
            data: dict[str, Any] = {
                "deputy_id": deputies[who],
                "date": on,
                "place": place,
                "attendees": attendees,
            }
            if evaluation:
                data["evaluation"] = evaluation
            rid = self.attempt(lambda: app.report_to_constituents(data, STAFF), ok)
            if ok:
                recorded.add(key)
                value = {"满意": "satisfied"}.get(evaluation or "", evaluation)
                self.reports[rid] = {
                    "on": on,
                    "attendees": attendees,
                    "evaluation": value,
                    "status": "evaluated" if value else "reported",
                }
                REACHED["reported"] += 1

        @rule(
            pick=st.integers(0, 20), shift=st.integers(-2, 3), ev=st.sampled_from(EVALUATIONS[1:])
        )
        def evaluate(self, pick: int, shift: int, ev: str) -> None:
            if not self.reports:
                return
            rid = list(self.reports)[pick % len(self.reports)]
            model = self.reports[rid]
            on = model["on"] + timedelta(days=shift)
            ok = model["status"] == "reported" and shift >= 0
            data = {"report_id": rid, "evaluation": ev, "date": on}
            self.attempt(lambda: app.evaluate_report(data, STAFF), ok)
            if ok:
                model.update(status="evaluated", evaluation={"满意": "satisfied"}.get(ev, ev))
                REACHED["evaluated later"] += 1

        @rule(
            pick=st.integers(0, 20),
            shift=st.integers(-1, 3),
            reason=st.sampled_from(["重复录入", " "]),
        )
        def cancel(self, pick: int, shift: int, reason: str) -> None:
            if not self.reports:
                return
            rid = list(self.reports)[pick % len(self.reports)]
            model = self.reports[rid]
            on = model["on"] + timedelta(days=shift)
            ok = model["status"] != "cancelled" and shift >= 0 and bool(reason.strip())
            data = {"report_id": rid, "reason": reason, "date": on}
            self.attempt(lambda: app.cancel_report(data, STAFF), ok)
            if ok:
                model["status"] = "cancelled"
                REACHED["cancelled"] += 1

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            for rid, model in self.reports.items():
                doc = app.constituent_report(rid)
                assert doc["status"] == model["status"]
                assert doc["evaluation"] == model["evaluation"]
                assert doc["attendees"] == model["attendees"]
                assert doc["on"] == model["on"].isoformat()
                assert reader.constituent_report(rid) == doc

    return ReportMachine


def test_report_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(report_machine(app, reader), settings=SETTINGS)
    assert REACHED["evaluated later"] > 0 and REACHED["cancelled"] > 0
