"""A view's batch on PostgreSQL, sent in few round trips (``views_pg.PostgresView``):
still all or nothing, still compare-and-set, and still few.

BEGIN, the temporary tables and the tracking row's compare-and-set go in one round trip;
a batch with no ``COPY`` sends its rows and COMMIT in that same one, a batch with
``COPY`` sends them after its COPYs, with COMMIT, in one more. The compare-and-set fails
on the server when the view has moved, so nothing after it runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from psycopg.pq import TransactionStatus

from renda_core import Renda
from renda_core.projections import views_pg
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view

pytestmark = pytest.mark.postgres

BASE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["statements", "copy"])
def rows(pg_app: Renda, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A view; with "copy", every table's rows go by COPY (none are "few")."""
    if request.param == "copy":
        monkeypatch.setattr(views_pg, "FEW_ROWS", 0)
    view = open_view(pg_app.store, "rows")
    view.reset(pg_app.name)
    yield view
    view.datastore.close()  # type: ignore[attr-defined]


class Batches:
    """Batches of a document and a counter each, one position a batch."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.state = ViewState(0, written=set())
        self.position = 0

    def unit(self, key: str, *, at: int | None = None) -> tuple[ViewUnit, int]:
        position = self.position + 1 if at is None else at
        unit = ViewUnit(self.view, self.state)
        unit.begin(position, BASE + timedelta(seconds=position))
        unit.put("doc", key, {"at": position})
        unit.add("n", 1, key=key, year=2023)
        return unit, position

    def write(self, key: str, app_name: str) -> None:
        unit, position = self.unit(key)
        self.view.apply(Tracking(app_name, position), unit, after=self.position)
        unit.written(position)
        self.position = position


def figures(view: View) -> dict[str, int]:
    return {f.key: f.value for f in view.figures()}


def test_a_batch_from_a_position_the_view_has_left_is_refused_with_nothing_written(
    pg_app: Renda, rows: View
) -> None:
    batches = Batches(rows)
    batches.write("a", pg_app.name)  # position 1 (a first write: the general path)
    batches.write("b", pg_app.name)  # position 2
    stale, _ = batches.unit("late", at=3)
    with pytest.raises(IntegrityError, match="no longer at position 1"):
        rows.apply(Tracking(pg_app.name, 3), stale, after=1)
    assert rows.get_entity("doc", "late") is None
    assert figures(rows) == {"a": 1, "b": 1}
    assert rows.max_tracking_id(pg_app.name) == 2
    batches.write("c", pg_app.name)  # the pool's connection is usable again
    assert rows.get_entity("doc", "c") == {"at": 3}
    assert figures(rows) == {"a": 1, "b": 1, "c": 1}


def test_a_batch_failing_after_its_rows_were_sent_leaves_nothing_written(
    pg_app: Renda, rows: View, pg_admin: Any
) -> None:
    batches = Batches(rows)
    batches.write("a", pg_app.name)
    # The batch's moment row (position 2) is there already: its INSERT, sent with
    # COMMIT after the documents and counters, fails on the key.
    pg_admin.execute(
        f"INSERT INTO {rows.prefix}moments (position, first_recorded, last_recorded) "
        "VALUES (2, 'x', 'x')"
    )
    unit, position = batches.unit("b")
    with pytest.raises(IntegrityError):
        rows.apply(Tracking(pg_app.name, position), unit, after=1)
    assert rows.get_entity("doc", "b") is None
    assert figures(rows) == {"a": 1}
    assert rows.max_tracking_id(pg_app.name) == 1


def test_a_session_ended_by_the_server_mid_batch_leaves_nothing_written(
    pg_app: Renda, rows: View, pg_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = Batches(rows)
    batches.write("a", pg_app.name)
    sent = views_pg._Deferred.send

    def killed(self: Any) -> None:  # the server ends the session as the rest is sent
        pid = self.cursor.connection.info.backend_pid
        pg_admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        sent(self)

    monkeypatch.setattr(views_pg._Deferred, "send", killed)
    unit, position = batches.unit("b")
    with pytest.raises(OperationalError):
        rows.apply(Tracking(pg_app.name, position), unit, after=1)
    monkeypatch.setattr(views_pg._Deferred, "send", sent)
    assert rows.get_entity("doc", "b") is None
    assert figures(rows) == {"a": 1}
    assert rows.max_tracking_id(pg_app.name) == 1
    batches.write("c", pg_app.name)  # another connection of the pool takes over
    assert figures(rows) == {"a": 1, "c": 1}


class RoundTrips:
    """psycopg's exchanges with the server that wait for its answer (see
    ``benchmarks/pg_round_trips.py``): a statement outside a pipeline, BEGIN/COMMIT of
    a transaction block, a COPY's start and end, a pipeline's sync."""

    NO_WAIT = frozenset(
        {"copy_to", "BasePipeline._enter_gen", "BaseConnection._set_autocommit_gen"}
    )
    QUEUED = frozenset(
        {
            "BaseCursor._execute_gen",
            "BaseCursor._executemany_gen_pipeline",
            "BaseTransaction._enter_gen",
        }
    )
    IF_OPEN = frozenset({"BaseConnection._commit_gen", "BaseConnection._rollback_gen"})

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.names: list[str] = []
        original = psycopg.Connection.wait

        def wait(conn: Any, gen: Any, *args: Any, **kwargs: Any) -> Any:
            name = getattr(gen, "__qualname__", "")
            idle = conn.pgconn.transaction_status == TransactionStatus.IDLE
            if not (
                name in self.NO_WAIT
                or (name in self.QUEUED and conn._pipeline is not None)
                or (name in self.IF_OPEN and idle)
            ):
                self.count += 1
                self.names.append(name)
            return original(conn, gen, *args, **kwargs)

        monkeypatch.setattr(psycopg.Connection, "wait", wait)


def test_a_batch_takes_one_round_trip_or_two_and_two_a_copy_and_a_read_one(
    pg_app: Renda, rows: View, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = Batches(rows)
    batches.write("a", pg_app.name)  # a first write (the general path)
    copied = views_pg.FEW_ROWS == 0
    trips = RoundTrips(monkeypatch)
    batches.write("b", pg_app.name)
    # With COPY: the entities and figures through temporary tables and the history
    # straight in, two round trips each; else the rows go with COMMIT.
    assert trips.count == (2 + 3 * 2 if copied else 1), trips.names
    trips.count = 0
    unit = ViewUnit(rows, batches.state)  # a batch that changes nothing but the position
    unit.begin(3, BASE)
    rows.apply(Tracking(pg_app.name, 3), unit, after=2)
    assert trips.count == 1
    trips.count = 0
    assert rows.get_figures([("n", "a", "", "", 2023), ("n", "b", "", "", 2023)]) == {
        ("n", "a", "", "", 2023): 1,
        ("n", "b", "", "", 2023): 1,
    }
    assert trips.count == 1
    trips.count = 0
    rows.set_meta("note", "x")  # a write: BEGIN, the statement, COMMIT
    assert trips.count == 3
    trips.count = 0
    assert rows.get_meta("note") == "x" and rows.get_meta("none") is None
    assert trips.count == 2  # a read: one round trip each


def test_a_report_s_reads_take_one_round_trip_each(
    pg_app: Renda, rows: View, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a report reads of a view — its figures (now or as of a position), a kind's
    documents — is one statement each, sent alone: one round trip, not BEGIN, the SELECT
    and ROLLBACK."""
    batches = Batches(rows)
    batches.write("a", pg_app.name)
    batches.write("b", pg_app.name)
    trips = RoundTrips(monkeypatch)
    assert [(f.key, f.value) for f in rows.figures(["n"])] == [("a", 1), ("b", 1)]
    assert trips.count == 1, trips.names
    trips.count = 0
    assert [(f.key, f.value) for f in rows.figures(["n"], position=1)] == [("a", 1)]
    assert trips.count == 1, trips.names
    trips.count = 0
    assert rows.entities("doc") == [("a", {"at": 1}), ("b", {"at": 2})]
    assert trips.count == 1, trips.names


