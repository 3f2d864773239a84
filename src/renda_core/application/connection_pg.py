"""The log's PostgreSQL connections (imported only for a PostgreSQL store: it needs
psycopg, the ``postgres`` extra): what a write does when the server ends its session.

- A pooled connection the server ended while it sat idle (a restart, an administrator's
  ``pg_terminate_backend``, a proxy's timeout) is found before the pool hands it out and
  replaced (:class:`LogPool`): nothing has been sent for the command yet, so sending it
  on another connection is always safe. An idle connection that has something to read
  is one the server wrote to: it is pinged (one round trip); any other is handed out as
  it is (no round trip per transaction).
- A connection that breaks after ``COMMIT`` was sent and before the server's answer
  came leaves the outcome unknown: the command may or may not have been recorded.
  That is :class:`CommitOutcomeUnknown`, never sent again by the library's retry of a
  write (which retries only ``OperationalError``/``InterfaceError``): a command with a
  command id may be sent again (the id makes it a no-op if the first committed),
  another one must be checked first (see docs/operations.md).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from eventsourcing.postgres import ConnectionPool as PoolBase
from psycopg import pq
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool


class CommitOutcomeUnknown(psycopg.DatabaseError):
    """The connection broke while ``COMMIT`` was under way: the transaction may have
    been committed or not. A :class:`psycopg.DatabaseError`, not an
    ``OperationalError``: eventsourcing's retry of a write does not send it again."""


class LogConnection(psycopg.Connection[DictRow]):
    """A connection of the log's pool: a ``COMMIT`` whose answer was lost (the
    connection broke under it) is :class:`CommitOutcomeUnknown`. A ``COMMIT`` the
    server answered with an error (a serialization failure, a deferred constraint) was
    rolled back: raised as it is."""

    def _exec_command(self, command: Any, result_format: pq.Format = pq.Format.TEXT) -> Any:
        if command != b"COMMIT" or self._pipeline:
            return (yield from super()._exec_command(command, result_format))
        try:
            return (yield from super()._exec_command(command, result_format))
        except psycopg.OperationalError as exc:
            if not (self.broken or self.closed or self.pgconn.status == pq.ConnStatus.BAD):
                raise
            raise CommitOutcomeUnknown(
                f"the connection broke while the transaction was being committed ({exc})"
            ) from exc


def ended(conn: psycopg.Connection[Any]) -> bool:
    """Whether the server ended this idle connection: it is closed, or it has something
    to read (an idle session the server wrote to: its termination notice, most likely)
    and a ping fails. No round trip for a connection with nothing to read."""
    if conn.closed or conn.broken:
        return True
    readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
    if not readable:
        return False
    try:
        ConnectionPool.check_connection(conn)
    except psycopg.Error:
        return True
    return False


class LogPool(PoolBase[Any]):
    """The log's pool: a connection the server ended while it was idle is not handed
    out; it is dropped (the pool makes a new one) and the pool's other idle connections
    are checked at once (a restart ends them all), before another is taken. psycopg's
    own ``check`` callback would wait a second (its backoff) between two ended ones."""

    def getconn(self, timeout: float | None = None) -> Any:
        for _ in range(self.max_size + 1):
            conn = super().getconn(timeout)
            if not ended(conn):
                return conn
            self.putconn(conn)  # closed: discarded and replaced by the pool
            self.check()
        return super().getconn(timeout)


def prepare_pool(pool: Any) -> None:
    """Give the log's pool (eventsourcing's, not open yet) its connection class and
    the check of :class:`LogPool`."""
    assert isinstance(pool, PoolBase) and not isinstance(pool, LogPool)
    pool.__class__ = LogPool
    pool.connection_class = LogConnection
