"""The public API: one object that wires what every driver needs.

``renda_core.open(store, plugins=..., policy=..., actor=...)`` opens the store, builds
the plugin manager (built-in adapters, installed ``renda`` entry points, the plugins
given), applies the deadline policy and calendar years in force, and returns a
:class:`RendaAPI`: commands, typed reads, queries over the projections' views, reports
by name and the history of a record. The CLI is a user of this object, so an embedding
system, the HTTP API and the CLI record the same events for the same commands.

The internal eventsourcing application is held, not inherited: its ``save`` and
``repository`` (which would bypass validation and permissions) are not part of the API.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

import pluggy
from pydantic import BaseModel

from renda_core.api.commands import CommandMethods
from renda_core.api.process_reads import ProcessReads, _as_reader, _parsed
from renda_core.api.views import (
    BulletinView,
    CourseView,
    DeputySummary,
    DeputyView,
    EventView,
    GroupView,
    OpinionView,
    Page,
    StationView,
    SuggestionSummary,
    SuggestionView,
)
from renda_core.application.app import Renda, store_errors, to_uuid
from renda_core.application.commands import COMMANDS, parse_level
from renda_core.application.permissions import check_permission
from renda_core.application.readpolicy import (
    SHOWS,
    Reader,
    decide,
    has_personal,
    may_see_log,
    read_record,
    reader,
    record_disclosure,
    recorder_of,
    redact,
    redact_event_row,
    show_record,
    show_rows,
)
from renda_core.application.store import StoreConfig, parse_store
from renda_core.domain.errors import InvalidInput, NotFound
from renda_core.domain.values import Actor, area_prefix
from renda_core.ports.contracts import CompositeReport, Report
from renda_core.ports.plugins import (
    collect_projections,
    collect_reports,
    get_plugin_manager,
    require,
)
from renda_core.ports.rules import configure_rules
from renda_core.projections.log import event_to_dict
from renda_core.projections.reports import ReportContext, fresh_context, run_report
from renda_core.projections.runner import ProjectionRunner

V = TypeVar("V", bound=BaseModel)
S = TypeVar("S", bound=BaseModel)

MAX_LIMIT = 1000


def collect_composite_reports(pm: pluggy.PluginManager) -> dict[str, CompositeReport]:
    """The reports built from several views (``renda_register_composite_reports``)."""
    found: dict[str, CompositeReport] = {}

    def register(report: CompositeReport) -> None:
        if not isinstance(report, CompositeReport):
            raise TypeError(f"{report!r} is not a CompositeReport")
        if report.name in found:
            raise ValueError(f"two reports are named '{report.name}'")
        found[report.name] = report

    pm.hook.renda_register_composite_reports(register=register)
    return found


class _Shared:
    """What every acting view of one opened store shares: the application, the
    plugins, the runner (created on first use) and the lock around it."""

    def __init__(
        self, application: Renda, plugins: pluggy.PluginManager, *, owns_application: bool
    ) -> None:
        self.application = application
        self.plugins = plugins
        self.owns_application = owns_application
        self.lock = threading.RLock()
        self._runner: ProjectionRunner | None = None
        self._reports: dict[str, Report] | None = None
        self._composites: dict[str, CompositeReport] | None = None

    def runner(self) -> ProjectionRunner:
        with self.lock:
            if self._runner is None:
                self._runner = ProjectionRunner(self.application, collect_projections(self.plugins))
            return self._runner

    def reports(self) -> dict[str, Report]:
        if self._reports is None:
            self._reports = collect_reports(self.plugins)
        return self._reports

    def composites(self) -> dict[str, CompositeReport]:
        if self._composites is None:
            found = collect_composite_reports(self.plugins)
            clash = sorted(set(found) & set(self.reports()))
            if clash:
                raise ValueError(f"two reports are named '{clash[0]}'")
            self._composites = found
        return self._composites

    def close(self) -> None:
        with self.lock:
            if self._runner is not None:
                self._runner.close()
                self._runner = None
            if self.owns_application:
                self.application.close()
                self.owns_application = False


class RendaAPI(CommandMethods, ProcessReads):
    """An opened renda store: commands, reads, queries, reports, history.

    Get one from :func:`renda_core.open` (the constructor is not part of the API). Use
    it as a context manager, or call :meth:`close`. Every error is a
    :class:`~renda_core.RendaError` of one kind; on every error nothing is recorded.
    """

    def __init__(self, shared: _Shared, actor: Actor | None = None) -> None:
        self._shared = shared
        self._application = shared.application
        self._actor = actor
        self._owns = False  # only the object open() returned closes the store

    # -- the store, the actor, the rules ------------------------------------------

    @property
    def store(self) -> str:
        """Where the events are: the SQLite file, or the PostgreSQL URL without password."""
        return self._application.store.location

    @property
    def actor(self) -> Actor | None:
        """The actor commands are recorded for when they are given none."""
        return self._actor

    @property
    def policy(self) -> str:
        """The name of the deadline policy in force (``national``, ``jilin``, …)."""
        return self._application.deadline_policy.name

    def acting_as(self, actor: Actor) -> RendaAPI:
        """The same opened store, with ``actor`` as the default actor.

        Cheap (nothing is opened): map each user of your system to an actor per request.
        Closing the returned object closes nothing; close the one :func:`open` gave.
        """
        return RendaAPI(self._shared, actor)

    def _acting(self, actor: Actor | None) -> Actor:
        chosen = actor if actor is not None else self._actor
        if chosen is None:
            raise InvalidInput(
                "no actor: pass actor=Actor(id, role), or open the store with actor=",
                [{"field": "actor", "message": "required"}],
            )
        if not isinstance(chosen, Actor):
            raise InvalidInput(
                f"{chosen!r} is not an Actor", [{"field": "actor", "message": "not an Actor"}]
            )
        return chosen

    # -- commands -------------------------------------------------------------------

    def execute(
        self, name: str, command: BaseModel | Mapping[str, Any], actor: Actor | None = None
    ) -> Any:
        """Run the command named ``name`` (``"deputy.register"``, as ``renda commands``
        lists them): the same as calling its method."""
        spec = COMMANDS.get(name)
        if spec is None:
            raise InvalidInput(
                f"no command named '{name}'", [{"field": "command", "message": "unknown"}]
            )
        method: Callable[..., Any] = getattr(self, spec.method)
        return method(command, actor)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """Run the commands of the block as one transaction.

        Inside the block each command sees what the ones before it did; at its end their
        events are written in one atomic write, in the order the commands ran. If the
        block raises, nothing of it is written. A unit of work belongs to the thread (or
        asyncio task) that opened it; units of work do not nest (``RuntimeError``).
        Retry a whole unit of work on conflict with :func:`retry_on_conflict`.
        """
        with self._application.batch():
            yield

    # -- reads ------------------------------------------------------------------------

    def _reader(self, actor: Actor | None, reason: str | None) -> Reader | None:
        """The reader the read policy judges; ``None``: no actor at all, the embedding
        system reading for itself (it is trusted with everything, docs/embedding.md)."""
        chosen = actor if actor is not None else self._actor
        if chosen is None:
            if reason is not None:
                raise InvalidInput(
                    "reason= needs an actor (an auditor)",
                    [{"field": "actor", "message": "required with reason"}],
                )
            return None
        return reader(self._acting(chosen), reason)

    def _read(
        self, read: str, record_id: str, actor: Actor | None, reason: str | None
    ) -> dict[str, Any]:
        who = self._reader(actor, reason)
        if who is None:
            data: dict[str, Any] = getattr(self._application, SHOWS[read][1])(record_id)
            return data
        return read_record(self._application, who, read, record_id)

    def _get(
        self, view: type[V], read: str, record_id: str, actor: Actor | None, reason: str | None
    ) -> V:
        """One record through a ``*.show`` read of :data:`SHOWS`, as ``view``."""
        return view.model_validate(self._read(read, record_id, actor, reason))

    def _judged(
        self,
        read: str,
        kind: str,
        load: Callable[[], dict[str, Any]],
        actor: Actor | None,
        reason: str | None,
    ) -> dict[str, Any]:
        """What ``load`` gives, as the reader may see a record of ``kind`` (the role is
        checked before anything is loaded)."""
        who = self._reader(actor, reason)
        if who is None:
            return load()
        check_permission(read, who.actor)
        return show_record(who, read, kind, load(), recorder_of(self._application))

    def _redacted(
        self,
        read: str,
        load: Callable[[], dict[str, Any]],
        actor: Actor | None,
        reason: str | None,
    ) -> dict[str, Any]:
        """What ``load`` gives (figures, not one record: a unit may read it too), its
        personal fields redacted unless the reader may see them."""
        who = self._reader(actor, reason)
        if who is None:
            return load()
        decision = decide(who, read)
        data = load()
        if decision.disclose and who.reason is not None and has_personal(data):
            record_disclosure(self._application, read, [read], who.reason, who.actor)
        return data if decision.reveal else dict(redact(data))

    def _rows(
        self,
        read: str,
        kind: str,
        rows: list[dict[str, Any]],
        actor: Actor | None,
        reason: str | None,
    ) -> list[dict[str, Any]]:
        who = self._reader(actor, reason)
        if who is None:
            return rows
        return show_rows(who, read, kind, rows, recorder_of(self._application))

    def _listed(
        self,
        view: type[V],
        read: str,
        load: Callable[[], list[dict[str, Any]]],
        actor: Actor | None,
        reason: str | None,
    ) -> list[V]:
        """A list through ``read`` (``session.list``…) as the reader may see it, the
        role checked first; its records' kind is the read's first word."""
        who = self._reader(actor, reason)
        if who is not None:
            check_permission(read, who.actor)
        rows = self._rows(read, read.split(".")[0], load(), actor, reason)
        return [view.model_validate(r) for r in rows]

    def _context(self, projection: str) -> ReportContext:
        """The view of ``projection``, caught up with the log first."""
        with self._shared.lock:
            return fresh_context(self._shared.runner(), projection)

    def _shared_plugins(self) -> pluggy.PluginManager:
        return self._shared.plugins

    @_as_reader
    def get_deputy(
        self, deputy_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> DeputyView:
        """One deputy as recorded now (``NotFound`` if there is none)."""
        return self._get(DeputyView, "deputy.show", deputy_id, actor, reason)

    @_as_reader
    def get_station(
        self, station_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> StationView:
        """One station as recorded now."""
        return self._get(StationView, "station.show", station_id, actor, reason)

    @_as_reader
    def get_opinion(
        self, opinion_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> OpinionView:
        """One item of public opinion as recorded now."""
        return self._get(OpinionView, "opinion.show", opinion_id, actor, reason)

    @_as_reader
    def get_suggestion(
        self, suggestion_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> SuggestionView:
        """One suggestion as recorded now, with every current due date."""
        return self._get(SuggestionView, "suggestion.show", suggestion_id, actor, reason)

    @_as_reader
    def get_group(
        self, group_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> GroupView:
        """One deputy group as recorded now."""
        return self._get(GroupView, "group.show", group_id, actor, reason)

    @_as_reader
    def get_bulletin(
        self, ref: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> BulletinView:
        """One bulletin issue, by id or by ``YEAR-NUMBER``."""
        return self._get(BulletinView, "bulletin.show", ref, actor, reason)

    @_as_reader
    def get_course(
        self, course_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> CourseView:
        """One training course as recorded now."""
        return self._get(CourseView, "training.show", course_id, actor, reason)

    def history(
        self, record_id: str, *, actor: Actor | None = None, reason: str | None = None
    ) -> list[EventView]:
        """Every event of one record, oldest first: topic, version, recorded time,
        actor and data (``NotFound`` if the record has no events).

        Read as ``actor`` it is a read of the log (``events.list``: staff and auditors;
        personal fields redacted for an auditor without ``reason``)."""
        who = self._reader(actor, reason)
        reveal = True if who is None else may_see_log(who, "events.list")
        uid = to_uuid(record_id, "record")
        with store_errors("cannot read the history"):
            events = list(self._application.repository.event_store.get(uid))
        if not events:
            raise NotFound(f"no record with id {uid}")
        if who is not None and who.reason is not None and who.kind == "auditor":
            record_disclosure(self._application, "events.list", [str(uid)], who.reason, who.actor)
        views = []
        for event in events:
            row = event_to_dict(0, event)
            row = row if reveal else redact_event_row(row)
            views.append(
                EventView(
                    topic=row["topic"],
                    record_id=row["aggregate_id"],
                    version=row["version"],
                    recorded_at=datetime.fromisoformat(row["recorded_at"]),
                    actor=row["actor"],
                    data=row["data"],
                )
            )
        return views

    # -- queries over the projections' views ----------------------------------------

    def list_deputies(
        self,
        *,
        level: str | None = None,
        status: str | None = None,
        area: str | None = None,
        limit: int = 100,
        after: str | None = None,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> Page[DeputySummary]:
        """Deputies from the roster view (caught up first), ordered by level, area,
        name, id. ``level`` accepts the English value or the Chinese label; ``status``
        is ``active`` or ``terminated``; ``area`` is a division code prefix."""
        from renda_adapters.roster import DeputyRoster, roster_entries

        wanted = self._level(level, area)
        _check_limit(limit)
        if area is not None:  # a division's own code is the division (220100: 2201)
            area = area_prefix(area)
        with self._shared.lock:
            ctx = fresh_context(self._shared.runner(), DeputyRoster.name)
            rows = [
                r
                for r in roster_entries(ctx, wanted)
                if (status is None or r["status"] == status)
                and (area is None or str(r["area"]).startswith(area))
            ]
            anchor = None if after is None else ctx.entity("deputy", after)
        if after is not None and anchor is None:
            raise _unknown_after(after)
        rows = self._rows("deputy.list", "deputy", rows, actor, reason)

        def order(r: Mapping[str, Any]) -> tuple[str, str, str, str]:
            return (r["level"], r["area"], r["name"], r["id"])

        return _page(_after(rows, order, anchor, after), limit, DeputySummary)

    def list_suggestions(
        self,
        *,
        status: str | None = None,
        unit: str | None = None,
        year: int | None = None,
        deputy: str | None = None,
        area: str | None = None,
        level: str | None = None,
        limit: int = 100,
        after: str | None = None,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> Page[SuggestionSummary]:
        """Suggestions from the suggestions view (caught up first), ordered by
        submission date (drafts last), then id. ``unit`` matches the lead or a co-unit;
        ``status`` accepts the English value or the Chinese label; ``deputy`` is the
        lead deputy's id; ``area`` a division code prefix."""
        from renda_adapters.suggestions import KIND, VIEW, matching_docs
        from renda_core.domain.suggestion import Status

        wanted_status = _parsed(Status, status, "status")
        wanted_level = self._level(level, area)
        _check_limit(limit)
        with self._shared.lock:
            ctx = fresh_context(self._shared.runner(), VIEW, area=area, level=wanted_level)
            rows = [
                {**doc, "id": key}
                for key, doc in matching_docs(ctx, year=year, unit=unit)
                if (wanted_status is None or doc["status"] == wanted_status)
                and (deputy is None or doc["lead_deputy"] == deputy)
            ]
            anchor = None if after is None else ctx.entity(KIND, after)
        if after is not None and anchor is None:
            raise _unknown_after(after)
        rows = self._rows("suggestion.list", "suggestion", rows, actor, reason)

        def order(r: Mapping[str, Any]) -> tuple[str, str]:
            return (r.get("submitted_on") or "9999", r["id"])

        return _page(_after(rows, order, anchor, after), limit, SuggestionSummary)

    # -- the working-day calendar -----------------------------------------------------

    def calendar_years(self) -> list[dict[str, Any]]:
        """The years the working-day calendar knows, each ``{"year", "origin", "source"}``:
        ``origin`` is ``recorded`` (:meth:`add_calendar_year`), ``plugin`` or
        ``packaged``."""
        return self._application.calendar_years()

    def missing_calendar_year(self, today: date | None = None) -> tuple[int, int] | None:
        """``(year, records waiting)`` while the State Council's holiday arrangement of
        ``today``'s year (default: today's business date) or, from 1 November, of the
        next year is missing: due dates reaching that year wait (a suggestion's
        ``pending_due_dates``) until it is recorded with :meth:`add_calendar_year`.
        ``None`` when both are known. What ``renda suggestion …`` and ``renda clock
        tick`` warn about."""
        from renda_core.application.inputs import today as business_today

        return self._application.missing_calendar_year(today or business_today())

    # -- reports and projections ------------------------------------------------------

    def report_names(self) -> list[str]:
        """The reports :meth:`report` can run: the plugins' reports and the composite
        ones (``annual``)."""
        return sorted({*self._shared.reports(), *self._shared.composites()})

    def report(
        self,
        name: str,
        *,
        as_of: datetime | date | None = None,
        area: str | None = None,
        level: str | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """Run a report by name, its views caught up first; JSON-able data.

        ``as_of``: the log as recorded by that moment (a date: the end of that day,
        Beijing time). ``area``: a division code prefix; ``level``: deputies of this
        level. Other options are the report's own (``annual`` needs ``year=``).
        """
        wanted = self._level(level, area)
        composites = self._shared.composites()
        with self._shared.lock:
            if name in composites:
                given = {"as_of": as_of, "area": area, "level": wanted}
                options.update({k: v for k, v in given.items() if v is not None})
                build = composites[name].build
                _check_options(name, build, 2, options)
                return build(self._shared.runner(), self._shared.reports(), **options)
            report = require({**self._shared.reports(), **composites}, name, "report")
            assert isinstance(report, Report)
            _check_options(name, report.build, 1, options)
            return run_report(
                self._shared.runner(), report, as_of=as_of, area=area, level=wanted, **options
            )

    def catch_up(self) -> dict[str, str | None]:
        """Bring every projection's view up to date with the log (queries and reports
        do this themselves). Returns each projection's error, ``None`` when it is
        current; one failing adapter never stops the others. On PostgreSQL a catch-up
        that a passing failure interrupted (a session the server ended, a lost
        conflict) is run again, up to three attempts (``RENDA_PG_RETRY_PAUSES``); a
        failure that lasts raises ``StoreUnavailable``."""
        with self._shared.lock:
            results = self._shared.runner().catch_up()
        return {r.name: r.error for r in results}

    # -- life cycle -------------------------------------------------------------------

    def close(self) -> None:
        """Close the views and the store (only on the object :func:`open` returned)."""
        if self._owns:
            self._shared.close()

    def __enter__(self) -> RendaAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers ----------------------------------------------------------------------

    def _level(self, level: str | None, area: str | None = None) -> str | None:
        """A level filter as a command field reads it (市 in a municipality's store or
        ``area`` is its own congress: :func:`~renda_core.domain.values.level_in`)."""
        if level is None:
            return None
        return parse_level(level, area, self._application.store_province)


def _check_options(
    name: str, build: Callable[..., Any], positional: int, options: Mapping[str, Any]
) -> None:
    """Options a report does not take (or required ones missing) are invalid input."""
    try:
        inspect.signature(build).bind(*([None] * positional), **options)
    except TypeError as exc:
        raise InvalidInput(
            f"report '{name}': {exc}", [{"field": "options", "message": str(exc)}]
        ) from None
    except ValueError:  # no signature to check (a builtin): let the report decide
        return


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"limit {limit} is out of range", [{"field": "limit", "message": f"1–{MAX_LIMIT}"}]
        )