def test_a_rebuilt_view_s_tables_are_analyzed_when_they_are_put_in_place(
    pg_app: Renda, pg_admin: Any
) -> None:
    """A rebuild's tables come with the planner's statistics: autovacuum would gather
    them a minute or more later, and without them the server misplanned the annual
    report's reads (a parallel scan for 250 rows at five times the demo's size)."""
    from renda_core.ports.plugins import collect_projections, get_plugin_manager
    from renda_core.projections.runner import ProjectionRunner

    from .test_runner import populate

    populate(pg_app, 3)
    runner = ProjectionRunner(pg_app, collect_projections(get_plugin_manager()))
    try:
        (result,) = runner.rebuild(["deputy_roster"])
        assert result.error is None
        view = runner.view("deputy_roster")
        assert view.entities("deputy")  # the rebuilt view holds rows
        schema = view.datastore.schema  # type: ignore[attr-defined]
        rows = pg_admin.execute(
            "SELECT relname, last_analyze FROM pg_stat_user_tables"
            " WHERE schemaname = %s AND relname LIKE 'deputy_roster\\_%%'",
            [schema],
        ).fetchall()
        tables = {f"deputy_roster_{name}" for name in View.TABLES}
        assert tables <= {name for name, _ in rows}
        assert {name for name, analyzed in rows if analyzed is None} & tables == set()
    finally:
        runner.close()


def test_a_rebuilt_view_whose_statistics_fail_is_in_place_all_the_same(
    pg_app: Renda, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Gathering the statistics is a hint, after the swap's commit: if the server refuses
    it, the rebuilt view is in use all the same and a warning names the view."""
    from renda_core.ports.plugins import collect_projections, get_plugin_manager
    from renda_core.projections.runner import ProjectionRunner

    from .test_runner import populate

    execute = psycopg.Connection.execute

    def refuse_analyze(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query, str) and query.startswith("ANALYZE"):
            raise psycopg.errors.InsufficientPrivilege("must be owner of table")
        return execute(self, query, *args, **kwargs)

    populate(pg_app, 2)
    runner = ProjectionRunner(pg_app, collect_projections(get_plugin_manager()))
    try:
        monkeypatch.setattr(psycopg.Connection, "execute", refuse_analyze)
        with caplog.at_level("WARNING", logger="renda_core.projections.views_pg"):
            (result,) = runner.rebuild(["deputy_roster"])
        monkeypatch.undo()
        assert result.error is None and result.position == runner.head()
        assert len(runner.view("deputy_roster").entities("deputy")) == 2
        assert "deputy_roster" in caplog.text and "statistics were not gathered" in caplog.text
    finally:
        runner.close()
