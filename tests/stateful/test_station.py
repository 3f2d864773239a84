"""Random command sequences drive a Station, an Opinion and a DeputyGroup against
simple models; the invariants hold after every step, nothing is recorded on a
refusal, and re-reading from the store gives the same state."""

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

from renda_core import Renda, RendaError
from renda_core.application.areas import read_division_csv
from renda_core.projections.log import list_events
from tests.conftest import STAFF, register_payload

START = date(2023, 2, 1)
days = st.integers(min_value=-20, max_value=300)
SETTINGS = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CSV = "code,name,parent_code,kind\n220000,吉林省,,province\n220102001,南岭街道,220000,street\n"


def setup_world(app: Renda, levels: list[str]) -> list[UUID]:
    app.import_divisions({"rows": read_division_csv(CSV), "date": "2023-01-01"}, STAFF)
    return [
        app.register_deputy(register_payload(level=level, date="2023-01-01"), STAFF)
        for level in levels
    ]


class Attempts:
    app: Renda
    id: UUID
    events: int

    def attempt(self, command: Any, data: dict[str, Any], allowed: bool) -> Any:
        before = len(list_events(self.app, self.id))
        try:
            result = command(data, STAFF)
        except RendaError as error:
            assert not allowed, f"{command.__name__} {data} was refused: {error}"
            assert len(list_events(self.app, self.id)) == before  # nothing recorded
            return False
        assert allowed, f"{command.__name__} {data} was accepted"
        self.events += 1
        return True if result is None else result


