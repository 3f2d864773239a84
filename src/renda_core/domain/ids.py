"""Ids of new aggregates.

By default a new aggregate gets a random UUID. An importer that must give aggregates the
ids written in its file (so later lines can refer to them, and a re-run gets the same
ids) assigns them for the duration of one command with :func:`assigned_ids`. Aggregates
keyed by a natural key (a division by its code) use ``uuid5`` instead and ignore this.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from uuid import UUID, uuid4

_assigned: ContextVar[list[UUID] | None] = ContextVar("renda_assigned_ids", default=None)


def new_id() -> UUID:
    """The next assigned id, or a random one."""
    queue = _assigned.get()
    if queue:
        return queue.pop(0)
    return uuid4()


class assigned_ids:  # lower case: used as a function, ``with assigned_ids(...)``
    """Within this block, new aggregates take these ids, in order.

    A small context manager class rather than a ``@contextmanager`` generator: an
    import enters one per line, and the generator's set-up cost more than the rest."""

    __slots__ = ("_ids", "_token")

    def __init__(self, *ids: UUID) -> None:
        self._ids = ids

    def __enter__(self) -> None:
        self._token = _assigned.set(list(self._ids))

    def __exit__(self, *exc: object) -> None:
        _assigned.reset(self._token)


class ids_in_turn:
    """Many commands in turn, each with its own assigned ids: ``with ids_in_turn() as
    assign:``, then ``assign(id)`` before each command — what a ``with assigned_ids(id)``
    around each one does (ids a command left unused are not offered to the next), for
    one context variable set per block rather than per command (an import assigns an
    id to every line)."""

    __slots__ = ("_queue", "_token")

    def __init__(self) -> None:
        self._queue: list[UUID] = []

    def __enter__(self) -> Callable[..., None]:
        self._token = _assigned.set(self._queue)
        queue = self._queue

        def assign(*ids: UUID) -> None:
            queue[:] = ids

        return assign

    def __exit__(self, *exc: object) -> None:
        self._queue.clear()
        _assigned.reset(self._token)
