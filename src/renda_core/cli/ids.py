"""Ids by unique prefix: the records whose id starts with what a clerk typed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from renda_core.application.base import store_errors

LIMIT = 11  # enough to say "ambiguous" and list ten candidates


def ids_with_prefix(app: Any, prefix: str) -> list[str]:
    """The ids (as UUID strings) of the records whose id starts with ``prefix``
    (the dashed form's first characters), at most :data:`LIMIT`."""
    recorder = app.recorder
    table = recorder.events_table_name
    with store_errors("cannot read the store"):
        if app.store.is_sqlite:
            pattern = prefix.replace("-", "") + "%"
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT originator_id FROM {table} WHERE originator_version = 1 "
                    "AND originator_id LIKE ? ORDER BY originator_id LIMIT ?",
                    [pattern, LIMIT],
                )
                rows = [row[0] for row in c.fetchall()]
        else:
            from psycopg.sql import SQL, Identifier

            with recorder.datastore.transaction(commit=False) as curs:
                curs.execute(
                    SQL(
                        "SELECT originator_id FROM {0}.{1} WHERE originator_version = 1 "
                        "AND originator_id::text LIKE %s ORDER BY originator_id LIMIT %s"
                    ).format(Identifier(recorder.datastore.schema), Identifier(table)),
                    (prefix + "%", LIMIT),
                )
                rows = [row["originator_id"] for row in curs.fetchall()]
    return [str(UUID(str(r))) for r in rows]
