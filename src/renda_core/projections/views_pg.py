"""A view on PostgreSQL (see :mod:`renda_core.projections.views`); a module of its own,
imported only for a PostgreSQL store: it needs psycopg, which is the ``postgres`` extra.

A batch's rows go to the server with ``COPY``, not as a statement per row: the figure
history straight into its table, the entities and figures (which replace stored rows of
the same key) into a temporary table of the session and from there in one
``INSERT … SELECT … ON CONFLICT``. The server inserts the same rows in the same order;
a statement per row cost the follower of ``renda demo`` about 9 µs of its own CPU and
10 µs of the server's a row (against 0.5 and 5.5 µs), for 370,000 rows at demo scale 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from eventsourcing.persistence import OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import errors as pg_errors

from renda_core.application.recorders import DDL_LOCK_SQL, create_tables
from renda_core.projections.views import Cursor, View, _on_conflict

#: binary COPY sends each value in its column's exact type: the views' ``year`` is an
#: INTEGER (see ``views._table_sql``), the type lists' ``bigint`` is for staged rows
_COPY_TYPES = {"year": "int4"}


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

    def _guard_ddl(self, cursor: Cursor) -> None:
        cursor.execute(DDL_LOCK_SQL, (f"renda-ddl:{self.datastore.schema}",))

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

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
        """
        names = [name for name, _ in columns]
        target = f"{self.prefix}{table}"
        if not conflict:
            self._copy(c, target, names, [_COPY_TYPES.get(name, t) for name, t in columns], rows)
            return
        # ON COMMIT DELETE ROWS: empty again when the batch's transaction ends (or is
        # rolled back); the same columns serve every view, so one table per kind of row.
        staging = f"renda_staged_{table}"
        c.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
            f"({', '.join(f'{name} {t}' for name, t in columns)}) ON COMMIT DELETE ROWS"
        )
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
