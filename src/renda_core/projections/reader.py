"""A report of current views, read with the standard library only (issue 15, target 4).

``renda report NAME`` without ``--as-of`` on a SQLite store first tries this reader:
it opens the log and the report's view with :mod:`sqlite3` alone (no eventsourcing, no
application, no recorder) and checks what the projection runner checks before it reads
a view (:meth:`~renda_core.projections.runner.ProjectionRunner.catch_up`):

- the view is at the log's head (a view behind the log must be caught up first);
- it was built from this log (its store id is the log's);
- by this version of its adapter, in this view format;
- it holds no recorded error (a successful catch-up would clear it).

If any of these does not hold — or the store is not a plain SQLite file (PostgreSQL, a
read-only store whose views are copies, ``:memory:``, an encrypted store), or the
rules refuse to choose a deadline policy (several plugins' policies and none named, an
unknown name), or anything at all cannot be read or decoded — it gives up
(:class:`NotCurrent`) and the report takes the whole path (the reader application and
its runner), which catches up, refuses or names the fault exactly as before. Nothing
is written here: giving up at any point leaves nothing to undo.

A test checks that the names below are those of the runner, the views and the
recorders (``tests/projections/test_reader.py``).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from renda_core.application.store import MEMORY, StoreConfig
from renda_core.domain.errors import StoreUnavailable

#: the order figures are read in, here and by the view (``View.figures``): their primary
#: key's, which the index a named read goes through already follows; the table's own
#: order is not stable (PostgreSQL's ``ctid`` moves with each update of a row)
KEY_ORDER = "f.figure, f.key, f.area, f.level, f.year"

if TYPE_CHECKING:
    import pluggy

    from renda_core.ports.builtin_index import BuiltinPlugins
    from renda_core.ports.contracts import Projection, Report

#: ``RendaBase.name``: the views' tracking rows are kept under it
APPLICATION = "Renda"
#: eventsourcing's SQLite events table (its ``rowid`` is the log position)
EVENTS_TABLE = "stored_events"
#: ``renda_core.application.recorders.STORE_TABLE`` and ``CHAIN_TABLE``
STORE_TABLE = "store_identity"
CHAIN_TABLE = "event_chain"
#: the runner's meta keys (``renda_core.projections.runner``) and ``View.FORMAT``
STORE_KEY = "store_id"
VERSION_KEY = "adapter_version"
FORMAT_KEY = "view_format"
ERROR_KEY = "last_error"
VIEW_FORMAT = "2"
VIEW_PREFIX = "v_"
#: ``renda_core.application.textcipher.ENCRYPTED``: a sealed document (its module, with
#: ``base64``, is imported only to name the error of one)
SEALED = "enc1:"
#: ``renda_core.application.reader``'s: the policy named without importing the rules
NATIONAL_NAME = "national"
POLICY_ENV = "RENDA_DEADLINE_POLICY"


class NotCurrent(Exception):
    """This reader cannot answer: the report takes the whole path."""


class PlainFigure(NamedTuple):
    """A row of a view's figures, as :class:`renda_core.projections.views.Figure`."""

    figure: str
    key: str
    area: str
    level: str
    year: int
    value: int


def _connect(path: Path) -> sqlite3.Connection:
    """An existing SQLite file, in autocommit mode (reads in an explicit transaction)."""
    if not path.is_file():
        raise NotCurrent(f"{path} does not exist")
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise NotCurrent(str(exc)) from exc
    conn.row_factory = sqlite3.Row
    return conn


