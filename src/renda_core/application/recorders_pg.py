"""The application's recorder on PostgreSQL (see :mod:`renda_core.application.recorders`);
a module of its own, imported only for a PostgreSQL store: it needs psycopg, which is
the ``postgres`` extra."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.utils import retry
from psycopg import Cursor, Transaction
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier, Literal

from renda_core.application.audit.chain import ChainSQL, append_chain
from renda_core.application.recorders import (
    APPEND_ONLY,
    _applied_rows,
    _chunks,
    create_tables,
)


class PostgresSnapshotRecorder(PostgresAggregateRecorder):
    """The snapshots' recorder: the library's, with a write's snapshots streamed by one
    binary ``COPY`` where the library sends them as one array of composite values.

    In that array every snapshot's state (tens of kilobytes of JSON each in the demo)
    goes as hex text inside the composite's text form, dumped by psycopg and parsed
    back by the server; ``COPY … (FORMAT BINARY)`` sends the bytes as they are. It is
    still one statement on a connection in autocommit, so the write is as atomic as
    the library's, and a snapshot already stored (the same record and version) fails
    it the same way (``IntegrityError``, a unique violation).
    """

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        statement = SQL(
            "COPY {0}.{1} (originator_id, originator_version, topic, state) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with curs.copy(statement) as copy:
            copy.set_types([self.datastore.originator_id_type, "int8", "text", "bytea"])
            for event in stored_events:
                copy.write_row(
                    (event.originator_id, event.originator_version, event.topic, event.state)
                )


def snapshot_recorder(factory: Any) -> PostgresSnapshotRecorder:
    """The snapshots' recorder of ``factory`` (eventsourcing's ``PostgresFactory``),
    named and created as its ``aggregate_recorder("snapshots")`` names and creates it."""
    prefix = factory.env.name.lower() or "stored"
    recorder = PostgresSnapshotRecorder(
        datastore=factory.datastore, events_table_name=f"{prefix}_snapshots"
    )
    if factory.env_create_table():
        recorder.create_table()
    return recorder


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
        prefix = self.events_table_name.removesuffix("_events")
        self.chain_table = f"{prefix}_chain"
        self.seals_table = f"{prefix}_seals"
        self.sql_create_statements.extend(self._chain_statements())
        self._sequence: str | None = None  # the notification ids' sequence, once looked up

    def _qualified(self, table: str) -> str:
        parts = (self.datastore.schema, table)
        return ".".join('"' + part.replace('"', '""') + '"' for part in parts)

    @property
    def chain_sql(self) -> ChainSQL:
        return ChainSQL(
            self._qualified(self.events_table_name),
            "notification_id",
            self._qualified(self.chain_table),
            self._qualified(self.seals_table),
            mark="%s",
        )

    @contextmanager
    def audit_transaction(self, *, write: bool) -> Iterator[Any]:
        """A transaction for the audit (chain, seals); a write locks the events table
        as a write of events does, so the chain head cannot move meanwhile."""
        with self.datastore.transaction(commit=write) as curs:
            if write:
                self._lock_table(curs)
            yield curs

    def chain_exists(self) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT to_regclass(%s) AS t", (self._qualified(self.chain_table),))
            row = curs.fetchone()
        return row is not None and row["t"] is not None

    def select_originator(self, originator_id: UUID) -> list[Notification]:
        """One record's events with their log positions, through the primary key's
        index on (originator_id, originator_version): no scan of the log."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, originator_version, topic, state FROM {0}.{1} "
                    "WHERE originator_id = %s ORDER BY originator_version"
                ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                (originator_id,),
            )
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=originator_id,
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def select_record(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent]]:
        """A record's latest snapshot (None if it has none) and its events after it, in
        one statement: one round trip and one consistent view of both tables, where
        the library reads the snapshot, then the events (see
        :class:`~renda_core.application.repository_pg.OneTripRepository`)."""
        schema = Identifier(self.datastore.schema)
        snapshots = Identifier(f"{self.events_table_name.removesuffix('_events')}_snapshots")
        statement = SQL(
            "WITH s AS (SELECT originator_version, topic, state FROM {0}.{1} "
            "WHERE originator_id = %(id)s ORDER BY originator_version DESC LIMIT 1) "
            "SELECT true AS snapshot, originator_version, topic, state FROM s "
            "UNION ALL SELECT false, originator_version, topic, state FROM {0}.{2} "
            "WHERE originator_id = %(id)s "
            "AND originator_version > COALESCE((SELECT originator_version FROM s), 0)"
        ).format(schema, snapshots, Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, {"id": originator_id}, prepare=True)
            rows = curs.fetchall()
        snapshot: StoredEvent | None = None
        events: list[StoredEvent] = []
        for row in rows:
            stored = StoredEvent(
                originator_id=originator_id,
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            if row["snapshot"]:
                snapshot = stored
            else:
                events.append(stored)
        events.sort(key=lambda event: event.originator_version)
        return snapshot, events

    def select_records(
        self, originator_ids: Sequence[UUID]
    ) -> dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]]:
        """As :meth:`select_record`, for several records in one statement (one round
        trip): each found record's latest snapshot (None if it has none) and its events
        after it. A record with neither is left out."""
        schema = Identifier(self.datastore.schema)
        snapshots = Identifier(f"{self.events_table_name.removesuffix('_events')}_snapshots")
        statement = SQL(
            "WITH s AS (SELECT DISTINCT ON (originator_id) originator_id, originator_version, "
            "topic, state FROM {0}.{1} WHERE originator_id = ANY(%(ids)s) "
            "ORDER BY originator_id, originator_version DESC) "
            "SELECT true AS snapshot, originator_id, originator_version, topic, state FROM s "
            "UNION ALL SELECT false, e.originator_id, e.originator_version, e.topic, e.state "
            "FROM {0}.{2} e LEFT JOIN s ON s.originator_id = e.originator_id "
            "WHERE e.originator_id = ANY(%(ids)s) "
            "AND e.originator_version > COALESCE(s.originator_version, 0)"
        ).format(schema, snapshots, Identifier(self.events_table_name))
        found: dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]] = {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            for chunk in _chunks(originator_ids):
                curs.execute(statement, {"ids": list(chunk)}, prepare=True)
                for row in curs.fetchall():
                    originator_id = UUID(str(row["originator_id"]))
                    stored = StoredEvent(
                        originator_id=originator_id,
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=bytes(row["state"]),
                    )
                    _, events = found.setdefault(originator_id, (None, []))
                    if row["snapshot"]:
                        found[originator_id] = (stored, events)
                    else:
                        events.append(stored)
        for _, events in found.values():
            events.sort(key=lambda event: event.originator_version)
        return found

    def _chain_statements(self) -> list[Composed]:
        """The chain and seal tables, and triggers refusing UPDATE, DELETE and TRUNCATE
        on them and on the events table (created once: a store opened again, or by a
        role without the right to create, leaves them as they are)."""
        schema = Identifier(self.datastore.schema)
        function = Identifier(f"{self.events_table_name.removesuffix('_events')}_append_only")
        statements: list[Composed] = [
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (position bigint PRIMARY KEY, "
                "prev_position bigint NOT NULL, digest text NOT NULL, hash text NOT NULL)"
            ).format(schema, Identifier(self.chain_table)),
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (seal_id bigserial PRIMARY KEY, "
                "position bigint NOT NULL, hash text NOT NULL, sealed_at text NOT NULL, "
                "key_id text NOT NULL, public_key text NOT NULL, signature text NOT NULL, "
                "actor text NOT NULL)"
            ).format(schema, Identifier(self.seals_table)),
            SQL(
                "CREATE OR REPLACE FUNCTION {0}.{1}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'renda: {2} (% on % refused)', TG_OP, TG_TABLE_NAME; "
                "END $$"
            ).format(schema, function, SQL(APPEND_ONLY)),
        ]
        for table in (self.events_table_name, self.chain_table, self.seals_table):
            for name, when in (
                ("append_only", "BEFORE UPDATE OR DELETE ON {0}.{1} FOR EACH ROW"),
                ("no_truncate", "BEFORE TRUNCATE ON {0}.{1} FOR EACH STATEMENT"),
            ):
                trigger = f"{table}_{name}"
                statements.append(
                    SQL(
                        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE "
                        "tgrelid = {2}::regclass AND tgname = {3}) THEN "
                        "CREATE TRIGGER {4} " + when + " EXECUTE FUNCTION {0}.{5}(); "
                        "END IF; END $$"
                    ).format(
                        schema,
                        Identifier(table),
                        Literal(self._qualified(table)),
                        Literal(trigger),
                        Identifier(trigger),
                        function,
                    )
                )
        return statements

    def create_table(self) -> None:
        # The snapshot store's table too, in the same transaction: the library creates
        # it right after this, unlocked (a no-op once the table exists).
        snapshots = f"{self.events_table_name.removesuffix('_events')}_snapshots"
        create_tables(
            self.datastore,
            [self, PostgresAggregateRecorder(self.datastore, events_table_name=snapshots)],
        )

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

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """One transaction: lock, the events and their chain links, the command ids.

        As the library does, the table is locked (``LOCK TABLE … IN EXCLUSIVE MODE``)
        before any notification id is taken, so ids are issued in commit order. The
        ids are then drawn from the table's sequence in one statement and the events
        are streamed with ``COPY … FROM STDIN (FORMAT BINARY)`` carrying them, the
        chain links likewise: a fixed handful of round trips per write, however many
        events. BEGIN, the lock, NOTIFY, the ids and the chain's head go in one
        pipelined round trip (the library's ``INSERT … SELECT unnest(…)`` dumps every event as a
        text composite, and its pipelined ``executemany`` hung past ≈13,000 events).
        """
        command_ids, _ = _applied_rows(kwargs)
        if not stored_events and not command_ids:
            return []
        notification_ids: list[int] = []
        with self.datastore.get_connection() as conn, ExitStack() as transaction:
            curs = transaction.enter_context(conn.cursor())
            if not stored_events:
                transaction.enter_context(conn.transaction())
            else:
                self._sequence_name(conn)
                # One round trip: BEGIN, the lock, NOTIFY (sent at commit, once per
                # transaction), the new ids and the chain's head, pipelined (COPY is
                # not allowed in a pipeline: the transaction goes on after it).
                ids = transaction.enter_context(conn.cursor())
                last = transaction.enter_context(conn.cursor())
                with conn.pipeline():
                    # Not conn.transaction(): inside a pipeline it keeps one open until
                    # the transaction ends, and COPY cannot run in it.
                    transaction.enter_context(Transaction(conn))
                    self._lock_table(curs)
                    self._notify_channel(curs)
                    self._request_ids(ids, len(stored_events))
                    last.execute(self.chain_sql.head)
                notification_ids = sorted(row["id"] for row in ids.fetchall())
                row = last.fetchone()
                self._copy_events(curs, notification_ids, stored_events)
                append_chain(
                    curs,
                    self.chain_sql,
                    notification_ids,
                    stored_events,
                    lambda links: self._copy_links(curs, links),
                    head_read=True,
                    known_head=None if row is None else (int(row["position"]), str(row["hash"])),
                )
            self._insert_events(curs, stored_events, **kwargs)
        return notification_ids

    def last_notification(self) -> Notification | None:
        """The last event of the log, in one statement (the clock's floor: see
        :func:`renda_core.application.audit.clock.last_recorded_time`)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, originator_id, originator_version, topic, state "
                    "FROM {0}.{1} ORDER BY notification_id DESC LIMIT 1"
                ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                prepare=True,
            )
            row = curs.fetchone()
        if row is None:
            return None
        return Notification(
            id=row["notification_id"],
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )

    def _sequence_name(self, conn: Any) -> str:
        """The notification ids' sequence (looked up once)."""
        if self._sequence is None:
            with conn.cursor() as curs:
                curs.execute(
                    "SELECT pg_get_serial_sequence(%s, 'notification_id') AS seq",
                    (self._qualified(self.events_table_name),),
                )
                row = curs.fetchone()
            assert row is not None and row["seq"], "the events table has no id sequence"
            self._sequence = str(row["seq"])
        return self._sequence

    def _request_ids(self, curs: Cursor[DictRow], count: int) -> None:
        """Ask for ``count`` new notification ids (the table is locked: no other writer
        takes any meanwhile); the rows are read after the pipeline."""
        assert self._sequence is not None
        curs.execute(
            "SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)",
            (self._sequence, count),
        )

    def _copy_events(
        self, curs: Cursor[DictRow], ids: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        statement = SQL(
            "COPY {0}.{1} (notification_id, originator_id, originator_version, topic, state) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with curs.copy(statement) as copy:
            copy.set_types(["int8", self.datastore.originator_id_type, "int8", "text", "bytea"])
            for notification_id, event in zip(ids, stored_events, strict=True):
                copy.write_row(
                    (
                        notification_id,
                        event.originator_id,
                        event.originator_version,
                        event.topic,
                        event.state,
                    )
                )

    def _copy_links(
        self, curs: Cursor[DictRow], links: Iterable[tuple[int, int, str, str]]
    ) -> None:
        statement = SQL(
            "COPY {0}.{1} (position, prev_position, digest, hash) FROM STDIN (FORMAT BINARY)"
        ).format(Identifier(self.datastore.schema), Identifier(self.chain_table))
        with curs.copy(statement) as copy:
            copy.set_types(["int8", "int8", "text", "text"])
            for link in links:
                copy.write_row(link)

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        command_ids, fingerprints = _applied_rows(kwargs)
        schema = Identifier(self.datastore.schema)
        # Streamed like the events (a duplicate id fails the COPY as it failed the
        # INSERT: IntegrityError); psycopg's text-array parameters were a sixth of the
        # write.
        if command_ids:
            statement = SQL("COPY {0}.{1} (command_id) FROM STDIN (FORMAT BINARY)")
            with curs.copy(statement.format(schema, Identifier(self.commands_table))) as copy:
                copy.set_types(["text"])
                for command_id in command_ids:
                    copy.write_row((command_id,))
        if fingerprints:
            statement = SQL("COPY {0}.{1} (command_id, fingerprint) FROM STDIN (FORMAT BINARY)")
            with curs.copy(statement.format(schema, Identifier(self.fingerprints_table))) as copy:
                copy.set_types(["text", "text"])
                for pair in fingerprints:
                    copy.write_row(pair)

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        """Which of these command ids were applied."""
        return set(self.applied_fingerprints(command_ids))

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
