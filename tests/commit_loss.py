"""Losing the answer of a write's ``COMMIT`` on PostgreSQL, for tests: the server ends
the session under it (``pg_terminate_backend`` from another connection)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from renda_core.application.connection_pg import CommitOutcomeUnknown


def lose_commits(
    monkeypatch: pytest.MonkeyPatch, pg_admin: Any, *, committed: bool, times: int | None = None
) -> list[int]:
    """The next ``times`` ``COMMIT``s of a write of events lose their answer: the
    server ends the session before the ``COMMIT`` goes (``committed=False``) or right
    after it was answered (``committed=True``: the answer counted as lost). Returns the
    backends ended so. ``times=None``: every such ``COMMIT``."""
    from renda_core.application.recorders_pg import PostgresRendaRecorder

    ended: list[int] = []
    writing = [False]
    send = psycopg.Connection._exec_command
    insert = PostgresRendaRecorder.insert_events

    def losing(self: Any, command: Any, result_format: Any = psycopg.pq.Format.TEXT) -> Any:
        if command != b"COMMIT" or not writing[0] or (times is not None and len(ended) >= times):
            return (yield from send(self, command, result_format))
        pid = self.info.backend_pid
        ended.append(pid)
        if not committed:
            pg_admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
            return (yield from send(self, command, result_format))
        yield from send(self, command, result_format)
        pg_admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        raise CommitOutcomeUnknown("the connection broke while the transaction was being committed")

    def inserting(self: Any, *args: Any, **kwargs: Any) -> Any:
        writing[0] = True
        try:
            return insert(self, *args, **kwargs)
        finally:
            writing[0] = False

    monkeypatch.setattr(psycopg.Connection, "_exec_command", losing)
    monkeypatch.setattr(PostgresRendaRecorder, "insert_events", inserting)
    return ended
