"""The demo province's deputies, kept a few bytes each between the phases that use them.

At scale 5 the demo draws 282,950 deputies. A record object per deputy for the whole run
(the record, its serial number, its name, its id as a ``UUID``, its dates) took ≈ 330 B
each, ≈ 93 MB: the largest part of the build's memory (issue 15, target 3). After
its county's phase a deputy is drawn again only if provincial (liaison, groups,
training, suggestions, the bulletin, the committee, the meetings) or by the reports to
constituents, which read a deputy's level, home and id. So the :class:`Roll` keeps, per
deputy, a byte for the level, a byte for whether the deputy enters a station, four bytes
for the home and sixteen for the id once registered; the generator makes :class:`Deputy`
records for one county's deputies while that county is written, and keeps the
provincial ones.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from renda_core.demo.geography import Place
from renda_core.domain.values import Level

LEVELS = tuple(level.value for level in Level)
#: the bytes of an id not yet recorded (a ``uuid5`` id is never all zeros)
UNREGISTERED = bytes(16)


@dataclass(slots=True)
class Deputy:
    n: int
    level: str
    home: Place
    enters: bool
    name: str = ""
    id: UUID | None = None
    entered_on: date | None = None


class Roll:
    """Every deputy of the province, by serial number ``n`` (1, 2, …, in the order drawn)."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = places
        self._place_index = {place.code: i for i, place in enumerate(places)}
        self._levels = bytearray()
        self._enters = bytearray()
        self._homes = array("I")
        self._ids = bytearray()

    def __len__(self) -> int:
        return len(self._levels)

    def add(self, level: str, home: Place, enters: bool) -> int:
        """Record a deputy drawn; returns its serial number."""
        self._levels.append(LEVELS.index(level))
        self._enters.append(enters)
        self._homes.append(self._place_index[home.code])
        self._ids += UNREGISTERED
        return len(self._levels)

    def level(self, n: int) -> str:
        return LEVELS[self._levels[n - 1]]

    def enters(self, n: int) -> bool:
        return bool(self._enters[n - 1])

    def home(self, n: int) -> Place:
        return self.places[self._homes[n - 1]]

    def record_id(self, n: int, deputy_id: UUID) -> None:
        self._ids[16 * (n - 1) : 16 * n] = deputy_id.bytes

    def id(self, n: int) -> UUID | None:
        raw = bytes(self._ids[16 * (n - 1) : 16 * n])
        return None if raw == UNREGISTERED else UUID(bytes=raw)

    def deputy(self, n: int) -> Deputy:
        """A record of deputy ``n``, made anew (not the record of an earlier call)."""
        return Deputy(n, self.level(n), self.home(n), self.enters(n), id=self.id(n))

    def serials(self) -> Iterator[int]:
        return iter(range(1, len(self) + 1))

    def counties(self) -> set[str]:
        """The counties the deputies live in."""
        return {self.places[i].county for i in set(self._homes)}
