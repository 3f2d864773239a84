"""The application's recorders: eventsourcing's own, plus a table of applied command ids
written in the same transaction as the events (so a re-run import skips exactly what was
applied, and nothing else)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

COMMAND_IDS = "command_ids"
_CHUNK = 500


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
        ]

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
