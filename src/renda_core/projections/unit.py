"""ViewUnit: what an adapter sees while it processes events.

The runner hands each adapter a unit for a batch of events. The adapter reads and
writes its entities and adds to its figures; changes are buffered per event, so an
event whose processing raises leaves nothing behind, and the batch is written with its
tracking position in one transaction.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from renda_core.projections.views import FigureKey, View, recorded

_DELETED = None


class ViewUnit:
    def __init__(self, view: View) -> None:
        self._view = view
        self._entities: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._pending_entities: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._figures: dict[FigureKey, int] = {}
        self._pending_figures: dict[FigureKey, int] = {}
        self._loaded_figures: dict[FigureKey, int] = {}
        self._history: dict[tuple[FigureKey, int], tuple[str, int]] = {}
        self._pending_history: dict[tuple[FigureKey, int], tuple[str, int]] = {}
        self.position = 0
        self.recorded_at = ""
        self.events = 0

    # -- the runner's side ------------------------------------------------------

    def begin(self, position: int, recorded_at: datetime) -> None:
        self.position = position
        self.recorded_at = recorded(recorded_at)

    def commit_event(self) -> None:
        self._entities.update(self._pending_entities)
        self._figures.update(self._pending_figures)
        self._history.update(self._pending_history)
        self.discard_event()
        self.events += 1

    def discard_event(self) -> None:
        self._pending_entities.clear()
        self._pending_figures.clear()
        self._pending_history.clear()

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
        """The current document of an entity, or None."""
        ident = (kind, key)
        for layer in (self._pending_entities, self._entities):
            if ident in layer:
                doc = layer[ident]
                return None if doc is None else copy.deepcopy(doc)
        return self._view.get_entity(kind, key)

    def put(self, kind: str, key: str, doc: dict[str, Any]) -> None:
        self._pending_entities[(kind, key)] = copy.deepcopy(doc)

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
        for layer in (self._pending_figures, self._figures):
            if ident in layer:
                return layer[ident]
        if ident not in self._loaded_figures:
            found = self._view.get_figures([ident])
            self._loaded_figures[ident] = found.get(ident, 0)
        return self._loaded_figures[ident]
