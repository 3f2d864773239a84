"""Ids of new aggregates.

By default a new aggregate gets a random UUID. An importer that must give aggregates the
ids written in its file (so later lines can refer to them, and a re-run gets the same
ids) assigns them for the duration of one command with :func:`assigned_ids`. Aggregates
keyed by a natural key (a division by its code) use ``uuid5`` instead and ignore this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID, uuid4

_assigned: ContextVar[list[UUID] | None] = ContextVar("renda_assigned_ids", default=None)


def new_id() -> UUID:
    """The next assigned id, or a random one."""
    queue = _assigned.get()
    if queue:
        return queue.pop(0)
    return uuid4()


@contextmanager
def assigned_ids(*ids: UUID) -> Iterator[None]:
    """Within this block, new aggregates take these ids, in order."""
    token = _assigned.set(list(ids))
    try:
        yield
    finally:
        _assigned.reset(token)
