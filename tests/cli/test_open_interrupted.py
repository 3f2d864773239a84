"""``projections catch-up`` when opening the store fails: the server refuses the first
connection for a while (SQLSTATE 53300, no connection slot — made real here by setting
the database's ``CONNECTION LIMIT`` to 0 and putting it back from a thread a second
later). A passing refusal is tried again with the pauses of ``RENDA_PG_RETRY_PAUSES``
and the command then succeeds; a failure that lasts (a wrong password) is exit 8 at
once, with the usual message and no attempts counted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from renda_core.application.postgres import PAUSES_ENV
from tests.cli.test_catch_up_interrupted import prepared, run
from tests.conftest import _new_schema, postgres_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def schema(pg_admin: object) -> Iterator[str]:
    name = _new_schema(pg_admin)
    yield name
    pg_admin.execute(f"DROP SCHEMA {name} CASCADE")  # type: ignore[attr-defined]


class Refusal:
    """The test database refuses new connections (``CONNECTION LIMIT 0``: SQLSTATE
    53300 "too many connections for database") until :meth:`release`, or a thread
    that releases it after ``seconds``."""

    def __init__(self) -> None:
        url = postgres_url()
        assert url is not None
        # opened before the refusal: it is what puts the limit back
        self.conn = psycopg.connect(url, autocommit=True)
        row = self.conn.execute(
            "SELECT current_database(), datconnlimit FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()
        assert row is not None
        self.database, self.limit = psycopg.sql.Identifier(row[0]), int(row[1])
        self.released = threading.Event()

    def refuse(self) -> None:
        self._limit(0)

    def release(self) -> None:
        if not self.released.is_set():
            self._limit(self.limit)
            self.released.set()

    def release_after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self.release)
        timer.start()
        return timer

    def _limit(self, limit: int) -> None:
        self.conn.execute(
            psycopg.sql.SQL("ALTER DATABASE {0} CONNECTION LIMIT {1}").format(
                self.database, psycopg.sql.Literal(limit)
            )
        )


@pytest.fixture
def refusal() -> Iterator[Refusal]:
    held = Refusal()
    try:
        yield held
    finally:
        held.release()
        held.conn.close()


def test_a_store_that_refuses_the_first_connection_is_opened_on_a_later_attempt(
    schema: str, refusal: Refusal, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = prepared(schema)
    monkeypatch.setenv(PAUSES_ENV, "3")  # two attempts: the second after the release
    refusal.refuse()
    timer = refusal.release_after(1.0)
    try:
        caught = run(store, "projections", "catch-up", "--json")
    finally:
        timer.join()
    assert caught.exit_code == 0, caught.output
    assert all(row["position"] == 1 and not row["error"] for row in json.loads(caught.output))


def test_a_refusal_that_outlasts_the_attempts_is_exit_8_saying_so(
    schema: str, refusal: Refusal, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = prepared(schema)
    monkeypatch.setenv(PAUSES_ENV, "0.1")
    refusal.refuse()
    caught = run(store, "projections", "catch-up")
    refusal.release()
    assert caught.exit_code == 8, caught.output
    assert "the server has too many connections" in caught.output
    assert "tried 2 times" in caught.output


def test_a_wrong_password_is_exit_8_at_once_with_the_usual_message(
    schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = prepared(schema)
    parts = urlsplit(store)
    assert parts.hostname is not None
    wrong = parts._replace(
        netloc=f"{parts.username}:not-the-password@{parts.hostname}:{parts.port or 5432}"
    )
    monkeypatch.setenv(PAUSES_ENV, "0.1,0.1,0.1")
    caught = run(urlunsplit(wrong), "projections", "catch-up")
    assert caught.exit_code == 8, caught.output
    assert "check the user name and password of the store URL" in caught.output
    assert "tried" not in caught.output  # one attempt: a wrong password lasts
    assert "Traceback" not in caught.output