@contextmanager
def _given_up() -> Iterator[None]:
    """Any failure to read: the whole path reads again, and names it.

    Except a file that stayed locked the whole lock timeout (another process holds it in
    ``PRAGMA locking_mode=EXCLUSIVE``): the whole path would wait as long again before
    saying the same, so it is said now."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower():
            from renda_core.application.faults import store_fault

            raise store_fault("cannot read the store", exc) from exc
        raise NotCurrent(f"{type(exc).__name__}: {exc}") from exc
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError) as exc:
        raise NotCurrent(f"{type(exc).__name__}: {exc}") from exc


class PlainView:
    """One view's current documents and figures, in one read transaction (a catch-up
    in another process meanwhile is not seen half-written)."""

    def __init__(self, path: Path, view_name: str) -> None:
        self.view_name = view_name
        self.conn = _connect(path)
        with _given_up():
            self.conn.execute("BEGIN")
            self.at = self.position()  # before the log's head, as the runner reads them

    def read_errors(self, what: str) -> Any:
        """How :func:`renda_core.projections.reports.reading` wraps a read."""
        return _given_up()

    def position(self) -> int:
        row = self.conn.execute(
            "SELECT MAX(notification_id) AS n FROM tracking WHERE application_name=?",
            (APPLICATION,),
        ).fetchone()
        return int(row["n"] or 0)

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute(
            f"SELECT value FROM {VIEW_PREFIX}meta WHERE key=?", (key,)
        ).fetchone()
        return None if row is None else str(row["value"])

    def _decode(self, text: str) -> dict[str, Any]:
        if text.startswith(SEALED):
            from renda_core.application.textcipher import unseal

            text = unseal(None, text, f"view '{self.view_name}'")
        return dict(json.loads(text))

    def get_entity(self, kind: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            f"SELECT doc FROM {VIEW_PREFIX}entities WHERE kind=? AND key=?", (kind, key)
        ).fetchone()
        return None if row is None else self._decode(str(row["doc"]))

    def entities(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.conn.execute(
            f"SELECT key, doc FROM {VIEW_PREFIX}entities WHERE kind=? ORDER BY key", (kind,)
        ).fetchall()
        return [(str(r["key"]), self._decode(str(r["doc"]))) for r in rows]

    def get_figures(self, keys: Sequence[tuple[str, str, str, str, int]]) -> dict[Any, int]:
        found: dict[Any, int] = {}
        for key in keys:
            row = self.conn.execute(
                f"SELECT value FROM {VIEW_PREFIX}figures WHERE figure=? AND key=? AND area=? "
                "AND level=? AND year=?",
                key,
            ).fetchone()
            if row is not None:
                found[key] = int(row["value"])
        return found

    def figures(
        self,
        names: Sequence[str] | None = None,
        position: int | None = None,
        *,
        nonzero: bool = False,
    ) -> list[PlainFigure]:
        """The current figures (or those named, in the key's order; without those at 0
        if ``nonzero``, as :meth:`renda_core.projections.views.View.figures`); a past
        position is not read here."""
        if position is not None:
            raise NotCurrent("figures at a past position are read by the view itself")
        conditions, params = list[str](), list[Any]()
        if names:
            conditions.append(f"figure IN ({','.join('?' for _ in names)})")
            params = list(names)
        if nonzero:
            conditions.append("value <> 0")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.conn.execute(
            "SELECT figure, key, area, level, year, value "
            f"FROM {VIEW_PREFIX}figures f{where} ORDER BY {KEY_ORDER}",
            params,
        ).fetchall()
        return [PlainFigure(*r) for r in rows]

    def close(self) -> None:
        self.conn.close()


class PlainLog:
    """The log, read for a provenance: in one read transaction, the head first."""

    def __init__(self, path: Path, policy: str) -> None:
        self.conn = _connect(path)
        self._policy = policy
        with _given_up():
            self.conn.execute("BEGIN")
            row = self.conn.execute(f"SELECT store_id FROM {STORE_TABLE} WHERE one = 1").fetchone()
            if row is None:
                raise NotCurrent("the log has no store id")
            self._store_id = str(row["store_id"])
            (head,) = self.conn.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()
            self._head = int(head or 0)

    def head(self) -> int:
        return self._head

    def first_recorded(self, start: int, stop: int) -> tuple[int, datetime] | None:
        with _given_up():
            row = self.conn.execute(
                f"SELECT rowid, state FROM {EVENTS_TABLE} WHERE rowid>=? AND rowid<=? "
                "ORDER BY rowid LIMIT 1",
                (start, stop),
            ).fetchone()
            if row is None:
                return None
            return int(row[0]), recorded_at(row[1])

    def store_id(self) -> str | None:
        return self._store_id

    def chain_hash(self, position: int) -> str | None:
        with _given_up():
            row = self.conn.execute(
                f"SELECT hash FROM {CHAIN_TABLE} WHERE position = ?", (position,)
            ).fetchone()
        return None if row is None else str(row["hash"])

    def policy(self) -> str | None:
        return self._policy

    def close(self) -> None:
        self.conn.close()


def recorded_at(state: bytes) -> datetime:
    """An event's recorded time from its stored state (not encrypted, not compressed),
    as eventsourcing's JSON transcoder encodes it (``datetime_iso``); anything else is
    left to the mapper (:class:`NotCurrent`)."""
    stamp = json.loads(bytes(state).decode("utf8"))["timestamp"]
    if not isinstance(stamp, dict) or stamp.get("_type_") != "datetime_iso":
        raise NotCurrent("the event's timestamp is not an ISO datetime")
    moment = datetime.fromisoformat(stamp["_data_"])
    if moment.tzinfo is None:
        raise NotCurrent("the event's timestamp has no time zone")
    return moment


def plain_files(store: StoreConfig, view_name: str) -> tuple[Path, Path]:
    """The log's file and the view's, when the store is a plain SQLite file read as it
    is (else :class:`NotCurrent`)."""
    if not store.is_sqlite or store.location == MEMORY or store.read_only:
        raise NotCurrent("not a writable SQLite file")
    if store.env.get("CIPHER_TOPIC") or store.env.get("COMPRESSOR_TOPIC"):
        raise NotCurrent("an encrypted store")
    if store.env.get("SQLITE_DBNAME") != store.location:
        raise NotCurrent("the log is opened through a URI")
    return Path(store.location), store.views_dir / f"{view_name}.sqlite"


def log_province(path: Path) -> str | None:
    """The store's provincial-level division, read from the log file as
    :meth:`~renda_core.application.base.RendaBase.store_province` reads it."""
    from renda_core.domain.values import PROVINCE_IDS, one_province

    conn = _connect(path)
    try:
        with _given_up():
            marks = ",".join("?" for _ in PROVINCE_IDS)
            rows = conn.execute(
                f"SELECT originator_id FROM {EVENTS_TABLE} "
                f"WHERE originator_version = 1 AND originator_id IN ({marks})",
                [i.hex for i in PROVINCE_IDS],
            ).fetchall()
        return one_province(UUID(row[0]) for row in rows)
    finally:
        conn.close()


def policy_name(
    plugins: pluggy.PluginManager | BuiltinPlugins, log_file: Path | None = None
) -> str:
    """The name of the deadline policy in force, chosen as
    :func:`renda_core.application.reader.choose_policy` chooses it: the national one by
    name when no plugin registers policies and the environment names none, else the
    rules' choice (a province's plugin's policy, or the one named). The provenance
    stamps this name; no report reads the policy itself. When the rules refuse (several
    plugins' policies and none named, an unknown name, a plugin's hook failing) it gives
    up, and the whole path raises the rules' error as it always has."""
    named = os.environ.get(POLICY_ENV)
    if not named and not _implements(plugins, "renda_register_deadline_policies"):
        return NATIONAL_NAME
    from renda_core.ports.builtin_index import BuiltinPlugins

    if isinstance(plugins, BuiltinPlugins):  # the built-in modules register no policy
        if named == NATIONAL_NAME:
            return NATIONAL_NAME
        raise NotCurrent(f"no built-in deadline policy is named {named!r}")
    from renda_core.ports.rules import choose_deadline_policy

    try:
        province = None if log_file is None else (lambda: log_province(log_file))
        return choose_deadline_policy(plugins, None, province).name
    except StoreUnavailable:  # the log stayed locked: the whole path would wait again
        raise
    except Exception as exc:  # the whole path raises it, mapped as every error is
        raise NotCurrent(f"the rules choose no deadline policy: {exc}") from exc


