"""Choosing the event store from one option: ``--store`` / ``RENDA_STORE``.

A plain path means an embedded SQLite file (the default is ``renda.sqlite`` in the
current directory); ``postgresql://user:pass@host:port/db[?schema=s]`` means PostgreSQL
through eventsourcing's own postgres module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from renda_core.domain.errors import StoreUnavailable

DEFAULT_STORE = "renda.sqlite"
MEMORY = ":memory:"


@dataclass(frozen=True)
class StoreConfig:
    """Where the event log (and the adapters' views) live."""

    backend: str  # "sqlite" | "postgres"
    location: str  # a file path, ":memory:", or a URL without its password
    env: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def view_env(self, view_name: str) -> dict[str, str]:
        """Environment for one adapter's view (its own tracking and tables).

        SQLite's tracking table has a fixed name, so each view gets its own file in a
        ``<store>.views`` folder beside the log; PostgreSQL prefixes the view's tables
        with its name in the same database.
        """
        if not self.is_sqlite:
            return dict(self.env)
        env = dict(self.env)
        if self.location == MEMORY:
            env["SQLITE_DBNAME"] = MEMORY
        else:
            env["SQLITE_DBNAME"] = str(self.views_dir / f"{view_name}.sqlite")
        return env

    @property
    def views_dir(self) -> Path:
        return Path(self.location + ".views")


def parse_store(store: str | None = None) -> StoreConfig:
    """Turn ``--store`` (or ``RENDA_STORE``, or the default) into a StoreConfig."""
    if store is None:
        store = os.environ.get("RENDA_STORE") or DEFAULT_STORE
    text = store.strip()  # an explicitly empty --store is an error, not the default
    if not text:
        raise StoreUnavailable("the store is empty: give a file path or a URL")
    if "://" in text:
        return _parse_postgres_url(text)
    if text == MEMORY:
        return StoreConfig(
            "sqlite",
            MEMORY,
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": MEMORY},
        )
    path = Path(text).expanduser()
    if path.is_dir():
        raise StoreUnavailable(f"store '{text}' is a folder; give a file path")
    if not path.parent.exists():
        raise StoreUnavailable(f"store folder '{path.parent}' does not exist")
    return StoreConfig(
        "sqlite",
        str(path),
        {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "10",
        },
    )


def _parse_postgres_url(text: str) -> StoreConfig:
    try:
        url = urlsplit(text)
        port = url.port or 5432
    except ValueError as exc:
        raise StoreUnavailable(f"store URL is not understood: {exc}") from None
    if url.scheme not in ("postgresql", "postgres"):
        raise StoreUnavailable(
            f"store URL scheme '{url.scheme}' is not supported; "
            "use a file path (SQLite) or postgresql://user:pass@host:port/db"
        )
    dbname = url.path.lstrip("/")
    if not dbname or not url.hostname or not url.username:
        raise StoreUnavailable(
            "store URL needs a user, a host and a database: postgresql://user:pass@host:port/db"
        )
    query = parse_qs(url.query)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(dbname),
        "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(url.username),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_POOL_SIZE": "4",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    shown = f"postgresql://{url.username}@{url.hostname}:{port}/{dbname}"
    return StoreConfig("postgres", shown, env)
