"""Views that do not belong to the log — a log restored from an earlier backup, or
another log altogether — are refused until rebuilt, and ``status`` says so."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from tests.conftest import STAFF, register_payload


def renda(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], obj=Env(store=store))


def register(store: str, n: int, start: int = 0) -> None:
    with Renda(store) as app:
        for i in range(start, start + n):
            app.register_deputy(register_payload(name=f"代表{i}"), STAFF)


def active(store: str) -> int:
    result = renda(store, "report", "deputies", "--json")
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["active_total"])


def roster_status(store: str) -> dict[str, Any]:
    result = renda(store, "projections", "status", "deputy_roster", "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    return dict(row)


def pg_execute(store: str, *statements: str) -> None:
    url = urlsplit(store)
    schema = parse_qs(url.query)["schema"][0]
    with psycopg.connect(store.split("?")[0], autocommit=True) as conn:
        # as the owner restoring a dump would: past the append-only triggers
        conn.execute(f"ALTER TABLE {schema}.renda_events DISABLE TRIGGER USER")
        for statement in statements:
            conn.execute(statement.format(schema=schema))


def files_of(store: str) -> list[Path]:
    return [Path(store + suffix) for suffix in ("", "-wal", "-shm")]


def test_a_log_restored_from_an_earlier_backup_is_noticed(store: str, tmp_path: Path) -> None:
    register(store, 2)
    backup = tmp_path / "backup.sqlite"
    if "://" not in store:
        with sqlite3.connect(store) as source, sqlite3.connect(backup) as target:
            source.backup(target)
    register(store, 2, start=2)
    assert active(store) == 4  # the views are at position 4
    if "://" in store:  # what restoring a dump of the log taken at position 2 leaves
        pg_execute(store, "DELETE FROM {schema}.renda_events WHERE notification_id > 2")
    else:  # copy the backup over the log, keep the newer views folder
        for path in files_of(store):
            path.unlink(missing_ok=True)
        shutil.copy(backup, store)

    refused = renda(store, "report", "deputies")
    assert refused.exit_code == 10, refused.output
    assert "views are ahead of the log" in refused.output
    assert "renda projections rebuild" in refused.output
    row = roster_status(store)
    assert row["head"] == 2 and row["position"] == 4
    assert "ahead of the log" in row["error"] and "end of the log at 2" in row["error"]
    caught = renda(store, "projections", "catch-up")
    assert caught.exit_code == 10, caught.output

    rebuilt = renda(store, "projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert roster_status(store)["error"] is None
    assert active(store) == 2
    register(store, 1, start=10)  # new events reach the reports again
    assert active(store) == 3


def test_views_built_from_another_log_are_noticed(store: str) -> None:
    register(store, 1)
    assert active(store) == 1  # views at position 1, with this log's store id
    if "://" in store:  # another log in the same place: new events, a new store id
        pg_execute(store, "DELETE FROM {schema}.renda_events", "DELETE FROM {schema}.renda_store")
    else:  # a zero-length log file, as a failed copy leaves it
        for path in files_of(store):
            path.unlink(missing_ok=True)
        Path(store).write_bytes(b"")
    register(store, 3, start=5)  # the new log is longer than the views: position alone passes

    refused = renda(store, "report", "deputies", "--json")
    assert refused.exit_code == 10, refused.output
    assert "built from another log" in refused.output
    row = roster_status(store)
    assert row["position"] == 1 and row["head"] >= 3
    assert "built from another log" in row["error"]

    assert renda(store, "projections", "rebuild", "deputy_roster").exit_code == 0
    assert active(store) == 3 and roster_status(store)["error"] is None
