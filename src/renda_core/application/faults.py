"""Store faults, named: what went wrong with the event store, in one line, and what to do.

Every failure of the store becomes :class:`StoreUnavailable` (exit code 8). This module
says *which* failure it was — host unreachable, authentication failed, database missing,
timeout, read-only store, damaged file — so an operator can act on the message alone
(the table in ``docs/operations.md`` lists them). Passwords are never part of a message:
the store's location is shown without it, and libpq's messages do not carry it.

- :func:`describe` classifies an exception (psycopg, sqlite3, or eventsourcing's
  wrappers of them) by SQLSTATE and message;
- :func:`store_fault` builds the error that ``store_errors`` raises;
- :func:`check_store` runs when the application opens the store: one direct
  ``psycopg.connect`` with the URL's connect timeout (the pool would retry for its whole
  timeout and then only say "couldn't get a connection"), or a cheap look at a SQLite
  file's header and size;
- :class:`SQLiteStoreRecorder` names the log's file in damage errors and refuses writes
  to a read-only store before trying them;
- :func:`check_sqlite_files` is ``renda store check``: ``PRAGMA quick_check`` of the log
  and of every view file, read-only.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renda_core.application.postgres import loaded_psycopg, require_psycopg
from renda_core.application.store import MEMORY, StoreConfig, read_uri
from renda_core.domain.errors import StoreUnavailable

if TYPE_CHECKING:
    from renda_core.application.store_recorder import SQLiteStoreRecorder as SQLiteStoreRecorder
    from renda_core.i18n import ErrorMessage

SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE = "restore it from a backup (docs/operations.md)"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, also when eventsourcing wrapped it."""
    seen: BaseException | None = exc
    while seen is not None:
        state = getattr(seen, "sqlstate", None)
        if isinstance(state, str):
            return state
        seen = seen.__cause__
    return None


def _quoted(text: str, after: str) -> str:
    found = re.search(after + r' "([^"]*)"', text)
    return f' "{found.group(1)}"' if found else ""


def _is_timeout(exc: BaseException) -> bool:
    psycopg = loaded_psycopg()
    timeouts: tuple[type[BaseException], ...] = (TimeoutError,)
    if psycopg is not None:
        timeouts += (psycopg.errors.ConnectionTimeout,)
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, timeouts):
            return True
        seen = seen.__cause__
    return False


def _cause(text: ErrorMessage) -> str:
    """A store fault's cause: catalogued under ``error`` (the extraction reads the
    messages passed here), so a driver shows it in the clerk's language."""
    return text


READ_ONLY = _cause("the store is read-only: nothing was recorded")


def _undecodable(exc: BaseException) -> bool:
    """eventsourcing's ``MapperDeserialisationError`` (none can be raised before its
    module is loaded: it is not imported for the question)."""
    persistence = sys.modules.get("eventsourcing.persistence")
    return persistence is not None and isinstance(exc, persistence.MapperDeserialisationError)


