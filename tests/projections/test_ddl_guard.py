"""A view's tables are dropped and renamed (reset, a rebuild's replace) only while no
other connection creates them: on PostgreSQL, ``CREATE INDEX IF NOT EXISTS`` of a view
being opened elsewhere failed with "cache lookup failed for relation" when a rebuild
replaced that view at the same moment (seen under load in
tests/projections/test_concurrency.py). Both take the schema's DDL lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import Tracking

from renda_core import Renda
from renda_core.application.recorders import ddl_lock
from renda_core.application.store import parse_store
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


@pytest.mark.parametrize("operation", ["replace", "reset"])
def test_dropping_a_view_waits_for_a_table_creation_in_progress(
    pg_store: str, operation: str
) -> None:
    with Renda(pg_store) as app:
        app.register_deputy(register_payload(), STAFF)
        runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
        try:
            (first,) = runner.catch_up(["deputy_roster"])
            assert first.error is None
            live = runner.view("deputy_roster")
            shadow = live.shadow()
            shadow.reset(app.name)
            # The shadow as a rebuild leaves it: its tables, its tracking row at the head.
            shadow.insert_tracking(Tracking(shadow.tracking_name(app.name), first.position))
            other = open_view(parse_store(pg_store), "deputy_roster")  # another opener
            done = threading.Event()
            outcome: list[object] = []

            def drop() -> None:
                try:
                    if operation == "replace":
                        outcome.append(live.replace_with(shadow, app.name, first.position))
                    else:
                        live.reset(app.name)
                        outcome.append(True)
                except Exception as exc:  # reported below, not swallowed
                    outcome.append(exc)
                finally:
                    done.set()

            with ddl_lock(other.datastore):  # a creation in progress holds this lock
                worker = threading.Thread(target=drop)
                worker.start()
                # Held here, the lock keeps the drop waiting whatever the machine's speed.
                assert not done.wait(1.0), f"the {operation} did not wait: {outcome}"
            worker.join(60)
            assert outcome == [True], outcome
        finally:
            runner.close()
