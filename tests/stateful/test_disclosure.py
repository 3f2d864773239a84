"""Random sequences of reads by every kind of role, with and without a reason, against
the read policy's model: a refused or invalid read records nothing, a plain read records
nothing, only an auditor's read with a reason records one Disclosure (before the data
is returned); and a second application reading the stored events rebuilds every
Disclosure as it was recorded."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from renda_core import Renda, RendaError
from renda_core.application.readpolicy import REDACTED, read_record, reader
from renda_core.domain.disclosure import Disclosure
from renda_core.domain.errors import Forbidden, InvalidInput
from renda_core.projections.log import count_events
from tests.audit.policy_world import World, build_world
from tests.audit.test_read_policy import EXPECTED

SETTINGS = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
READS = {"a": "deputy.show", "o1": "opinion.show", "o2": "opinion.show", "g": "suggestion.show"}
REASONS = st.sampled_from([None, None, "2026年度审计抽查", "核对第7号投诉", "   "])


def disclosure_machine(app: Renda, replay: Renda, world: World) -> type[RuleBasedStateMachine]:
    actors = world.actors()

    class DisclosureMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.head = count_events(app)
            self.recorded: list[tuple[Any, dict[str, Any]]] = []  # (id, expected state)

        @rule(
            who=st.sampled_from(sorted(actors)),
            record=st.sampled_from(sorted(READS)),
            reason=REASONS,
        )
        def read(self, who: str, record: str, reason: str | None) -> None:
            actor = actors[who]
            expected = EXPECTED[who][record]
            before = count_events(app)
            try:
                data = read_record(
                    app, reader(actor, reason), READS[record], getattr(world, record)
                )
            except InvalidInput:
                assert reason is not None and not reason.strip()
                assert count_events(app) == before
                return
            except Forbidden:
                assert expected == "refused", (who, record)
                assert count_events(app) == before
                return
            except RendaError as error:  # pragma: no cover - any other error is a bug
                raise AssertionError(error) from None
            assert expected != "refused", (who, record)
            discloses = who == "auditor" and reason is not None
            text = str(data)
            if discloses or expected == "full":
                assert REDACTED not in text or record == "g"
            else:
                assert REDACTED in text
            if discloses:
                assert count_events(app) == before + 1
                (last,) = app.recorder.select_notifications(
                    app.recorder.max_notification_id() or 0, 1
                )
                self.recorded.append(
                    (
                        last.originator_id,
                        {"read": READS[record], "records": [data["id"]], "reason": reason},
                    )
                )
            else:
                assert count_events(app) == before

        @invariant()
        def the_log_holds_exactly_the_disclosures(self) -> None:
            assert count_events(app) == self.head + len(self.recorded)
            for disclosure_id, want in self.recorded:
                got = replay.repository.get(disclosure_id)  # a second app, from the store
                assert isinstance(got, Disclosure)
                assert {"read": got.read, "records": got.records, "reason": got.reason} == want
                assert got.actor.role == "auditor"

    return DisclosureMachine


def test_reads_record_only_an_auditors_reasons(app: Renda) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    world = build_world(app)
    with Renda(app.store) as replay:
        run_state_machine_as_test(disclosure_machine(app, replay, world), settings=SETTINGS)