def describe(exc: BaseException) -> str | None:
    """A one-line cause and remedy for a known store fault, or ``None``."""
    text = _one_line(exc)
    low = text.lower()
    state = _sqlstate(exc)
    if state == "25006" or "attempt to write a readonly database" in low:
        return READ_ONLY
    if _undecodable(exc):
        return _cause(
            "a stored event cannot be decoded: the store file is damaged "
            "(run `renda store check`) or CIPHER_KEY is not the key it was written with"
        )
    if (
        "database disk image is malformed" in low
        or "file is not a database" in low
        or "malformed database schema" in low
        or "could not decode to utf-8" in low
    ):
        return _cause(
            f"a SQLite file of the store is damaged ({text}): run `renda store check`; "
            "restore the log from a backup, or delete a damaged view file (it is rebuilt)"
        )
    if "unable to open database file" in low:
        return _cause(
            "the SQLite file cannot be opened: it is missing, or its folder cannot be read"
        )
    if "database is locked" in low or "database table is locked" in low:
        return _cause("the store stayed locked by another writer: retry in a moment")
    if "disk i/o error" in low:
        return _cause(f"the disk failed while reading or writing the store ({text})")
    if "database or disk is full" in low:
        return _cause("the disk is full: free space, then retry (nothing was recorded)")
    if "no such table" in low:
        return _cause(f"the file has no renda event log ({text}): is this the right store?")
    if state in ("28P01", "28000") or "authentication failed" in low:
        return _cause(
            f"authentication failed for user{_quoted(text, 'for user')}: "
            "check the user name and password of the store URL"
        )
    if "no pg_hba.conf entry" in low:
        return _cause(
            "the server does not accept this user from this host (pg_hba.conf): "
            "ask the database administrator"
        )
    if state == "3D000" or re.search(r'database "[^"]*" does not exist', text):
        return _cause(
            f"database{_quoted(text, 'database')} does not exist on the server: "
            "create it (createdb) or correct the URL"
        )
    if state == "3F000" or re.search(r'schema "[^"]*" does not exist', text):
        return _cause(
            f"schema{_quoted(text, 'schema')} does not exist: create it or correct ?schema="
        )
    if "connection refused" in low:
        return _cause(
            "connection refused: nothing listens at that host and port "
            "(is PostgreSQL running, is the port right?)"
        )
    if (
        "failed to resolve host" in low
        or "could not translate host name" in low
        or "name or service not known" in low
        or "nodename nor servname" in low
    ):
        return _cause("host name not found (DNS): check the host in the store URL")
    if "no route to host" in low or "network is unreachable" in low:
        return _cause(
            "host unreachable (no route): check the network and the host in the store URL"
        )
    if (
        _is_timeout(exc)
        or "timeout expired" in low
        or "timed out" in low
        or "couldn't get a connection" in low
    ):
        return _cause(
            "no answer in time (timeout): the server is down, overloaded, or a firewall "
            "drops the connection; retry, or raise ?connect_timeout="
        )
    if (
        state == "53300"
        or "too many clients" in low
        or "too many connections" in low
        or "remaining connection slots are reserved" in low
    ):
        return _cause("the server has too many connections: retry later")
    if "while the transaction was being committed" in low:
        return _cause(
            "the connection to the server broke while the command was being committed: "
            "it may or may not have been recorded; check (e.g. with the list or show "
            "command) before running it again"
        )
    if (
        state in ("57P01", "57P02", "25P03")
        or "terminating connection" in low
        or "server closed the connection unexpectedly" in low
    ):
        return _cause(
            "the server ended the connection (an administrator, a restart, or its "
            "idle-in-transaction limit): the interrupted write was not recorded; retry"
        )
    if state in ("40001", "40P01"):
        return _cause(
            "a concurrent transaction conflicted with this one: nothing was recorded; retry"
        )
    if state == "57P03" or "starting up" in low or "shutting down" in low:
        return _cause("the server is starting up or shutting down: retry in a moment")
    if state == "42501" or "permission denied" in low:
        return _cause(f"the store's user lacks a right ({text}): ask the database administrator")
    return None


def store_fault(what: str, exc: BaseException) -> StoreUnavailable:
    """The error ``store_errors`` raises for an infrastructure failure: what could not
    be done and why, each catalogued (``{action}: {cause}``, shown 「…：…」 in Chinese)."""
    cause = describe(exc)
    if cause is None:
        detail = _one_line(exc) or type(exc).__name__
        cause = _cause(f"the event store failed: {detail}")
    return StoreUnavailable(
        f"{what}: {cause}", msgid="{action}: {cause}", params={"action": what, "cause": cause}
    )


# -- opening ---------------------------------------------------------------------


