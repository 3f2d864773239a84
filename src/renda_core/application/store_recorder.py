"""The log's SQLite recorder, naming its file when the file is damaged or read-only.

It is an eventsourcing recorder, so it lives apart from :mod:`renda_core.application.faults`
(whose checks and messages import no eventsourcing: a report read from current views
names a fault without loading it; issue 15, target 4).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import IntegrityError

from renda_core.application.faults import READ_ONLY, RESTORE, _one_line, describe
from renda_core.application.recorders import SQLiteRendaRecorder
from renda_core.application.store import read_only_reason
from renda_core.domain.errors import StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])


def _names_faults(method: F) -> F:
    @functools.wraps(method)
    def wrapper(self: SQLiteStoreRecorder, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except IntegrityError:
            raise  # a concurrent change, not a fault of the store
        except Exception as exc:
            fault = self.named_fault(exc)
            if fault is None:
                raise
            raise fault from exc

    return cast(F, wrapper)


class SQLiteStoreRecorder(SQLiteRendaRecorder):
    """The log's SQLite recorder, naming its file when the file is damaged or read-only."""

    def _file(self) -> tuple[str, bool]:
        """The log's file path, and whether it was opened read-only."""
        name = self.datastore.pool.db_name
        if not name.startswith("file:"):
            return name, False
        url = urlsplit(name)
        query = parse_qs(url.query)
        read_only = query.get("mode") == ["ro"] or query.get("immutable") == ["1"]
        return unquote(url.path), read_only

    def read_only_message(self) -> str:
        path, _ = self._file()
        reason = read_only_reason(Path(path), asked=True)
        return f"the store {path} is read-only ({reason}): nothing was recorded"

    def named_fault(self, exc: BaseException) -> StoreUnavailable | None:
        cause = describe(exc)
        if cause == READ_ONLY:
            return StoreUnavailable(self.read_only_message())
        if cause is None or "damaged" not in cause:
            return None
        path, _ = self._file()
        return StoreUnavailable(
            f"the store file {path} is damaged ({_one_line(exc)}): "
            f"run `renda store check`; {RESTORE}"
        )

    @_names_faults
    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        if self._file()[1]:
            raise StoreUnavailable(self.read_only_message())
        return super().insert_events(stored_events, **kwargs)

    select_events = _names_faults(SQLiteRendaRecorder.select_events)
    select_notifications = _names_faults(SQLiteRendaRecorder.select_notifications)
    max_notification_id = _names_faults(SQLiteRendaRecorder.max_notification_id)
    applied_commands = _names_faults(SQLiteRendaRecorder.applied_commands)
    create_table = _names_faults(SQLiteRendaRecorder.create_table)
