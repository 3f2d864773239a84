"""A SQLite store that another process keeps locked (``PRAGMA locking_mode=EXCLUSIVE``,
as a third-party tool may) fails a command after one lock timeout, by name (exit 8).

It used to wait minutes: opening the log switched it to WAL with 20 retries, each
waiting the whole lock timeout (10 s) again (`renda deliver status` failed after 214 s),
and a report read from the current view waited once there, gave up, and waited again on
the whole path."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from renda_core.application.recorders import retry_creation
from renda_core.domain.errors import StoreUnavailable
from renda_core.projections import reader

#: far beyond one lock timeout (10 s) and a start, far below what was waited before
HANG = 90


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("locked") / "renda.sqlite"
    subprocess.run(
        [sys.executable, "-m", "renda_core.cli", "demo", "--store", str(path), "--scale", "0.02"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return path


@pytest.fixture()
def held(store: Path) -> Iterator[Path]:
    """The store's log held in exclusive locking mode by this process's connection
    (SQLite's locks are the file's, so a renda subprocess is locked out)."""
    lock = sqlite3.connect(store, isolation_level=None)
    try:
        lock.execute("PRAGMA locking_mode=EXCLUSIVE")
        lock.execute("BEGIN EXCLUSIVE")
        lock.execute("COMMIT")  # the lock stays: exclusive mode keeps it until closed
        yield store
    finally:
        lock.close()


def renda(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RENDA_LANG": "zh"}
    return subprocess.run(
        [sys.executable, "-m", "renda_core.cli", "--store", str(store), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("deliver", "status"),  # the whole open of the log
        ("report", "deputies"),  # a report read from the current view first
        ("report", "annual", "--json"),
    ],
)
def test_a_store_kept_locked_fails_the_command_by_name(held: Path, args: tuple[str, ...]) -> None:
    result = renda(held, *args)
    assert result.returncode == 8, (result.stdout, result.stderr)
    assert "存储一直被另一个写入者锁定：请稍后重试" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_the_store_serves_again_once_released(store: Path) -> None:
    result = renda(store, "report", "deputies", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["active_total"] > 0


def test_a_plain_read_that_stayed_locked_is_a_store_fault_not_a_fallback() -> None:
    with pytest.raises(StoreUnavailable) as caught, reader._given_up():
        raise sqlite3.OperationalError("database is locked")
    assert "stayed locked by another writer" in str(caught.value)
    with pytest.raises(reader.NotCurrent), reader._given_up():  # any other: the whole path
        raise sqlite3.OperationalError("no such table: v_entities")


def test_creation_retries_stop_at_their_deadline() -> None:
    calls = []

    def create() -> None:  # each attempt waits the lock timeout, then fails
        calls.append(time.monotonic())
        time.sleep(0.3)
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError):
        retry_creation(create, lambda: None, within=0.2)
    assert len(calls) == 1  # was 8 attempts, each waiting again

    quick = []

    def lost_a_race() -> None:  # a race with another creator fails at once: retried
        quick.append(1)
        if len(quick) < 3:
            raise sqlite3.OperationalError("database schema has changed")

    retry_creation(lost_a_race, lambda: None, within=5)
    assert len(quick) == 3
