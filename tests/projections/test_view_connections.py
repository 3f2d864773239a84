"""How many PostgreSQL connections a view holds: one.

One ``renda projections catch-up`` held 24 connections (seen in ``pg_stat_activity``):
each of nine views two. Its pool grew by a second connection when the tables were
created under the schema's DDL lock on one connection and by eventsourcing on another,
and when a first request came while the pool's first connection was still being made;
the second stayed for the pool's ten idle minutes. Now the lock and the tables share a
transaction, and a view's pool has its connection before it is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from renda_core import Renda
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.views import open_view
from tests.conftest import STAFF, _new_schema, postgres_url, register_payload

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(pg_admin: object) -> Iterator[str]:
    schema = _new_schema(pg_admin)
    yield f"{postgres_url()}?schema={schema}"
    pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[attr-defined]


def connections(view: Any) -> int:
    """The connections the view's pool holds (in use or idle)."""
    return int(view.datastore.pool.get_stats()["pool_size"])


def test_a_view_created_and_caught_up_holds_one_connection(pg_store: str) -> None:
    with Renda(pg_store) as app:
        app.register_deputy(register_payload(), STAFF)
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        try:
            results = runner.catch_up()
            assert all(r.position == 1 and r.error is None for r in results)
            held = {r.name: connections(runner.view(r.name)) for r in results}
            assert held == dict.fromkeys(held, 1)
        finally:
            runner.close()


def test_a_view_opened_again_on_existing_tables_holds_one_connection(pg_store: str) -> None:
    with Renda(pg_store) as app:
        first = open_view(app.store, "deputy_roster")
        first.datastore.close()  # type: ignore[attr-defined]
        again = open_view(app.store, "deputy_roster")  # the tables exist: checked, kept
        try:
            assert again.max_tracking_id(app.name) is None
            assert connections(again) == 1
        finally:
            again.datastore.close()  # type: ignore[attr-defined]


def test_the_logs_pool_holds_its_pool_size_after_opening_and_a_write(pg_store: str) -> None:
    """The log's pool (``POSTGRES_POOL_SIZE`` 4) is filled before the tables are created:
    it held five connections, the first request having come before the first
    connection was made."""
    with Renda(pg_store) as app:
        pool = app.factory.datastore.pool  # type: ignore[attr-defined]
        assert pool.get_stats()["pool_size"] == 4
        app.register_deputy(register_payload(), STAFF)
        assert pool.get_stats()["pool_size"] == 4
