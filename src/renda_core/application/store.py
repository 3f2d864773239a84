"""Choosing the event store from one option: ``--store`` / ``RENDA_STORE``.

A plain path means an embedded SQLite file (the default is ``renda.sqlite`` in the
current directory); ``postgresql://user:pass@host:port/db[?schema=s]`` means PostgreSQL
through eventsourcing's own postgres module.

A SQLite store can be opened **read-only** (``--read-only`` / ``RENDA_READ_ONLY``, or
automatically when its file or folder has no write permission bits): the log is opened
with ``mode=ro`` (or ``immutable=1`` for a read-only copy), nothing is ever written to
it, and the adapters' views are read from copies in a temporary folder, caught up there.

``RENDA_CIPHER_KEY`` (base64 of 16, 24 or 32 bytes; ``renda audit keygen --cipher``)
turns on encryption at rest of every event's state: eventsourcing's AES-GCM cipher on
the ``cryptography`` package, after zlib compression (``docs/operations.md``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from renda_core.domain.errors import StoreUnavailable

DEFAULT_STORE = "renda.sqlite"
MEMORY = ":memory:"
CIPHER_KEY_ENV = "RENDA_CIPHER_KEY"
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
COMPRESSOR_TOPIC = "eventsourcing.compressor:ZlibCompressor"


def cipher_env() -> dict[str, str]:
    """The cipher settings for eventsourcing when ``RENDA_CIPHER_KEY`` (or the library's
    own ``CIPHER_KEY``) is set: AES-GCM through ``cryptography``, and compression."""
    key = (os.environ.get(CIPHER_KEY_ENV) or os.environ.get("CIPHER_KEY") or "").strip()
    if not key:
        return {}
    import base64  # here: a store without a key (most) needs neither
    import binascii

    try:
        size = len(base64.b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        size = -1
    if size not in (16, 24, 32):
        raise StoreUnavailable(
            f"{CIPHER_KEY_ENV} is not a cipher key (base64 of 16, 24 or 32 bytes): "
            "make one with `renda audit keygen --cipher`"
        )
    return {"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": key, "COMPRESSOR_TOPIC": COMPRESSOR_TOPIC}


@dataclass(frozen=True)
class StoreConfig:
    """Where the event log (and the adapters' views) live."""

    backend: str  # "sqlite" | "postgres"
    location: str  # a file path, ":memory:", or a URL without its password
    env: dict[str, str] = field(default_factory=dict, repr=False)
    # Why the store is read-only ("" when it is writable): shown when a write is refused.
    read_only: str = ""

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
            return env
        target = self.open_views_dir / f"{view_name}.sqlite"
        env["SQLITE_DBNAME"] = str(target)
        env.pop("CREATE_TABLE", None)
        if self.read_only:
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_view(self.views_dir / f"{view_name}.sqlite", target)
        return env

    @property
    def views_dir(self) -> Path:
        """The ``<store>.views`` folder beside the log."""
        return Path(self.location + ".views")

    @property
    def open_views_dir(self) -> Path:
        """Where the views are opened: beside the log, or (read-only) in a temporary
        folder, as copies of the stored views."""
        if self.read_only and self.is_sqlite and self.location != MEMORY:
            return _scratch_dir(self.location)
        return self.views_dir


def sqlite_uri(path: Path | str, *, immutable: bool) -> str:
    """A read-only SQLite URI for ``path``: ``mode=ro``, or ``immutable=1`` (no locks, no
    -shm/-wal files: for a copy nobody writes, in a folder that may be read-only)."""
    return Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def read_uri(path: Path | str) -> str:
    """The URI to read ``path`` without writing: ``immutable=1`` for a read-only copy,
    ``mode=ro`` for a file that may change under us."""
    return sqlite_uri(path, immutable=_immutable(Path(path)))


def _not_writable(path: Path) -> bool:
    """No write permission bits (or no access for this user). Decided by the bits, not by
    trying to write: root may write anywhere, yet a copy made read-only stays read-only."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def read_only_reason(path: Path, asked: bool) -> str:
    """Why a SQLite store at ``path`` opens read-only ("" when it opens for writing)."""
    if _not_writable(path) and path.exists():
        return "its file is not writable"
    if _not_writable(path.parent):
        return "its folder is not writable"
    return "opened with --read-only" if asked else ""


def _immutable(path: Path) -> bool:
    """Open a read-only store with ``immutable=1`` unless it may change under us: a
    writable location (a live store opened with --read-only) or un-checkpointed WAL."""
    wal = Path(str(path) + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return not has_wal and (_not_writable(path) or _not_writable(path.parent))


_SCRATCH: dict[str, Path] = {}


def _scratch_dir(location: str) -> Path:
    """A temporary folder (removed at exit) for the views of a read-only store: one per
    version of its file, so a file replaced in place (a restored backup) gets new copies."""
    try:
        st = os.stat(location)
        version = f"{location}|{st.st_ino}|{st.st_mtime_ns}"
    except OSError:
        version = location
    if version not in _SCRATCH:
        import atexit  # here: shutil (with bz2, lzma) is not imported to open a store
        import shutil
        import tempfile
        from hashlib import sha256

        root = Path(tempfile.mkdtemp(prefix="renda-views-"))
        atexit.register(shutil.rmtree, root, True)
        digest = sha256(version.encode()).hexdigest()[:12]
        _SCRATCH[version] = root / digest
    return _SCRATCH[version]


def _copy_view(source: Path, target: Path) -> None:
    """Copy a stored view into the scratch folder once, reading it without writing."""
    if target.exists() or not source.exists():
        return
    src = sqlite3.connect(read_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        src.close()


#: the command id ``renda demo`` records in a store it creates (``demo --fresh`` deletes
#: only stores that carry it)
DEMO_MARK = "renda:demo-store"


def demo_marked(path: Path) -> bool:
    """Whether the SQLite store at ``path`` was created by ``renda demo`` (read-only)."""
    try:
        conn = sqlite3.connect(read_uri(path), uri=True)
        try:
            row = conn.execute(
                "SELECT 1 FROM applied_commands WHERE command_id = ?", (DEMO_MARK,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None


def parse_store(store: str | None = None, *, read_only: bool = False) -> StoreConfig:
    """Turn ``--store`` (or ``RENDA_STORE``, or the default) into a StoreConfig.

    ``read_only`` asks for a read-only open; a SQLite store whose file or folder has no
    write permission is opened read-only anyway.
    """
    if store is None:
        store = os.environ.get("RENDA_STORE") or DEFAULT_STORE
    text = store.strip()  # an explicitly empty --store is an error, not the default
    if not text:
        raise StoreUnavailable("the store is empty: give a file path or a URL")
    if "://" in text:
        if read_only:
            raise StoreUnavailable(
                "--read-only is for SQLite stores; to audit a PostgreSQL store, restore a "
                "pg_dump of it into a database of its own (docs/operations.md)"
            )
        return _parse_postgres_url(text)
    if text == MEMORY:
        return StoreConfig(
            "sqlite",
            MEMORY,
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": MEMORY, **cipher_env()},
        )
    if any(ord(ch) < 32 for ch in text):
        raise StoreUnavailable("the store is not a file path or a URL (it has control characters)")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~nobody/…: no such user
        from renda_core.application.inputs import shown

        raise StoreUnavailable(
            f"store '{shown(text)}' names the home folder of a user unknown here"
        ) from None
    try:
        is_folder, folder_exists = path.is_dir(), path.parent.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        from renda_core.application.inputs import shown

        raise StoreUnavailable(f"store '{shown(text)}' is not usable: {exc.strerror}") from None
    if is_folder:
        raise StoreUnavailable(f"store '{text}' is a folder; give a file path")
    if not folder_exists:
        raise StoreUnavailable(f"store folder '{path.parent}' does not exist")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "10",
        **cipher_env(),
    }
    reason = read_only_reason(path, read_only)
    if reason:
        if not path.is_file():
            raise StoreUnavailable(f"the store {path} does not exist (opened read-only: {reason})")
        env["SQLITE_DBNAME"] = read_uri(path)
        env["CREATE_TABLE"] = "false"
    return StoreConfig("sqlite", str(path), env, read_only=reason)


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
    timeout = query.get("connect_timeout", ["5"])[0].strip()
    if not timeout.isdigit() or int(timeout) < 1:
        raise StoreUnavailable(
            f"store URL connect_timeout '{timeout}' is not a whole number of seconds (1 or more)"
        )
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(dbname),
        "POSTGRES_HOST": url.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(url.username),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": timeout,
        "POSTGRES_POOL_SIZE": "4",
        **cipher_env(),
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    shown = f"postgresql://{url.username}@{url.hostname}:{port}/{dbname}"
    return StoreConfig("postgres", shown, env)
