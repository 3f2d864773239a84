"""The application's recorders: eventsourcing's own, plus a table of applied command ids
written in the same transaction as the events (so a re-run import skips exactly what was
applied, and nothing else), and beside it the fingerprint of each applied command's
content (so a re-run notices a line that changed under the same id).

The fingerprints live in a table of their own (``applied_fingerprints``, on PostgreSQL
``<app>_fingerprints``), created next to the others: a store written before it existed
keeps its ``applied_commands`` as they were, and those commands have no fingerprint.

On PostgreSQL the library inserts in psycopg pipeline mode, one statement for all the
events; writes of ≈13,000 events and more were seen to hang there, holding the table
lock. :class:`~renda_core.application.recorders_pg.PostgresRendaRecorder` (in a module
of its own: psycopg is imported only for a PostgreSQL store) writes without a pipeline:
events, chain links, command ids and fingerprints each streamed with one ``COPY``, all in
one transaction.

The store's identity is a random id made with the log, which the adapters' views copy,
so a view built from another log is noticed.

Every event gets its link in the hash chain (:mod:`renda_core.application.audit.chain`)
in the same transaction, and the events, chain and seal tables refuse UPDATE and DELETE
(triggers, created with the tables; an existing store gets them when it is next opened
for writing).

Creating tables is safe when several processes open a fresh store at once: on
PostgreSQL the statements run under a transaction-level advisory lock of the schema
(``CREATE TABLE IF NOT EXISTS`` alone races on the catalogue), taken in the same
transaction on the same connection (:func:`create_tables`); on SQLite a creation that
lost such a race is retried.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import (
    Notification,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)

from renda_core.application.audit.chain import ChainSQL, append_chain

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore, PostgresRecorder
    from psycopg import Cursor
    from psycopg.rows import DictRow

COMMAND_IDS = "command_ids"
FINGERPRINTS = "fingerprints"
_CHUNK = 500

S = TypeVar("S")
#: the SQLite table (PostgreSQL: ``<app>_store``) holding the store's identity
STORE_TABLE = "store_identity"


DDL_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"


@contextmanager
def ddl_lock(datastore: PostgresDatastore) -> Iterator[Cursor[DictRow]]:
    """Serialize table creation in one PostgreSQL schema across processes.

    A transaction holds ``pg_advisory_xact_lock`` of the schema; the block gets its
    cursor and creates the tables on it, on the same connection and in the same
    transaction (committed when the block ends without an error). The lock goes with
    the transaction (on success, error, or a dead process). Creating on another
    connection of the pool while this one held the lock made the pool open a second
    connection for each view, kept for ten idle minutes: 24 connections for one
    catch-up.
    """
    with datastore.transaction(commit=True) as curs:
        curs.execute(DDL_LOCK_SQL, (f"renda-ddl:{datastore.schema}",))
        yield curs


def create_tables(
    datastore: PostgresDatastore,
    recorders: Sequence[PostgresRecorder],
    before: Callable[[Cursor[DictRow]], None] | None = None,
) -> None:
    """Create the tables of ``recorders`` as eventsourcing's ``create_table`` does, but
    in one transaction on one connection, under :func:`ddl_lock`.

    The library creates a composite type in a transaction of its own (there is no
    ``CREATE TYPE IF NOT EXISTS``) and the rest in another; here a type is created in a
    savepoint, and one that exists (``DuplicateObject``) rolls back only that.
    ``before(cursor)`` runs first, under the lock: what a recorder reads before it
    creates its tables (a tracking table's migration state) must be read there, or two
    processes both find the table missing and both write its first row.
    """
    from psycopg.errors import DuplicateObject

    with ddl_lock(datastore) as curs:
        if before is not None:
            before(curs)
        for recorder in recorders:
            for statement in recorder.sql_create_statements:
                if "CREATE TYPE" in statement.as_string():
                    try:
                        with curs.connection.transaction():
                            curs.execute(statement, prepare=False)
                    except DuplicateObject:
                        pass
            recorder._create_table(curs)
    datastore.register_type_adapters()


def ensure_wal(datastore: SQLiteDatastore) -> None:
    """Switch a SQLite file to WAL before eventsourcing's pool connects to it.

    The pool switches a new file's journal mode on its first connection; when two
    processes do that at once, one gets "database is locked" there and its pool is left
    waiting for a writer that never returns. Doing it here first, with retries, leaves
    the pool nothing to switch.

    The retries share one deadline, the store's lock timeout: a file that another
    process keeps locked (``PRAGMA locking_mode=EXCLUSIVE``) fails the open after that
    long, where each retry used to wait the whole timeout again (20 of them: minutes).
    """
    pool = datastore.pool
    if pool.is_sqlite_memory_mode:
        return
    deadline = time.monotonic() + (pool.lock_timeout or 5)
    for attempt in range(20):
        try:
            wait = max(deadline - time.monotonic(), 0.05)
            conn = sqlite3.connect(pool.db_name, uri=True, timeout=wait)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
            return
        except sqlite3.OperationalError:
            if attempt == 19 or time.monotonic() >= deadline:
                raise
            time.sleep(0.05 * (attempt + 1))


def retry_creation(
    create: Callable[[], None], before_retry: Callable[[], None], *, within: float = 5.0
) -> None:
    """Run ``create``; if another process was creating the same tables (SQLite: a busy
    or changed database, a tracking row it already wrote, a first connection switching
    to WAL while the other one writes), try again a few times, for ``within`` seconds
    at most (an attempt may itself wait the store's lock timeout: a store another
    process keeps locked is not waited for once per attempt)."""
    deadline = time.monotonic() + within
    for attempt in range(8):
        try:
            create()
            return
        except (PersistenceError, sqlite3.OperationalError):
            if attempt == 7 or time.monotonic() >= deadline:
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


APPEND_ONLY = "the event log is append-only"
#: SQLite names of the chain and seal tables (PostgreSQL: ``<app>_chain``, ``<app>_seals``)
CHAIN_TABLE = "event_chain"
SEALS_TABLE = "event_seals"


def _append_only_sql_sqlite(tables: Sequence[str]) -> list[str]:
    """Triggers refusing UPDATE and DELETE on each table."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'renda: {APPEND_ONLY} ({op} on {table} refused)'); END"
        for table in tables
        for op in ("UPDATE", "DELETE")
    ]


