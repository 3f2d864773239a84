"""ViewUnit: what an adapter sees while it processes events.

The runner hands each adapter a unit for a batch of events. The adapter reads and
writes its entities and adds to its figures; changes are buffered per event, so an
event whose processing raises leaves nothing behind, and the batch is written with its
tracking position in one transaction.

Documents are plain JSON data. ``get`` returns a document the adapter may change and
``put`` back; a document put is owned by the view from then on (do not keep changing
it in later events).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from renda_core.projections.views import FigureKey, View, recorded

_DELETED = None


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars), faster than deepcopy."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


class ViewUnit:
    def __init__(self, view: View, figure_cache: dict[FigureKey, int] | None = None) -> None:
        self._view = view
        self._entities: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._pending_entities: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._figures: dict[FigureKey, int] = {}
        self._pending_figures: dict[FigureKey, int] = {}
        # Values as stored before this batch; the runner shares it across batches.
        self._stored_figures = figure_cache if figure_cache is not None else {}
        self._history: dict[tuple[FigureKey, int], tuple[str, int]] = {}
        self._pending_history: dict[tuple[FigureKey, int], tuple[str, int]] = {}
        self.position = 0
        self._moment: datetime | None = None
        self._recorded_at = ""
        self.events = 0

    # -- the runner's side ------------------------------------------------------

    def begin(self, position: int, recorded_at: datetime) -> None:
        self.position = position
        self._moment = recorded_at
        self._recorded_at = ""

    @property
    def recorded_at(self) -> str:
        """The event's recorded time, as stored in the figures' history."""
        if not self._recorded_at and self._moment is not None:
            self._recorded_at = recorded(self._moment)
        return self._recorded_at

    def commit_event(self) -> None:
        if self._pending_entities:
            self._entities.update(self._pending_entities)
            self._pending_entities.clear()
        if self._pending_figures:
            self._figures.update(self._pending_figures)
            self._history.update(self._pending_history)
            self._pending_figures.clear()
            self._pending_history.clear()
        self.events += 1

    def discard_event(self) -> None:
        self._pending_entities.clear()
        self._pending_figures.clear()
        self._pending_history.clear()

    def written(self) -> None:
        """The batch is stored: its figures are now the stored values."""
        self._stored_figures.update(self._figures)

    def entity_changes(self) -> Iterable[tuple[str, str, dict[str, Any] | None]]:
        for (kind, key), doc in self._entities.items():
            yield kind, key, doc

    def figure_changes(self) -> Iterable[tuple[FigureKey, int]]:
        return self._figures.items()

    def history_rows(self) -> Iterable[tuple[FigureKey, int, str, int]]:
        for (key, position), (recorded_at, value) in self._history.items():
            yield key, position, recorded_at, value

    # -- the adapter's side -----------------------------------------------------

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The current document of an entity (a copy the adapter may change), or None."""
        ident = (kind, key)
        if ident in self._pending_entities:
            return self._pending_entities[ident]
        if ident in self._entities:
            doc = self._entities[ident]
            return None if doc is None else copy_json(doc)
        return self._view.get_entity(kind, key)

    def peek(self, kind: str, key: str) -> dict[str, Any] | None:
        """The current document, read only (no copy): do not change what it returns."""
        ident = (kind, key)
        if ident in self._pending_entities:
            return self._pending_entities[ident]
        if ident in self._entities:
            return self._entities[ident]
        return self._view.get_entity(kind, key)

    def put(self, kind: str, key: str, doc: dict[str, Any]) -> None:
        self._pending_entities[(kind, key)] = doc

    def delete(self, kind: str, key: str) -> None:
        self._pending_entities[(kind, key)] = _DELETED

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
        value = self.value(ident) + delta
        self._pending_figures[ident] = value
        self._pending_history[(ident, self.position)] = (self.recorded_at, value)

    def value(self, ident: FigureKey) -> int:
        """The current value of a counter (0 if it never changed)."""
        if ident in self._pending_figures:
            return self._pending_figures[ident]
        if ident in self._figures:
            return self._figures[ident]
        if ident not in self._stored_figures:
            found = self._view.get_figures([ident])
            self._stored_figures[ident] = found.get(ident, 0)
        return self._stored_figures[ident]
