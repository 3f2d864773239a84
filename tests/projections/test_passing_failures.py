"""A catch-up that a passing PostgreSQL failure interrupted runs again where the work
is done, in the runner: every caller gets it — the library's ``catch_up``, a report's
own catch-up, the background follower (the CLI's is in
tests/cli/test_catch_up_interrupted.py). A failure that lasts still surfaces at once,
and no batch is lost or written twice: the views equal a clean replay of the log.

The server ends the session on purpose, as there: a second connection holds a view's
table locked and ends (``pg_terminate_backend``) whoever waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

import renda_core
from renda_core import Renda
from renda_core.application.postgres import PAUSES, PAUSES_ENV, PassingFailures
from renda_core.application.store import parse_store
from renda_core.domain.errors import InvalidInput, StoreUnavailable
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.background import BackgroundCatchUp
from renda_core.projections.runner import ProjectionRunner, catch_up_tried
from tests.cli.test_catch_up_interrupted import Terminator
from tests.conftest import STAFF, _new_schema, postgres_url, register_payload

EVENTS = 5  # deputies registered: several batches of two


def ended() -> StoreUnavailable:
    """A failure as the runner raises it when the server ended its session."""
    cause = psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    error = StoreUnavailable("cannot write the view of x: the server ended the connection")
    error.__cause__ = cause
    return error


def lasting() -> StoreUnavailable:
    cause = psycopg.errors.InsufficientPrivilege("permission denied for table x")
    error = StoreUnavailable("cannot write the view of x: the store's user lacks a right")
    error.__cause__ = cause
    return error


# -- the policy ---------------------------------------------------------------------------


def test_the_pauses_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PAUSES_ENV, raising=False)
    assert PassingFailures.from_env() == PassingFailures(PAUSES)
    assert PassingFailures.from_env().attempts == 3
    monkeypatch.setenv(PAUSES_ENV, "0.5, 2,5")
    assert PassingFailures.from_env().pauses == (0.5, 2.0, 5.0)
    assert PassingFailures.from_env().attempts == 4
    monkeypatch.setenv(PAUSES_ENV, "none")
    assert PassingFailures.from_env().attempts == 1


@pytest.mark.parametrize("value", ["soon", "1,,3", "-1", "nan", "1;3"])
def test_pauses_that_are_not_seconds_are_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(PAUSES_ENV, value)
    with pytest.raises(InvalidInput, match=PAUSES_ENV):
        PassingFailures.from_env()


def test_a_passing_failure_is_tried_again_with_fresh_connections_each_time() -> None:
    calls: list[str] = []

    def work() -> str:
        calls.append("work")
        if calls.count("work") < 3:
            raise ended()
        return "done"

    result = PassingFailures((0, 0)).run(
        work, again=lambda: calls.append("again"), exhausted=catch_up_tried
    )
    assert result == "done"
    assert calls == ["work", "again", "work", "again", "work"]


def test_the_last_attempt_says_how_many_were_made() -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise ended()

    with pytest.raises(StoreUnavailable, match="the catch-up was tried 3 times") as caught:
        PassingFailures((0, 0)).run(work, again=lambda: None, exhausted=catch_up_tried)
    assert len(calls) == 3
    assert "the server ended the connection" in caught.value.message


def test_a_failure_that_lasts_is_raised_at_once_as_it_was() -> None:
    calls = []
    failure = lasting()

    def work() -> None:
        calls.append(1)
        raise failure

    with pytest.raises(StoreUnavailable) as caught:
        PassingFailures((0, 0)).run(work, again=lambda: None, exhausted=catch_up_tried)
    assert caught.value is failure
    assert len(calls) == 1


def test_on_sqlite_nothing_is_tried_again(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PAUSES_ENV, "0,0")
    calls = []

    def interrupted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise ended()

    with Renda(str(tmp_path / "s.sqlite")) as app:
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        monkeypatch.setattr(runner, "_run", interrupted)
        with pytest.raises(StoreUnavailable, match="the server ended") as caught:
            runner.catch_up()
        runner.close()
    assert len(calls) == 1
    assert "tried" not in caught.value.message


# -- on PostgreSQL ------------------------------------------------------------------------


@pytest.fixture
def schema(pg_admin: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(PAUSES_ENV, "0.2,0.5")
    name = _new_schema(pg_admin)
    yield name
    pg_admin.execute(f"DROP SCHEMA {name} CASCADE")  # type: ignore[attr-defined]


def prepared(schema: str) -> str:
    """A store of ``EVENTS`` events, its views created and behind them."""
    store = f"{postgres_url()}?schema={schema}"
    with Renda(store) as app:
        for number in range(EVENTS):
            app.register_deputy(register_payload(name=f"代表{number}"), STAFF)
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        assert all(row.position == 0 for row in runner.status())
        runner.close()
    return store


def view_rows(pg_admin: Any, schema: str) -> dict[str, list[str]]:
    """Every view's documents and counters (the figure history is kept by batch, and
    batches differ between runs)."""
    tables = pg_admin.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
        "AND (table_name LIKE '%%\\_entities' OR table_name LIKE '%%\\_figures')",
        (schema,),
    ).fetchall()
    return {
        table: sorted(repr(row) for row in pg_admin.execute(f"SELECT * FROM {schema}.{table}"))
        for (table,) in tables
    }


def assert_same_as_a_clean_replay(pg_admin: Any, schema: str, store: str) -> None:
    """The views as caught up, against the same views replayed from the log anew."""
    caught_up = view_rows(pg_admin, schema)
    assert caught_up  # there is something to compare
    with Renda(store) as app:
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        assert all(row.position == EVENTS and row.error is None for row in runner.status())
        assert all(result.error is None for result in runner.rebuild())
        runner.close()
    assert view_rows(pg_admin, schema) == caught_up


def interrupted_once(schema: str) -> Terminator:
    terminator = Terminator(schema, times=1)
    terminator.start()
    assert terminator.locked.wait(30)
    return terminator


@pytest.mark.postgres
def test_the_librarys_catch_up_survives_a_session_the_server_ended(
    schema: str, pg_admin: Any
) -> None:
    store = prepared(schema)
    terminator = interrupted_once(schema)
    try:
        with renda_core.open(store, actor=STAFF) as api:
            errors = api.catch_up()
    finally:
        terminator.stop()
    assert terminator.ended == 1  # it was interrupted: the retry is what was tested
    assert errors and all(error is None for error in errors.values())
    assert_same_as_a_clean_replay(pg_admin, schema, store)


@pytest.mark.postgres
def test_a_reports_own_catch_up_survives_a_session_the_server_ended(
    schema: str, pg_admin: Any
) -> None:
    store = prepared(schema)
    terminator = interrupted_once(schema)
    try:
        with renda_core.open(store, actor=STAFF) as api:
            report = api.report("deputies")
    finally:
        terminator.stop()
    assert terminator.ended == 1
    assert report["active_total"] == EVENTS  # each deputy counted once
    with renda_core.open(store, actor=STAFF) as api:
        assert all(error is None for error in api.catch_up().values())
    assert_same_as_a_clean_replay(pg_admin, schema, store)


@pytest.mark.postgres
def test_the_background_follower_survives_a_session_the_server_ended(
    schema: str, pg_admin: Any
) -> None:
    store = prepared(schema)
    names = list(collect_projections(get_plugin_manager()))
    terminator = interrupted_once(schema)
    try:
        with Renda(store) as app, BackgroundCatchUp(parse_store(store), names, interval=0.1):
            runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
            deadline = time.monotonic() + 120  # not a timing: how long to wait at most
            while time.monotonic() < deadline:
                status = runner.status()
                if all(row.lag == 0 for row in status):
                    break
                time.sleep(0.1)
            runner.close()
    finally:
        terminator.stop()
    assert terminator.ended == 1
    assert all(row.lag == 0 and row.error is None for row in status), status
    assert_same_as_a_clean_replay(pg_admin, schema, store)


@pytest.mark.postgres
def test_a_server_that_keeps_ending_the_librarys_catch_up_is_store_unavailable(
    schema: str,
) -> None:
    store = prepared(schema)
    terminator = Terminator(schema, times=None)
    terminator.start()
    assert terminator.locked.wait(30)
    try:
        with renda_core.open(store, actor=STAFF) as api, pytest.raises(StoreUnavailable) as caught:
            api.catch_up()
    finally:
        terminator.stop()
    assert terminator.ended == 3
    assert "the server ended the connection" in caught.value.message
    assert "(the catch-up was tried 3 times" in caught.value.message


@pytest.mark.postgres
def test_connections_the_server_ended_are_not_used_again(
    schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart ends every session, the idle ones in the pools too: the next attempt
    gets pools whose connections all work, not one ended session after another."""
    store = prepared(schema)
    name = f"renda-test-{schema}"
    monkeypatch.setenv("PGAPPNAME", name)  # the runner's connections, and only those
    url = postgres_url()
    assert url is not None
    with Renda(store) as app:
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        assert all(r.error is None for r in runner.catch_up())
        app.register_deputy(register_payload(name="新代表"), STAFF)
        with psycopg.connect(url, autocommit=True, application_name="renda-test-ender") as c:
            (count,) = c.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (name,),
            ).fetchone() or (0,)
        assert count >= 5  # the log's pool and each view's
        runner._fresh_connections()
        pools = [app.recorder.datastore.pool]  # type: ignore[attr-defined]
        pools += [runner.view(n).datastore.pool for n in runner.projections]  # type: ignore[attr-defined]
        for pool in pools:
            held = [pool.getconn() for _ in range(pool.min_size)]
            try:
                for conn in held:
                    conn.execute("SELECT 1")  # none is an ended session
            finally:
                for conn in held:
                    pool.putconn(conn)
        results = runner.catch_up()
        runner.close()
    assert all(r.error is None and r.position == EVENTS + 1 for r in results)


