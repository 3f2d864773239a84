"""Materialized views for projection adapters, on eventsourcing's tracking recorders.

Each adapter owns one view: its own tables plus the library's tracking table, written
in one transaction (exactly once: a tracking id not greater than the stored one raises
``IntegrityError``). The same SQL serves SQLite and PostgreSQL.

A view holds two kinds of data:

- **entities**: current JSON documents by (kind, key), for the adapter's own state;
- **figures**: integer counters by (figure, key, area, level, year), with their full
  history by log position and recorded time, so a report can be read *as the log stood*
  at any past moment without replaying the log.

With ``RENDA_CIPHER_KEY`` set, entity documents (which may hold names, notes,
contacts) are encrypted with the store's own cipher (AES-GCM, after compression) and
stored as ``enc1:<base64>``; figures hold ids, codes and counts only. A view written
before the key was set keeps plain documents until ``renda projections rebuild``.

Opening a view creates its tables if needed, safely when several processes open a fresh
view at once (see ``renda_core.application.recorders``). ``reset`` drops and creates
the view's tables in one transaction, so a reader sees the old view or the new, empty
one, never missing tables. A rebuild fills a *shadow* of the view (tables with another
prefix, tracked under another application name) while readers keep the old view, then
``replace_with`` puts the shadow's tables in place in one transaction.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from eventsourcing.persistence import InfrastructureFactory, IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import Environment

from renda_core.application.recorders import ensure_wal, retry_creation
from renda_core.application.store import MEMORY, StoreConfig
from renda_core.application.textcipher import TextCipher, seal, unseal
from renda_core.projections.reader import KEY_ORDER

try:  # the ``fast`` extra: the documents' JSON encoded in C (see ``_encoder``)
    import orjson as _orjson
except ImportError:  # pragma: no cover - the extra not installed
    _orjson = None  # type: ignore[assignment]

VIEW_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FigureKey = tuple[str, str, str, str, int]  # figure, key, area, level, year


def _encoder(*, fast: bool = True) -> Callable[[Any], str]:
    """The JSON encoding of the documents, the figures' earlier changes and the moments.

    The standard library's: ``json.dumps(doc, ensure_ascii=False)`` without making an
    encoder for each document, and without the check for cycles (a set of every
    container's id, kept and cleared as it encodes): documents come from JSON and
    adapters, never hold themselves (one that did would fail with a RecursionError
    instead of a ValueError).

    With the ``fast`` extra (``pip install renda[fast]``: orjson) and ``fast``: orjson's,
    about five times faster (a tenth of a rebuild's time was the encoding). Its text is
    compact (``{"a":1}`` where the standard library writes ``{"a": 1}``); every reader
    decodes it with ``json.loads`` into the same document, and a view may hold both.
    What orjson refuses is left to the standard library, which encodes it or raises as
    before: an integer beyond 64 bits, and (told to refuse them) a date, a time or a
    dataclass; keys that are not strings become strings, as the standard library makes
    them. What differs: a float that is not finite (the standard library writes
    ``NaN``, orjson ``null``), and a UUID or a plain enum member (orjson writes its
    text or value, the standard library raised). Documents hold counts, codes, names and
    dates as text, none of these.
    """
    stdlib = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    if not fast or _orjson is None:
        return stdlib
    dumps = _orjson.dumps
    options = (
        _orjson.OPT_NON_STR_KEYS
        | _orjson.OPT_PASSTHROUGH_DATETIME
        | _orjson.OPT_PASSTHROUGH_DATACLASS
    )

    def encode(data: Any) -> str:
        try:
            return dumps(data, option=options).decode()
        except TypeError:  # orjson.JSONEncodeError: what orjson cannot encode
            return stdlib(data)

    return encode


_encode = _encoder()


@dataclass(frozen=True, slots=True)
class Figure:
    figure: str
    key: str
    area: str
    level: str
    year: int
    value: int


def _figures_of(rows: Iterable[tuple[Any, int]]) -> list[Figure]:
    """A :class:`Figure` per (row, value), each equal name, key, area, level and year
    one object: a view's rows repeat them (a report at demo scale 5 holds some 250k
    rows; their strings, one object per row as the driver makes them, were most of
    its memory)."""
    one = dict[Any, Any]().setdefault
    out = []
    for r, value in rows:
        f, k, a, lv, y = r["figure"], r["key"], r["area"], r["level"], r["year"]
        out.append(Figure(one(f, f), one(k, k), one(a, a), one(lv, lv), one(y, y), value))
    return out


def _table_sql(p: str, big: str, index: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {p}entities (kind TEXT NOT NULL, "
        "key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, key))",
        f"CREATE TABLE IF NOT EXISTS {p}figures (figure TEXT NOT NULL, "
        "key TEXT NOT NULL, area TEXT NOT NULL, level TEXT NOT NULL, "
        f"year INTEGER NOT NULL, value {big} NOT NULL, "
        "PRIMARY KEY (figure, key, area, level, year))",
        # One row per figure and batch that changed it: its last change (position,
        # value) and, when the batch changed it more than once, the earlier changes
        # (``earlier``: a JSON list ``[position, value, position, value, …]``).
        f"CREATE TABLE IF NOT EXISTS {p}figure_history (figure TEXT NOT NULL, "
        "key TEXT NOT NULL, area TEXT NOT NULL, level TEXT NOT NULL, "
        f"year INTEGER NOT NULL, position {big} NOT NULL, value {big} NOT NULL, "
        f"first_position {big} NOT NULL, earlier TEXT, "
        "PRIMARY KEY (figure, key, area, level, year, position))",
        # One row per batch that changed figures: the positions and recorded times
        # of its events that did (``detail``: ``[position, recorded, …]``, NULL for one).
        f"CREATE TABLE IF NOT EXISTS {p}moments (position {big} PRIMARY KEY, "
        "first_recorded TEXT NOT NULL, last_recorded TEXT NOT NULL, detail TEXT)",
        f"CREATE INDEX IF NOT EXISTS {index} ON {p}moments (last_recorded)",
        f"CREATE TABLE IF NOT EXISTS {p}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]


class Cursor(Protocol):
    def execute(self, sql: Any, params: Any = ...) -> Any: ...
    def executemany(self, sql: Any, params: Any) -> Any: ...
    def fetchall(self) -> Any: ...
    def fetchone(self) -> Any: ...


class ViewChanges(Protocol):
    """What a batch of processed events changes in a view (see ``ViewUnit``)."""

    def entity_changes(self) -> Iterable[tuple[str, str, dict[str, Any] | None]]: ...
    def figure_changes(self) -> Iterable[tuple[FigureKey, int]]: ...
    def history_rows(self) -> Iterable[tuple[FigureKey, int, int, int, list[int] | None]]: ...
    def moments(self) -> Sequence[tuple[int, datetime]]: ...


class View:
    """SQL shared by both backends; subclasses bind it to a tracking recorder."""

    view_name: str
    schema_dot: str = ""  # "<schema>." on PostgreSQL
    table_prefix: str  # what the view's table names start with
    tracking_suffix: str = ""  # a shadow is tracked under "<application name>~rebuild"
    factory: InfrastructureFactory[Any]
    cipher: TextCipher | None = None  # RENDA_CIPHER_KEY: documents encrypted
    #: a shadow's commits need not reach the disk one by one: it is only put in use by
    #: ``replace_with``, whose own commit is durable (and makes what came before it so)
    bulk: bool = False

    TABLES = ("entities", "figures", "figure_history", "meta", "moments")
    #: how the view's tables are laid out; a view stored in another format is refused
    #: until rebuilt (2: figure history by batch, with the moments of its events)
    FORMAT = "2"

    def _encode_doc(self, doc: dict[str, Any]) -> str:
        return seal(self.cipher, _encode(doc))

    def _decode_doc(self, text: str) -> dict[str, Any]:
        return dict(json.loads(unseal(self.cipher, text, f"view '{self.view_name}'")))

    @property
    def prefix(self) -> str:
        return self.schema_dot + self.table_prefix

    def tracking_name(self, application_name: str) -> str:
        """The application name this view's tracking row is kept under."""
        return application_name + self.tracking_suffix

    def shadow(self) -> View:
        """The same view under other table names, for a rebuild to fill aside."""
        shadow = copy.copy(self)
        shadow.table_prefix = self.table_prefix + "_r_"
        shadow.tracking_suffix = "~rebuild"
        shadow.bulk = True
        return shadow

    def _index(self) -> str:
        return f"{self.table_prefix}moments_recorded"

    # -- backend hooks ----------------------------------------------------------

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Cursor]:
        raise NotImplementedError
        yield  # pragma: no cover

    def _sql(self, sql: str) -> str:
        return sql

    def _insert_tracking_in(self, cursor: Cursor, tracking: Tracking) -> None:
        raise NotImplementedError

    def _guard_ddl(self, cursor: Cursor) -> None:
        """Hold, in this transaction, the lock that table creation holds (PostgreSQL):
        dropping or renaming a view's tables while another connection creates them "if
        not exists" fails there with "cache lookup failed for relation"."""

    def _drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.prefix}{table}" for table in self.TABLES]

    def _create_sql(self) -> list[str]:
        """The view's own tables (the tracking table is the recorder's).

        A shadow has no index on recorded time: nothing reads a shadow by time, and
        ``replace_with`` makes the index once, on the filled table, under the view's
        name (instead of keeping one up to date at every history row written)."""
        statements = _table_sql(self.prefix, self._big, self._index())
        if self.bulk:
            statements = [s for s in statements if not s.startswith("CREATE INDEX")]
        return statements

    _big = "INTEGER"

    def _tracking_table(self) -> str:
        raise NotImplementedError

    def _rowcount(self, cursor: Cursor) -> int:
        return int(cursor.rowcount)  # type: ignore[attr-defined]

    # -- writing ----------------------------------------------------------------

    def apply(
        self, tracking: Tracking, changes: ViewChanges | None, *, after: int | None = None
    ) -> None:
        """Write the changes and the tracking position in one transaction.

        With ``after``, the write is compare-and-set: it happens only if the view is
        still at position ``after`` (the position the changes were computed from), else
        ``IntegrityError`` and nothing is written — another runner (a concurrent
        catch-up, a rebuild's reset) moved the view meanwhile. Without it, a position not
        greater than the stored one is refused.

        The rows are made (documents encoded) before the transaction begins: it stays
        open only while they are sent (PostgreSQL ends a session idle in a transaction
        for longer than eventsourcing's timeout, 5 s by default).
        """
        rows = None if changes is None else _Rows(self, changes)
        self._apply_rows(tracking, rows, after)

    def _apply_rows(self, tracking: Tracking, rows: _Rows | None, after: int | None) -> None:
        """:meth:`apply`'s transaction (PostgreSQL's sends it in fewer round trips)."""
        with self._transaction(commit=True) as c:
            if after is None:
                self._insert_tracking_in(c, tracking)
            else:
                self._move_tracking(c, tracking, after)
            if rows is not None:
                self._write_rows(c, rows)

    def _move_tracking(self, c: Cursor, tracking: Tracking, after: int) -> None:
        table = self._tracking_table()
        c.execute(
            self._sql(
                f"UPDATE {table} SET notification_id=? "
                "WHERE application_name=? AND notification_id=?"
            ),
            (tracking.notification_id, tracking.application_name, after),
        )
        if self._rowcount(c) == 1:
            return
        if after == 0:  # nothing written yet: no row (a second inserter fails on the key)
            c.execute(
                self._sql(f"INSERT INTO {table} (application_name, notification_id) VALUES (?,?)"),
                (tracking.application_name, tracking.notification_id),
            )
            return
        raise IntegrityError(
            f"view {self.view_name} is no longer at position {after}: written by another runner"
        )

    def _write_rows(self, c: Cursor, rows: _Rows) -> None:
        p = self.prefix
        if rows.deletes:
            c.executemany(
                self._sql(f"DELETE FROM {p}entities WHERE kind=? AND key=?"),
                sorted(rows.deletes),  # in the key's order, as the inserts (below)
            )
        if rows.upserts:
            self._insert_rows(c, "entities", _ENTITY_COLUMNS, rows.upserts, conflict=2)
        if rows.figures:
            self._insert_rows(c, "figures", _FIGURE_COLUMNS, rows.figures, conflict=5)
        if rows.history:
            self._insert_rows(c, "figure_history", _HISTORY_COLUMNS, rows.history)
        if rows.moment is not None:
            c.execute(
                self._sql(
                    f"INSERT INTO {p}moments (position, first_recorded, last_recorded, "
                    "detail) VALUES (?,?,?,?)"
                ),
                rows.moment,
            )

    def _insert_rows(
        self,
        c: Cursor,
        table: str,
        columns: Sequence[tuple[str, str]],
        rows: list[tuple[Any, ...]],
        *,
        conflict: int = 0,
    ) -> None:
        """Insert ``rows`` into the view's ``table``; with ``conflict``, a row whose first
        ``conflict`` columns (the key) are stored already replaces the other columns.
        ``columns``: (name, SQL type) pairs. One statement per row, in one call.

        PostgreSQL streams them with ``COPY`` instead (``PostgresView._insert_rows``):
        a statement per row cost the server and the client more than the round trips
        (all the rows in one statement, each column an array through ``unnest``, was
        tried before and was no faster).

        The rows go in the order of the table's key (:data:`_KEY_WIDTH`), as the
        B-tree holds them: one after another they touch neighbouring pages, which the
        page cache (2 MB) still holds, where rows in the order the batch met them touch
        pages all over a table much larger than the cache, each read again. A batch's
        keys are unique, so the order changes nothing stored."""
        names = [name for name, _ in columns]
        width = _KEY_WIDTH[table]
        rows = sorted(rows, key=lambda row: row[:width])
        sql = (
            f"INSERT INTO {self.prefix}{table} ({', '.join(names)}) "
            f"VALUES ({','.join('?' for _ in names)})"
        )
        if conflict:
            sql += _on_conflict(names, conflict)
        c.executemany(self._sql(sql), rows)

    def set_meta(self, key: str, value: str | None) -> None:
        p = self.prefix
        with self._transaction(commit=True) as c:
            if value is None:
                c.execute(self._sql(f"DELETE FROM {p}meta WHERE key=?"), (key,))
            else:
                c.execute(
                    self._sql(
                        f"INSERT INTO {p}meta (key, value) VALUES (?,?) ON CONFLICT "
                        "(key) DO UPDATE SET value=excluded.value"
                    ),
                    (key, value),
                )

    def reset(self, application_name: str) -> None:
        """Drop the view's tables and its tracking row and create them again, in one
        transaction: readers see the old view or the new, empty one."""
        with self._transaction(commit=True) as c:
            self._guard_ddl(c)
            for statement in self._drop_sql():
                c.execute(statement)
            c.execute(
                self._sql(f"DELETE FROM {self._tracking_table()} WHERE application_name=?"),
                (self.tracking_name(application_name),),
            )
            for statement in self._create_sql():
                c.execute(statement)

    def replace_with(self, shadow: View, application_name: str, position: int) -> bool:
        """Put a shadow's tables and position in this view's place, in one transaction.

        False (and nothing changed) if the shadow is no longer at ``position`` (another
        rebuild moved or swapped it meanwhile).
        """
        table = self._tracking_table()
        with self._transaction(commit=True) as c:
            c.execute(
                self._sql(f"DELETE FROM {table} WHERE application_name=? AND notification_id=?"),
                (shadow.tracking_name(application_name), position),
            )
            if self._rowcount(c) != 1:
                return False
            self._guard_ddl(c)
            for statement in self._drop_sql():
                c.execute(statement)
            c.execute(f"DROP INDEX IF EXISTS {self.schema_dot}{shadow._index()}")
            for name in self.TABLES:
                c.execute(f"ALTER TABLE {shadow.prefix}{name} RENAME TO {self.table_prefix}{name}")
            for statement in self._create_sql():  # the index under this view's name
                c.execute(statement)
            c.execute(
                self._sql(f"DELETE FROM {table} WHERE application_name=?"),
                (self.tracking_name(application_name),),
            )
            c.execute(
                self._sql(f"INSERT INTO {table} (application_name, notification_id) VALUES (?,?)"),
                (self.tracking_name(application_name), position),
            )
        return True

    if TYPE_CHECKING:  # provided by the tracking recorder it is mixed with

        def create_table(self) -> None: ...
        def max_tracking_id(self, application_name: str) -> int | None: ...
        def insert_tracking(self, tracking: Tracking) -> None: ...

    # -- reading ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._transaction(commit=False) as c:
            c.execute(self._sql(f"SELECT value FROM {self.prefix}meta WHERE key=?"), (key,))
            row = c.fetchone()
        return None if row is None else str(row["value"])

    def get_entity(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._transaction(commit=False) as c:
            c.execute(
                self._sql(f"SELECT doc FROM {self.prefix}entities WHERE kind=? AND key=?"),
                (kind, key),
            )
            row = c.fetchone()
        return None if row is None else self._decode_doc(str(row["doc"]))

    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read statement (``?`` placeholders), which sees the view as
        of one moment. PostgreSQL's view sends it alone, in one round trip."""
        with self._transaction(commit=False) as c:
            c.execute(self._sql(sql), params)
            return list(c.fetchall())

    def entities(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self._select(
            f"SELECT key, doc FROM {self.prefix}entities WHERE kind=? ORDER BY key", (kind,)
        )
        return [(str(r["key"]), self._decode_doc(str(r["doc"]))) for r in rows]

    def get_figures(self, keys: Sequence[FigureKey]) -> dict[FigureKey, int]:
        """Current values of the given figure keys (missing keys are absent)."""
        found: dict[FigureKey, int] = {}
        with self._transaction(commit=False) as c:
            for key in keys:
                c.execute(
                    self._sql(
                        f"SELECT value FROM {self.prefix}figures WHERE figure=? AND "
                        "key=? AND area=? AND level=? AND year=?"
                    ),
                    key,
                )
                row = c.fetchone()
                if row is not None:
                    found[key] = int(row["value"])
        return found

    def figures(
        self,
        names: Sequence[str] | None = None,
        position: int | None = None,
        *,
        nonzero: bool = False,
    ) -> list[Figure]:
        """All figures (or those named), now or as they stood at log ``position``.

        They come in the order of the key (figure, key, area, level, year), read by name
        or all: a report that lists rows as it meets them prints the same on both stores,
        after a rebuild, and whichever batches wrote them. (The table's own order is
        not stable: PostgreSQL's ``ctid`` moves with every update of a row, and a
        rolled-up counter's first row follows the batch it was first written in.)
        ``nonzero``: leave out figures at 0 (then) — for a reader that only sums them; a
        counter that went up and down again (an open reply deadline, once replied) keeps
        its row at 0, and such rows grow with the province.
        """
        p = self.prefix
        conditions, params = list[str](), list[Any]()
        if names:
            conditions.append(f"f.figure IN ({','.join('?' for _ in names)})")
            params = list(names)
        if nonzero and position is None:  # at a past position: the value is known below
            conditions.append("f.value <> 0")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        where += f" ORDER BY {KEY_ORDER}"
        if position is None:
            sql = (
                f"SELECT f.figure, f.key, f.area, f.level, f.year, f.value AS value "
                f"FROM {p}figures f{where}"
            )
            rows = self._select(sql, params)
            return _figures_of((r, r["value"]) for r in rows)
        # The value at ``position``: the last change at or before it. That is the last
        # change of the figure's latest batch row at or before it, unless the next row's
        # batch began at or before it (a moment inside that batch): then one of that
        # row's earlier changes.
        same = (
            "h.figure=f.figure AND h.key=f.key AND h.area=f.area AND h.level=f.level "
            "AND h.year=f.year"
        )
        sql = (
            "SELECT f.figure, f.key, f.area, f.level, f.year, "
            f"(SELECT h.value FROM {p}figure_history h WHERE {same} AND h.position<=? "
            "ORDER BY h.position DESC LIMIT 1) AS value, "
            f"(SELECT h.earlier FROM {p}figure_history h WHERE {same} AND h.position>? "
            "AND h.first_position<=? ORDER BY h.position LIMIT 1) AS earlier "
            f"FROM {p}figures f{where}"
        )
        rows = self._select(sql, [position, position, position, *params])

        def at_position() -> Iterator[tuple[Any, int]]:
            for r in rows:
                value = r["value"]
                if r["earlier"] is not None:
                    value = _last_change(json.loads(r["earlier"]), position, value)
                if value is not None and (value or not nonzero):
                    yield r, value

        return _figures_of(at_position())

    def position_at(self, moment: datetime) -> int:
        """The last log position at or before recorded time ``moment`` at which this
        view's figures changed (0 if none)."""
        stamp = recorded(moment)
        p = self.prefix
        with self._transaction(commit=False) as c:
            c.execute(
                self._sql(
                    f"SELECT MAX(position) AS position FROM {p}moments WHERE last_recorded <= ?"
                ),
                (stamp,),
            )
            row = c.fetchone()
            found = int(row["position"] or 0) if row is not None else 0
            # batches some of whose events were recorded by the moment, not all
            c.execute(
                self._sql(
                    f"SELECT detail FROM {p}moments WHERE last_recorded > ? AND first_recorded <= ?"
                ),
                (stamp, stamp),
            )
            partial = [str(r["detail"]) for r in c.fetchall()]
        for detail in partial:
            flat = json.loads(detail)
            for i in range(0, len(flat), 2):
                if flat[i + 1] <= stamp and flat[i] > found:
                    found = flat[i]
        return found


class _Rows:
    """What a batch writes to a view, as rows ready to be sent."""

    __slots__ = ("deletes", "figures", "history", "moment", "upserts")

    def __init__(self, view: View, changes: ViewChanges) -> None:
        self.upserts: list[tuple[Any, ...]] = []
        self.deletes: list[tuple[str, str]] = []
        for kind, key, doc in changes.entity_changes():
            if doc is None:
                self.deletes.append((kind, key))
            else:
                self.upserts.append((kind, key, view._encode_doc(doc)))
        self.figures: list[tuple[Any, ...]] = [
            (*key, value) for key, value in changes.figure_changes()
        ]
        self.history: list[tuple[Any, ...]] = [
            (*key, position, value, first, None if earlier is None else _encode(earlier))
            for key, position, value, first, earlier in changes.history_rows()
        ]
        self.moment: tuple[Any, ...] | None = None
        moments = changes.moments()
        if moments:
            stamps = [(position, recorded(moment)) for position, moment in moments]
            times = [stamp for _, stamp in stamps]
            detail = None
            if len(stamps) > 1:
                detail = _encode([part for stamp in stamps for part in stamp])
            self.moment = (stamps[-1][0], min(times), max(times), detail)


#: the columns written in each batch, with their SQL types (for PostgreSQL's arrays)
_ENTITY_COLUMNS = (("kind", "text"), ("key", "text"), ("doc", "text"))
_FIGURE_COLUMNS = (
    ("figure", "text"),
    ("key", "text"),
    ("area", "text"),
    ("level", "text"),
    ("year", "bigint"),
    ("value", "bigint"),
)
_HISTORY_COLUMNS = (
    *_FIGURE_COLUMNS[:5],
    ("position", "bigint"),
    ("value", "bigint"),
    ("first_position", "bigint"),
    ("earlier", "text"),
)


#: how many leading columns of each table's rows make its key (unique in a batch)
_KEY_WIDTH = {"entities": 2, "figures": 5, "figure_history": 6}


def _on_conflict(names: Sequence[str], key: int) -> str:
    updates = ", ".join(f"{name}=excluded.{name}" for name in names[key:])
    return f" ON CONFLICT ({', '.join(names[:key])}) DO UPDATE SET {updates}"


def _last_change(flat: list[int], position: int, value: int | None) -> int | None:
    """The value of the last change at or before ``position`` in ``[position, value,
    …]`` (ascending), or ``value`` if none is."""
    for i in range(0, len(flat), 2):
        if flat[i] > position:
            break
        value = flat[i + 1]
    return value


def recorded(moment: datetime) -> str:
    """Recorded times are stored as sortable UTC ISO strings (to the microsecond)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:26]


class SQLiteView(View, SQLiteTrackingRecorder):
    def __init__(self, datastore: SQLiteDatastore, *, view_name: str, **kw: Any):
        self.view_name = view_name
        self.table_prefix = "v_"
        super().__init__(datastore, **kw)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self._create_sql()]

    def create_table(self) -> None:
        def forget_what_was_seen() -> None:  # the other process created the tracking table
            self.tracking_table_exists = False
            self.tracking_migration_previous = self.tracking_migration_current = None

        ensure_wal(self.datastore)
        retry_creation(
            super().create_table,
            forget_what_was_seen,
            within=self.datastore.pool.lock_timeout or 5,
        )

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Cursor]:
        if not (commit and self.bulk):
            with self.datastore.transaction(commit=commit) as c:
                yield c
            return
        # A shadow's write: WAL's synchronous=NORMAL (no fsync at each commit; the
        # file stays consistent, and replace_with's FULL commit syncs the WAL).
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn
            (before,) = raw.execute("PRAGMA synchronous").fetchone()
            raw.execute("PRAGMA synchronous=NORMAL")
            try:
                with conn.transaction(commit=True) as c:
                    yield c
            finally:
                raw.execute(f"PRAGMA synchronous={int(before)}")

    def _insert_tracking_in(self, cursor: Cursor, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)  # type: ignore[arg-type]

    def _tracking_table(self) -> str:
        return "tracking"

    def _rowcount(self, cursor: Cursor) -> int:
        return int(cursor.sqlite_cursor.rowcount)  # type: ignore[attr-defined]


def open_view(store: StoreConfig, view_name: str) -> View:
    """Open (and create if needed) the view named ``view_name`` for ``store``."""
    if not VIEW_NAME.match(view_name):
        raise ValueError(f"view name '{view_name}' must match {VIEW_NAME.pattern}")
    env = store.view_env(view_name)
    if not store.is_sqlite:
        # A view is written by one runner at a time: one pooled connection (the pool
        # grows when it needs another), not the log's four for each of a dozen views.
        env["POSTGRES_POOL_SIZE"] = "1"
        # A batch's rows are sent as a few large statements; while the client prepares
        # the next one the session is idle in its transaction, for seconds on a busy
        # machine: more than eventsourcing's default limit (5 s) allows.
        env.setdefault("POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", "60")
    if store.is_sqlite and store.location != MEMORY:
        store.open_views_dir.mkdir(parents=True, exist_ok=True)
    factory = InfrastructureFactory.construct(Environment(name=view_name, env=env))
    recorder_class: type[View] = SQLiteView
    if not store.is_sqlite:
        from renda_core.projections.views_pg import PostgresView  # psycopg: the extra

        recorder_class = PostgresView

    class Bound(recorder_class):  # type: ignore[valid-type,misc]
        def __init__(self, datastore: Any, **kw: Any) -> None:
            super().__init__(datastore, view_name=view_name, **kw)

    view = factory.tracking_recorder(Bound)
    assert isinstance(view, View)
    view.factory = factory  # keep the datastore's pool alive with the view
    view.cipher = _view_cipher(factory, view_name)
    return view


def __getattr__(name: str) -> Any:
    """``PostgresView`` stays importable from here (from its own module, so psycopg is
    imported only when asked for)."""
    if name == "PostgresView":
        from renda_core.projections.views_pg import PostgresView

        return PostgresView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _view_cipher(factory: InfrastructureFactory[Any], view_name: str) -> TextCipher | None:
    """The store's cipher and compressor (None without RENDA_CIPHER_KEY)."""
    cipher = factory.cipher()
    if cipher is None:
        return None
    return TextCipher(cipher, factory.compressor(), f"view '{view_name}'")
