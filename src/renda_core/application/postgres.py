"""PostgreSQL support is an extra (``pip install "renda[postgres]"``): psycopg and
eventsourcing's PostgreSQL module are imported only when a ``postgresql://`` store is
opened, and a missing driver is the store-unavailable error (exit 8) saying what to
install, not an ``ImportError``."""

from __future__ import annotations

import sys
from types import ModuleType

from renda_core.domain.errors import StoreUnavailable

INSTALL_HINT = 'PostgreSQL support is not installed: pip install "renda[postgres]"'


def require_psycopg(location: str = "") -> ModuleType:
    """The ``psycopg`` module; :class:`StoreUnavailable` (exit 8) when it is missing."""
    try:
        import psycopg
    except ImportError:
        where = f"cannot open the store {location}: " if location else ""
        raise StoreUnavailable(f"{where}{INSTALL_HINT}") from None
    return psycopg


def loaded_psycopg() -> ModuleType | None:
    """``psycopg`` if something imported it already (no psycopg error can happen
    before that), else ``None``; never imports it."""
    module = sys.modules.get("psycopg")
    return module if isinstance(module, ModuleType) else None


#: SQLSTATEs of a PostgreSQL failure that a later attempt may not meet: the session was
#: ended or lost (class 08, 57P01/57P02 the server or an administrator ended it, 25P03
#: idle in a transaction past the server's limit), the server was briefly unable to
#: take it (57P03 starting up, 53300 no connection slot), or the transaction lost a
#: conflict (40001 serialization, 40P01 deadlock, 55P03 a lock not available in time).
#: The transaction was rolled back in every case: nothing of it was written.
TRANSIENT_SQLSTATES = frozenset(
    {"57P01", "57P02", "57P03", "25P03", "53300", "40001", "40P01", "55P03"}
)

#: The same kinds of failure where libpq or the pool name no SQLSTATE: the connection
#: broke under a statement, or the pool had no connection to give in time.
TRANSIENT_MESSAGES = (
    "server closed the connection unexpectedly",
    "consuming input failed",
    "terminating connection",
    "the connection is lost",
    "connection is closed",
    "couldn't get a connection",
)


def transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) is a PostgreSQL failure worth
    another try: see :data:`TRANSIENT_SQLSTATES`. A refused connection, a wrong password,
    a missing database or schema are not: they last until someone acts."""
    seen: BaseException | None = exc
    while seen is not None:
        state = getattr(seen, "sqlstate", None)
        if isinstance(state, str) and (state in TRANSIENT_SQLSTATES or state.startswith("08")):
            return True
        text = str(seen).lower()
        if any(message in text for message in TRANSIENT_MESSAGES):
            return True
        seen = seen.__cause__
    return False
