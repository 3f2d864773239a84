"""The eighth pass on the import (issue 15, target 3): on SQLite a batch's chain links,
command ids and fingerprints are written with multi-row INSERTs, many rows a
statement; the rows stored are those ``executemany`` stored, in the same order, and an
import whose batches span several statements (and a remainder) stores every link, id
and fingerprint as the chain and the re-run check read them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from renda_core import Renda
from renda_core.application.audit.verify import verify_log
from renda_core.application.importer import apply_commands, parse_lines
from renda_core.application.recorders import _ROWS_PER_INSERT, _insert_rows_sqlite
from tests.conftest import register_payload

_CREATE = "CREATE TABLE t (a INTEGER, b TEXT, c TEXT, d BLOB)"


def _rows(n: int) -> list[tuple[int, str, str, bytes]]:
    return [(i, f"b{i}", "代表" * (i % 3), bytes([i % 256])) for i in range(n)]


def _stored(rows: list[tuple[int, str, str, bytes]], *, multi: bool) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(":memory:")
    conn.execute(_CREATE)
    cursor = conn.cursor()
    if multi:
        _insert_rows_sqlite(cursor, "INSERT INTO t (a, b, c, d)", 4, rows)
    else:
        cursor.executemany("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)", rows)
    stored = conn.execute("SELECT rowid, a, b, c, d FROM t ORDER BY rowid").fetchall()
    conn.close()
    return stored


@pytest.mark.parametrize(
    "count",
    [0, 1, _ROWS_PER_INSERT - 1, _ROWS_PER_INSERT, _ROWS_PER_INSERT + 1, 3 * _ROWS_PER_INSERT + 7],
)
def test_multi_row_inserts_store_what_executemany_stores(count: int) -> None:
    assert _stored(_rows(count), multi=True) == _stored(_rows(count), multi=False)


def test_a_refused_row_refuses_its_statement() -> None:
    """A duplicate key fails the write as ``executemany`` would: the error is raised."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE k (id TEXT PRIMARY KEY) WITHOUT ROWID")
    rows = [(f"id{i}",) for i in range(_ROWS_PER_INSERT)]
    rows[-1] = rows[0]
    with pytest.raises(sqlite3.IntegrityError):
        _insert_rows_sqlite(conn.cursor(), "INSERT INTO k (id)", 1, rows)
    conn.close()


def test_an_import_across_statements_stores_every_row(tmp_path: Path) -> None:
    """Batches of 250 lines (two full statements and a remainder per table): every
    event is chained and verifies, every command id has its fingerprint, and a re-run
    skips all of them."""
    actor = {"id": "clerk-1", "role": "staff"}
    contacts = 2 * 250 + 37
    lines = [
        {"id": "d1", "command": "deputy.register", "actor": actor, "data": register_payload()},
        {
            "id": "l1",
            "command": "deputy.liaise",
            "actor": actor,
            "data": {"deputy_id": "@d1", "member": "甲", "date": "2023-02-01"},
        },
        *(
            {
                "id": f"c{i}",
                "command": "deputy.contact",
                "actor": actor,
                "data": {"deputy_id": "@d1", "form": "visit", "date": "2023-03-01"},
            }
            for i in range(contacts)
        ),
    ]
    text = [json.dumps(line, ensure_ascii=False) for line in lines]
    store = str(tmp_path / "renda.sqlite")
    with Renda(store, require_registered_actors=False) as app:
        commands = parse_lines(text)
        result = apply_commands(app, commands, batch_size=250)
        assert result.error is None and result.applied == len(lines)
        fingerprints = app.applied_fingerprints([c.id for c in commands])
        assert fingerprints == {c.id: c.fingerprint for c in commands}
        verification = verify_log(app.recorder)  # type: ignore[arg-type]
        assert verification.ok and verification.checked == len(lines)
        again = apply_commands(app, parse_lines(text), batch_size=250)
        assert again.applied == 0 and again.skipped == len(lines)
    conn = sqlite3.connect(store)
    chain = conn.execute("SELECT position, prev_position FROM event_chain ORDER BY position")
    assert chain.fetchall() == [(p, p - 1) for p in range(1, len(lines) + 1)]
    conn.close()
