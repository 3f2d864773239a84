"""The projection runner: feeds the notification log to each adapter on its own.

It pulls (``select_notifications`` from the adapters' tracked positions), which works on
SQLite (no subscriptions there) and on PostgreSQL alike, and never misses a lost
NOTIFY. Adapters at the same position share one read and one decoding of each batch;
each adapter's part of the batch is written to its own view together with its tracking
position, in one transaction: exactly once. A failing adapter is reported and stays at
its position; the others go on.

Failure path: when ``process_event`` raises, the unit undoes that event's changes and
the events before it are written (no adapter is called twice for an event). A *pure*
adapter (``pure = True``: it changes nothing but its unit) keeps no undo snapshots:
the events before the failed one are processed again into a fresh unit instead. The error
is recorded in the view's meta, shown by ``status``, and cleared by the next successful
catch-up. Nothing that goes wrong while recording it escapes as anything but the error.

Writes are compare-and-set on the view's position: if another runner (another process's
catch-up, a rebuild's reset) moved the view meanwhile, this runner's batch is dropped
and it carries on from the view's new position. Concurrent catch-ups cooperate.

Before delivering, each view is checked against the log: a view at a position past the
log's last event, or built from another log (its store id differs), is refused
(:class:`ViewsAhead`) until it is rebuilt.

On PostgreSQL a catch-up (and a rebuild's filling of its shadows) that a passing
failure interrupted — the server ended the session, had no connection slot yet, or the
transaction lost a conflict — is run again here, with connections the server has not
ended (:class:`~renda_core.application.postgres.PassingFailures`): every caller (the
CLI, the background follower, the library's ``catch_up``, a report's own catch-up)
gets it. On SQLite nothing is tried again.
"""

from __future__ import annotations

import gc
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking

from renda_core.application.base import RendaBase, store_errors
from renda_core.application.inputs import BUSINESS_TZ
from renda_core.application.postgres import PassingFailures
from renda_core.domain.errors import InvalidInput, StoreUnavailable, ViewsAhead
from renda_core.ports.contracts import Projection
from renda_core.projections import split
from renda_core.projections.dispatch import bound_process
from renda_core.projections.split import Children, can_split, partition, picklable
from renda_core.projections.unit import ViewState, ViewUnit, WrittenKeys
from renda_core.projections.views import View, open_view

log = logging.getLogger(__name__)

ERROR_KEY = "last_error"
STORE_KEY = "store_id"  # the id of the log the view was built from
VERSION_KEY = "adapter_version"  # the adapter's version the view was built by
FORMAT_KEY = "view_format"  # how the view's tables were laid out (View.FORMAT)
REBUILD = "run `renda projections rebuild`"


@dataclass
class ProjectionStatus:
    name: str
    position: int
    head: int
    lag: int
    error: str | None


