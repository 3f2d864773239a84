"""Below the application, the log is append-only: UPDATE and DELETE (and on PostgreSQL
TRUNCATE) of events, links and seals are refused by triggers created with the tables.
A store made before the chain and the triggers opens, gets them, and is chained."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest

from renda_core import Renda
from tests.audit.raw import is_pg, raw, register, renda
from tests.conftest import STAFF, register_payload

CHANGES = [
    "UPDATE {events} SET topic = 'x'",
    "DELETE FROM {events}",
    "UPDATE {chain} SET hash = 'x'",
    "DELETE FROM {chain}",
]


@pytest.mark.parametrize("statement", CHANGES)
def test_update_and_delete_are_refused(store: str, statement: str) -> None:
    register(store, 2)
    errors = (sqlite3.IntegrityError, psycopg.errors.RaiseException)
    with raw(store, bypass=False) as db, pytest.raises(errors, match="append-only"):
        db.q(statement)
    with raw(store, bypass=False) as db:
        assert db.q("SELECT count(*) FROM {events}") == [(2,)]
        assert db.q("SELECT count(*) FROM {chain}") == [(2,)]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)  # SQLite has no TRUNCATE
def test_truncate_is_refused_on_postgres(store: str) -> None:
    assert is_pg(store)
    register(store, 1)
    with (
        raw(store, bypass=False) as db,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        db.q("TRUNCATE {events}")


def _make_old(store: str) -> None:
    """What a store written before the chain looks like: no chain, seals or triggers."""
    with raw(store) as db:
        db.q("DROP TABLE {chain}")
        db.q("DROP TABLE {seals}")
        if is_pg(store):
            schema = db.names["events"].split(".")[0]
            db.q(f"DROP FUNCTION {schema}.renda_append_only() CASCADE")


def test_an_old_store_opens_gets_its_triggers_and_is_chained_on_first_write(store: str) -> None:
    register(store, 3)
    _make_old(store)
    with Renda(store) as app:  # opening creates the tables and triggers again
        app.register_deputy(register_payload(name="新代表"), STAFF)
    with raw(store, bypass=False) as db:
        assert db.q("SELECT position, prev_position FROM {chain} ORDER BY position") == [
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 3),
        ]
        with pytest.raises((sqlite3.IntegrityError, psycopg.errors.RaiseException)):
            db.q("DELETE FROM {events}")
    ok = renda(store, "audit", "verify", "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["checked"] == 4


def test_verify_chains_an_unchained_store_with_a_note(store: str) -> None:
    register(store, 3)
    _make_old(store)
    first = renda(store, "audit", "verify", "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["checked"] == 3
    assert any("chained now from position 1" in n for n in report["notes"])
    again = json.loads(renda(store, "audit", "verify", "--json").output)
    assert again["notes"] == [] and again["head_hash"] == report["head_hash"]


def test_verify_on_a_read_only_unchained_store_computes_the_links_in_memory(
    tmp_path: Path,
) -> None:
    store = tmp_path / "old.sqlite"
    register(str(store), 3)
    _make_old(str(store))
    store.chmod(0o444)
    result = renda(str(store), "audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["checked"] == 3
    assert any("computed in memory" in n for n in report["notes"])
    with raw(str(store), bypass=False) as db:
        tables = db.q("SELECT name FROM sqlite_master WHERE name = 'event_chain'")
    assert tables == []  # nothing was written
