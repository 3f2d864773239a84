"""A write on PostgreSQL when the server ends the session (``pg_terminate_backend``
from another connection, at the moment under test).

- Between commands, while the log's pooled connections sat idle: the next command
  gets live connections (the pool's check finds the ended ones before anything of the
  command is sent) and succeeds.
- While ``COMMIT`` is under way: the outcome is unknown to the client, so the command
  is not sent again (eventsourcing's retry of a write would); exit 8, saying to check
  before running it again; never a traceback. Nothing is half-written: the events,
  their chain links and the command-id rows are one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.domain.errors import StoreUnavailable
from tests.commit_loss import lose_commits
from tests.conftest import REGISTER, STAFF, _new_schema, postgres_url, register_payload

pytestmark = pytest.mark.postgres

UNKNOWN = "it may or may not have been recorded; check"


@pytest.fixture
def schema(pg_admin: object) -> Iterator[str]:
    name = _new_schema(pg_admin)
    yield name
    pg_admin.execute(f"DROP SCHEMA {name} CASCADE")  # type: ignore[attr-defined]


def rows(pg_admin: Any, schema: str) -> dict[str, int]:
    """The rows of the log's tables that a write adds to."""
    return {
        table: pg_admin.execute(f"SELECT count(*) FROM {schema}.renda_{table}").fetchone()[0]
        for table in ("events", "chain", "commands")
    }


@pytest.fixture
def end_at_commit(pg_admin: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every ``COMMIT`` of a write of events (``insert_events``, with the library's
    retry inside it) this process sends: its session is ended by the server just
    before it goes. Returns the backends ended so (one per such ``COMMIT`` sent)."""
    return lose_commits(monkeypatch, pg_admin, committed=False)


def test_idle_connections_the_server_ended_are_replaced_before_a_command(
    schema: str, pg_admin: Any
) -> None:
    with Renda(f"{postgres_url()}?schema={schema}") as app:
        app.register_deputy(register_payload(), STAFF)
        pool = app.factory.datastore.pool  # type: ignore[attr-defined]
        held = [pool.getconn() for _ in range(pool.get_stats()["pool_size"])]
        pids = [conn.info.backend_pid for conn in held]
        for conn in held:
            pool.putconn(conn)
        assert len(set(pids)) == 4  # every pooled connection: each is ended
        for pid in pids:
            assert pg_admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]
        app.register_deputy(register_payload(name="金美玉二"), STAFF)
    assert rows(pg_admin, schema)["events"] == 2


def test_a_commit_whose_answer_was_lost_is_not_sent_again_and_says_to_check(
    schema: str, pg_admin: Any, end_at_commit: list[int]
) -> None:
    with Renda(f"{postgres_url()}?schema={schema}") as app:
        before = rows(pg_admin, schema)
        with pytest.raises(StoreUnavailable, match=UNKNOWN):
            app.register_deputy(register_payload(), STAFF)
        assert len(end_at_commit) == 1  # sent once: not again by the library's retry
    assert rows(pg_admin, schema) == before  # nothing half-written (here: nothing)


def test_the_cli_is_exit_8_saying_to_check_when_a_commits_answer_was_lost(
    schema: str, pg_admin: Any, end_at_commit: list[int]
) -> None:
    store = f"{postgres_url()}?schema={schema}"
    with Renda(store):
        before = rows(pg_admin, schema)
    result = CliRunner().invoke(
        cli, ["--lang", "en", "--store", store, "--actor", "clerk-1", "--role", "staff", *REGISTER]
    )
    assert result.exit_code == 8, result.output
    assert UNKNOWN in result.output
    assert "Traceback" not in result.output
    assert len(end_at_commit) == 1
    assert rows(pg_admin, schema) == before


def test_a_session_ended_before_commit_is_rolled_back_and_the_write_sent_again(
    schema: str, pg_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ended under the write's ``COPY`` (before ``COMMIT``): the server rolled the
    transaction back, so sending it again (eventsourcing's retry of a write) is safe;
    the command is recorded once, its chain link with it."""
    from renda_core.application.recorders_pg import PostgresRendaRecorder

    copy = PostgresRendaRecorder._copy_events
    ended: list[int] = []

    def ending_once(self: Any, curs: Any, *args: Any) -> Any:
        if not ended:
            pid = curs.connection.info.backend_pid
            pg_admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
            ended.append(pid)
        return copy(self, curs, *args)

    monkeypatch.setattr(PostgresRendaRecorder, "_copy_events", ending_once)
    with Renda(f"{postgres_url()}?schema={schema}") as app:
        app.register_deputy(register_payload(), STAFF)
    assert len(ended) == 1
    assert rows(pg_admin, schema) == {"events": 1, "chain": 1, "commands": 0}


def test_an_import_whose_commit_lost_its_answer_says_to_run_it_again(
    schema: str,
    pg_admin: Any,
    end_at_commit: list[int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    """An import's batch is written with its command ids: run again, the ids the lost
    ``COMMIT`` recorded (if it did) are skipped — so the message says to run it again,
    not that the batch was not written."""
    from tests.cli.test_import import deputy, write

    store = f"{postgres_url()}?schema={schema}"
    with Renda(store):
        before = rows(pg_admin, schema)
    path = write(tmp_path, [deputy("lost-i-1"), deputy("lost-i-2", name="李明")])
    cli_args = ["--lang", "en", "--store", store, "import", path]
    result = CliRunner().invoke(cli, cli_args)
    assert result.exit_code == 8, result.output
    assert "may or may not have been written (run the import again" in result.output
    assert "was not written" not in result.output
    assert "Traceback" not in result.output
    assert len(end_at_commit) == 1
    assert rows(pg_admin, schema) == before
    monkeypatch.undo()  # the server answers again
    again = CliRunner().invoke(cli, [*cli_args, "--json"])
    assert again.exit_code == 0, again.output
    assert rows(pg_admin, schema)["events"] == before["events"] + 2
