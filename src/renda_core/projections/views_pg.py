"""A view on PostgreSQL (see :mod:`renda_core.projections.views`); a module of its own,
imported only for a PostgreSQL store: it needs psycopg, which is the ``postgres`` extra.

A batch's rows go to the server with ``COPY``, not as a statement per row: the figure
history straight into its table, the entities and figures (which replace stored rows of
the same key) into a temporary table of the session and from there in one
``INSERT … SELECT … ON CONFLICT``. The server inserts the same rows in the same order;
a statement per row cost the follower of ``renda demo`` about 9 µs of its own CPU and
10 µs of the server's a row (against 0.5 and 5.5 µs), for 370,000 rows at demo scale 1.

A batch is written in few round trips (``PostgresView._apply_rows``, which
:meth:`View.apply` calls): BEGIN, the temporary tables (``CREATE … IF NOT EXISTS``:
nothing is assumed of the session) and the tracking row's compare-and-set go to the
server together (a pipeline, one round trip); then each ``COPY`` (two round trips: its
start, its end); then every other statement of the batch — the deletes, the ``INSERT …
SELECT`` from the temporary tables, the moments, the rows of a table that has only a
few (:data:`FEW_ROWS`, sent as statements rather than by ``COPY``) — and COMMIT,
together again. A batch with no ``COPY`` goes in one round trip: the compare-and-set
fails on the server (a division by zero when no row moved, raised as
``IntegrityError``), so nothing after it runs.
A view's batch in the follower of ``renda demo`` took 8.3 round trips, now 3.9
(``benchmarks/pg_round_trips.py`` counts them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, PersistenceError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import errors as pg_errors

from renda_core.application.recorders import DDL_LOCK_SQL, create_tables
from renda_core.projections.views import Cursor, FigureKey, View, _on_conflict, _Rows

log = logging.getLogger(__name__)

#: binary COPY sends each value in its column's exact type: the views' ``year`` is an
#: INTEGER (see ``views._table_sql``), the type lists' ``bigint`` is for staged rows
_COPY_TYPES = {"year": "int4"}

#: a table's rows of a batch up to this many go as statements, pipelined with the
#: batch's COMMIT (no round trip of their own), rather than by ``COPY`` (two round
#: trips, its start and its end); a statement a row costs the server about 5 µs more a
#: row than ``COPY``, less than a round trip on a busy machine
FEW_ROWS = 32


class _Deferred:
    """A cursor for :meth:`View._write_rows` that holds back every statement but
    ``COPY``, to be sent later with the batch's COMMIT (in one round trip)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.held: list[tuple[str, str, Any]] = []

    def execute(self, sql: Any, params: Any = None) -> None:
        self.held.append(("execute", sql, params))

    def executemany(self, sql: Any, params: Any) -> None:
        self.held.append(("executemany", sql, list(params)))

    def copy(self, statement: str) -> Any:
        return self.cursor.copy(statement)

    def send(self) -> None:
        held, self.held = self.held, []
        for method, sql, params in held:
            getattr(self.cursor, method)(sql, params)


def _open_pool(datastore: PostgresDatastore) -> None:
    """Open the view's pool and wait (up to its connect timeout) for its one
    connection, before the tables are created and anything is read.

    eventsourcing opens a pool without waiting; a request that comes while the first
    connection is still being made finds the pool empty and makes it grow by one
    more, which then stays (ten idle minutes): every view held two connections,
    18 of one catch-up's 24. A pool that cannot be filled in time is left to the first
    statement, which reports why (as before)."""
    from psycopg_pool import PoolTimeout

    with suppress(PoolTimeout):
        datastore.pool.open(wait=True, timeout=datastore.pool.timeout)


