"""PostgreSQL support is an extra (``pip install "renda[postgres]"``): psycopg and
eventsourcing's PostgreSQL module are imported only when a ``postgresql://`` store is
opened, and a missing driver is the store-unavailable error (exit 8) saying what to
install, not an ``ImportError``."""

from __future__ import annotations

import math
import os
import sys
from contextlib import suppress
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from renda_core.domain.errors import InvalidInput, StoreUnavailable

R = TypeVar("R")

if TYPE_CHECKING:
    from collections.abc import Callable

    from tenacity import RetryCallState

INSTALL_HINT = 'PostgreSQL support is not installed: pip install "renda[postgres]"'


def require_psycopg(location: str = "") -> ModuleType:
    """The ``psycopg`` module; :class:`StoreUnavailable` (exit 8) when it is missing."""
    try:
        import psycopg
    except ImportError:
        where = f"cannot open the store {location}: " if location else ""
        raise StoreUnavailable(f"{where}{INSTALL_HINT}") from None
    return psycopg


def open_pool(datastore: Any) -> None:
    """Open ``datastore``'s pool (an eventsourcing ``PostgresDatastore``) and wait, up to
    its connect timeout, until it holds its ``POSTGRES_POOL_SIZE`` connections, before
    anything is read or written through it.

    eventsourcing opens a pool without waiting: the first request, made while the first
    connection is still being made, finds the pool empty and makes it grow by one more,
    which then stays for the pool's ten idle minutes (the log's pool held five
    connections, not four). A pool that cannot be filled in time is left to the first
    statement, which reports why."""
    from psycopg_pool import PoolTimeout

    with suppress(PoolTimeout):
        datastore.pool.open(wait=True, timeout=datastore.pool.timeout)


def commit_outcome_unknown(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) is a ``COMMIT`` whose answer
    was lost (:class:`~renda_core.application.connection_pg.CommitOutcomeUnknown`): the
    write may or may not have been recorded. Imports nothing."""
    module = sys.modules.get("renda_core.application.connection_pg")
    if module is None:
        return False
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, module.CommitOutcomeUnknown):
            return True
        seen = seen.__cause__
    return False


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
#: broke under a statement, the pool had no connection to give in time, or the server
#: refused a new connection for now (libpq gives a refused connection no SQLSTATE:
#: 53300 and 57P03 are known by their messages).
TRANSIENT_MESSAGES = (
    "server closed the connection unexpectedly",
    "consuming input failed",
    "terminating connection",
    "the connection is lost",
    "connection is closed",
    "couldn't get a connection",
    "too many connections",
    "too many clients",
    "remaining connection slots are reserved",
    "the database system is starting up",
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


#: the pauses (seconds) before each new attempt of work that a passing PostgreSQL
#: failure interrupted, by default (three attempts in all): long enough for a restarted
#: connection or a finished conflicting transaction, short enough that an outage is
#: reported within seconds rather than hanging
PAUSES = (1.0, 3.0)
#: the environment variable that sets them: seconds, comma-separated (``0.5,2,5`` is
#: four attempts); empty or ``none`` is one attempt, nothing tried again
PAUSES_ENV = "RENDA_PG_RETRY_PAUSES"


class PassingFailures(NamedTuple):
    """How work interrupted by a passing PostgreSQL failure (:func:`transient`) is
    tried again: after each pause of ``pauses`` (seconds), ``len(pauses) + 1`` attempts
    in all. The work must be safe to run again, and the caller says why it is (see
    :meth:`ProjectionRunner.catch_up
    <renda_core.projections.runner.ProjectionRunner.catch_up>`). Nothing is imported
    for it until it runs (a report on SQLite starts without logging or tenacity)."""

    pauses: tuple[float, ...] = PAUSES

    @property
    def attempts(self) -> int:
        return len(self.pauses) + 1

    @classmethod
    def from_env(cls) -> PassingFailures:
        """The pauses of ``RENDA_PG_RETRY_PAUSES``, else :data:`PAUSES`; a value that is
        not a list of seconds is refused (:class:`InvalidInput`), not ignored."""
        value = os.environ.get(PAUSES_ENV)
        if value is None:
            return cls()
        text = value.strip()
        if text.lower() in ("", "none"):
            return cls(())
        try:
            pauses = tuple(float(part) for part in text.split(","))
        except ValueError:
            pauses = ()
        if not pauses or any(not math.isfinite(p) or p < 0 for p in pauses):
            raise InvalidInput(
                f"{PAUSES_ENV} must be seconds separated by commas (like 1,3), not {value!r}",
                [{"field": PAUSES_ENV, "message": "not a list of seconds"}],
            )
        return cls(pauses)

    def run(
        self,
        work: Callable[[], R],
        *,
        again: Callable[[], None],
        exhausted: Callable[[StoreUnavailable, int], StoreUnavailable],
    ) -> R:
        """``work()``, run again while it raises a passing :class:`StoreUnavailable`.

        Before each new attempt ``again()`` runs (inside the attempt: a passing failure
        there is tried again too): it must give the work connections the server has not
        ended. Any other error, and the failure of an attempt that is not passing, is
        raised at once as it was. When every attempt failed,
        ``exhausted(last_failure, attempts)`` is raised from the last failure.
        """
        # imported here: a store on SQLite (and the CLI's start) never needs it
        from tenacity import (
            RetryError,
            Retrying,
            retry_if_exception,
            stop_after_attempt,
            wait_chain,
            wait_fixed,
            wait_none,
        )

        retrying = Retrying(
            retry=retry_if_exception(
                lambda exc: isinstance(exc, StoreUnavailable) and transient(exc)
            ),
            stop=stop_after_attempt(self.attempts),
            wait=wait_chain(*(wait_fixed(p) for p in self.pauses)) if self.pauses else wait_none(),
            before_sleep=_log_attempt,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        again()
                    return work()
        except RetryError as error:
            failure = error.last_attempt.exception()
            assert isinstance(failure, StoreUnavailable)
            raise exhausted(failure, self.attempts) from failure
        raise AssertionError("unreachable: tenacity ends in a return or an error")


def _log_attempt(state: RetryCallState) -> None:
    import logging

    failure = state.outcome.exception() if state.outcome is not None else None
    pause = state.next_action.sleep if state.next_action is not None else 0.0
    logging.getLogger(__name__).info(
        "attempt %d interrupted by a passing PostgreSQL failure, again in %.1f s: %s",
        state.attempt_number,
        pause,
        failure,
    )