def _chain_sql_sqlite() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position INTEGER PRIMARY KEY, "
        "prev_position INTEGER NOT NULL, digest TEXT NOT NULL, hash TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {SEALS_TABLE} (seal_id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "position INTEGER NOT NULL, hash TEXT NOT NULL, sealed_at TEXT NOT NULL, "
        "key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL, "
        "actor TEXT NOT NULL)",
    ]


def _chunks(items: Sequence[S], size: int = _CHUNK) -> Iterable[Sequence[S]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_ROWS_PER_INSERT = 100
"""Rows per multi-row INSERT on SQLite: at most 400 parameters (within the 999 of the
oldest builds). More rows a statement saved little more CPU (measured at 20–500), and
the library's connections keep one prepared statement, so each table's statement is
prepared again in every batch, at a cost that grows with its rows."""


def _insert_rows_sqlite(
    c: SQLiteCursor, insert: str, width: int, rows: Sequence[Sequence[Any]]
) -> None:
    """``executemany(insert + " VALUES (?, …)", rows)`` as multi-row INSERTs: the same rows
    in the same order, for about a fifth less CPU per row (one statement steps many).

    Every full statement has the same text, so the connection prepares it once for a
    batch's consecutive statements; the rows left over go through ``executemany``.
    """
    marks = "(" + ",".join("?" * width) + ")"
    full = len(rows) - len(rows) % _ROWS_PER_INSERT
    if full:
        statement = f"{insert} VALUES {','.join([marks] * _ROWS_PER_INSERT)}"
        for start in range(0, full, _ROWS_PER_INSERT):
            part = rows[start : start + _ROWS_PER_INSERT]
            c.execute(statement, [value for row in part for value in row])
    if full < len(rows):
        c.executemany(f"{insert} VALUES {marks}", rows[full:])


def _applied_rows(kwargs: Mapping[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """The command ids to record, and the (id, fingerprint) pairs of those that have one."""
    command_ids = list(kwargs.get(COMMAND_IDS) or ())
    fingerprints: Mapping[str, str] = kwargs.get(FINGERPRINTS) or {}
    return command_ids, [(i, fingerprints[i]) for i in command_ids if i in fingerprints]


BULK_AUTOCHECKPOINT = 10_000
"""WAL pages a bulk write (an import's batch) lets the log reach before its commit
checkpoints it; SQLite's default is 1,000. A batch writes four rows a command in five
B-trees, about twice the pages of a bare event write, so at the default the import
checkpointed every two or three batches, writing the same index pages back each time."""


class SQLiteRendaRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        #: the ``wal_autocheckpoint`` of this recorder's writes, while
        #: :meth:`checkpoints_deferred` is in force (0: the connection's own)
        self.write_autocheckpoint = 0
        #: writes committed under :meth:`checkpoints_deferred`
        self.deferred_writes = 0
        self.create_table_statements.append(
            "CREATE TABLE IF NOT EXISTS applied_fingerprints "
            "(command_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS applied_commands (command_id TEXT PRIMARY KEY) "
            "WITHOUT ROWID",
            *_store_id_sql_sqlite(),
            *_chain_sql_sqlite(),
            *_append_only_sql_sqlite([self.events_table_name, CHAIN_TABLE, SEALS_TABLE]),
        ]

    @property
    def chain_sql(self) -> ChainSQL:
        return ChainSQL(self.events_table_name, "rowid", CHAIN_TABLE, SEALS_TABLE)

    @contextmanager
    def audit_transaction(self, *, write: bool) -> Iterator[Any]:
        """A transaction for the audit (chain, seals); a write holds the writer lock."""
        with self.datastore.transaction(commit=write) as c:
            yield c

    def chain_exists(self) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (CHAIN_TABLE,)
            )
            return c.fetchone() is not None

    def select_originator(self, originator_id: UUID) -> list[Notification]:
        """One record's events with their log positions, through the primary key's
        index on (originator_id, originator_version): no scan of the log."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE originator_id = ? "
                "ORDER BY originator_version",
                (originator_id.hex,),
            )
            return [
                Notification(
                    id=row["rowid"],
                    originator_id=originator_id,
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in c.fetchall()
            ]

    def create_table(self) -> None:
        ensure_wal(self.datastore)
        retry_creation(
            self._create_tables, lambda: None, within=self.datastore.pool.lock_timeout or 5
        )

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

    @contextmanager
    def checkpoints_deferred(self, pages: int = BULK_AUTOCHECKPOINT) -> Iterator[None]:
        """While the block runs, each write commits with ``PRAGMA wal_autocheckpoint``
        at ``pages`` (fewer, larger checkpoints); each write's connection gets its
        own setting back after its commit, also when the write fails.

        A block that ends without an error, after writes of its own, checkpoints what
        they left in the WAL (``PASSIVE``: it waits for no reader), so the next write, a
        user's command at the default setting, does not pay for up to ``pages`` pages
        of the import's. That checkpoint is an optimisation: if it fails (a store
        that became read-only, a full disk), the next commit or the close does it, and
        the block's own outcome stands.
        """
        before, self.write_autocheckpoint = self.write_autocheckpoint, int(pages)
        writes, self.deferred_writes = self.deferred_writes, 0
        try:
            yield
        finally:
            self.write_autocheckpoint = before
            writes, self.deferred_writes = self.deferred_writes, writes
        if writes:
            with suppress(sqlite3.Error, PersistenceError):
                self.checkpoint_wal()

    def checkpoint_wal(self) -> None:
        """``PRAGMA wal_checkpoint(PASSIVE)`` on a writer's connection."""
        if self.datastore.pool.is_sqlite_memory_mode:
            return
        with self.datastore.get_connection(commit=True) as conn:
            conn._sqlite_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        pages = self.write_autocheckpoint
        if not pages or self.datastore.pool.is_sqlite_memory_mode:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn
            (own,) = raw.execute("PRAGMA wal_autocheckpoint").fetchone()
            raw.execute(f"PRAGMA wal_autocheckpoint={pages}")
            try:
                with conn.transaction(commit=True) as c:
                    ids = self._insert_events(c, stored_events, **kwargs)
                self.deferred_writes += 1
                return ids
            finally:
                raw.execute(f"PRAGMA wal_autocheckpoint={int(own)}")

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        append_chain(c, self.chain_sql, list(ids or ()), stored_events, self._write_links(c))
        command_ids, fingerprints = _applied_rows(kwargs)
        if command_ids:
            _insert_rows_sqlite(
                c,
                "INSERT INTO applied_commands (command_id)",
                1,
                [(i,) for i in command_ids],
            )
        if fingerprints:
            _insert_rows_sqlite(
                c,
                "INSERT INTO applied_fingerprints (command_id, fingerprint)",
                2,
                fingerprints,
            )
        return ids

    def _write_links(
        self, c: SQLiteCursor
    ) -> Callable[[Iterable[tuple[int, int, str, str]]], None]:
        """How a write's chain links are inserted: multi-row INSERTs."""
        insert = f"INSERT INTO {self.chain_sql.chain} (position, prev_position, digest, hash)"
        return lambda links: _insert_rows_sqlite(c, insert, 4, list(links))

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        """Which of these command ids were applied."""
        return set(self.applied_fingerprints(command_ids))

    def applied_fingerprints(self, command_ids: Sequence[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(command_ids):
                marks = ",".join("?" for _ in chunk)
                c.execute(
                    "SELECT a.command_id, f.fingerprint FROM applied_commands a "
                    "LEFT JOIN applied_fingerprints f ON f.command_id = a.command_id "
                    f"WHERE a.command_id IN ({marks})",
                    list(chunk),
                )
                found.update((row[0], row[1]) for row in c.fetchall())
        return found

    def existing_originators(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        found: set[UUID] = set()
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(originator_ids):
                marks = ",".join("?" for _ in chunk)
                c.execute(
                    f"SELECT originator_id FROM {self.events_table_name} "
                    f"WHERE originator_version = 1 AND originator_id IN ({marks})",
                    [i.hex for i in chunk],
                )
                found.update(UUID(row[0]) for row in c.fetchall())
        return found


def __getattr__(name: str) -> Any:
    """``PostgresRendaRecorder`` stays importable from here (from its own module, so
    psycopg is imported only when asked for)."""
    if name == "PostgresRendaRecorder":
        from renda_core.application.recorders_pg import PostgresRendaRecorder

        return PostgresRendaRecorder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