def _implements(plugins: pluggy.PluginManager | BuiltinPlugins, hook: str) -> bool:
    from renda_core.ports.builtin_index import BuiltinPlugins

    if isinstance(plugins, BuiltinPlugins):  # the built-in modules alone: no pluggy
        return plugins.implements(hook)
    return bool(getattr(plugins.hook, hook).get_hookimpls())


def _projections(plugins: pluggy.PluginManager | BuiltinPlugins) -> dict[str, Projection]:
    from renda_core.ports.builtin_index import BuiltinPlugins

    if isinstance(plugins, BuiltinPlugins):
        return plugins.projections()
    from renda_core.ports.plugins import collect_projections

    return collect_projections(plugins)


def check_current(view: PlainView, log: PlainLog, version: str) -> None:
    """What the runner checks before a view is read, and that nothing is to be done."""
    with _given_up():
        position = view.at
        if position != log.head():
            raise NotCurrent(f"the view is at {position}, the log at {log.head()}")
        if view.get_meta(STORE_KEY) != log.store_id():
            raise NotCurrent("the view was built from another log, or not yet stamped")
        seen = view.get_meta(VERSION_KEY) or "1"
        stored = view.get_meta(FORMAT_KEY) or "1"
        if seen != version or stored != VIEW_FORMAT:
            raise NotCurrent("the view must be rebuilt, or adopted")
        if view.get_meta(ERROR_KEY) is not None:
            raise NotCurrent("the view holds an error for a catch-up to clear")


def current_report(
    store: StoreConfig,
    plugins: pluggy.PluginManager | BuiltinPlugins,
    report: Report,
    *,
    built_at: datetime,
    stamped: bool,
    area: str | None = None,
    level: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """``report`` built from its current view (with its provenance if ``stamped``), or
    None when this reader cannot answer (the caller then takes the whole path)."""
    from renda_core.application.faults import check_sqlite_header
    from renda_core.domain.errors import StoreUnavailable
    from renda_core.projections.reports import ReportContext

    options = dict(options or {})
    view: PlainView | None = None
    log: PlainLog | None = None
    try:
        projection = _projections(plugins).get(report.projection)
        if projection is None:
            return None
        log_file, view_file = plain_files(store, report.projection)
        try:
            check_sqlite_header(log_file)
        except StoreUnavailable:
            return None  # the whole path says so
        policy = policy_name(plugins, log_file)
        view = PlainView(view_file, report.projection)  # the view first, as the runner
        log = PlainLog(log_file, policy)
        check_current(view, log, str(getattr(projection, "version", 1)))
        ctx: Any = ReportContext(view, None, None, area, level)  # type: ignore[arg-type]
        data = report.build(ctx, **options)
        if not stamped:
            return data
        from renda_core.projections.provenance import stamp_report

        return stamp_report(
            log,
            report,
            data,
            as_of=None,
            built_at=built_at,
            area=area,
            level=level,
            options=options,
        )
    except NotCurrent:
        return None
    finally:
        for opened in (view, log):
            if opened is not None:
                opened.close()
