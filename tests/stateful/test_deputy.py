"""Random command sequences drive a Deputy against a simple model; the invariants hold
after every step, and re-reading from the store gives the same state."""

from __future__ import annotations

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
from renda_core.projections.log import list_events
from tests.conftest import STAFF, register_payload

START = date(2023, 1, 16)
days = st.integers(min_value=-30, max_value=400)
members = st.sampled_from(["常委会副主任 陈立", "常委会委员 周敏", "委员 Wang"])
forms = st.sampled_from(["forum", "visit", "research", "phone", "other", "座谈"])
reasons = st.sampled_from(["resignation", "recall", "death", "transfer", "other", "罢免"])
levels = st.sampled_from(["national", "provincial", "municipal", "county", "township", "乡"])


def make_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class DeputyMachine(RuleBasedStateMachine):
        """The model: active?, liaison and its start, contacts, registered date."""

        @initialize()
        def register(self) -> None:
            self.id = app.register_deputy(register_payload(date=START.isoformat()), STAFF)
            self.active = True
            self.liaison: str | None = None
            self.since: date | None = None
            self.contacts = 0
            self.level = "provincial"
            self.events = 1

        def attempt(self, command: Any, data: dict[str, Any], allowed: bool) -> bool:
            before = len(list_events(app, self.id))
            try:
                command({"deputy_id": self.id, **data}, STAFF)
            except RendaError:
                assert not allowed, f"{command.__name__} {data} was refused"
                assert len(list_events(app, self.id)) == before  # nothing recorded
                return False
            assert allowed, f"{command.__name__} {data} was accepted"
            self.events += 1
            return True

        @rule(member=members, offset=days)
        def liaise(self, member: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and self.liaison is None and offset >= 0
            if self.attempt(app.liaise_deputy, {"member": member, "date": on.isoformat()}, ok):
                self.liaison, self.since = member, on

        @rule(offset=days)
        def unliaise(self, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and self.since is not None and on >= self.since
            if self.attempt(app.unliaise_deputy, {"date": on.isoformat()}, ok):
                self.liaison, self.since = None, None

        @rule(form=forms, offset=days)
        def contact(self, form: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and self.since is not None and on >= self.since
            if self.attempt(app.record_contact, {"form": form, "date": on.isoformat()}, ok):
                self.contacts += 1

        @rule(reason=reasons, offset=days)
        def terminate(self, reason: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and offset >= 0 and (self.since is None or on >= self.since)
            if self.attempt(app.terminate_deputy, {"reason": reason, "date": on.isoformat()}, ok):
                self.active, self.liaison, self.since = False, None, None

        @rule(level=levels)
        def correct_level(self, level: str) -> None:
            value = "township" if level == "乡" else level
            ok = value != self.level
            if self.attempt(app.correct_deputy, {"level": level, "date": START.isoformat()}, ok):
                self.level = value

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            deputy = app.get_deputy(self.id)
            assert deputy.is_active == self.active
            assert deputy.liaison == self.liaison
            assert len(deputy.contacts) == self.contacts
            assert deputy.level == self.level
            assert deputy.version == self.events
            if not deputy.is_active:
                assert deputy.liaison is None
            assert all(c["on"] >= deputy.registered_on for c in deputy.contacts)
            # replaying the stored events (another app, no cache) rebuilds the same state
            assert reader.deputy(self.id) == deputy.to_dict()

    return DeputyMachine


def test_deputy_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(
            make_machine(app, reader),
            settings=settings(
                max_examples=30,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
