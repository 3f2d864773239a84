"""A view on PostgreSQL (see :mod:`renda_core.projections.views`); a module of its own,
imported only for a PostgreSQL store: it needs psycopg, which is the ``postgres`` extra."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder

from renda_core.application.recorders import DDL_LOCK_SQL, ddl_lock
from renda_core.projections.views import Cursor, View


class PostgresView(View, PostgresTrackingRecorder):
    def __init__(self, datastore: PostgresDatastore, *, view_name: str, **kw: Any):
        self.view_name = view_name
        self.schema_dot = f"{datastore.schema}."
        self.table_prefix = f"{view_name}_"
        super().__init__(datastore, **kw)
        from psycopg.sql import SQL

        for statement in self._create_sql():
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]

    _big = "BIGINT"
    table_order = "ctid"

    def create_table(self) -> None:
        with ddl_lock(self.datastore):
            super().create_table()

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

    def _insert_tracking_in(self, cursor: Cursor, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)  # type: ignore[arg-type]

    def _tracking_table(self) -> str:
        return f"{self.datastore.schema}.{self.tracking_table_name}"
