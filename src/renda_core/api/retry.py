"""Retrying a unit of work that lost a race with another writer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar, overload

from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from renda_core.domain.errors import ConcurrentModification

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 5
WAIT_INITIAL = 0.05  # seconds
WAIT_MAX = 2.0


@overload
def retry_on_conflict(func: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def retry_on_conflict(
    *, attempts: int = ATTEMPTS, wait_initial: float = WAIT_INITIAL, wait_max: float = WAIT_MAX
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def retry_on_conflict(
    func: Callable[P, R] | None = None,
    /,
    *,
    attempts: int = ATTEMPTS,
    wait_initial: float = WAIT_INITIAL,
    wait_max: float = WAIT_MAX,
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Run ``func`` again when it raises :class:`ConcurrentModification`.

    A conflict means another writer changed a record this work changed, at the same
    time; nothing of the losing write was recorded, so running the whole function again
    (it reloads the records) is safe. Other errors are not retried. After ``attempts``
    tries the last ``ConcurrentModification`` is raised. Waits are random and grow
    exponentially from ``wait_initial`` up to ``wait_max`` seconds (full jitter), so
    writers that collided do not collide again.

    Use it as ``@retry_on_conflict`` or ``@retry_on_conflict(attempts=3)``; wrap the
    function that opens the unit of work, never a command inside one::

        @retry_on_conflict
        def assign(app, sid):
            with app.unit_of_work():
                app.assign_suggestion({...})
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(inner: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(inner)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            retrying = Retrying(
                retry=retry_if_exception_type(ConcurrentModification),
                stop=stop_after_attempt(attempts),
                wait=wait_random_exponential(multiplier=wait_initial, max=wait_max),
                reraise=True,
            )
            return retrying(inner, *args, **kwargs)

        return run

    return decorate(func) if func is not None else decorate


__all__ = ["retry_on_conflict"]