def station_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class StationMachine(Attempts, RuleBasedStateMachine):
        @initialize()
        def establish(self) -> None:
            self.app = app
            self.deputies = setup_world(app, ["provincial", "county", "township"])
            data = {"name": "家站", "kind": "home", "division": "220102001"}
            self.id = app.establish_station({**data, "date": START.isoformat()}, STAFF)
            self.events = 1
            self.open = True
            self.spans: list[tuple[int, date, date | None]] = []
            self.last = START
            self.activities = 0

        def on_roster(self, who: int) -> date | None:
            for d, since, until in self.spans:
                if d == who and until is None:
                    return since
            return None

        def was_on(self, who: int, on: date) -> bool:
            return any(
                d == who and since <= on and (until is None or on <= until)
                for d, since, until in self.spans
            )

        @rule(who=st.integers(0, 2), offset=days)
        def enter(self, who: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.open and offset >= 0 and self.on_roster(who) is None
            data = {"station_id": self.id, "deputy_id": self.deputies[who], "date": on}
            if self.attempt(app.enter_station, data, ok):
                self.spans.append((who, on, None))
                self.last = max(self.last, on)

        @rule(who=st.integers(0, 2), offset=days)
        def leave(self, who: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            since = self.on_roster(who)
            ok = self.open and since is not None and on >= since
            data = {"station_id": self.id, "deputy_id": self.deputies[who], "date": on}
            if self.attempt(app.leave_station, data, ok):
                i = next(i for i, s in enumerate(self.spans) if s[0] == who and s[2] is None)
                self.spans[i] = (who, self.spans[i][1], on)
                self.last = max(self.last, on)

        @rule(who=st.sets(st.integers(0, 2), max_size=3), offset=days, received=st.integers(-1, 50))
        def activity(self, who: set[int], offset: int, received: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.open
                and offset >= 0
                and bool(who)
                and all(self.was_on(w, on) for w in who)
                and received >= 0
            )
            data = {
                "station_id": self.id,
                "kind": "cloud_reception",
                "date": on,
                "deputies": [self.deputies[w] for w in sorted(who)],
                "people_received": max(received, 0) if ok else received,
            }
            if self.attempt(app.hold_station_activity, data, ok):
                self.activities += 1
                self.last = max(self.last, on)

        @rule(offset=days)
        def close(self, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.open and on >= self.last
            if self.attempt(app.close_station, {"station_id": self.id, "date": on}, ok):
                self.open = False

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            station = app.get_station(self.id)
            assert station.is_open == self.open
            assert set(station.roster) == {
                str(self.deputies[d]) for d, _, until in self.spans if until is None
            }
            assert len(station.activities) == self.activities
            assert station.version == self.events
            assert reader.station(self.id) == station.to_dict()

    return StationMachine


OPINION_STEPS = st.sampled_from(
    ["accept", "out_of_scope", "answer", "refer", "escalate", "result", "feedback", "close"]
)


def opinion_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class OpinionMachine(Attempts, RuleBasedStateMachine):
        @initialize()
        def collect(self) -> None:
            self.app = app
            (deputy,) = setup_world(app, ["township"])
            data = {"name": "家站", "kind": "liaison", "division": "220102001"}
            station = app.establish_station({**data, "date": "2023-01-01"}, STAFF)
            app.enter_station({"station_id": station, "deputy_id": deputy, "date": START}, STAFF)
            self.id = app.collect_opinion(
                {
                    "station_id": station,
                    "channel": "云接待",
                    "content": "道路维修",
                    "deputies": [deputy],
                    "date": START,
                },
                STAFF,
            )
            self.events = 1
            self.status = "collected"
            self.last = START
            self.rounds = 1

        @rule(step=OPINION_STEPS, offset=st.integers(-5, 30))
        def advance(self, step: str, offset: int) -> None:
            on = self.last + timedelta(days=offset)
            s = self.status
            allowed_from = {
                "accept": {"collected"},
                "out_of_scope": {"collected"},
                "answer": {"accepted"},
                "refer": {"accepted"},
                "escalate": {"accepted"},
                "result": {"referred", "escalated"},
                "feedback": {"handled"},
                "close": {"fed_back", "out_of_scope"},
            }[step]
            ok = s in allowed_from and offset >= 0
            base = {"opinion_id": self.id, "date": on}
            command, data, after = {
                "accept": (app.screen_opinion, {"outcome": "accepted"}, "accepted"),
                "out_of_scope": (
                    app.screen_opinion,
                    {"outcome": "out_of_scope", "advice": "信访"},
                    "out_of_scope",
                ),
                "answer": (app.answer_opinion, {"result": "当场答复"}, "handled"),
                "refer": (
                    app.refer_opinion,
                    {"body": "交通局", "body_kind": "department", "due": on + timedelta(30)},
                    "referred",
                ),
                "escalate": (
                    app.escalate_opinion,
                    {"target_kind": "bulletin", "target_id": "b-1"},
                    "escalated",
                ),
                "result": (app.record_opinion_result, {"result": "已办理"}, "handled"),
                "feedback": (app.feed_back_opinion, {}, "fed_back"),
                "close": (app.close_opinion, {}, "closed"),
            }[step]
            if self.attempt(command, {**base, **data}, ok):
                self.status = after
                self.last = on

        @rule(rating=st.sampled_from(["满意", "basically_satisfied", "unsatisfied"]))
        def evaluate(self, rating: str) -> None:
            ok = self.status == "fed_back"
            data = {"opinion_id": self.id, "rating": rating, "note": "理由", "date": self.last}
            if self.attempt(app.evaluate_opinion, data, ok):
                self.status = "accepted" if rating == "unsatisfied" else "closed"
                self.rounds += rating == "unsatisfied"

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            opinion = app.get_opinion(self.id)
            assert opinion.status == self.status
            assert opinion.round == self.rounds
            assert opinion.version == self.events
            if opinion.status in ("handled", "fed_back"):
                assert opinion.result is not None
            assert reader.opinion(self.id) == opinion.to_dict()

    return OpinionMachine


def group_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    class GroupMachine(Attempts, RuleBasedStateMachine):
        @initialize()
        def form(self) -> None:
            self.app = app
            # three provincial deputies of the 14th congress, and one county deputy
            self.deputies = setup_world(app, ["provincial", "provincial", "provincial", "county"])
            self.id = app.form_group(
                {
                    "name": "代表小组",
                    "basis": "electoral_unit",
                    "unit": "延边州",
                    "level": "provincial",
                    "term": 14,
                    "area": "222401",
                    "date": START,
                },
                STAFF,
            )
            self.events = 1
            self.active = True
            self.members: dict[int, date] = {}
            self.leader: int | None = None
            self.last = START
            self.activities = 0

        def member(self, command: Any, who: int, offset: int, ok: bool) -> bool:
            on = START + timedelta(days=offset)
            data = {"group_id": self.id, "deputy_id": self.deputies[who], "date": on}
            done = bool(self.attempt(command, data, ok))
            if done:
                self.last = max(self.last, on)
            return done

        @rule(who=st.integers(0, 3), offset=days)
        def add(self, who: int, offset: int) -> None:
            ok = self.active and who != 3 and who not in self.members and offset >= 0
            if self.member(app.add_group_member, who, offset, ok):
                self.members[who] = START + timedelta(days=offset)

        @rule(who=st.integers(0, 3), offset=days)
        def remove(self, who: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and who in self.members and on >= self.members[who]
            if self.member(app.remove_group_member, who, offset, ok):
                del self.members[who]
                if self.leader == who:
                    self.leader = None

        @rule(who=st.integers(0, 3), offset=days)
        def lead(self, who: int, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and who in self.members
                and on >= self.members[who]
                and self.leader != who
            )
            if self.member(app.appoint_group_leader, who, offset, ok):
                self.leader = who

        @rule(
            who=st.sets(st.integers(0, 3), max_size=3),
            offset=days,
            handled=st.integers(0, 3),
            resolved=st.integers(0, 3),
        )
        def mediate(self, who: set[int], offset: int, handled: int, resolved: int) -> None:
            on = START + timedelta(days=offset)
            ok = (
                self.active
                and offset >= 0
                and bool(who)
                and all(w in self.members and self.members[w] <= on for w in who)
                and resolved <= handled
            )
            data = {
                "group_id": self.id,
                "kind": "矛盾纠纷调解",
                "date": on,
                "participants": [self.deputies[w] for w in sorted(who)],
                "disputes_handled": handled,
                "disputes_resolved": resolved,
            }
            if self.attempt(app.hold_group_activity, data, ok):
                self.activities += 1
                self.last = max(self.last, on)

        @rule(offset=days)
        def dissolve(self, offset: int) -> None:
            on = START + timedelta(days=offset)
            ok = self.active and on >= self.last
            if self.attempt(app.dissolve_group, {"group_id": self.id, "date": on}, ok):
                self.active = False

        @invariant()
        def matches_the_model_and_replays_the_same(self) -> None:
            group = app.get_group(self.id)
            assert group.is_active == self.active
            assert set(group.members) == {str(self.deputies[w]) for w in self.members}
            assert group.leader == (
                None if self.leader is None else str(self.deputies[self.leader])
            )
            assert group.leader is None or group.leader in group.members
            assert len(group.activities) == self.activities
            assert group.version == self.events
            assert reader.group(self.id) == group.to_dict()

    return GroupMachine


def test_station_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(station_machine(app, reader), settings=SETTINGS)


def test_opinion_closed_loop_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(opinion_machine(app, reader), settings=SETTINGS)


def test_deputy_group_lifecycle_keeps_its_invariants(app: Renda) -> None:
    with Renda(app.store) as reader:
        run_state_machine_as_test(group_machine(app, reader), settings=SETTINGS)
