"""The application's recorders: eventsourcing's own, plus a table of applied command ids
written in the same transaction as the events (so a re-run import skips exactly what was
applied, and nothing else), and the store's identity (a random id made with the log,
which the adapters' views copy, so a view built from another log is noticed).

Creating tables is safe when several processes open a fresh store at once: on
PostgreSQL the statements run under a transaction-level advisory lock of the schema
(``CREATE TABLE IF NOT EXISTS`` alone races on the catalogue); on SQLite a creation that
lost such a race is retried.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import PersistenceError, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

COMMAND_IDS = "command_ids"
_CHUNK = 500
#: the SQLite table (PostgreSQL: ``<app>_store``) holding the store's identity
STORE_TABLE = "store_identity"


@contextmanager
def ddl_lock(datastore: PostgresDatastore) -> Iterator[None]:
    """Serialize table creation in one PostgreSQL schema across processes.

    A transaction holds ``pg_advisory_xact_lock`` of the schema while the recorder
    creates its tables on other connections of its pool; the lock goes with the
    transaction (on success, error, or a dead process).
    """
    with datastore.transaction(commit=False) as curs:
        curs.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"renda-ddl:{datastore.schema}",)
        )
        yield


def ensure_wal(datastore: SQLiteDatastore) -> None:
    """Switch a SQLite file to WAL before eventsourcing's pool connects to it.

    The pool switches a new file's journal mode on its first connection; when two
    processes do that at once, one gets "database is locked" there and its pool is left
    waiting for a writer that never returns. Doing it here first, with retries, leaves
    the pool nothing to switch.
    """
    pool = datastore.pool
    if pool.is_sqlite_memory_mode:
        return
    for attempt in range(20):
        try:
            conn = sqlite3.connect(pool.db_name, uri=True, timeout=pool.lock_timeout or 5)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
            return
        except sqlite3.OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.05 * (attempt + 1))


def retry_creation(create: Callable[[], None], before_retry: Callable[[], None]) -> None:
    """Run ``create``; if another process was creating the same tables (SQLite: a busy
    or changed database, a tracking row it already wrote, a first connection switching
    to WAL while the other one writes), try again a few times."""
    for attempt in range(8):
        try:
            create()
            return
        except (PersistenceError, sqlite3.OperationalError):
            if attempt == 7:
                raise
            time.sleep(0.05 * (attempt + 1))
            before_retry()


def _store_id_sql_sqlite() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {STORE_TABLE} (one INTEGER PRIMARY KEY CHECK (one = 1), "
        "store_id TEXT NOT NULL)",
        f"INSERT OR IGNORE INTO {STORE_TABLE} (one, store_id) "
        "VALUES (1, lower(hex(randomblob(16))))",
    ]


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


class SQLiteRendaRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS applied_commands (command_id TEXT PRIMARY KEY) "
            "WITHOUT ROWID",
            *_store_id_sql_sqlite(),
        ]

    def create_table(self) -> None:
        ensure_wal(self.datastore)
        retry_creation(self._create_tables, lambda: None)

    def _create_tables(self) -> None:
        super().create_table()
        # The snapshot store's table too, now: the library creates it right after,
        # with no retry of its own.
        SQLiteAggregateRecorder(self.datastore, "stored_snapshots").create_table()

    def store_id(self) -> str:
        """The random id this log was created with."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT store_id FROM {STORE_TABLE} WHERE one = 1")
            row = c.fetchone()
        return str(row["store_id"])

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        command_ids = kwargs.get(COMMAND_IDS) or ()
        if command_ids:
            c.executemany(
                "INSERT INTO applied_commands (command_id) VALUES (?)",
                [(i,) for i in command_ids],
            )
        return ids

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(command_ids):
                marks = ",".join("?" for _ in chunk)
                c.execute(
                    f"SELECT command_id FROM applied_commands WHERE command_id IN ({marks})",
                    list(chunk),
                )
                found.update(row["command_id"] for row in c.fetchall())
        return found


class PostgresRendaRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.commands_table = f"{self.events_table_name.removesuffix('_events')}_commands"
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0}.{1} (command_id text PRIMARY KEY)").format(
                Identifier(self.datastore.schema), Identifier(self.commands_table)
            )
        )
        self.store_table = f"{self.events_table_name.removesuffix('_events')}_store"
        table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(self.store_table)
        )
        self.sql_create_statements.extend(
            [
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} (one integer PRIMARY KEY CHECK (one = 1), "
                    "store_id text NOT NULL)"
                ).format(table),
                SQL(
                    "INSERT INTO {0} (one, store_id) VALUES (1, "
                    "replace(gen_random_uuid()::text, '-', '')) ON CONFLICT DO NOTHING"
                ).format(table),
            ]
        )

    def create_table(self) -> None:
        with ddl_lock(self.datastore):
            super().create_table()
            # The snapshot store's table too, under the same lock: the library creates
            # it right after this, unlocked (a no-op once the table exists).
            snapshots = f"{self.events_table_name.removesuffix('_events')}_snapshots"
            PostgresAggregateRecorder(self.datastore, events_table_name=snapshots).create_table()

    def store_id(self) -> str:
        """The random id this log was created with."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT store_id FROM {0}.{1} WHERE one = 1").format(
                    Identifier(self.datastore.schema), Identifier(self.store_table)
                )
            )
            row = curs.fetchone()
        assert row is not None
        return str(row["store_id"])

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events and kwargs.get(COMMAND_IDS):
            # The base class skips empty writes; command ids alone still need recording.
            with self.datastore.transaction(commit=True) as curs:
                self._insert_events(curs, stored_events, **kwargs)
            return []
        ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
        return ids

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        command_ids = kwargs.get(COMMAND_IDS) or ()
        if command_ids:
            curs.executemany(
                SQL("INSERT INTO {0}.{1} (command_id) VALUES (%s)").format(
                    Identifier(self.datastore.schema), Identifier(self.commands_table)
                ),
                [(i,) for i in command_ids],
            )

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self.datastore.transaction(commit=False) as curs:
            for chunk in _chunks(command_ids):
                curs.execute(
                    SQL("SELECT command_id FROM {0}.{1} WHERE command_id = ANY(%s)").format(
                        Identifier(self.datastore.schema), Identifier(self.commands_table)
                    ),
                    (list(chunk),),
                )
                found.update(row["command_id"] for row in curs.fetchall())
        return found
