"""The application's recorders: eventsourcing's own, plus a table of applied command ids
written in the same transaction as the events (so a re-run import skips exactly what was
applied, and nothing else), and beside it the fingerprint of each applied command's
content (so a re-run notices a line that changed under the same id).

The fingerprints live in a table of their own (``applied_fingerprints``, on PostgreSQL
``<app>_fingerprints``), created next to the others: a store written before it existed
keeps its ``applied_commands`` as they were, and those commands have no fingerprint.

On PostgreSQL the library inserts in psycopg pipeline mode, one statement for all the
events; writes of ≈13,000 events and more were seen to hang there, holding the table
lock. :class:`PostgresRendaRecorder` writes without a pipeline, in chunks of
:data:`PG_CHUNK` rows, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

COMMAND_IDS = "command_ids"
FINGERPRINTS = "fingerprints"
_CHUNK = 500
PG_CHUNK = 2000
"""Rows per INSERT statement in one PostgreSQL write."""

S = TypeVar("S")


def _chunks(items: Sequence[S], size: int = _CHUNK) -> Iterable[Sequence[S]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _applied_rows(kwargs: Mapping[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """The command ids to record, and the (id, fingerprint) pairs of those that have one."""
    command_ids = list(kwargs.get(COMMAND_IDS) or ())
    fingerprints: Mapping[str, str] = kwargs.get(FINGERPRINTS) or {}
    return command_ids, [(i, fingerprints[i]) for i in command_ids if i in fingerprints]


class SQLiteRendaRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.create_table_statements.append(
            "CREATE TABLE IF NOT EXISTS applied_fingerprints "
            "(command_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS applied_commands (command_id TEXT PRIMARY KEY) "
            "WITHOUT ROWID",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        command_ids, fingerprints = _applied_rows(kwargs)
        if command_ids:
            c.executemany(
                "INSERT INTO applied_commands (command_id) VALUES (?)",
                [(i,) for i in command_ids],
            )
        if fingerprints:
            c.executemany(
                "INSERT INTO applied_fingerprints (command_id, fingerprint) VALUES (?, ?)",
                fingerprints,
            )
        return ids

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


class PostgresRendaRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.commands_table = f"{self.events_table_name.removesuffix('_events')}_commands"
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0}.{1} (command_id text PRIMARY KEY)").format(
                Identifier(self.datastore.schema), Identifier(self.commands_table)
            )
        )
        self.fingerprints_table = f"{self.events_table_name.removesuffix('_events')}_fingerprints"
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} "
                "(command_id text PRIMARY KEY, fingerprint text NOT NULL)"
            ).format(Identifier(self.datastore.schema), Identifier(self.fingerprints_table))
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """One transaction: lock, the events in chunks (in order), the command ids.

        The library's own insert pipelines one statement for all the events with
        ``executemany``; past ≈13,000 events that hung while holding the table lock.
        Plain statements of :data:`PG_CHUNK` rows each keep one transaction without it.
        """
        command_ids, _ = _applied_rows(kwargs)
        if not stored_events and not command_ids:
            return []
        notification_ids: list[int] = []
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            if stored_events:
                self._lock_table(curs)
                self._notify_channel(curs)
                for chunk in _chunks(stored_events, PG_CHUNK):
                    PostgresAggregateRecorder._insert_stored_events(self, curs, chunk)
                    notification_ids.extend(self._fetch_ids_after_insert_events(curs, chunk) or ())
            self._insert_events(curs, stored_events, **kwargs)
        return notification_ids

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        command_ids, fingerprints = _applied_rows(kwargs)
        schema = Identifier(self.datastore.schema)
        for chunk in _chunks(command_ids, PG_CHUNK):
            curs.execute(
                SQL("INSERT INTO {0}.{1} (command_id) SELECT unnest(%s::text[])").format(
                    schema, Identifier(self.commands_table)
                ),
                (list(chunk),),
            )
        for pairs in _chunks(fingerprints, PG_CHUNK):
            curs.execute(
                SQL(
                    "INSERT INTO {0}.{1} (command_id, fingerprint) "
                    "SELECT * FROM unnest(%s::text[], %s::text[])"
                ).format(schema, Identifier(self.fingerprints_table)),
                ([i for i, _ in pairs], [f for _, f in pairs]),
            )

    def applied_fingerprints(self, command_ids: Sequence[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        schema = Identifier(self.datastore.schema)
        with self.datastore.transaction(commit=False) as curs:
            for chunk in _chunks(command_ids):
                curs.execute(
                    SQL(
                        "SELECT a.command_id, f.fingerprint FROM {0}.{1} a "
                        "LEFT JOIN {0}.{2} f ON f.command_id = a.command_id "
                        "WHERE a.command_id = ANY(%s)"
                    ).format(
                        schema,
                        Identifier(self.commands_table),
                        Identifier(self.fingerprints_table),
                    ),
                    (list(chunk),),
                )
                found.update((row["command_id"], row["fingerprint"]) for row in curs.fetchall())
        return found

    def existing_originators(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        found: set[UUID] = set()
        with self.datastore.transaction(commit=False) as curs:
            for chunk in _chunks(originator_ids):
                curs.execute(
                    SQL(
                        "SELECT originator_id FROM {0}.{1} "
                        "WHERE originator_version = 1 AND originator_id = ANY(%s)"
                    ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                    (list(chunk),),
                )
                found.update(UUID(str(row["originator_id"])) for row in curs.fetchall())
        return found