@dataclass
class CatchUpResult:
    name: str
    processed: int
    position: int
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def end_of_day(day: date) -> datetime:
    """The log as it stood at the end of ``day``, Beijing time."""
    return datetime.combine(day + timedelta(days=1), time(0), BUSINESS_TZ).astimezone(
        UTC
    ) - timedelta(microseconds=1)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """No cycle collection during one batch: a batch allocates many small objects and
    no cycles (JSON documents, counters), and the collector's passes over the heap were
    a fifth of a rebuild's time. It runs again (if it was on) after the batch.

    A rebuild's fill keeps it off from its first batch to its last: turned on between
    batches, the collector's first pass (the next allocation) went over everything the
    batch left alive — the views' kept documents and counters — about 4 % of a rebuild
    of every view (2026-12-02). Nested, the inner one leaves it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Id(UUID):
    """A decoded event's ``originator_id`` with its text made once: the adapters key
    their documents by ``str(event.originator_id)``, 160k times in a rebuild of 44k
    events, where ``UUID.__str__`` formats it anew each time. Equal to, and hashed as,
    the UUID it copies."""

    __slots__ = ("_text",)
    _text: str

    def __init__(self, uuid: UUID) -> None:
        object.__setattr__(self, "int", uuid.int)
        object.__setattr__(self, "is_safe", uuid.is_safe)
        object.__setattr__(self, "_text", UUID.__str__(uuid))

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"UUID('{self._text}')"


def _on_sqlite(app: RendaBase) -> bool:
    store = getattr(app, "store", None)
    return bool(getattr(store, "is_sqlite", True))


def catch_up_tried(exc: StoreUnavailable, attempt: int) -> StoreUnavailable:
    return StoreUnavailable(
        f"{exc.message} (the catch-up was tried {attempt} times: "
        "the server kept ending its connections)"
    )


def rebuild_tried(exc: StoreUnavailable, attempt: int) -> StoreUnavailable:
    return StoreUnavailable(
        f"{exc.message} (the rebuild was tried {attempt} times: "
        "the server kept ending its connections)"
    )


class ProjectionRunner:
    def __init__(
        self,
        app: RendaBase,
        projections: Mapping[str, Projection],
        *,
        batch_size: int = 5000,
        retry: PassingFailures | None = None,
    ) -> None:
        self.app = app
        self.projections = dict(projections)
        self.batch_size = batch_size
        #: how a catch-up interrupted by a passing PostgreSQL failure is tried again
        #: (default: ``RENDA_PG_RETRY_PAUSES``, else three attempts 1 s and 3 s apart);
        #: on SQLite never
        self.retry = PassingFailures(()) if _on_sqlite(app) else retry or PassingFailures.from_env()
        self._views: dict[str, View] = {}
        # What each view holds, valid only at the position it was seen at (another
        # process may have moved the view on since).
        self._states: dict[str, ViewState] = {}
        self._clean: set[str] = set()  # views known to hold no error
        self._same_store: set[str] = set()  # views known to be built from this log
        self._current: set[str] = set()  # views known to be built by their adapter's version
        self._store_id: str | None = None

    #: a rebuild's batches are this many times larger: each batch re-encodes every
    #: document it changed and commits once per view, and a rebuild's shadow is read by
    #: no one until it is complete (4: 0.12-0.13 → 0.17-0.19 of a bare read, measured)
    rebuild_factor = 4

    def names(self, names: Iterable[str] | None = None) -> list[str]:
        if not names:
            return list(self.projections)
        unknown = [n for n in names if n not in self.projections]
        if unknown:
            known = ", ".join(self.projections) or "none"
            raise InvalidInput(
                f"no projection named {', '.join(unknown)} (known: {known})",
                [{"field": "name", "message": "unknown projection"}],
            )
        return list(names)

    def view(self, name: str) -> View:
        if name not in self._views:
            with store_errors(f"cannot open the view of {name}"):
                self._views[name] = open_view(self.app.store, name)
        return self._views[name]

    def head(self) -> int:
        with store_errors("cannot read the event log"):
            return self.app.recorder.max_notification_id() or 0

    def position(self, name: str) -> int:
        with store_errors(f"cannot read the position of {name}"):
            view = self.view(name)
            return view.max_tracking_id(view.tracking_name(self.app.name)) or 0

    def status(self, names: Iterable[str] | None = None) -> list[ProjectionStatus]:
        selected = self.names(names)
        positions = {name: self.position(name) for name in selected}
        head = self.head()  # after the positions: a view never looks ahead of a newer log
        rows = []
        for name, position in positions.items():
            with store_errors(f"cannot read the view of {name}"):
                problem = self._ahead(name, position, head, adopt=False)
                stale = self._stale(name, position, adopt=False)
                error = self.view(name).get_meta(ERROR_KEY)
            if problem:
                error = f"views are ahead of the log — {REBUILD}: {problem}"
            elif stale:
                error = f"views must be rebuilt — {REBUILD}: {stale}"
            rows.append(ProjectionStatus(name, position, head, max(head - position, 0), error))
        return rows

    def check(self, names: Iterable[str] | None = None) -> None:
        """Refuse views that are ahead of the log or were built from another log."""
        selected = self.names(names)
        positions = {name: self.position(name) for name in selected}
        self._check(positions, self.head())

    def _check(self, positions: Mapping[str, int], head: int) -> None:
        problems, stale = [], []
        for name, position in positions.items():
            with store_errors(f"cannot read the view of {name}"):
                problem = self._ahead(name, position, head)
                outdated = None if problem else self._stale(name, position, adopt=True)
            if problem:
                problems.append(problem)
            if outdated:
                stale.append(outdated)
        if problems:
            raise ViewsAhead(f"views are ahead of the log — {REBUILD}: {'; '.join(problems)}")
        if stale:
            raise ViewsAhead(f"views must be rebuilt — {REBUILD}: {'; '.join(stale)}")

    def _log_store_id(self) -> str | None:
        """The log's store id; None when it has none (a log opened without creating
        tables, e.g. read-only, from before store ids): then only positions are checked."""
        if self._store_id is None:
            store_id = getattr(self.app.recorder, "store_id", None)
            try:
                self._store_id = "" if store_id is None else str(store_id())
            except Exception as exc:  # no such table: an old log opened as it is
                log.info("the log has no store id (%s): views are checked by position", exc)
                self._store_id = ""
        return self._store_id or None

    def _ahead(self, name: str, position: int, head: int, *, adopt: bool = True) -> str | None:
        """Why the view ``name`` does not belong to this log (None if it does).

        A view without a store id (new, or from before store ids) takes this log's id
        when it is first checked for delivery (``adopt``) and is not ahead.
        """
        if position > head:
            return (
                f"{name} is at position {position}, past the end of the log at {head} "
                "(a log restored from a backup, or replaced?)"
            )
        if name in self._same_store:
            return None
        store_id = self._log_store_id()
        if store_id is None:
            return None
        view = self.view(name)
        seen = view.get_meta(STORE_KEY)
        if seen is None:
            if not adopt:
                return None
            view.set_meta(STORE_KEY, store_id)
        elif seen != store_id:
            return f"{name} was built from another log (store {seen}, this log is {store_id})"
        self._same_store.add(name)
        return None

    def _stale(self, name: str, position: int, *, adopt: bool) -> str | None:
        """Why the view ``name`` was built by another version of its adapter (None if not).

        An adapter names its version (``Projection.version``; 1 when it names none) and
        raises it when it starts to record what its earlier version did not: a view built
        by the earlier version would read as zeros or gaps, so it is refused until it is
        rebuilt. An empty view (position 0) takes the adapter's version when first
        delivered to (``adopt``); a rebuild's shadow starts empty, so it takes it too.
        """
        if name in self._current:
            return None
        version = str(getattr(self.projections[name], "version", 1))
        view = self.view(name)
        seen = view.get_meta(VERSION_KEY) or "1"  # views from before versions: 1
        stored = view.get_meta(FORMAT_KEY) or "1"  # views from before formats: 1
        if seen == version and stored == view.FORMAT:
            self._current.add(name)
            return None
        if position == 0:
            if adopt:
                view.set_meta(VERSION_KEY, version)
                view.set_meta(FORMAT_KEY, view.FORMAT)
                self._current.add(name)
            return None
        if seen != version:
            return (
                f"{name} was built by version {seen} of its adapter, which is now version "
                f"{version} and records what the old one did not"
            )
        return (
            f"{name} is stored in view format {stored}, and this renda reads format "
            f"{view.FORMAT} (figure history by batch)"
        )

    def catch_up(self, names: Iterable[str] | None = None) -> list[CatchUpResult]:
        """Bring each adapter's view up to the current head of the log.

        On PostgreSQL, a catch-up that a passing failure interrupted
        (:func:`~renda_core.application.postgres.transient`: a session the server
        ended, no connection slot or pooled connection in time, a serialization
        failure, a deadlock) is run again after the pauses of :attr:`retry`, with the
        pools' ended connections replaced (:meth:`_fresh_connections`). Running it again
        is safe: every batch of a view is written with its tracking position in one
        transaction, compare-and-set on the position it started from, so an interrupted
        batch was written wholly or not at all, and the next attempt starts from the
        positions as stored — a batch whose commit reached the server before the
        connection broke is found written, not written twice. A failure that lasts (a
        refused connection, a wrong password) is raised at once; the last attempt's
        failure is :class:`StoreUnavailable` saying how many attempts were made.
        """
        selected = self.names(names)
        return self._again_if_interrupted(lambda: self._run(selected), catch_up_tried)

    def rebuild(self, names: Iterable[str] | None = None, *, jobs: int = 1) -> list[CatchUpResult]:
        """Replay the whole log into each view, then catch up what came meanwhile.

        Each view is rebuilt aside (a shadow: other tables, its own tracking row) while
        readers keep reading the old one, then put in its place in one transaction. A
        view whose adapter fails keeps its old tables, with the error recorded.

        ``jobs`` > 1: the shadows are filled by up to that many child processes, the
        views split between them by their cost (:mod:`renda_core.projections.split`);
        a child that dies fails its views (they keep their old tables). One job, one
        view, an in-memory store or a log shorter than ``split.MIN_EVENTS``: in this
        process.
        """
        selected = self.names(names)
        groups = [selected]
        # a short log stays here too: a child's start would cost more than it saves
        if jobs > 1 and len(selected) > 1 and can_split(self.app.store):
            groups = partition(selected, jobs) if self.head() >= split.MIN_EVENTS else groups
        sent: list[bytes] = []
        for group in groups if len(groups) > 1 else []:
            adapters = picklable({n: self.projections[n] for n in group})
            if adapters is None:  # an adapter a child cannot receive: in this process
                groups = [selected]
                break
            sent.append(adapters)
        live = {name: self.view(name) for name in selected}
        for name in selected:
            shadow = live[name].shadow()
            with store_errors(f"cannot reset the view of {name}"):
                shadow.reset(self.app.name)
            self._views[name] = shadow
            self._forget(name)
        try:
            if len(groups) > 1:
                results = self._run_apart(selected, groups, sent)
            else:
                results = self._fill(selected)
        finally:
            shadows = {name: self._views[name] for name in selected}
            self._views.update(live)
            for name in selected:
                self._forget(name)
        done = []
        for result in results:
            name = result.name
            if result.error:
                self._record_failure(name, live[name], result.error, result)
                result.position = self.position(name)  # where the view in use stands
                continue
            with store_errors(f"cannot replace the view of {name}"):
                live[name].replace_with(shadows[name], self.app.name, result.position)
            done.append(name)
        tails = self._again_if_interrupted(lambda: self._run(done), catch_up_tried) if done else []
        for tail in tails:
            result = next(r for r in results if r.name == tail.name)
            result.processed += tail.processed
            result.position = tail.position
            result.error = tail.error
        return results

    def fill_shadows(self, names: list[str]) -> list[CatchUpResult]:
        """A rebuild's child: fill the (already reset) shadows of ``names`` from the log."""
        for name in names:
            self._views[name] = self.view(name).shadow()
        return self._fill(names)

    def _fill(self, names: list[str]) -> list[CatchUpResult]:
        """Fill the (reset) shadows of ``names``, which :attr:`_views` holds in place of
        the views, from the log. Run again on a passing PostgreSQL failure as a
        catch-up is, and as safely: a shadow has its own tracking row, written with each
        batch compare-and-set, so the next attempt goes on from the shadow's stored
        position (the views in use are untouched until the shadows replace them)."""
        with _no_cyclic_gc():  # for the whole fill, not batch by batch (see there)
            return self._again_if_interrupted(
                lambda: self._run(names, self.batch_size * self.rebuild_factor), rebuild_tried
            )

    def _again_if_interrupted(
        self,
        work: Callable[[], list[CatchUpResult]],
        tried: Callable[[StoreUnavailable, int], StoreUnavailable],
    ) -> list[CatchUpResult]:
        if self.retry.attempts == 1:
            return work()
        return self.retry.run(work, again=self._fresh_connections, exhausted=tried)

    def _fresh_connections(self) -> None:
        """Before a new attempt: each pool this runner uses (the log's, each open
        view's, a rebuild's shadows') tests its idle connections and replaces those the
        server ended (psycopg_pool's ``check``), so the attempt does not meet a session
        that a restart or an administrator ended along with the one that failed. The
        views stay open (a rebuild's shadows stay in their place); what was cached of
        their documents is read again."""
        self._states.clear()
        for recorder in [self.app.recorder, *self._views.values()]:
            pool = getattr(getattr(recorder, "datastore", None), "pool", None)
            check = getattr(pool, "check", None)
            if check is not None and not getattr(pool, "closed", True):
                with store_errors("cannot reach the store"):
                    check()

    def _run_apart(
        self, selected: list[str], groups: list[list[str]], sent: list[bytes]
    ) -> list[CatchUpResult]:
        """The shadows of ``groups`` filled by one child process each."""
        children = Children(self.app.store, self.batch_size)
        try:
            children.start(groups, sent)
            rows = children.results()
        finally:
            children.end()  # none left when interrupted (Ctrl-C) or failed
        return [CatchUpResult(**rows[name]) for name in selected]

    def _forget(self, name: str) -> None:
        """Drop what this runner knows of a view (it was replaced)."""
        self._states.pop(name, None)
        self._same_store.discard(name)
        self._current.discard(name)
        self._clean.discard(name)

    # -- the loop ---------------------------------------------------------------

    def _state(self, name: str, position: int) -> ViewState:
        state = self._states.get(name)
        if state is None or state.position != position:
            # Position 0: nothing was ever written to this view, so it is empty.
            state = ViewState(position, written=WrittenKeys() if position == 0 else None)
            self._states[name] = state
        return state

    def _run(self, names: list[str], batch_size: int | None = None) -> list[CatchUpResult]:
        results = {n: CatchUpResult(n, 0, self.position(n)) for n in names}
        head = self.head()  # after the positions: a view never looks ahead of a newer log
        self._check({n: r.position for n, r in results.items()}, head)
        active = [n for n in names if results[n].position < head]
        while active:
            start = min(results[n].position for n in active)
            group = [n for n in active if results[n].position == start]
            with _no_cyclic_gc():
                self._batch(group, start, head, results, batch_size or self.batch_size)
            active = [n for n in active if results[n].position < head and not results[n].error]
        for name in names:
            if results[name].error is None and name not in self._clean:
                # A success clears an error left by an earlier run (read once per runner).
                with store_errors(f"cannot write the view of {name}"):
                    if self.view(name).get_meta(ERROR_KEY) is not None:
                        self.view(name).set_meta(ERROR_KEY, None)
                self._clean.add(name)
        return [results[n] for n in names]

    def _batch(
        self,
        group: list[str],
        start: int,
        head: int,
        results: dict[str, CatchUpResult],
        batch_size: int,
    ) -> None:
        """One batch of the log for the adapters in ``group`` (all at ``start``)."""
        topic_sets = {n: frozenset(self.projections[n].topics) for n in group}
        topics: tuple[str, ...] = ()
        if all(topic_sets.values()):
            topics = tuple(sorted(frozenset().union(*topic_sets.values())))
        with store_errors("cannot read the event log"):
            notifications = self.app.recorder.select_notifications(
                start=start,
                limit=batch_size,
                stop=head,
                topics=topics,
                inclusive_of_start=False,
            )
        end = notifications[-1].id if notifications else head
        decoded: list[tuple[int, str, Any]] = []
        with store_errors("cannot read the event log"):  # undecodable bytes: damage
            to_domain_event = self.app.mapper.to_domain_event
            for notification in notifications:
                event = to_domain_event(notification)
                if type(event.originator_id) is UUID:  # frozen: set as the dataclass does
                    object.__setattr__(event, "originator_id", _Id(event.originator_id))
                decoded.append((notification.id, notification.topic, event))
        del notifications  # the stored bytes: only the decoded events are needed now
        present = {topic for _, topic, _ in decoded}
        for name in group:
            wanted = topic_sets[name]
            mine = decoded
            if wanted and not present <= wanted:
                mine = [d for d in decoded if d[1] in wanted]
            self._deliver(name, mine, start, end, results[name])

    def _deliver(
        self,
        name: str,
        events: list[tuple[int, str, Any]],
        start: int,
        end: int,
        result: CatchUpResult,
    ) -> None:
        """Process ``events`` into a unit and write it with tracking position ``end``.

        If an event raises, its changes are undone and the events before it are written
        (up to the position before it); each event reaches ``process_event`` once.
        """
        projection = self.projections[name]
        view = self.view(name)
        pure = bool(getattr(projection, "pure", False))
        unit: ViewUnit | None = ViewUnit(view, self._state(name, start), undo=not pure)
        assert unit is not None
        failure: str | None = None
        process = bound_process(projection)  # bound once: dispatch descriptors are costly
        for index, (position, topic, event) in enumerate(events):
            unit.begin(position, event.timestamp, event)
            try:
                process(event, unit)
            except Exception as exc:
                failure = f"at position {position} ({topic}): {type(exc).__name__}: {exc}"
                log.error("projection %s failed %s", name, failure)
                log.debug("%s", traceback.format_exc())
                self._states.pop(name, None)  # the cache may hold what the event read
                end = position - 1
                if pure:
                    unit = self._again(name, view, start, events[:index])
                    if unit is None:
                        end = start
                    break
                try:
                    unit.undo_event()
                except Exception:  # cannot trust the unit: write nothing of the batch
                    log.exception("projection %s: cannot undo the failed event", name)
                    unit, end = None, start
                break
        try:
            self._write(name, view, unit, start, end, result)
        except Exception as exc:
            if failure is None:
                raise
            # Writing what came before the failure failed too: record both, stay put.
            log.exception("projection %s: cannot write the events before the failure", name)
            failure += f"; the events before it were not written ({type(exc).__name__}: {exc})"
        if failure is not None:
            self._record_failure(name, view, failure, result)

    def _again(
        self, name: str, view: View, start: int, events: list[tuple[int, str, Any]]
    ) -> ViewUnit | None:
        """A pure adapter's unit of the events before the failed one, processed again
        from the view as stored (the failed run may have changed documents in place);
        None if one of them fails this time."""
        unit = ViewUnit(view, self._state(name, start), undo=False)
        process = bound_process(self.projections[name])
        try:
            for position, _, event in events:
                unit.begin(position, event.timestamp, event)
                process(event, unit)
        except Exception:
            log.exception("projection %s: the events before the failure failed again", name)
            self._states.pop(name, None)
            return None
        return unit

    def _write(
        self,
        name: str,
        view: View,
        unit: ViewUnit | None,
        start: int,
        end: int,
        result: CatchUpResult,
    ) -> None:
        """Write the unit at ``end`` if the view is still at ``start``."""
        if unit is None or end <= start:
            return
        try:
            with store_errors(f"cannot write the view of {name}"):
                try:
                    view.apply(
                        Tracking(view.tracking_name(self.app.name), end),
                        unit if unit.events else None,
                        after=start,
                    )
                except IntegrityError:
                    # Another runner moved the view: its write stands, this batch goes.
                    self._states.pop(name, None)
                    result.position = self.position(name)
                    return
        except BaseException:
            self._states.pop(name, None)
            raise
        unit.written(end)
        result.processed += unit.events
        result.position = end

    def _record_failure(self, name: str, view: View, failure: str, result: CatchUpResult) -> None:
        """The failure is the result, whatever happens while it is written down."""
        result.error = failure
        self._clean.discard(name)
        try:
            with store_errors(f"cannot write the view of {name}"):
                view.set_meta(ERROR_KEY, failure)
        except Exception:
            log.exception("projection %s: cannot record its failure", name)

    def close(self) -> None:
        for view in self._views.values():
            view.datastore.close()  # type: ignore[attr-defined]
        self._views.clear()
