"""The pauses of a long-running follower while the store is unavailable.

``deliver run --follow`` and ``events export --follow`` outlive an outage of the store
(the PostgreSQL server restarting, the network down, a SQLite store locked by another
writer, a full disk): a pass that fails with :class:`~renda_core.domain.errors.
StoreUnavailable` is tried again after a pause that doubles from the follower's own
poll (at least a second) up to :data:`LONGEST`, and back to the poll once a pass
succeeds. The follower says each failed pass (stderr: the journal, under systemd).
"""

from __future__ import annotations

from collections.abc import Callable

from renda_core.domain.errors import StoreUnavailable

#: the longest pause between passes while the store is unavailable (seconds)
LONGEST = 300.0

#: told of each failed pass: the error and the pause before the next one (seconds)
Unavailable = Callable[[StoreUnavailable, float], object]


class OutagePauses:
    """The pause after each failed pass in a row: ``poll`` (at least a second), then
    twice the last, up to ``longest``; :meth:`reset` after a pass that succeeded."""

    __slots__ = ("_failures", "first", "longest")

    def __init__(self, poll: float, longest: float = LONGEST) -> None:
        self.first = max(poll, 1.0)
        self.longest = longest
        self._failures = 0

    def next(self) -> float:
        pause = min(self.first * 2.0 ** min(self._failures, 30), self.longest)
        self._failures += 1
        return pause

    def reset(self) -> None:
        self._failures = 0
