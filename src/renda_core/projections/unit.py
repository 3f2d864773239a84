"""ViewUnit: what an adapter sees while it processes a batch of events.

The adapter reads and writes its entities (JSON documents) and adds to its figures
(counters); the runner writes the whole batch with its tracking position in one
transaction. If an event's processing raises, the unit undoes what that event changed
(``undo_event``) and the runner writes the events before it: nothing of the failed event
is written, and no adapter is called twice for an event. To undo, the unit keeps, for
each document and counter an event touches, its value from before the event (a copy of a
document the adapter could change in place).

``get`` returns the document itself: change it and ``put`` it back (a change not put is
not written). Reads of keys the view cannot have (the view was empty when this runner
began and nothing has written the key since) cost no query, and recently written
documents are kept in memory between batches; a document the failed event read is
forgotten, so a half-changed document never outlives its event.

A side-effecting adapter (a notification, an export) cannot take its effect back: it
gets ``view.event_id`` (and ``view.position``) to make the effect idempotent.
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from renda_core.projections.views import FigureKey, View, recorded

_DELETED = None
_ABSENT: Any = object()  # "not in this unit before the event"
#: the counters a counter is rolled up into (a prefecture's, the province's), if any
RollTargets = Callable[[FigureKey], Sequence[FigureKey]]


class _Before:
    """A document as it was before the event, kept to undo the event.

    Kept as ``marshal`` bytes (C, several times faster than walking the document in
    Python, which was a quarter of a rebuild's time) and turned back into a document
    only when the event is undone; a document marshal refuses (an object that is not
    plain JSON data) is kept as a copy instead.
    """

    __slots__ = ("copy", "data")

    def __init__(self, doc: Any) -> None:
        try:
            self.data: bytes | None = marshal.dumps(doc)
            self.copy: Any = None
        except ValueError:
            self.data, self.copy = None, _walk(doc)

    def doc(self) -> Any:
        return self.copy if self.data is None else marshal.loads(self.data)


def _walk(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _walk(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_walk(v) for v in doc]
    return doc


class WrittenKeys:
    """The entity keys written since the view was empty, as a bitmap of their hashes (a
    Bloom filter with one hash function): a key not in it was never written, a key in it
    may have been (then the view is asked). Its size is fixed (``BITS`` / 8 bytes), where
    a set of the keys themselves grew with the log (about 180 bytes a key).
    """

    __slots__ = ("_bits", "count")

    BITS = 1 << 22  # 512 KiB a view
    _MASK = BITS - 1

    def __init__(self, keys: Iterable[Hashable] = ()) -> None:
        self._bits = bytearray(self.BITS >> 3)
        self.count = 0  # bits set: the share of false "may have been written" is count / BITS
        self.update(keys)

    def update(self, keys: Iterable[Hashable]) -> None:
        bits, mask = self._bits, self._MASK
        for key in keys:
            at = hash(key) & mask
            bit = 1 << (at & 7)
            if not bits[at >> 3] & bit:
                bits[at >> 3] |= bit
                self.count += 1

    def add(self, key: Hashable) -> None:
        self.update((key,))

    def __contains__(self, key: object) -> bool:
        at = hash(key) & self._MASK
        return bool(self._bits[at >> 3] & (1 << (at & 7)))

    def __len__(self) -> int:
        return self.count


@dataclass
class ViewState:
    """What the runner knows of a view between batches (valid at ``position`` only)."""

    position: int
    #: counters' values as stored (all of them while ``figures_complete``)
    figures: dict[FigureKey, int] = field(default_factory=dict)
    #: entity keys written since the view was empty; None if it was not empty when seen
    #: (a set given here is turned into :class:`WrittenKeys`)
    written: WrittenKeys | set[tuple[str, str]] | None = None
    #: the documents most recently written, as stored (saves reading them back)
    docs: OrderedDict[tuple[str, str], dict[str, Any] | None] = field(default_factory=OrderedDict)
    #: ``figures`` holds every counter the view holds (a counter not in it is 0); None:
    #: as ``written`` says (the view was empty when seen)
    figures_complete: bool | None = None
    #: the counters written since the view was empty (a bitmap of their hashes), kept
    #: once ``figures`` is no longer complete: a counter not in it is 0, without a read
    #: (else every counter new after the first forgetting cost one); None if unknown
    figures_written: WrittenKeys | None = None

    #: bounds on what is kept in memory (beyond them the view is read instead)
    MAX_DOCS = 5_000
    MAX_WRITTEN = WrittenKeys.BITS // 8  # bits set: beyond, 1 in 8 reads would be wasted
    MAX_FIGURES = 50_000

    def __post_init__(self) -> None:
        if isinstance(self.written, set):
            self.written = WrittenKeys(self.written)
        if self.figures_complete is None:
            self.figures_complete = self.written is not None

    def remember(self, docs: dict[tuple[str, str], dict[str, Any] | None]) -> None:
        """The documents a batch wrote, as the most recently used (in the batch's
        order); beyond ``MAX_DOCS`` the least recently written are let go."""
        kept = self.docs
        surplus = len(docs) - self.MAX_DOCS
        if surplus >= 0:  # the batch's last MAX_DOCS are all that stay: keep only those
            kept.clear()
            kept.update(islice(docs.items(), surplus, None))
        else:
            for ident, doc in docs.items():
                kept[ident] = doc
                kept.move_to_end(ident)
            while len(kept) > self.MAX_DOCS:
                kept.popitem(last=False)
        if self.written is not None:
            self.written.update(docs)
            if len(self.written) > self.MAX_WRITTEN:
                self.written = None  # too many to remember: ask the view from now on

    def remember_figures(self, changed: dict[FigureKey, int]) -> None:
        """The counters a batch wrote, as the most recently used; beyond ``MAX_FIGURES``
        the least recently written quarter is forgotten (and read from the view again)."""
        figures = self.figures
        for ident, value in changed.items():
            figures.pop(ident, None)
            figures[ident] = value
        if self.figures_written is not None:
            self.figures_written.update(changed)
            if len(self.figures_written) > self.MAX_WRITTEN:
                self.figures_written = None  # too many to remember: ask the view
        if len(figures) > self.MAX_FIGURES:
            if self.figures_complete:  # from now on, the bitmap says which were written
                self.figures_written = WrittenKeys(figures)
            self.figures_complete = False
            for ident in list(islice(figures, len(figures) - self.MAX_FIGURES * 3 // 4)):
                del figures[ident]


class ViewUnit:
    """``undo=False``: keep nothing to undo an event with (for a *pure* adapter, whose
    batch the runner processes again instead after a failure; see the runner)."""

    def __init__(self, view: View, state: ViewState | None = None, *, undo: bool = True) -> None:
        self._view = view
        self._undo = undo
        self._state = state if state is not None else ViewState(0)
        self._entities: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._loaded: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._figures: dict[FigureKey, int] = {}
        #: each changed counter's changes in this unit: ``[position, value, …]``
        self._history: dict[FigureKey, list[int]] = {}
        #: the events that changed counters: (position, recorded time)
        self._moments: list[tuple[int, datetime]] = []
        self._moment_position = -1  # the position of the last of ``_moments``
        self.position = 0
        self._event: Any = None
        self._moment: datetime | None = None
        self._recorded_at = ""
        self.events = 0
        # what the current event touched, with its value from before the event
        self._before_entities: dict[tuple[str, str], _Before | Any] = {}
        self._before_figures: dict[FigureKey, Any] = {}
        #: roll-ups derived when the batch is written (see ``roll_up``)
        self._roll_targets: RollTargets | None = None
        #: each changed counter's value before this unit (its first change less its delta)
        self._base: dict[FigureKey, int] = {}
        self._finished = False

    # -- the runner's side ------------------------------------------------------

    def begin(self, position: int, recorded_at: datetime, event: Any = None) -> None:
        """The next event: its log position, recorded time and the event itself."""
        if self._finished:
            raise RuntimeError("this unit's changes were already taken to be written")
        self.position = position
        self._event = event
        self._moment = recorded_at
        self._recorded_at = ""
        self.events += 1
        if self._undo:  # without undo nothing is kept to clear
            self._before_entities.clear()
            self._before_figures.clear()

    def undo_event(self) -> None:
        """Take back everything the current event changed (it raised)."""
        if not self._undo:
            raise RuntimeError("this unit keeps no undo: process the batch again instead")
        for ident, before in self._before_entities.items():
            if before is _ABSENT:
                self._entities.pop(ident, None)
            else:
                self._entities[ident] = before.doc()
            # it may have been changed in place: read it from the view again
            self._loaded.pop(ident, None)
            self._state.docs.pop(ident, None)
        for key, value in self._before_figures.items():
            if value is _ABSENT:
                self._figures.pop(key, None)
            else:
                self._figures[key] = value
            changes = self._history.get(key)
            if changes is not None and changes[-2] == self.position:
                del changes[-2:]
                if not changes:
                    del self._history[key]
        if self._moments and self._moments[-1][0] == self.position:
            self._moments.pop()
            self._moment_position = self._moments[-1][0] if self._moments else -1
        self._before_entities.clear()
        self._before_figures.clear()
        self.events -= 1

    @property
    def recorded_at(self) -> str:
        """The event's recorded time, as stored in the figures' history."""
        if not self._recorded_at and self._moment is not None:
            self._recorded_at = recorded(self._moment)
        return self._recorded_at

    def written(self, position: int) -> None:
        """The batch is stored at ``position``: remember what the view now holds."""
        self._state.remember_figures(self._figures)
        self._state.remember(self._entities)
        self._state.position = position

    def entity_changes(self) -> Iterable[tuple[str, str, dict[str, Any] | None]]:
        for (kind, key), doc in self._entities.items():
            yield kind, key, doc

    def figure_changes(self) -> Iterable[tuple[FigureKey, int]]:
        self._finish()
        return self._figures.items()

    def history_rows(self) -> Iterable[tuple[FigureKey, int, int, int, list[int] | None]]:
        """Per changed counter: its last change's position and value, its first
        change's position, and the changes before the last (``[position, value, …]``,
        None if it changed once)."""
        self._finish()
        for key, changes in self._history.items():
            if len(changes) == 2:
                yield key, changes[0], changes[1], changes[0], None
            else:
                yield key, changes[-2], changes[-1], changes[0], changes[:-2]

    def moments(self) -> list[tuple[int, datetime]]:
        """The events that changed counters: their positions and recorded times."""
        return self._moments

    # -- the adapter's side -----------------------------------------------------

    @property
    def event_id(self) -> str:
        """The id of the event being processed: ``"<aggregate id>:<version>"``, the same
        for the same event in every run, replay and rebuild (an idempotency key)."""
        event = self._event
        if event is None:
            return ""
        return f"{event.originator_id}:{event.originator_version}"

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The current document of an entity, or None. Change it, then ``put`` it."""
        ident = (kind, key)
        if self._undo:
            self._touch(ident)
        if ident in self._entities:
            return self._entities[ident]
        if ident in self._loaded:
            return self._loaded[ident]
        if ident in self._state.docs:
            doc = self._state.docs[ident]
            self._loaded[ident] = doc
            return doc
        written = self._state.written
        doc = (
            None
            if written is not None and ident not in written
            else self._view.get_entity(kind, key)
        )
        self._loaded[ident] = doc
        return doc

    #: reading without changing: the same as ``get`` (kept for adapters written for it)
    peek = get

    def put(self, kind: str, key: str, doc: dict[str, Any]) -> None:
        if self._undo:
            self._touch((kind, key))
        self._entities[(kind, key)] = doc

    def delete(self, kind: str, key: str) -> None:
        if self._undo:
            self._touch((kind, key))
        self._entities[(kind, key)] = _DELETED

    def _touch(self, ident: tuple[str, str]) -> None:
        """Keep the value from before the current event, the first time it touches it."""
        if ident not in self._before_entities:
            entities = self._entities
            self._before_entities[ident] = (
                _Before(entities[ident]) if ident in entities else _ABSENT
            )

    def add(
        self,
        figure: str,
        delta: int = 1,
        *,
        key: str = "",
        area: str = "",
        level: str = "",
        year: int = 0,
    ) -> None:
        """Add ``delta`` to a counter; its history is kept by log position."""
        if delta == 0:
            return
        ident: FigureKey = (figure, key, area, level, year)
        figures = self._figures
        current = figures.get(ident, _ABSENT)
        if self._undo and ident not in self._before_figures:
            self._before_figures[ident] = current
        value = (self.value(ident) if current is _ABSENT else current) + delta
        figures[ident] = value
        position = self.position
        changes = self._history.get(ident)
        if changes is None:
            self._history[ident] = [position, value]
            self._base[ident] = value - delta
        elif changes[-2] == position:
            changes[-1] = value
        else:
            changes += (position, value)
        if self._moment_position != position:
            assert self._moment is not None, "begin() names the event's recorded time"
            self._moments.append((position, self._moment))
            self._moment_position = position

    def roll_up(self, targets: RollTargets) -> None:
        """Counters rolled up into others (a prefecture's, the province's sum): ``add``
        changes the counter itself, and when the batch is written each counter of
        ``targets(counter)`` gets the sum of its counters' changes, position by
        position: the same values and history as adding to each of them at every
        event, without the two extra adds per event. A rolled-up counter is not to be
        read or added to while the batch is processed (its value is derived at the end).
        """
        self._roll_targets = targets

    def _finish(self) -> None:
        """Derive the rolled-up counters from the batch's changes (once, when written)."""
        if self._finished:
            return
        self._finished = True
        targets_of = self._roll_targets
        if targets_of is None:
            return
        history, base = self._history, self._base
        deltas: dict[FigureKey, dict[int, int]] = {}
        for ident, changes in history.items():
            targets = targets_of(ident)
            if not targets:
                continue
            # the counter's changes as (position, delta), then added to each target's
            # (its per-position sums looked up once per target, not once per change)
            values = changes[1::2]
            befores = [base[ident], *values[:-1]]
            steps = list(zip(changes[0::2], map(int.__sub__, values, befores), strict=True))
            for target in targets:
                per = deltas.get(target)
                if per is None:
                    per = deltas[target] = {}
                get = per.get
                for position, delta in steps:
                    per[position] = get(position, 0) + delta
        if not deltas:
            return
        clash = [t for t in deltas if t in history]
        if clash:
            raise RuntimeError(f"a rolled-up counter was also added to directly: {clash[0]}")
        self._load_values(deltas)
        figures = self._figures
        for target, per in deltas.items():
            value = self.value(target)
            flat: list[int] = []
            for position in sorted(per):
                value += per[position]
                flat += (position, value)
            figures[target] = value
            history[target] = flat

    def _load_values(self, idents: Iterable[FigureKey]) -> None:
        """Read the stored values of the counters ``value`` would read one by one."""
        state = self._state
        if state.figures_complete:
            return
        stored, written = state.figures, state.figures_written
        missing = [
            i
            for i in idents
            if i not in self._figures and i not in stored and (written is None or i in written)
        ]
        if missing:
            found = self._view.get_figures(missing)
            for ident in missing:
                stored[ident] = found.get(ident, 0)

    def value(self, ident: FigureKey) -> int:
        """The current value of a counter (0 if it never changed)."""
        if ident in self._figures:
            return self._figures[ident]
        stored = self._state.figures
        if ident not in stored:
            if self._state.figures_complete:  # every stored counter is in ``stored``
                return 0
            written = self._state.figures_written
            if written is not None and ident not in written:  # never written: 0
                return 0
            stored[ident] = self._view.get_figures([ident]).get(ident, 0)
        return stored[ident]
