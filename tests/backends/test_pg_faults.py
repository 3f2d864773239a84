"""PostgreSQL faults, named: against the real local server, each a distinct one-line
message with exit code 8, without waiting, and never showing the password.

"Without waiting" is not a timed bound that a loaded machine can break: the faults the
server answers at once (a refused login, a missing database, a refused port) are asked
for with a long ``connect_timeout`` (``WAIT``) and must come back before it, so they were
neither retried nor left to time out; a server that never answers must take at least its
(short) timeout, and still end well before ``WAIT``: a hang, not a slow machine, breaks it."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda, StoreUnavailable
from renda_core.cli import cli
from tests.conftest import postgres_url

pytestmark = pytest.mark.postgres

SECRET = "Wr0ng-s3cret-" + uuid.uuid4().hex[:8]
WAIT = 60  # seconds: the connect timeout the immediate faults must come back well before


def _url(
    *, password: str | None = None, port: int | None = None, db: str | None = None, wait: int = WAIT
) -> str:
    url = postgres_url()
    assert url is not None
    parts = urlsplit(url)
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:{password if password is not None else parts.password or ''}@{host}"
    netloc += f":{port if port is not None else parts.port or 5432}"
    path = "/" + (db or parts.path.lstrip("/"))
    return urlunsplit((parts.scheme, netloc, path, f"connect_timeout={wait}", ""))


def _run(url: str) -> tuple[Result, float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--store", url, "deputy", "list"])
    return result, time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _assert_fault(result: Result, seconds: float, *, expected: str, limit: float = WAIT) -> str:
    assert result.exit_code == 8, result.output
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert expected in lines[0], lines[0]
    assert seconds < limit, f"took {seconds:.2f}s: it waited for the connect timeout ({limit} s)"
    return lines[0]


def test_wrong_password_refused_login_missing_database_and_refused_port_are_distinct(
    pg_admin: object,
) -> None:
    messages = {}
    result, seconds = _run(_url(password=SECRET))
    messages["auth"] = _assert_fault(result, seconds, expected="authentication failed for user")
    missing = "renda_missing_" + uuid.uuid4().hex[:8]
    result, seconds = _run(_url(password=SECRET, db=missing))
    # The server checks the password first: a wrong password never reveals the database.
    assert "authentication failed" in result.output
    result, seconds = _run(_url(db=missing))
    messages["missing"] = _assert_fault(
        result, seconds, expected=f'database "{missing}" does not exist'
    )
    result, seconds = _run(_url(password=SECRET, port=_free_port()))
    messages["refused"] = _assert_fault(result, seconds, expected="connection refused")
    assert len(set(messages.values())) == 3
    for message in messages.values():
        assert message.startswith("Error: cannot open the store postgresql://")


def test_a_server_that_never_answers_is_a_timeout(silent_server: int) -> None:
    url = _url(password=SECRET, port=silent_server, wait=2)
    result, seconds = _run(url)
    _assert_fault(result, seconds, expected="no answer in time (timeout)")
    assert seconds >= 1.5  # it did wait for the connect timeout, not fail for another cause


def test_unknown_host_is_named_as_dns() -> None:
    with pytest.raises(StoreUnavailable, match=r"host name not found \(DNS\)"):
        Renda(f"postgresql://renda:{SECRET}@no-such-host.invalid:5432/renda")


def test_the_application_raises_the_same_named_faults(pg_admin: object) -> None:
    with pytest.raises(StoreUnavailable, match="authentication failed") as caught:
        Renda(_url(password=SECRET))
    assert SECRET not in caught.value.message
    assert caught.value.exit_code == 8


def test_connect_timeout_must_be_whole_seconds() -> None:
    with pytest.raises(StoreUnavailable, match="connect_timeout 'x'"):
        Renda("postgresql://u:p@127.0.0.1:5432/db?connect_timeout=x")


def test_sqlstate_decides_when_the_server_gives_one(pg_admin: object) -> None:
    import psycopg

    from renda_core.application.faults import READ_ONLY, describe

    url = postgres_url()
    assert url is not None
    read_only = "-c default_transaction_read_only=on"
    with psycopg.connect(url, options=read_only) as conn, pytest.raises(psycopg.Error) as caught:
        conn.execute("CREATE TABLE renda_read_only_probe (x int)")
    assert caught.value.sqlstate == "25006"
    assert describe(caught.value) == READ_ONLY


def test_a_pool_that_gives_no_connection_is_a_timeout() -> None:
    from psycopg_pool import PoolTimeout

    from renda_core.application.faults import store_fault

    fault = store_fault("cannot load", PoolTimeout("couldn't get a connection after 5.00 sec"))
    assert fault.exit_code == 8
    assert fault.message.startswith("cannot load: no answer in time (timeout)")


@pytest.mark.parametrize(
    "text",
    [
        "FATAL:  sorry, too many clients already",
        "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
    ],
)
def test_a_full_server_is_named(text: str) -> None:
    import psycopg

    from renda_core.application.faults import describe

    assert describe(psycopg.OperationalError(text)) == (
        "the server has too many connections: retry later"
    )
