"""Random command sequences drive a Deputy against a simple model; the invariants hold
after every step, and re-reading from the store gives the same state.

Issue 14: the liaison is a ledger (several members at once, each once), and the
lifecycle has suspension/resumption, statutory termination grounds, the announcement
and re-election into later terms."""

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
grounds = st.sampled_from(["detained", "serving_sentence"])
termination_grounds = st.sampled_from(
    ["moved_away", "lost_nationality", "incapacity", "ordered_to_resign", "丧失行为能力"]
)


def make_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class DeputyMachine(RuleBasedStateMachine):
        """The model: active?, liaison and its start, contacts, registered date."""

        @initialize()
        def register(self) -> None:
            self.id = app.register_deputy(register_payload(date=START.isoformat()), STAFF)
            self.active = True
            self.open: dict[str, date] = {}
            self.suspended: date | None = None
            self.resumed: date | None = None
            self.spans: list[tuple[date, date | None]] = []  # suspensions: [since, until)
            self.terminated: date | None = None
            self.announced = False
            self.announced_on: date | None = None
            self.filled_by: str | None = None
            self.term = register_payload()["term"]
            self.term_from = START
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

        @property
        def liaison(self) -> str | None:
            return list(self.open)[-1] if self.open else None

        def suspended_on(self, on: date) -> bool:
            return any(a <= on and (b is None or on < b) for a, b in self.spans)

        def end_span(self, on: date) -> None:
            if self.spans and self.spans[-1][1] is None:
                self.spans[-1] = (self.spans[-1][0], on)

        def after_all(self, on: date) -> bool:
            return all(on >= since for since in self.open.values())

        @rule(member=members, offset=days)
        def liaise(self, member: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and member not in self.open and offset >= 0
            if self.attempt(app.liaise_deputy, {"member": member, "date": on.isoformat()}, ok):
                self.open[member] = on

        @rule(offset=days, member=st.none() | members)
        def unliaise(self, offset: int, member: str | None) -> None:
            on = START + timedelta(days=offset)
            which = member if member is not None else next(iter(self.open), None)
            known = member in self.open if member is not None else len(self.open) == 1
            ok = self.active and known and which is not None and on >= self.open[which]
            data = {"date": on.isoformat(), **({"member": member} if member else {})}
            if self.attempt(app.unliaise_deputy, data, ok):
                assert which is not None
                del self.open[which]

        @rule(form=forms, offset=days)
        def contact(self, form: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and len(self.open) == 1
                and self.after_all(on)
                and not self.suspended_on(on)  # the duties are suspended that day
            )
            if self.attempt(app.record_contact, {"form": form, "date": on.isoformat()}, ok):
                self.contacts += 1

        @rule(reason=reasons, offset=days)
        def terminate(self, reason: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and offset >= 0
                and self.after_all(on)
                and (self.suspended is None or on >= self.suspended)
            )
            if self.attempt(app.terminate_deputy, {"reason": reason, "date": on.isoformat()}, ok):
                self.active, self.open, self.terminated = False, {}, on
                self.end_span(on)

        @rule(ground=termination_grounds, offset=days)
        def terminate_on_ground(self, ground: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and offset >= 0
                and self.after_all(on)
                and (self.suspended is None or on >= self.suspended)
            )
            if self.attempt(app.terminate_deputy, {"ground": ground, "date": on.isoformat()}, ok):
                self.active, self.open, self.terminated = False, {}, on
                self.end_span(on)

        @rule(ground=grounds, offset=days)
        def suspend(self, ground: str, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and self.suspended is None
                and offset >= 0
                and (self.resumed is None or on >= self.resumed)
            )
            if self.attempt(app.suspend_deputy, {"ground": ground, "date": on.isoformat()}, ok):
                self.suspended = on
                self.spans.append((on, None))

        @rule(offset=days)
        def resume(self, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and self.suspended is not None and on >= self.suspended
            if self.attempt(app.resume_deputy, {"date": on.isoformat()}, ok):
                self.suspended, self.resumed = None, on
                self.end_span(on)

        @rule(offset=days)
        def announce(self, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.terminated is not None and not self.announced and on >= self.terminated
            data = {"notice": "公告第1号", "date": on.isoformat()}
            if self.attempt(app.announce_termination, data, ok):
                self.announced, self.announced_on = True, on

        @rule(offset=days)
        def by_elect(self, offset: int) -> None:
            """A by-election (补选) to the seat this mandate left."""
            on = START + timedelta(days=offset)
            ok = (
                self.announced_on is not None and self.filled_by is None and on >= self.announced_on
            )
            before = len(list_events(app, self.id))
            data = {"vacancy_id": self.id, "name": "崔英子", "date": on.isoformat()}
            try:
                new_id = app.by_elect_deputy(data, STAFF)
            except RendaError:
                assert not ok, f"by-election {data} was refused"
                assert len(list_events(app, self.id)) == before
                return
            assert ok, f"by-election {data} was accepted"
            self.events += 1
            self.filled_by = str(new_id)
            new = app.get_deputy(new_id)
            assert new.fills == str(self.id) and new.term == self.term and new.is_active
            assert reader.deputy(new_id) == new.to_dict()

        @rule(step=st.integers(min_value=-1, max_value=2), offset=days)
        def reelect(self, step: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            term = self.term + step
            ok = self.active and self.suspended is None and step > 0 and on >= self.term_from
            if self.attempt(app.reelect_deputy, {"term": term, "date": on.isoformat()}, ok):
                self.term, self.term_from = term, on

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
            assert deputy.open_liaisons == self.open
            assert deputy.liaison == self.liaison
            assert (deputy.status == "suspended") == (self.active and self.suspended is not None)
            assert (deputy.announced_on is not None) == self.announced
            assert deputy.filled_by == self.filled_by
            assert deputy.vacancy == (
                None
                if self.active
                else "filled"
                if self.filled_by
                else "vacant"
                if self.announced
                else "unannounced"
            )
            assert deputy.term == self.term == deputy.terms[-1]["term"]
            assert all(
                a["to"] == b["from"] for a, b in zip(deputy.terms, deputy.terms[1:], strict=False)
            )
            assert len(deputy.contacts) == self.contacts
            assert [(x["since"], x["until"]) for x in deputy.suspensions] == self.spans
            assert not any(self.suspended_on(c["on"]) for c in deputy.contacts)
            assert deputy.level == self.level
            assert deputy.version == self.events
            if not deputy.is_active:
                assert deputy.liaison is None
            assert all(c["on"] >= deputy.registered_on for c in deputy.contacts)
            # replaying the stored events (another app, no cache) rebuilds the same state
            assert reader.deputy(self.id) == deputy.to_dict()

    return DeputyMachine


def test_deputy_lifecycle_keeps_its_invariants(app: Renda) -> None:
    for level in ("national", "provincial", "municipal", "county", "township"):
        for number in range(15, 21):
            app.begin_term({"level": level, "number": number, "date": "2000-01-01"}, STAFF)
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
