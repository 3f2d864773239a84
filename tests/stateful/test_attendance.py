"""Random command sequences drive congress sessions and their attendance against a
simple model: a deputy has at most one status per session (a new one corrects it;
the same one again is refused), dates lie within the session, a refusal records
nothing; the warning lists exactly the deputies with two or more sessions of the term
missed without leave (缺席); and a second application reading the stored events
rebuilds the same state."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta
from typing import Any

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

START = date(2024, 1, 10)
STATUSES = ("present", "leave", "absent")  # absent twice below: warnings get reached
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
REACHED: Counter[str] = Counter()


def attendance_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    deputies = [
        str(app.register_deputy(register_payload(name=f"代表{i}"), STAFF)) for i in range(3)
    ]
    terms = itertools.count(1)

    class AttendanceMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.term = next(terms)
            for open_one in (s for s in app.sessions("provincial") if s["status"] == "open"):
                # an earlier example that failed midway left it open
                app.close_session({"session_id": open_one["id"], "date": date(2026, 1, 1)}, STAFF)
            self.sessions: dict[int, dict[str, Any]] = {}
            self.open: int | None = None

        def attempt(self, call: Any, allowed: bool) -> Any:
            before = count_events(app)
            try:
                result = call()
            except RendaError as error:
                assert not allowed, f"refused: {error}"
                assert count_events(app) == before
                return None
            assert allowed, "accepted"
            return True if result is None or result == [] else result

        @rule(number=st.integers(1, 4), gap=st.integers(0, 30))
        def open_session(self, number: int, gap: int) -> None:
            last = max([START, *(s["closed"] or s["opened"] for s in self.sessions.values())])
            on = last + timedelta(days=gap)
            ok = self.open is None and number not in self.sessions
            data = {"level": "provincial", "term": self.term, "number": number, "date": on}
            sid = self.attempt(lambda: app.open_session(data, STAFF), ok)
            if sid is not None:
                self.sessions[number] = {
                    "id": sid,
                    "opened": on,
                    "closed": None,
                    "att": {},
                    "dates": [],
                }
                self.open = number

        @rule(gap=st.integers(0, 30))
        def next_session(self, gap: int) -> None:
            """Close the open session (if any), then open the next number of the term."""
            if self.open is not None:
                model = self.sessions[self.open]
                self.close_session(
                    days=(max([model["opened"], *model["dates"]]) - model["opened"]).days
                )
            if len(self.sessions) < 4:
                self.open_session(number=len(self.sessions) + 1, gap=gap)

        @rule(days=st.integers(0, 5))
        def close_session(self, days: int) -> None:
            if self.open is None:
                return
            model = self.sessions[self.open]
            on = model["opened"] + timedelta(days=days)
            data = {"session_id": model["id"], "date": on}
            ok = all(on >= d for d in model["dates"])  # not before an attendance recorded
            if self.attempt(lambda: app.close_session(data, STAFF), ok):
                model["closed"] = on
                self.open = None

        @rule(
            pick=st.integers(0, 10),
            who=st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
            status=st.sampled_from((*STATUSES, "absent", "absent")),
            offset=st.integers(-1, 7),
        )
        def record(self, pick: int, who: list[int], status: str, offset: int) -> None:
            if not self.sessions:
                return
            number = sorted(self.sessions)[pick % len(self.sessions)]
            model = self.sessions[number]
            on = model["opened"] + timedelta(days=offset)
            ids = [deputies[i] for i in who]
            ok = (
                len(set(ids)) == len(ids)
                and offset >= 0
                and (model["closed"] is None or on <= model["closed"])
                and all(model["att"].get(d) != status for d in ids)
            )
            data = {"session_id": model["id"], "status": status, "deputy_ids": ids, "date": on}
            if self.attempt(lambda: app.record_session_attendance(data, STAFF), ok):
                corrected = any(d in model["att"] for d in ids)
                REACHED["correction" if corrected else "first record"] += 1
                for d in ids:
                    model["att"][d] = status
                model["dates"].append(on)

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            missed: dict[str, list[int]] = {}
            for number, model in sorted(self.sessions.items()):
                data = app.session(model["id"])
                assert data["attendance"] == model["att"]
                assert reader.session(model["id"]) == data
                for d, status in model["att"].items():
                    if status == "absent":
                        missed.setdefault(d, []).append(number)
            want = {d: n for d, n in missed.items() if len(n) >= 2}
            got = {
                w["deputy_id"]: w
                for w in app.session_warnings("provincial")
                if w["term"] == self.term
            }
            assert set(got) == set(want)
            for d, numbers in want.items():
                REACHED["warning"] += 1
                titles = [a["session_id"] for a in got[d]["absences"]]
                assert titles == [str(self.sessions[n]["id"]) for n in numbers]
                assert got[d]["consecutive"] == any(
                    sorted(self.sessions).index(b) - sorted(self.sessions).index(a) == 1
                    for a, b in itertools.pairwise(numbers)
                )

        def teardown(self) -> None:
            if self.open is not None:
                data = {"session_id": self.sessions[self.open]["id"], "date": date(2026, 1, 1)}
                app.close_session(data, STAFF)

    return AttendanceMachine


def test_attendance_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(attendance_machine(app, reader), settings=SETTINGS)
    assert REACHED["warning"] > 0 and REACHED["correction"] > 0, REACHED