@pytest.mark.postgres
def test_a_rebuilds_filling_interrupted_once_goes_on_from_the_shadows_position(
    schema: str, pg_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shadow's second batch ends in a session the server ended (as the driver
    reports it): the filling runs again from the shadow's stored position, and the
    views are those of a clean catch-up."""
    from eventsourcing.persistence import OperationalError

    from renda_core.projections.views_pg import PostgresView

    store = prepared(schema)
    with renda_core.open(store, actor=STAFF) as api:
        assert all(error is None for error in api.catch_up().values())
    clean = view_rows(pg_admin, schema)
    writes: list[int] = []
    apply = PostgresView.apply

    def interrupted_once(self: PostgresView, tracking: Any, *args: Any, **kwargs: Any) -> None:
        if self.bulk and self.view_name == "deputy_roster":
            writes.append(tracking.notification_id)
            if len(writes) == 2:
                ended = psycopg.errors.AdminShutdown("terminating connection")
                raise OperationalError(str(ended)) from ended
        apply(self, tracking, *args, **kwargs)

    monkeypatch.setattr(PostgresView, "apply", interrupted_once)
    with Renda(store) as app:
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()), batch_size=1)
        results = runner.rebuild()
        runner.close()
    assert len(writes) == 3  # 4 events, failed at 5, then 5 again
    assert writes[1] == writes[2] == EVENTS
    assert all(r.error is None and r.position == EVENTS for r in results)
    assert view_rows(pg_admin, schema) == clean


@pytest.mark.postgres
def test_a_failure_that_lasts_on_postgresql_surfaces_at_once(
    schema: str, pg_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view's table replaced by something that cannot be written (an operator's
    mistake) is not passing: raised on the first attempt, as before, the pools never
    refreshed for a second."""
    store = prepared(schema)
    table = f"{schema}.deputy_roster_figures"
    pg_admin.execute(f"ALTER TABLE {table} RENAME TO gone")
    pg_admin.execute(f"CREATE VIEW {table} AS SELECT DISTINCT * FROM {schema}.gone")
    refreshed: list[int] = []
    with Renda(store) as app:
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        monkeypatch.setattr(runner, "_fresh_connections", lambda: refreshed.append(1))
        with pytest.raises(StoreUnavailable) as caught:
            runner.catch_up(["deputy_roster"])
        runner.close()
    assert refreshed == []
    assert "tried" not in caught.value.message
    assert "deputy_roster" in caught.value.message
