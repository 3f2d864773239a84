"""The outbox: messages derived from the log, their delivery outcomes, the inbox.

The outbox is not a projection: its tables live beside the event log (SQLite: in the
store's file; PostgreSQL: ``<app>_notify_*`` in the store's schema), are never dropped
by ``renda projections rebuild``, and key each message by a deterministic idempotency
key. Deriving is a pull from the log (like the projection runner) from the outbox's own
position; a key already in the outbox is never added again, so rebuilding or
re-deriving sends nothing twice.

Tables: ``outbox`` (one row per message and address: status ``pending`` / ``sent`` /
``dead``, attempts, next attempt time), ``deliveries`` (every attempt's outcome),
``inbox`` (站内信, the ``inbox:`` channel's mailbox) and ``meta`` (the derived position).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from renda_core.application.app import Renda, store_errors
from renda_core.application.recorders import ddl_lock
from renda_core.application.textcipher import TextCipher, seal, unseal
from renda_core.notify.messages import Message

PENDING, SENT, DEAD = "pending", "sent", "dead"
#: an outbox row's status as tables show it (its own vocabulary, ``term:outbox.STATUS_LABELS``:
#: ``pending`` in another table is not a message waiting to be sent)
STATUS_LABELS = {PENDING: "待发送", SENT: "已发送", DEAD: "死信"}
DERIVED = "derived"  # meta key: the last log position derived
STARTED = "started"  # meta key: where deriving started (``deliver run --since``), as JSON
TABLES = ("outbox", "deliveries", "inbox", "meta", "tracked")


class _Raced(Exception):
    """Another process started the outbox meanwhile (rolls this start back)."""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass
class OutboxRow:
    message: Message
    status: str
    attempts: int
    next_at: str
    last_error: str | None
    sent_at: str | None

    def to_dict(self) -> dict[str, Any]:
        m = self.message
        return {
            "key": m.key,
            "rule": m.rule,
            "recipient": m.recipient,
            "address": m.address,
            "subject": m.subject,
            "record_id": m.record_id,
            "position": m.position,
            "status": self.status,
            "attempts": self.attempts,
            "next_at": self.next_at,
            "sent_at": self.sent_at,
            "last_error": self.last_error,
        }


class Outbox:
    """The outbox tables of one store (created on first use)."""

    def __init__(self, app: Renda) -> None:
        self.app = app
        recorder: Any = app.recorder
        self.datastore = recorder.datastore
        self.postgres = not app.store.is_sqlite
        if self.postgres:
            base = recorder.events_table_name.removesuffix("_events")
            schema = self.datastore.schema
            self.t = {n: f'"{schema}"."{base}_notify_{n}"' for n in TABLES}
        else:
            self.t = {n: f"notify_{n}" for n in TABLES}
        self._created = False
        # Addresses, subjects, bodies and data may be personal: encrypted with the
        # store's cipher when RENDA_CIPHER_KEY is set (the recipient id stays plain).
        self.cipher = TextCipher.of_mapper(app.mapper, "the outbox")

    # -- plumbing -------------------------------------------------------------------

    def _seal(self, text: str) -> str:
        return seal(self.cipher, text)

    def _open(self, text: str) -> str:
        return unseal(self.cipher, text, "the outbox")

    def _q(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Any]:
        self.create()
        with store_errors("cannot use the outbox"), self.datastore.transaction(commit=write) as c:
            yield getattr(c, "sqlite_cursor", c)  # SQLite: the cursor itself (rowcount)

    def run(self, cursor: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor.execute(self._q(sql), tuple(params))
        return cursor

    def create(self) -> None:
        if self._created:
            return
        t = self.t
        serial = "BIGSERIAL PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY AUTOINCREMENT"
        big = "BIGINT" if self.postgres else "INTEGER"
        statements = [
            f"CREATE TABLE IF NOT EXISTS {t['outbox']} (key TEXT PRIMARY KEY, "
            f"position {big} NOT NULL, rule TEXT NOT NULL, recipient TEXT NOT NULL, "
            "address TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, "
            "record_id TEXT NOT NULL, link TEXT NOT NULL, data TEXT NOT NULL, "
            "status TEXT NOT NULL, attempts INTEGER NOT NULL, next_at TEXT NOT NULL, "
            "created_at TEXT NOT NULL, sent_at TEXT, last_error TEXT)",
            f"CREATE TABLE IF NOT EXISTS {t['deliveries']} (id {serial}, key TEXT NOT NULL, "
            "attempt INTEGER NOT NULL, at TEXT NOT NULL, outcome TEXT NOT NULL, "
            "detail TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['inbox']} (key TEXT PRIMARY KEY, "
            "recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, "
            "record_id TEXT NOT NULL, at TEXT NOT NULL, read_at TEXT)",
            f"CREATE TABLE IF NOT EXISTS {t['meta']} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {t['tracked']} (record_id TEXT PRIMARY KEY)",
        ]
        with store_errors("cannot create the outbox tables"):
            if self.postgres:
                with ddl_lock(self.datastore) as c:  # one connection, one transaction
                    for sql in statements:
                        c.execute(sql)
            else:
                with self.datastore.transaction(commit=True) as c:
                    for sql in statements:
                        c.execute(sql)
        self._created = True

    # -- deriving -------------------------------------------------------------------

    def derived_position(self, cursor: Any | None = None) -> int:
        if cursor is None:
            with self.transaction(write=False) as c:
                return self.derived_position(c)
        row = self.run(cursor, f"SELECT value FROM {self.t['meta']} WHERE key = ?", (DERIVED,))
        found = row.fetchone()
        return int(found["value"]) if found else 0

    def add(
        self,
        messages: Sequence[Message],
        *,
        since: int,
        upto: int,
        now: datetime,
        track: Sequence[str] = (),
        untrack: Sequence[str] = (),
    ) -> int:
        """Add ``messages`` (derived from the log after ``since`` up to ``upto``) and
        move the derived position, in one transaction; a key already present is kept as
        it is. Returns how many were new, or -1 if another deriver moved the position
        meanwhile (nothing written). ``track``/``untrack``: the records whose running
        deadlines the clock watches."""
        with self.transaction() as c:
            if self.derived_position(c) != since:
                return -1
            for record in track:
                self.run(
                    c,
                    f"INSERT INTO {self.t['tracked']} (record_id) VALUES (?) "
                    "ON CONFLICT (record_id) DO NOTHING",
                    (record,),
                )
            for record in untrack:
                self.run(c, f"DELETE FROM {self.t['tracked']} WHERE record_id = ?", (record,))
            new = self._insert(c, messages, now)
            self.run(
                c,
                f"INSERT INTO {self.t['meta']} (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (DERIVED, str(upto)),
            )
            return new

    def put(self, messages: Sequence[Message], *, now: datetime) -> int:
        """Add messages that come from no event of the log (the daily digest, notices of
        projection failures); a key already present is kept. Returns how many were new."""
        with self.transaction() as c:
            return self._insert(c, messages, now)

    def _insert(self, c: Any, messages: Sequence[Message], now: datetime) -> int:
        new = 0
        for m in messages:
            cur = self.run(
                c,
                f"INSERT INTO {self.t['outbox']} (key, position, rule, recipient, address, "
                "subject, body, record_id, link, data, status, attempts, next_at, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) "
                "ON CONFLICT (key) DO NOTHING",
                (
                    m.key,
                    m.position,
                    m.rule,
                    m.recipient,
                    self._seal(m.address),
                    self._seal(m.subject),
                    self._seal(m.body),
                    m.record_id,
                    m.link,
                    self._seal(json.dumps(m.data, ensure_ascii=False, default=str)),
                    PENDING,
                    iso(now),
                    iso(now),
                ),
            )
            new += max(cur.rowcount, 0)
        return new

    def started(self) -> dict[str, Any] | None:
        """Where deriving started, if it ever did: ``{"position", "at", "skipped"}``
        (``skipped``: the history left out by ``deliver run --since``)."""
        with self.transaction(write=False) as c:
            rows = self.run(
                c,
                f"SELECT key, value FROM {self.t['meta']} WHERE key IN (?, ?)",
                (DERIVED, STARTED),
            ).fetchall()
        found = {r["key"]: r["value"] for r in rows}
        if STARTED in found:
            marker: dict[str, Any] = json.loads(found[STARTED])
            return marker
        if DERIVED in found:
            return {"position": 0, "at": None, "skipped": False}
        return None

    def start(
        self, position: int, *, now: datetime, track: Sequence[str], untrack: Sequence[str]
    ) -> bool:
        """Start a fresh outbox at ``position``: the log up to it derives no messages
        (its running deadlines are still tracked). False if the outbox had started."""
        marker = {"position": position, "at": iso(now), "skipped": position > 0}
        try:
            return self._start(position, marker, track, untrack)
        except _Raced:
            return False

    def _start(
        self,
        position: int,
        marker: dict[str, Any],
        track: Sequence[str],
        untrack: Sequence[str],
    ) -> bool:
        with self.transaction() as c:
            found = self.run(
                c, f"SELECT value FROM {self.t['meta']} WHERE key = ?", (DERIVED,)
            ).fetchone()
            if found is not None:
                return False
            for record in track:
                self.run(
                    c,
                    f"INSERT INTO {self.t['tracked']} (record_id) VALUES (?) "
                    "ON CONFLICT (record_id) DO NOTHING",
                    (record,),
                )
            for record in untrack:
                self.run(c, f"DELETE FROM {self.t['tracked']} WHERE record_id = ?", (record,))
            for key, value in ((DERIVED, str(position)), (STARTED, json.dumps(marker))):
                cur = self.run(
                    c,
                    f"INSERT INTO {self.t['meta']} (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (key, value),
                )
                if cur.rowcount != 1:  # another process started it meanwhile
                    raise _Raced
            return True

    def tracked(self) -> list[str]:
        with self.transaction(write=False) as c:
            rows = self.run(
                c, f"SELECT record_id FROM {self.t['tracked']} ORDER BY record_id"
            ).fetchall()
        return [r["record_id"] for r in rows]

    # -- delivering -----------------------------------------------------------------

    _COLS = (
        "key, position, rule, recipient, address, subject, body, record_id, link, data, "
        "status, attempts, next_at, last_error, sent_at"
    )

    def _row(self, r: Any) -> OutboxRow:
        m = Message(
            key=r["key"],
            rule=r["rule"],
            recipient=r["recipient"],
            address=self._open(r["address"]),
            subject=self._open(r["subject"]),
            body=self._open(r["body"]),
            record_id=r["record_id"],
            link=r["link"],
            position=int(r["position"]),
            data=json.loads(self._open(r["data"])),
        )
        return OutboxRow(
            m, r["status"], int(r["attempts"]), r["next_at"], r["last_error"], r["sent_at"]
        )

    def due(self, now: datetime, limit: int = 100) -> list[OutboxRow]:
        """Pending messages whose next attempt is due, in log order."""
        with self.transaction(write=False) as c:
            rows = self.run(
                c,
                f"SELECT {self._COLS} FROM {self.t['outbox']} WHERE status = ? AND "
                "next_at <= ? ORDER BY position, key LIMIT ?",
                (PENDING, iso(now), limit),
            ).fetchall()
        return [self._row(r) for r in rows]

    def claim(self, row: OutboxRow, until: datetime) -> bool:
        """Take ``row`` for sending until ``until`` (a lease: if this process dies, the
        message is due again then). False if another deliverer took it first."""
        with self.transaction() as c:
            cur = self.run(
                c,
                f"UPDATE {self.t['outbox']} SET next_at = ? WHERE key = ? AND status = ? "
                "AND next_at = ?",
                (iso(until), row.message.key, PENDING, row.next_at),
            )
            return bool(cur.rowcount == 1)

    def outcome(
        self,
        key: str,
        *,
        attempt: int,
        status: str,
        outcome: str,
        detail: str,
        now: datetime,
        next_at: datetime | None = None,
    ) -> None:
        """Record one attempt's outcome and the message's new state, together."""
        with self.transaction() as c:
            self.run(
                c,
                f"UPDATE {self.t['outbox']} SET status = ?, attempts = ?, next_at = ?, "
                "last_error = ?, sent_at = ? WHERE key = ?",
                (
                    status,
                    attempt,
                    iso(next_at or now),
                    None if status == SENT else detail,
                    iso(now) if status == SENT else None,
                    key,
                ),
            )
            self.run(
                c,
                f"INSERT INTO {self.t['deliveries']} (key, attempt, at, outcome, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, attempt, iso(now), outcome, detail),
            )

    def retry(self, key: str, now: datetime) -> bool:
        """Put a dead (or pending) message back to pending, due now."""
        if not _a_key(key):
            return False
        with self.transaction() as c:
            cur = self.run(
                c,
                f"UPDATE {self.t['outbox']} SET status = ?, next_at = ? WHERE key = ? "
                "AND status <> ?",
                (PENDING, iso(now), key, SENT),
            )
            return bool(cur.rowcount == 1)

    # -- queries --------------------------------------------------------------------

    def rows(self, *, status: str | None = None, limit: int = 1000) -> list[OutboxRow]:
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        with self.transaction(write=False) as c:
            rows = self.run(
                c,
                f"SELECT {self._COLS} FROM {self.t['outbox']} {where} "
                "ORDER BY position, key LIMIT ?",
                (*params, limit),
            ).fetchall()
        return [self._row(r) for r in rows]

    def get(self, key: str) -> OutboxRow | None:
        if not _a_key(key):
            return None
        with self.transaction(write=False) as c:
            r = self.run(
                c, f"SELECT {self._COLS} FROM {self.t['outbox']} WHERE key = ?", (key,)
            ).fetchone()
        return self._row(r) if r else None

    def counts(self) -> dict[str, int]:
        with self.transaction(write=False) as c:
            rows = self.run(
                c, f"SELECT status, COUNT(*) AS n FROM {self.t['outbox']} GROUP BY status"
            ).fetchall()
        found = {r["status"]: int(r["n"]) for r in rows}
        return {s: found.get(s, 0) for s in (PENDING, SENT, DEAD)}

    def deliveries(self, key: str | None = None) -> list[dict[str, Any]]:
        if key is not None and not _a_key(key):
            return []
        where, params = ("WHERE key = ?", [key]) if key else ("", [])
        with self.transaction(write=False) as c:
            rows = self.run(
                c,
                f"SELECT key, attempt, at, outcome, detail FROM {self.t['deliveries']} "
                f"{where} ORDER BY id",
                params,
            ).fetchall()
        return [dict(r) for r in rows]

    # -- inbox (站内信) --------------------------------------------------------------

    def put_inbox(self, message: Message, now: datetime) -> None:
        with self.transaction() as c:
            self.run(
                c,
                f"INSERT INTO {self.t['inbox']} (key, recipient, subject, body, record_id, at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                (
                    message.key,
                    message.recipient,
                    self._seal(message.subject),
                    self._seal(message.body),
                    message.record_id,
                    iso(now),
                ),
            )

    def inbox(self, recipient: str, *, unread: bool = False) -> list[dict[str, Any]]:
        extra = " AND read_at IS NULL" if unread else ""
        with self.transaction(write=False) as c:
            rows = self.run(
                c,
                f"SELECT key, recipient, subject, body, record_id, at, read_at FROM "
                f"{self.t['inbox']} WHERE recipient = ?{extra} ORDER BY at, key",
                (recipient,),
            ).fetchall()
        return [
            {**dict(r), "subject": self._open(r["subject"]), "body": self._open(r["body"])}
            for r in rows
        ]

    def mark_read(self, recipient: str, keys: Sequence[str] | None, now: datetime) -> int:
        """Mark messages of ``recipient`` read (all unread ones when ``keys`` is None)."""
        with self.transaction() as c:
            if keys is None:
                cur = self.run(
                    c,
                    f"UPDATE {self.t['inbox']} SET read_at = ? WHERE recipient = ? "
                    "AND read_at IS NULL",
                    (iso(now), recipient),
                )
                return int(cur.rowcount)
            n = 0
            for key in filter(_a_key, keys):
                cur = self.run(
                    c,
                    f"UPDATE {self.t['inbox']} SET read_at = ? WHERE recipient = ? "
                    "AND key = ? AND read_at IS NULL",
                    (iso(now), recipient, key),
                )
                n += int(cur.rowcount)
            return n


def _a_key(text: str) -> bool:
    """Whether ``text`` can be a message's key: keys are made by renda and never hold a
    NUL or a lone surrogate (text that is no UTF-8), which PostgreSQL cannot even
    compare (a lookup of one would fail as a store error, not "no such message")."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
