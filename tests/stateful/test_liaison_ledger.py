"""The 双联系 ledger under random command sequences: members liaise with many deputies,
a deputy has several members, any serving member records contacts; members leave office
and mandates end. After every step the deputies match the model and replay the same;
at the end the ``committee`` view's member pages agree with the model."""

from __future__ import annotations

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

from renda_adapters.committee import CommitteeProjection, member_view
from renda_core import Renda, RendaError
from renda_core.projections.log import count_events
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.conftest import STAFF, register_payload

START = date(2023, 1, 20)
REGISTERED = date(2023, 1, 16)
days = st.integers(min_value=-10, max_value=300)
who = st.integers(min_value=0, max_value=2)
forms = st.sampled_from(["visit", "forum", "phone", "座谈"])


def make_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            self.members: list[UUID] = [
                app.add_member(
                    {
                        "name": name,
                        "position": "member",
                        "level": "provincial",
                        "term": 14,
                        "date": START.isoformat(),
                    },
                    STAFF,
                )
                for name in ("陈立", "周敏", "王强")
            ]
            self.deputies: list[UUID] = [
                app.register_deputy(register_payload(name=n, date="2023-01-16"), STAFF)
                for n in ("金美玉", "赵德明", "李春华")
            ]
            self.open: dict[tuple[int, int], date] = {}
            self.closed: set[tuple[int, int]] = set()
            self.left: dict[int, date] = {}
            self.ended: dict[int, date] = {}
            self.contacts: dict[int, list[tuple[int, date]]] = {0: [], 1: [], 2: []}

        def attempt(self, command: Any, data: dict[str, Any], allowed: bool) -> None:
            before = count_events(app)
            try:
                command(data, STAFF)
            except RendaError:
                assert not allowed, f"{command.__name__} {data} was refused"
                assert count_events(app) == before
                return
            assert allowed, f"{command.__name__} {data} was accepted"

        def serving(self, m: int, on: date) -> bool:
            return on >= START and m not in self.left

        def ids(self, m: int, d: int, on: date) -> dict[str, Any]:
            return {
                "member_id": self.members[m],
                "deputy_id": self.deputies[d],
                "date": on.isoformat(),
            }

        @rule(m=who, d=who, offset=days)
        def liaise(self, m: int, d: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.serving(m, on) and d not in self.ended and (m, d) not in self.open
            self.attempt(app.member_liaise, self.ids(m, d, on), ok)
            if ok:
                self.open[(m, d)] = on

        @rule(m=who, d=who, offset=days)
        def unliaise(self, m: int, d: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = d not in self.ended and (m, d) in self.open and on >= self.open[(m, d)]
            self.attempt(app.member_unliaise, self.ids(m, d, on), ok)
            if ok:
                del self.open[(m, d)]
                self.closed.add((m, d))

        @rule(m=who, d=who, offset=days, form=forms)
        def contact(self, m: int, d: int, offset: int, form: str) -> None:
            on = START + timedelta(days=offset)
            ok = self.serving(m, on) and d not in self.ended
            self.attempt(app.member_contact, {**self.ids(m, d, on), "form": form}, ok)
            if ok:
                self.contacts[m].append((d, on))

        @rule(m=who, offset=days)
        def leave(self, m: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.serving(m, on)
            data = {"member_id": self.members[m], "date": on.isoformat()}
            self.attempt(app.member_leaves, data, ok)
            if ok:
                self.left[m] = on

        @rule(d=who, offset=days)
        def terminate(self, d: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                d not in self.ended
                and on >= REGISTERED
                and all(on >= since for (_, dd), since in self.open.items() if dd == d)
            )
            data = {"deputy_id": self.deputies[d], "ground": "moved_away", "date": on.isoformat()}
            self.attempt(app.terminate_deputy, data, ok)
            if ok:
                self.ended[d] = on
                for key in [k for k in self.open if k[1] == d]:
                    del self.open[key]
                    self.closed.add(key)

        @invariant()
        def deputies_match_the_model_and_replay_the_same(self) -> None:
            for d, deputy_id in enumerate(self.deputies):
                deputy = app.get_deputy(deputy_id)
                expected = {str(self.members[m]) for (m, dd) in self.open if dd == d}
                assert set(deputy.open_liaisons) == expected
                assert reader.deputy(deputy_id) == deputy.to_dict()

        def teardown(self) -> None:
            runner = ProjectionRunner(app, {"committee": CommitteeProjection()})
            ctx = fresh_context(runner, CommitteeProjection.name)
            for m, member_id in enumerate(self.members):
                view = member_view(ctx, str(member_id))
                open_now = {e["deputy_id"] for e in view["deputies"] if e["until"] is None}
                assert open_now == {str(self.deputies[d]) for (mm, d) in self.open if mm == m}
                assert len(view["contacts"]) == len(self.contacts[m])
                for entry in view["deputies"]:
                    d = self.deputies.index(UUID(entry["deputy_id"]))
                    days_ = [on for dd, on in self.contacts[m] if dd == d]
                    assert entry["contacts"] == len(days_)
                    last = max(days_).isoformat() if days_ else None
                    assert entry["last_contact"] == last

    return LedgerMachine


def test_the_liaison_ledger_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(
            make_machine(app, reader),
            settings=settings(
                max_examples=15,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
