"""The hash chain: every stored event linked to the one before it.

Each event in the log has a row in a side table (SQLite ``event_chain``, PostgreSQL
``<app>_chain``) keyed by its log position (notification id)::

    digest = SHA-256(originator id, version, topic, stored state)
    hash   = SHA-256(position, previous position, digest, previous hash)

Both are hex strings; every field is length-prefixed before hashing, so no two
different rows hash alike. The first event links to position 0 and
:data:`GENESIS`. The rows are written by the recorders in the same transaction as the
events (see :func:`append_chain`), so a committed event always has its link. The state
hashed is the state as stored: encrypted when a cipher is on, so checking the chain
never needs the cipher key.

A store written before the chain existed has events and an empty chain table: the first
write (or ``renda audit verify`` / ``seal``) chains it from position 1.

This module is plain functions over a DB-API cursor and the :class:`ChainSQL` of one
backend; it imports nothing else of the application.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from renda_core.domain.errors import LogAltered

GENESIS = "0" * 64
PAGE = 1000


class Cursor(Protocol):
    def execute(self, statement: Any, params: Any = ...) -> Any: ...
    def executemany(self, statement: Any, params: Any) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


_EVENT = b"renda.event.v1\0"
_CHAIN = b"renda.chain.v1\0"
_length = struct.Struct(">Q").pack
_L64 = _length(64)  # a digest's or a hash's hex


def _lp(data: bytes) -> bytes:
    return _length(len(data)) + data


def originator_text(value: object) -> str:
    """The originator id as hashed: a UUID's 32 hex digits (as SQLite stores it)."""
    return value.hex if isinstance(value, UUID) else str(value)


def event_digest(originator_id: object, version: int, topic: str, state: bytes) -> str:
    """SHA-256 of one stored event's content (not its position)."""
    o = originator_text(originator_id).encode()
    v = str(version).encode()
    t = topic.encode()
    data = bytes(state)
    parts = (_EVENT, _length(len(o)), o, _length(len(v)), v, _length(len(t)), t)
    return hashlib.sha256(b"".join((*parts, _length(len(data)), data))).hexdigest()


def link_hash(position: int, prev_position: int, digest: str, prev_hash: str) -> str:
    """SHA-256 linking the event at ``position`` to the one before it."""
    p = str(position).encode()
    q = str(prev_position).encode()
    d = digest.encode()
    h = prev_hash.encode()
    parts = (_CHAIN, _length(len(p)), p, _length(len(q)), q, _length(len(d)), d)
    return hashlib.sha256(b"".join((*parts, _length(len(h)), h))).hexdigest()


_UUID_HEAD = _EVENT + _length(32)  # an originator UUID is hashed as its 32 hex digits
_NUMBER_LENGTHS = tuple(_length(n) for n in range(21))
"""The length prefix of a number's decimal bytes (a 64-bit position or version has at
most 20 characters)."""


def new_links(
    events: Iterable[tuple[int, object, int, str, bytes]], prev: tuple[int, str]
) -> Iterator[tuple[int, int, str, str]]:
    """The chain rows (position, prev_position, digest, hash) of consecutive events
    given as (position, originator id, version, topic, state), after ``prev``: the
    values of :func:`event_digest` and :func:`link_hash`, each event's bytes joined and
    hashed once (a write's hot path: a topic's and an originator's length-prefixed bytes
    are made once per write — a batch holds several events of one record — the numbers
    formatted straight to bytes, each hash's hex encoded once)."""
    prev_position, prev_hash = prev
    prev_bytes = prev_hash.encode()
    sha256, length, join, lengths = hashlib.sha256, _length, b"".join, _NUMBER_LENGTHS
    topics: dict[str, bytes] = {}
    origins: dict[object, bytes] = {}
    for position, originator_id, version, topic, state in events:
        origin = origins.get(originator_id)
        if origin is None:
            if isinstance(originator_id, UUID):
                origin = _UUID_HEAD + originator_id.hex.encode()
            else:
                o = str(originator_id).encode()
                origin = _EVENT + length(len(o)) + o
            origins[originator_id] = origin
        t = topics.get(topic)
        if t is None:
            encoded = topic.encode()
            t = topics[topic] = length(len(encoded)) + encoded
        v = b"%d" % version
        digest = sha256(join((origin, lengths[len(v)], v, t, length(len(state)), state)))
        digest_hex = digest.hexdigest()
        p = b"%d" % position
        q = b"%d" % prev_position
        value = sha256(
            join(
                (
                    _CHAIN,
                    lengths[len(p)],
                    p,
                    lengths[len(q)],
                    q,
                    _L64,
                    digest_hex.encode(),
                    _L64,
                    prev_bytes,
                )
            )
        ).hexdigest()
        yield position, prev_position, digest_hex, value
        prev_position, prev_bytes = position, value.encode()


@dataclass(frozen=True)
class Link:
    """One row of the chain table."""

    position: int
    prev_position: int
    digest: str
    hash: str


@dataclass(frozen=True)
class StoredRow:
    """One event as stored, with its position."""

    position: int
    originator_id: object
    version: int
    topic: str
    state: bytes

    def digest(self) -> str:
        return event_digest(self.originator_id, self.version, self.topic, self.state)