def check_store(store: StoreConfig) -> None:
    """Fail fast and by name when the store cannot be used (see the module docstring)."""
    if store.is_sqlite:
        if store.location != MEMORY:
            check_sqlite_header(Path(store.location))
        return
    env = store.env
    psycopg = require_psycopg(store.location)  # the extra is missing: exit 8, saying so
    try:
        conn = psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5),
        )
    except psycopg.Error as exc:
        # from exc: a passing refusal (53300, 57P03) keeps its SQLSTATE, so the
        # catch-up tries opening again (postgres.transient)
        raise store_fault(f"cannot open the store {store.location}", exc) from exc
    conn.close()


def check_sqlite_header(path: Path) -> None:
    """Cheap checks of a SQLite file: its header, and that it holds every page its header
    counts. A new or empty file passes. While a writer may be active (a non-empty ``-wal``
    or a ``-journal`` beside it, before or after the look) the file may be mid-checkpoint,
    so nothing is concluded: SQLite itself reports real damage when it reads it."""
    quiet = not _writer_active(path)
    try:
        with path.open("rb") as f:
            header = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return
    if size == 0 or not quiet or _writer_active(path):
        return
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreUnavailable(
            f"the store file {path} is not a SQLite database (damaged, or another kind "
            f"of file): {RESTORE}"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreUnavailable(f"the store file {path} is damaged (bad page size): {RESTORE}")
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96] and pages > 0
    if counted and size < pages * page_size:
        raise StoreUnavailable(
            f"the store file {path} is truncated ({size} of {pages * page_size} bytes): {RESTORE}"
        )


def _writer_active(path: Path) -> bool:
    """A non-empty ``-wal`` (a read-only open may leave an empty one) or a ``-journal``."""
    try:
        if Path(f"{path}-wal").stat().st_size > 0:
            return True
    except FileNotFoundError:
        pass
    return Path(f"{path}-journal").exists()


# -- the log's recorder ------------------------------------------------------------
# :class:`SQLiteStoreRecorder` is in :mod:`renda_core.application.store_recorder` (it is
# an eventsourcing recorder): this module's checks and messages import no eventsourcing,
# so a report read from current views names a fault without loading it.


def __getattr__(name: str) -> Any:
    """``SQLiteStoreRecorder`` stays importable from here (from its own module, which
    imports eventsourcing when asked for)."""
    if name == "SQLiteStoreRecorder":
        from renda_core.application.store_recorder import SQLiteStoreRecorder

        return SQLiteStoreRecorder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- renda store check ----------------------------------------------------------------


@dataclass
class FileCheck:
    """One SQLite file of a store and what ``PRAGMA quick_check`` (or the header) said."""

    file: str
    role: str  # "log" or "view <name>"
    ok: bool
    problems: list[str]
    note: str = ""
    events: int | None = None  # the log's events decoded (``renda store check``)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "role": self.role,
            "ok": self.ok,
            "problems": self.problems,
            "note": self.note,
        }


def check_sqlite_files(store: StoreConfig, *, full: bool = False) -> list[FileCheck]:
    """Check the log file and every view file of a SQLite store, without writing."""
    if not store.is_sqlite or store.location == MEMORY:
        raise StoreUnavailable("`renda store check` checks SQLite files; this store is not one")
    log = Path(store.location)
    if not log.is_file():
        raise StoreUnavailable(f"the store {log} does not exist")
    files = [(log, "log")]
    views = store.views_dir
    if views.is_dir():
        files += [(p, f"view {p.stem}") for p in sorted(views.glob("*.sqlite"))]
    return [_check_file(path, role, full) for path, role in files]


def _check_file(path: Path, role: str, full: bool) -> FileCheck:
    try:
        check_sqlite_header(path)
    except StoreUnavailable as exc:
        return FileCheck(str(path), role, False, [exc.message])
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = sqlite3.connect(read_uri(path), uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return FileCheck(str(path), role, False, [_one_line(exc)])
    ok = rows == ["ok"]
    return FileCheck(str(path), role, ok, [] if ok else rows)