class PostgresView(View, PostgresTrackingRecorder):
    def __init__(self, datastore: PostgresDatastore, *, view_name: str, **kw: Any):
        self.view_name = view_name
        self.schema_dot = f"{datastore.schema}."
        self.table_prefix = f"{view_name}_"
        super().__init__(datastore, **kw)
        from psycopg.sql import SQL

        for statement in self._create_sql():
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]
        _open_pool(datastore)

    _big = "BIGINT"

    def create_table(self) -> None:
        """What ``PostgresTrackingRecorder.create_table`` does, in one transaction on
        one connection that holds the schema's DDL lock
        (:func:`~renda_core.application.recorders.create_tables`): the library's own
        reads its table's migration state on one pooled connection and creates the
        tables on another, so each view's pool opened a second connection (kept ten
        idle minutes). The migration state is read under the lock: two processes
        opening a fresh view at once must not both find it missing."""
        create_tables(self.datastore, [self], before=self._read_migration)
        if not self.datastore.single_row_tracking and self.tracking_migration_current is not None:
            raise OperationalError("Can't do multi-row tracking with single-row tracking table")

    def _read_migration(self, cursor: Cursor) -> None:
        """The tracking table's migration row, as the library reads it before creating
        the table (none: the table does not exist yet)."""
        try:
            with cursor.connection.transaction():  # type: ignore[attr-defined]
                cursor.execute(self.max_tracking_id_statement, (self.table_migration_identifier,))
                row = cursor.fetchone()
        except pg_errors.UndefinedTable:
            return
        assert row is not None
        self.tracking_migration_current = self.tracking_migration_previous = row["max"]
        self.tracking_table_exists = True

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as c:
            if commit and self.bulk:  # a shadow: see View.bulk
                c.execute("SET LOCAL synchronous_commit = off")
            yield c

    def replace_with(self, shadow: View, application_name: str, position: int) -> bool:
        """As :meth:`View.replace_with`, then the new tables are analyzed: tables filled
        by a rebuild have no planner statistics until autovacuum gets to them (a minute
        or more on a busy server), and without them the server misplans the reports'
        reads — a parallel scan for the annual report's 250 rows of the stations view at
        five times the demo's size, several times slower (docs/performance.md). The
        statistics are a hint: if gathering them fails, the view is in place all the same
        and autovacuum gathers them later."""
        if not super().replace_with(shadow, application_name, position):
            return False
        try:
            with self.datastore.get_connection() as conn:
                for name in self.TABLES:
                    conn.execute(f"ANALYZE {self.prefix}{name}")
        except (pg_errors.Error, PersistenceError) as error:
            log.warning("view %s: its statistics were not gathered (%s)", self.view_name, error)
        return True

    def _guard_ddl(self, cursor: Cursor) -> None:
        cursor.execute(DDL_LOCK_SQL, (f"renda-ddl:{self.datastore.schema}",))

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """As :meth:`View._select`, in one round trip: a single statement needs no
        transaction of its own (the pool's connections are in autocommit) and sees the
        view as of its own start, where BEGIN, the SELECT and ROLLBACK were three round
        trips — a report reads its figures and documents with a few such statements."""
        with self.datastore.get_connection() as conn:
            return list(conn.execute(self._sql(sql), params).fetchall())

    def get_meta(self, key: str) -> str | None:
        """As :meth:`View.get_meta`, in one round trip (see :meth:`get_entity`)."""
        with self.datastore.get_connection() as conn:
            row = conn.execute(
                f"SELECT value FROM {self.prefix}meta WHERE key=%s", (key,), prepare=True
            ).fetchone()
        return None if row is None else str(row["value"])

    def get_entity(self, kind: str, key: str) -> dict[str, Any] | None:
        """As :meth:`View.get_entity`, in one round trip: a single statement needs no
        transaction of its own (the pool's connections are in autocommit), where
        BEGIN, SELECT and ROLLBACK were three — a follower reads a document it no
        longer holds about a thousand times at demo scale 1, each waiting on a busy
        server three times."""
        with self.datastore.get_connection() as conn:
            row = conn.execute(
                f"SELECT doc FROM {self.prefix}entities WHERE kind=%s AND key=%s",
                (kind, key),
                prepare=True,
            ).fetchone()
        return None if row is None else self._decode_doc(str(row["doc"]))

    def get_figures(self, keys: Sequence[FigureKey]) -> dict[FigureKey, int]:
        """As :meth:`View.get_figures`, in one round trip: one statement for all the keys
        (their columns as arrays), outside a transaction, where BEGIN, a SELECT a key and
        ROLLBACK were two round trips more than the keys. (Under READ COMMITTED each of
        those SELECTs saw the view as of its own start; the one statement sees it as of
        one moment.)"""
        if not keys:
            return {}
        wanted = {tuple(key): key for key in keys}
        columns = list(zip(*wanted, strict=True))
        with self.datastore.get_connection() as conn:
            rows = conn.execute(
                f"SELECT f.figure, f.key, f.area, f.level, f.year, f.value "
                f"FROM {self.prefix}figures f JOIN unnest(%s::text[], %s::text[], "
                "%s::text[], %s::text[], %s::int[]) AS k(figure, key, area, level, year) "
                "USING (figure, key, area, level, year)",
                [list(column) for column in columns],
                prepare=True,
            ).fetchall()
        found: dict[FigureKey, int] = {}
        for row in rows:
            ident = (row["figure"], row["key"], row["area"], row["level"], row["year"])
            found[wanted[ident]] = int(row["value"])
        return found

    def _apply_rows(self, tracking: Tracking, rows: _Rows | None, after: int | None) -> None:
        """As :meth:`View.apply`, in few round trips (see the module's docstring).

        The guarantees are the same: all of the batch and its tracking position, or
        nothing; with ``after``, ``IntegrityError`` (and nothing written) when the view
        is no longer at ``after``.
        """
        if not after:  # no ``after``, or a view's first write: as every view does
            super()._apply_rows(tracking, rows, after)
            return
        with self.datastore.get_connection() as conn:
            try:
                self._write_batch(conn, tracking, after, rows)
            except pg_errors.DivisionByZero as moved:
                with suppress(Exception):
                    conn.rollback()
                raise IntegrityError(
                    f"view {self.view_name} is no longer at position {after}: "
                    "written by another runner"
                ) from moved
            except BaseException:
                # an explicit BEGIN: psycopg does not end it by itself (a connection
                # the server has dropped has nothing to end: the first error is raised)
                with suppress(Exception):
                    conn.rollback()
                raise

    def _write_batch(self, conn: Any, tracking: Tracking, after: int, rows: _Rows | None) -> None:
        with conn.cursor() as c:
            self._send_batch(conn, c, tracking, after, rows)

    def _send_batch(
        self, conn: Any, c: Any, tracking: Tracking, after: int, rows: _Rows | None
    ) -> None:
        held = _Deferred(c)
        copied = rows is not None and any(
            len(listed) > FEW_ROWS for listed in (rows.upserts, rows.figures, rows.history)
        )
        # BEGIN (explicit: the pool's connections are in autocommit), the temporary
        # tables, the tracking row's compare-and-set, in one round trip; without a COPY
        # the rest of the batch and COMMIT too.
        with conn.pipeline():
            c.execute("BEGIN")
            if self.bulk:  # a shadow: see View.bulk
                c.execute("SET LOCAL synchronous_commit = off")
            for table in [] if rows is None else self._staging_wanted(rows):
                c.execute(_staging_sql(table))
            # Moved from ``after``, or the statement fails (division by zero: no row
            # was updated) and nothing after it in the transaction runs.
            c.execute(
                f"WITH moved AS (UPDATE {self._tracking_table()} SET notification_id=%s "
                "WHERE application_name=%s AND notification_id=%s RETURNING 1) "
                "SELECT 1 / (SELECT count(*)::int FROM moved)",
                (tracking.notification_id, tracking.application_name, after),
            )
            if not copied:
                if rows is not None:
                    self._write_rows(held, rows)  # type: ignore[arg-type]
                held.send()
                c.execute("COMMIT")
                return
        assert rows is not None
        self._write_rows(held, rows)  # type: ignore[arg-type]  # the COPYs go now
        with conn.pipeline():  # the rest of the batch and COMMIT, in one round trip
            held.send()
            c.execute("COMMIT")

    @staticmethod
    def _staging_wanted(rows: _Rows) -> list[str]:
        """The kinds of row of this batch that go through a temporary table."""
        return [
            table
            for table, listed in (("entities", rows.upserts), ("figures", rows.figures))
            if len(listed) > FEW_ROWS
        ]

    def _insert_rows(
        self,
        c: Cursor,
        table: str,
        columns: Sequence[tuple[str, str]],
        rows: list[tuple[Any, ...]],
        *,
        conflict: int = 0,
    ) -> None:
        """Insert ``rows`` as :meth:`View._insert_rows` does, streamed with ``COPY``.

        A batch holds each key once (the unit's changes are keyed by it), so one
        ``INSERT … ON CONFLICT`` of all of them replaces what a statement per row did.
        Within :meth:`apply`, up to :data:`FEW_ROWS` rows go as statements a row (held
        back with the batch's COMMIT: no round trip of their own).
        """
        if isinstance(c, _Deferred) and len(rows) <= FEW_ROWS:
            super()._insert_rows(c, table, columns, rows, conflict=conflict)
            return
        names = [name for name, _ in columns]
        target = f"{self.prefix}{table}"
        if not conflict:
            self._copy(c, target, names, [_COPY_TYPES.get(name, t) for name, t in columns], rows)
            return
        # ON COMMIT DELETE ROWS: empty again when the batch's transaction ends (or is
        # rolled back); the same columns serve every view, so one table per kind of row.
        # (apply() makes it in its first round trip.)
        staging = _staged_name(table)
        if not isinstance(c, _Deferred):
            c.execute(_staging_sql(table))
        self._copy(c, staging, names, [t for _, t in columns], rows)
        listed = ", ".join(names)
        c.execute(
            f"INSERT INTO {target} ({listed}) SELECT {listed} FROM {staging}"
            + _on_conflict(names, conflict)
        )

    @staticmethod
    def _copy(
        c: Cursor, table: str, names: Sequence[str], types: Sequence[str], rows: list[Any]
    ) -> None:
        with c.copy(  # type: ignore[attr-defined]
            f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _insert_tracking_in(self, cursor: Cursor, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)  # type: ignore[arg-type]

    def _tracking_table(self) -> str:
        return f"{self.datastore.schema}.{self.tracking_table_name}"


def _staged_name(table: str) -> str:
    return f"renda_staged_{table}"


def _staging_sql(table: str) -> str:
    """The session's temporary table for a batch's rows of ``table`` (entities or
    figures), before they replace the stored rows of the same key."""
    from renda_core.projections.views import _ENTITY_COLUMNS, _FIGURE_COLUMNS

    columns = {"entities": _ENTITY_COLUMNS, "figures": _FIGURE_COLUMNS}[table]
    return (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_staged_name(table)} "
        f"({', '.join(f'{name} {t}' for name, t in columns)}) ON COMMIT DELETE ROWS"
    )