def link_rows(rows: Iterable[StoredRow], prev: tuple[int, str]) -> Iterator[Link]:
    """The chain links of consecutive ``rows``, after ``prev`` (position, hash)."""
    prev_position, prev_hash = prev
    for row in rows:
        digest = row.digest()
        value = link_hash(row.position, prev_position, digest, prev_hash)
        yield Link(row.position, prev_position, digest, value)
        prev_position, prev_hash = row.position, value


@dataclass(frozen=True)
class ChainSQL:
    """The statements of one backend. ``?`` marks a parameter (PostgreSQL: ``%s``)."""

    events: str  # the qualified events table
    pos: str  # its position column: rowid / notification_id
    chain: str  # the qualified chain table
    seals: str  # the qualified seals table
    mark: str = "?"

    def q(self, statement: str) -> str:
        return statement.replace("?", self.mark)

    @property
    def head(self) -> str:
        return self.q(f"SELECT position, hash FROM {self.chain} ORDER BY position DESC LIMIT 1")

    @property
    def events_between(self) -> str:
        return self.q(
            f"SELECT {self.pos} AS position, originator_id, originator_version, topic, state "
            f"FROM {self.events} WHERE {self.pos} > ? AND {self.pos} < ? "
            f"ORDER BY {self.pos} LIMIT ?"
        )

    @property
    def insert_links(self) -> str:
        return self.q(
            f"INSERT INTO {self.chain} (position, prev_position, digest, hash) VALUES (?, ?, ?, ?)"
        )

    @property
    def audit_rows(self) -> str:
        """Every position after ``?`` that has an event or a link (or both), in order."""
        e, c, p = self.events, self.chain, self.pos
        return self.q(
            f"SELECT * FROM ("
            f"SELECT e.{p} AS position, e.originator_id AS originator_id, "
            f"e.originator_version AS originator_version, e.topic AS topic, e.state AS state, "
            f"c.prev_position AS prev_position, c.digest AS digest, c.hash AS hash "
            f"FROM {e} e LEFT JOIN {c} c ON c.position = e.{p} WHERE e.{p} > ? "
            f"UNION ALL "
            f"SELECT c.position, NULL, NULL, NULL, NULL, c.prev_position, c.digest, c.hash "
            f"FROM {c} c WHERE c.position > ? AND NOT EXISTS "
            f"(SELECT 1 FROM {e} e WHERE e.{p} = c.position)"
            f") AS r ORDER BY position LIMIT ?"
        )


def stored_row(row: Any) -> StoredRow:
    return StoredRow(
        int(row["position"]),
        row["originator_id"],
        int(row["originator_version"]),
        str(row["topic"]),
        bytes(row["state"]),
    )


def head(curs: Cursor, sql: ChainSQL) -> tuple[int, str] | None:
    """The last link: (position, hash), or None when nothing is chained yet."""
    curs.execute(sql.head)
    row = curs.fetchone()
    return None if row is None else (int(row["position"]), str(row["hash"]))


def chain_unchained(curs: Cursor, sql: ChainSQL, before: int) -> tuple[int, str]:
    """Chain a store written before the chain existed: every event before position
    ``before``, from position 1. Returns the new head (``(0, GENESIS)`` if none)."""
    prev = (0, GENESIS)
    while True:
        curs.execute(sql.events_between, (prev[0], before, PAGE))
        rows = [stored_row(r) for r in curs.fetchall()]
        if not rows:
            return prev
        links = list(link_rows(rows, prev))
        curs.executemany(
            sql.insert_links, [(k.position, k.prev_position, k.digest, k.hash) for k in links]
        )
        prev = (links[-1].position, links[-1].hash)


def append_chain(
    curs: Cursor,
    sql: ChainSQL,
    positions: Sequence[int],
    stored_events: Sequence[Any],
    write: Callable[[Iterable[tuple[int, int, str, str]]], None] | None = None,
    *,
    head_read: bool = False,
    known_head: tuple[int, str] | None = None,
) -> None:
    """Link newly inserted events (in the transaction that inserted them).

    ``positions`` are their notification ids, in the order of ``stored_events``.
    ``write`` writes the (position, prev_position, digest, hash) rows itself (the
    PostgreSQL recorder copies them in one stream, the SQLite one inserts many rows a
    statement); by default ``executemany``.
    With ``head_read``, ``known_head`` is :func:`head` as already read in this
    transaction after the lock (the PostgreSQL recorder reads it in the same round
    trip as the lock); by default it is read here.
    """
    if not stored_events:
        return
    first = min(positions)
    last = known_head if head_read else head(curs, sql)
    if last is None:
        last = chain_unchained(curs, sql, first)
    elif last[0] >= first:
        raise LogAltered(
            f"the log was altered: its chain reaches position {last[0]} but the log "
            f"continues at {first} (events were deleted); nothing was recorded. "
            "Run `renda audit verify`"
        )
    events = [
        (p, s.originator_id, s.originator_version, s.topic, bytes(s.state))
        for p, s in zip(positions, stored_events, strict=True)
    ]
    events.sort()  # by position (unique): tuples never compare further
    links = new_links(events, last)
    if write is not None:
        write(links)  # hashed as written: a COPY in progress is not an idle transaction
    else:
        curs.executemany(sql.insert_links, list(links))
