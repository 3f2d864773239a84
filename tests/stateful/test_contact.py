"""Random sequences of contact corrections (set, correct, remove, invalid values,
roles other than staff) against a simple model: the recorded addresses are the model's,
each with the actor and date of its last correction; an unchanged value and every
refusal record nothing; shown masked by default; and a second application reading the
stored events rebuilds the same contact."""

from __future__ import annotations

import itertools
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

from renda_core import Actor, Renda, RendaError
from renda_core.notify import Notifier
from renda_core.projections.log import count_events

SETTINGS = settings(
    max_examples=20,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
START = date(2024, 1, 10)
VALUES = {
    "email": st.sampled_from(["zhang@swt.example.cn", "li@swt.example.cn", "wang@x.cn"]),
    "phone": st.sampled_from(["13812345678", "+86 431 8888 1234"]),
    "webhook": st.sampled_from(["https://oa.example/renda", "http://10.0.0.2/hook"]),
    "apprise": st.sampled_from(["dingtalk://token/", "wecombot://key"]),
}
BAD = {"email": "not-an-address", "phone": "call me", "webhook": "ftp://x", "apprise": "x"}
ACTORS = [Actor("li", "staff"), Actor("wang", "staff")]
kinds = st.sampled_from(sorted(VALUES))


def contact_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    n = Notifier(app)
    units = itertools.count(1)

    class ContactMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.recipient = f"unit:省第{next(units)}厅"
            self.model: dict[str, dict[str, Any]] = {}
            self.day = START
            self.opened = False  # the first change opens the contact (one more event)

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

        @rule(kind=kinds, data=st.data(), who=st.sampled_from(ACTORS), later=st.integers(0, 9))
        def set(self, kind: str, data: st.DataObject, who: Actor, later: int) -> None:
            value = data.draw(VALUES[kind])
            self.day += timedelta(days=later)
            before = count_events(app)
            changed = self.attempt(
                lambda: n.set_contact(self.recipient, kind, value, on=self.day, actor=who), True
            )
            current = self.model.get(kind, {}).get("value")
            assert changed is (current != value)
            recorded = 0 if not changed else 1 if self.opened else 2
            assert count_events(app) == before + recorded
            self.opened = True
            if changed:
                self.model[kind] = {"value": value, "on": self.day.isoformat(), "by": who.id}

        @rule(kind=kinds)
        def remove(self, kind: str) -> None:
            if not self.opened:
                return
            changed = self.attempt(
                lambda: n.set_contact(self.recipient, kind, None, on=self.day, actor=ACTORS[0]),
                True,
            )
            assert changed is (kind in self.model)
            self.model.pop(kind, None)

        @rule(kind=kinds)
        def bad_value(self, kind: str) -> None:
            bad = BAD[kind]
            self.attempt(
                lambda: n.set_contact(self.recipient, kind, bad, on=self.day, actor=ACTORS[0]),
                False,
            )

        @rule(role=st.sampled_from(["auditor", "unit:省商务厅", "deputy:x"]), kind=kinds)
        def not_staff(self, role: str, kind: str) -> None:
            value = "a@b.cn" if kind == "email" else BAD[kind]
            who = Actor("x", role)
            self.attempt(
                lambda: n.set_contact(self.recipient, kind, value, on=self.day, actor=who), False
            )

        @invariant()
        def recorded_as_modelled(self) -> None:
            if not self.opened:
                return
            shown = n.contact(self.recipient, reveal=True)["addresses"]
            assert shown == self.model
            replayed = Notifier(reader).contact(self.recipient, reveal=True)["addresses"]
            assert replayed == self.model  # rebuilt from the stored events
            masked = n.contact(self.recipient)["addresses"]
            for kind, address in masked.items():
                if kind in ("email", "phone"):
                    assert address["value"] != self.model[kind]["value"]

    return ContactMachine


def test_contact_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(contact_machine(app, reader), settings=SETTINGS)