def _unknown_after(after: str) -> InvalidInput:
    return InvalidInput(
        f"after: no record '{after}' in this list",
        [{"field": "after", "message": "not an id of this list"}],
    )


def _after(
    rows: list[dict[str, Any]],
    order: Callable[[Mapping[str, Any]], tuple[str, ...]],
    anchor: Mapping[str, Any] | None,
    after: str | None,
) -> list[dict[str, Any]]:
    """The rows in ``order``, only those after the row ``after`` (its view entry
    ``anchor``; ``None``: from the first)."""
    rows = sorted(rows, key=order)
    if anchor is None:
        return rows
    start = order({**anchor, "id": after})
    return [r for r in rows if order(r) > start]


def _page(rows: list[dict[str, Any]], limit: int, view: type[S]) -> Page[S]:
    items = [view.model_validate(r) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items, str(rows[limit - 1]["id"]) if more else None)


def open_store(
    config: StoreConfig,
    plugins: pluggy.PluginManager,
    *,
    policy: str | None = None,
    actor: Actor | None = None,
    require_registered_actors: bool | None = None,
) -> RendaAPI:
    """:func:`open` on a parsed store and a built plugin manager (the CLI uses this)."""
    application = Renda(config, require_registered_actors=require_registered_actors)
    try:
        configure_rules(application, plugins, policy)  # the province's deadline policy
    except BaseException:
        application.close()
        raise
    return _owner(_Shared(application, plugins, owns_application=True), actor)


