"""Raw access to a store's tables, as an attacker with the database owner's rights has
it: the append-only triggers are dropped (SQLite) or disabled (PostgreSQL) first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


def register(store: str, n: int, start: int = 0) -> list[str]:
    with Renda(store) as app:
        return [
            str(app.register_deputy(register_payload(name=f"代表{i}", phone="13900000000"), STAFF))
            for i in range(start, start + n)
        ]


class Raw:
    """``q(sql, params)`` with ``{events}``, ``{chain}``, ``{seals}``, ``{pos}`` and ``?``."""

    def __init__(self, store: str, conn: Any, names: dict[str, str], mark: str) -> None:
        self.store = store
        self.conn = conn
        self.names = names
        self.mark = mark

    def q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        statement = sql.format(**self.names).replace("?", self.mark)
        cur = self.conn.execute(statement, tuple(params))
        try:
            return [tuple(r) for r in cur.fetchall()]
        except (psycopg.ProgrammingError, sqlite3.ProgrammingError):
            return []

    def state(self, position: int) -> bytes:
        ((state,),) = self.q("SELECT state FROM {events} WHERE {pos} = ?", (position,))
        return bytes(state)

    def set_state(self, position: int, state: bytes) -> None:
        self.q("UPDATE {events} SET state = ? WHERE {pos} = ?", (state, position))

    def move(self, source: int, target: int) -> None:
        self.q("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (target, source))


def is_pg(store: str) -> bool:
    return "://" in store


@contextmanager
def raw(store: str, *, bypass: bool = True) -> Iterator[Raw]:
    if not is_pg(store):
        conn = sqlite3.connect(store)
        try:
            if bypass:
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).fetchall():
                    conn.execute(f"DROP TRIGGER {name}")
            names = {
                "events": "stored_events",
                "chain": "event_chain",
                "seals": "event_seals",
                "pos": "rowid",
            }
            yield Raw(store, conn, names, "?")
            conn.commit()
        finally:
            conn.close()
        return
    schema = parse_qs(urlsplit(store).query)["schema"][0]
    names = {
        "events": f"{schema}.renda_events",
        "chain": f"{schema}.renda_chain",
        "seals": f"{schema}.renda_seals",
        "pos": "notification_id",
    }
    with psycopg.connect(store.split("?")[0], autocommit=True) as conn:
        if bypass:
            for table in ("events", "chain", "seals"):
                conn.execute(f"ALTER TABLE {names[table]} DISABLE TRIGGER USER")
        yield Raw(store, conn, names, "%s")
