"""Batches write in the order the commands ran, whatever the batch size; an open batch
belongs to the thread that opened it; a failure inside a batch never writes half a
command."""

from __future__ import annotations

import contextvars
import threading
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda, RuleViolated
from renda_core.application.areas import read_division_csv
from renda_core.domain.deputy import Deputy
from renda_core.domain.ids import assigned_ids
from renda_core.domain.values import Actor
from renda_core.projections.log import count_events
from tests.application.reporting import all_reports, assert_same_reports
from tests.application.scenario import DIVISIONS_CSV
from tests.application.sequences import (
    apply_directly,
    apply_in_batches,
    command_sequences,
    log_of,
)
from tests.application.stores import fresh_stores
from tests.conftest import STAFF, register_payload


def test_a_batch_logs_events_in_command_order_across_aggregates(app: Renda) -> None:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2022-01-01"}, STAFF)
    before = len(log_of(app))
    with app.batch():
        a = app.register_deputy(register_payload(), STAFF)
        s = app.establish_station(
            {
                "name": "南岭街道代表之家",
                "kind": "home",
                "division": "220102001",
                "date": "2023-01-20",
            },
            STAFF,
        )
        app.enter_station({"station_id": s, "deputy_id": a, "date": "2023-02-01"}, STAFF)
        app.terminate_deputy({"deputy_id": a, "reason": "transfer", "date": "2023-03-01"}, STAFF)
        b = app.register_deputy(register_payload(name="朴东哲"), STAFF)
        app.enter_station({"station_id": s, "deputy_id": b, "date": "2023-03-02"}, STAFF)
    assert log_of(app)[before:] == [
        (str(a), 1, "renda:Deputy.Registered"),
        (str(s), 1, "renda:Station.Established"),
        (str(s), 2, "renda:Station.DeputyEntered"),
        (str(a), 2, "renda:Deputy.MandateTerminated"),
        (str(b), 1, "renda:Deputy.Registered"),
        (str(s), 3, "renda:Station.DeputyEntered"),
    ]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=command_sequences(max_steps=30), k=st.integers(2, 7))
def test_batch_size_changes_neither_the_log_nor_any_report(
    backend: str, request: pytest.FixtureRequest, lines: list[str], k: int
) -> None:
    """Each command on its own, batches of 1, of k, and all in one: the same log of
    (originator, version, topic) and the same JSON of every report."""
    logs, reports = [], []
    with fresh_stores(backend, 4, request) as stores:
        for store, size in zip(stores, (None, 1, k, len(lines)), strict=True):
            with Renda(store) as app:
                if size is None:
                    apply_directly(app, lines)
                else:
                    apply_in_batches(app, lines, size)
                logs.append(log_of(app))
                reports.append(all_reports(app))
    assert all(log == logs[0] for log in logs[1:])
    assert_same_reports(reports)


# -- threads and contexts ---------------------------------------------------------------


def test_a_command_from_another_thread_is_never_lost_in_an_open_batch(app: Renda) -> None:
    other: dict[str, object] = {}
    in_batch = threading.Event()
    done = threading.Event()

    def register_elsewhere() -> None:
        in_batch.wait(10)
        try:
            other["id"] = app.register_deputy(register_payload(name="他线程"), STAFF)
        except Exception as exc:  # raising is an allowed outcome
            other["error"] = exc
        done.set()

    thread = threading.Thread(target=register_elsewhere)
    thread.start()
    with pytest.raises(RuleViolated), app.batch(["mine"]):
        app.register_deputy(register_payload(), STAFF)
        in_batch.set()
        assert done.wait(10)
        raise RuleViolated("the batch aborts")
    thread.join(10)
    assert app.applied_commands(["mine"]) == set()
    if "error" in other:  # the other thread was refused loudly: acceptable, nothing lost
        assert count_events(app) == 0
    else:  # or it wrote on its own, and that survives the abort
        assert count_events(app) == 1
        assert app.deputy(other["id"])["name"] == "他线程"  # type: ignore[arg-type]


def test_threads_batching_at_once_each_write_their_own(app: Renda) -> None:
    barrier = threading.Barrier(2)
    ids: dict[int, list[uuid.UUID]] = {}

    def work(n: int) -> None:
        with app.batch([f"t{n}"]):
            ids[n] = [app.register_deputy(register_payload(name=f"线程{n}"), STAFF)]
            barrier.wait(10)  # both batches are open now
            ids[n].append(app.register_deputy(register_payload(name=f"线程{n}乙"), STAFF))

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert count_events(app) == 4
    assert app.applied_commands(["t1", "t2"]) == {"t1", "t2"}
    for n in (1, 2):
        assert [app.deputy(i)["name"] for i in ids[n]] == [f"线程{n}", f"线程{n}乙"]


def test_a_context_that_outlives_its_batch_is_refused(app: Renda) -> None:
    with app.batch():
        copied = contextvars.copy_context()
    with pytest.raises(RuntimeError, match="already ended"):
        copied.run(app.register_deputy, register_payload(), STAFF)
    assert count_events(app) == 0
    app.register_deputy(register_payload(), STAFF)  # this context is not in a batch
    assert count_events(app) == 1


# -- failures inside a batch --------------------------------------------------------------


def test_a_half_made_change_left_in_a_batch_is_never_written(app: Renda) -> None:
    with pytest.raises(RuntimeError, match="failed inside this batch"), app.batch(["x"]):
        a = app.register_deputy(register_payload(), STAFF)
        # A command that changed the deputy and then failed (its error swallowed):
        deputy = app._load(Deputy, a, "deputy")
        deputy.terminate(reason="transfer", on=deputy.registered_on, actor=Actor("x", "staff"))
        with pytest.raises(RuntimeError, match="failed inside this batch"):
            app.liaise_deputy({"deputy_id": a, "member": "甲", "date": "2023-02-01"}, STAFF)
    assert count_events(app) == 0 and app.applied_commands(["x"]) == set()


def test_creating_one_record_twice_in_a_batch_is_refused(app: Renda) -> None:
    wanted = uuid.uuid5(uuid.NAMESPACE_URL, "renda-test/twice")
    with pytest.raises(RuleViolated, match="cannot be created again"), app.batch():
        with assigned_ids(wanted):
            app.register_deputy(register_payload(), STAFF)
        with assigned_ids(wanted):
            app.register_deputy(register_payload(name="朴东哲"), STAFF)
    assert count_events(app) == 0