def wrap(application: Renda, plugins: pluggy.PluginManager, actor: Actor | None = None) -> RendaAPI:
    """A public object over an application opened elsewhere (tests inject one); its
    rules are left as they are, and closing it leaves the application open."""
    return _owner(_Shared(application, plugins, owns_application=False), actor)


def _owner(shared: _Shared, actor: Actor | None) -> RendaAPI:
    api = RendaAPI(shared, actor)
    api._owns = True
    return api


def open(  # renda_core.open, like io.open or shelve.open
    store: str | None = None,
    *,
    plugins: Iterable[object] | pluggy.PluginManager = (),
    entry_points: bool | None = None,
    policy: str | None = None,
    actor: Actor | None = None,
    read_only: bool = False,
    require_registered_actors: bool | None = None,
) -> RendaAPI:
    """Open a store with everything a driver needs, exactly as the CLI does.

    :param store: a SQLite file path or ``postgresql://user:pass@host:port/db``
        (default: ``RENDA_STORE``, else ``renda.sqlite``).
    :param plugins: plugin objects to register next to the built-in adapters and the
        installed ``renda`` entry points; or a ready ``pluggy.PluginManager``.
    :param entry_points: load installed ``renda`` entry points (default: yes, except
        under test; ``RENDA_PLUGINS=a,b`` limits them).
    :param policy: the deadline policy in force (default: ``RENDA_DEADLINE_POLICY``,
        else the one policy a plugin registers, else ``national``).
    :param actor: the actor commands are recorded for when they are given none.
    :param read_only: open a SQLite store for reading only.
    :param require_registered_actors: refuse writes from actors (and roles) not in the
        actor registry (default: ``RENDA_REQUIRE_REGISTERED_ACTORS``, else on for
        PostgreSQL and off for SQLite; see ``docs/embedding.md``).
    :returns: the opened :class:`RendaAPI`; close it (or use ``with``).
    """
    config = parse_store(store, read_only=read_only)
    pm = (
        plugins
        if isinstance(plugins, pluggy.PluginManager)
        else get_plugin_manager(plugins, load_entry_points=entry_points)
    )
    return open_store(
        config,
        pm,
        policy=policy,
        actor=actor,
        require_registered_actors=require_registered_actors,
    )


__all__ = ["RendaAPI", "collect_composite_reports", "open", "open_store", "wrap"]
