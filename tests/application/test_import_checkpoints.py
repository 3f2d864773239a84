"""The tenth pass on the import (issue 15, target 3): on SQLite an import's writes
commit with a larger ``wal_autocheckpoint`` (fewer, larger checkpoints of the WAL);
every connection of the store has its own setting back once a write ends, whether the
import succeeded or failed, and a failed import leaves the store as a good one: the
batches before the failure written, chained and skipped by a re-run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from renda_core import Renda
from renda_core.application.audit.verify import verify_log
from renda_core.application.importer import apply_commands, parse_lines
from renda_core.application.recorders import BULK_AUTOCHECKPOINT, SQLiteRendaRecorder
from tests.application.test_import_shortcuts import _lines

DEFAULT = 1000  # SQLite's own wal_autocheckpoint


def _settings(app: Renda) -> list[int]:
    """``wal_autocheckpoint`` of every connection the store's pool holds."""
    pool = app.recorder.datastore.pool  # type: ignore[attr-defined]
    connections = [*pool._pool, *pool._in_use.values()]
    assert connections
    return [c._sqlite_conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] for c in connections]


def _committed_with(app: Renda, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The setting each write of the app runs (and commits) with."""
    seen: list[int] = []
    write = SQLiteRendaRecorder._insert_events

    def watched(self: SQLiteRendaRecorder, c: Any, *args: Any, **kwargs: Any) -> Any:
        c.execute("PRAGMA wal_autocheckpoint")
        seen.append(c.fetchone()[0])
        return write(self, c, *args, **kwargs)

    monkeypatch.setattr(SQLiteRendaRecorder, "_insert_events", watched)
    return seen


def test_an_import_commits_with_fewer_checkpoints_and_puts_the_setting_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Renda(str(tmp_path / "renda.sqlite"), require_registered_actors=False) as app:
        seen = _committed_with(app, monkeypatch)
        checkpoints: list[None] = []
        checkpoint = SQLiteRendaRecorder.checkpoint_wal

        def counted(self: SQLiteRendaRecorder) -> None:
            checkpoints.append(None)
            checkpoint(self)

        monkeypatch.setattr(SQLiteRendaRecorder, "checkpoint_wal", counted)
        result = apply_commands(app, parse_lines(_lines(10)), batch_size=5)
        assert result.error is None and result.applied == 12
        assert seen == [BULK_AUTOCHECKPOINT] * 3  # every batch of the import
        assert len(checkpoints) == 1  # what the batches left in the WAL, at the end
        with app.recorder.datastore.get_connection(commit=True) as conn:  # type: ignore[attr-defined]
            busy, frames, done = conn._sqlite_conn.execute(
                "PRAGMA wal_checkpoint(PASSIVE)"
            ).fetchone()
        assert busy == 0 and frames == done  # nothing left to copy
        assert set(_settings(app)) == {DEFAULT}
        assert app.recorder.write_autocheckpoint == 0  # type: ignore[attr-defined]


def test_a_failed_write_puts_the_setting_back_and_leaves_a_good_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second batch's write fails inside its transaction (after its events were
    inserted): that batch is rolled back, the first one stays, every connection has its
    own setting back, and a re-run applies the rest."""
    store = str(tmp_path / "renda.sqlite")
    lines = _lines(10)
    write = SQLiteRendaRecorder._insert_events
    calls: list[int] = []

    def failing(self: SQLiteRendaRecorder, c: Any, *args: Any, **kwargs: Any) -> Any:
        c.execute("PRAGMA wal_autocheckpoint")
        calls.append(c.fetchone()[0])
        ids = write(self, c, *args, **kwargs)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error (injected)")
        return ids

    with Renda(store, require_registered_actors=False) as app:
        monkeypatch.setattr(SQLiteRendaRecorder, "_insert_events", failing)
        result = apply_commands(app, parse_lines(lines), batch_size=5)
        monkeypatch.setattr(SQLiteRendaRecorder, "_insert_events", write)
        assert result.applied == 5 and result.error is not None
        assert calls == [BULK_AUTOCHECKPOINT] * 2
        assert set(_settings(app)) == {DEFAULT}
        assert app.recorder.write_autocheckpoint == 0  # type: ignore[attr-defined]
        verification = verify_log(app.recorder)  # type: ignore[arg-type]
        assert verification.ok and verification.checked == 5
        again = apply_commands(app, parse_lines(lines), batch_size=5)
        assert again.error is None and (again.skipped, again.applied) == (5, 7)
        verification = verify_log(app.recorder)  # type: ignore[arg-type]
        assert verification.ok and verification.checked == 12
    conn = sqlite3.connect(store)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM applied_commands").fetchone() == (12,)
    assert conn.execute("SELECT count(*) FROM applied_fingerprints").fetchone() == (12,)
    conn.close()


def test_the_setting_is_put_back_when_the_import_is_refused(tmp_path: Path) -> None:
    """A command that fails its rules ends the import before its batch is written."""
    with Renda(str(tmp_path / "renda.sqlite"), require_registered_actors=False) as app:
        lines = _lines(3)
        lines[3] = lines[3].replace('"@d1"', '"00000000-0000-0000-0000-000000000000"')
        result = apply_commands(app, parse_lines(lines), batch_size=2)
        assert result.error is not None and result.applied == 2
        assert app.recorder.write_autocheckpoint == 0  # type: ignore[attr-defined]
        assert set(_settings(app)) == {DEFAULT}


def test_no_checkpoint_after_an_import_that_wrote_nothing_and_a_failed_one_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run that skips every line writes nothing and checkpoints nothing; a final
    checkpoint that fails leaves the import's result as it was."""
    calls: list[None] = []

    def failing(self: SQLiteRendaRecorder) -> None:
        calls.append(None)
        raise sqlite3.OperationalError("attempt to write a readonly database (injected)")

    with Renda(str(tmp_path / "renda.sqlite"), require_registered_actors=False) as app:
        monkeypatch.setattr(SQLiteRendaRecorder, "checkpoint_wal", failing)
        result = apply_commands(app, parse_lines(_lines(3)), batch_size=2)
        assert result.error is None and result.applied == 5 and len(calls) == 1
        again = apply_commands(app, parse_lines(_lines(3)), batch_size=2)
        assert again.skipped == 5 and len(calls) == 1
        assert app.recorder.deferred_writes == 0  # type: ignore[attr-defined]


def test_the_demo_writes_as_an_import_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``renda demo``'s batches are a bulk write too: each commits with the import's
    setting, and the store's connections have their own back once the demo is built."""
    from renda_core.demo.generator import generate

    with Renda(str(tmp_path / "renda.sqlite")) as app:
        seen = _committed_with(app, monkeypatch)
        generate(app, scale=0.02, seed=7)
        assert seen and set(seen) == {BULK_AUTOCHECKPOINT}
        assert set(_settings(app)) == {DEFAULT}
        assert app.recorder.write_autocheckpoint == 0  # type: ignore[attr-defined]
