"""Random command sequences drive motions (议案) against a simple model: signatures
below the level's threshold (5 at the township level) are refused at submission; a
motion moves draft → submitted → received → on_agenda → passed/not_passed, or
received → not_on_agenda with a new suggestion linked both ways; any other step is
refused and records nothing; and a second application reading the stored events
rebuilds the same state."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
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

DAY = date(2025, 2, 1)
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
REACHED: Counter[str] = Counter()


def motion_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    deputies = [
        str(app.register_deputy(register_payload(name=f"乡代表{i}", level="township"), STAFF))
        for i in range(6)
    ]
    terms = itertools.count(1)

    class MotionMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            for s in (s for s in app.sessions("township") if s["status"] == "open"):
                app.close_session({"session_id": s["id"], "date": DAY}, STAFF)
            data = {"level": "township", "term": next(terms), "number": 1, "date": DAY}
            self.session = app.open_session(data, STAFF)
            self.motions: dict[UUID, dict[str, Any]] = {}
            self.draft(lead=0, full=True)  # five signatures: can go all the way
            self.draft(lead=1, full=False)  # one: co-signers are still to come

        def attempt(self, call: Any, allowed: bool) -> Any:
            before = count_events(app)
            try:
                result = call()
            except RendaError as error:
                assert not allowed, f"refused: {error}"
                assert count_events(app) == before
                return None
            assert allowed, "accepted"
            return True if result is None else result

        def pick(self, n: int) -> tuple[UUID, dict[str, Any]] | None:
            if not self.motions:
                return None
            mid = list(self.motions)[n % len(self.motions)]
            return mid, self.motions[mid]

        def draft(self, lead: int, full: bool) -> None:
            data = {
                "title": "关于修建村道的议案",
                "body": "……",
                "level": "township",
                "lead_deputy": deputies[lead],
                "date": DAY,
            }
            mid = self.attempt(lambda: app.draft_motion(data, STAFF), True)
            self.motions[mid] = {"status": "draft", "signers": {deputies[lead]}, "sid": None}
            if full:  # four more deputies sign at once: five suffice at the township level
                for other in [d for d in deputies if d != deputies[lead]][:4]:
                    app.cosign_motion({"motion_id": mid, "deputy_id": other, "date": DAY}, STAFF)
                    self.motions[mid]["signers"].add(other)

        @rule(
            n=st.integers(0, 9),
            action=st.sampled_from(("cosign", "submit", "receive", "decide", "vote")),
            who=st.integers(0, 5),
        )
        def act(self, n: int, action: str, who: int) -> None:
            if (found := self.pick(n)) is None:
                return
            mid, model = found
            ref: dict[str, Any] = {"motion_id": mid, "date": DAY}
            status = model["status"]
            if action == "decide":  # on the agenda or not, a vote passes or not: by ``who``
                action = "agenda" if who % 2 else "not_agenda"
            elif action == "vote":
                action = "pass" if who % 2 else "fail"
            if action == "cosign":
                ok = status == "draft" and deputies[who] not in model["signers"]
                data = {**ref, "deputy_id": deputies[who]}
                if self.attempt(lambda: app.cosign_motion(data, STAFF), ok):
                    model["signers"].add(deputies[who])
                return
            if action == "submit":
                ok = status == "draft" and len(model["signers"]) >= 5
                REACHED["too few signatures"] += status == "draft" and not ok
                call, after = (lambda: app.submit_motion(ref, STAFF)), "submitted"
            elif action == "receive":
                ok = status == "submitted"
                call, after = (lambda: app.receive_motion(ref, STAFF)), "received"
            elif action in ("agenda", "not_agenda"):
                ok = status == "received"
                decision = {**ref, "decision": "agenda" if action == "agenda" else "不列入会议议程"}
                call = lambda: app.decide_motion(decision, STAFF)  # noqa: E731
                after = "on_agenda" if action == "agenda" else "not_on_agenda"
            else:
                ok = status == "on_agenda"
                vote = {**ref, "passed": action == "pass"}
                call = lambda: app.vote_motion(vote, STAFF)  # noqa: E731
                after = "passed" if action == "pass" else "not_passed"
                REACHED["voted"] += ok
            result = self.attempt(call, ok)
            if result:
                model["status"] = after
                if after == "not_on_agenda":
                    REACHED["handled as a suggestion"] += 1
                    model["sid"] = result

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            for mid, model in self.motions.items():
                data = app.motion(mid)
                assert data["status"] == model["status"]
                assert {data["lead_deputy"], *data["cosigners"]} == model["signers"]
                assert data["suggestion_id"] == model["sid"]
                if model["sid"] is not None:
                    assert app.suggestion(model["sid"])["motion_id"] == str(mid)
                assert reader.motion(mid) == data

    return MotionMachine


def test_motion_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(motion_machine(app, reader), settings=SETTINGS)
    assert REACHED["handled as a suggestion"] > 0 and REACHED["voted"] > 0, REACHED
    assert REACHED["too few signatures"] > 0, REACHED
