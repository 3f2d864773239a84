"""A rebuild split across processes: the views in groups, each group's shadows filled by
a child process that reads and decodes the log once for its group.

The parent (:meth:`ProjectionRunner.rebuild`) resets the shadows, starts one child per
group (``spawn``: a fresh interpreter, as :mod:`renda_core.projections.background`), waits
for each child's results, then replaces each view whose shadow is complete and catches up
the tail itself. A child only ever writes its own group's shadows; a shadow is put in use
by the parent's ``replace_with`` alone, so a child that dies leaves no view half replaced.

A child dies with its parent (the same watchdog as the background catch-up), and the
parent ends its children when it is interrupted (Ctrl-C) or fails.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

from renda_core.application.store import MEMORY, StoreConfig
from renda_core.domain import errors
from renda_core.ports.contracts import Projection

log = logging.getLogger(__name__)

#: ``RENDA_REBUILD_JOBS``: how many processes a rebuild uses by default (one)
JOBS_ENV = "RENDA_REBUILD_JOBS"

#: what each built-in view costs to rebuild, relative to the others (CPU seconds of a
#: rebuild of that view alone over demo scale 0.2's log, decoding included, measured
#: once); a view not named here costs DEFAULT_COST
COSTS: Mapping[str, float] = {
    "stations": 3.59,
    "duty_record": 3.02,
    "training": 1.28,
    "deputy_roster": 1.22,
    "meetings": 0.88,
    "committee": 0.78,
    "suggestions": 0.08,
    "bulletin": 0.04,
    "groups": 0.03,
}
DEFAULT_COST = 1.0

#: a log shorter than this is rebuilt in one process whatever ``jobs`` says: a child's
#: start (a fresh interpreter, the adapters imported, its own connections) costs more
#: than it saves (PostgreSQL, 10,000 events, all views: 6.7 s in one process, 17.4 s
#: in two, load 7-8)
MIN_EVENTS = 20_000


def default_jobs(option: int | None = None) -> int:
    """The processes a rebuild may use: ``option`` (``--jobs``), else
    ``RENDA_REBUILD_JOBS``, else one. Not the cores by default: measured on a busy
    2-core machine, a split rebuild used 12–30 % more CPU for no wall-clock gain
    (docs/performance.md), so it is for an operator who knows the cores are idle."""
    if option is not None:
        jobs = option
    elif os.environ.get(JOBS_ENV):
        value = os.environ[JOBS_ENV]
        try:
            jobs = int(value)
        except ValueError:
            raise errors.InvalidInput(
                f"{JOBS_ENV} must be a whole number of processes, not {value!r}",
                [{"field": JOBS_ENV, "message": "not a whole number"}],
            ) from None
    else:
        jobs = 1
    if jobs < 1:
        raise errors.InvalidInput(
            f"a rebuild needs at least one process, not {jobs}",
            [{"field": "jobs", "message": "must be at least 1"}],
        )
    return jobs


def partition(names: Sequence[str], jobs: int) -> list[list[str]]:
    """``names`` in at most ``jobs`` groups of about equal cost (the costliest view first
    into the cheapest group); each group keeps the order of ``names``."""
    count = max(1, min(jobs, len(names)))
    groups: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for name in sorted(names, key=lambda n: -COSTS.get(n, DEFAULT_COST)):
        cheapest = loads.index(min(loads))
        groups[cheapest].append(name)
        loads[cheapest] += COSTS.get(name, DEFAULT_COST)
    order = {name: index for index, name in enumerate(names)}
    return [sorted(group, key=order.__getitem__) for group in groups if group]


def can_split(store: StoreConfig) -> bool:
    """An in-memory store cannot be shared with another process."""
    return store.location != MEMORY


def picklable(projections: Mapping[str, Projection]) -> bytes | None:
    """The adapters as a child receives them; None if one cannot be sent (an adapter
    defined in a function): then the rebuild stays in this process."""
    try:
        return pickle.dumps(dict(projections))
    except Exception as exc:
        log.info("the rebuild stays in one process: an adapter cannot be sent (%s)", exc)
        return None


def _build(
    store: StoreConfig,
    sent: bytes,
    batch_size: int,
    conn: Connection,
    parent_pid: int,
) -> None:
    """A child: fill the shadows of ``projections`` (already reset by the parent) from
    the whole log, and send back the results (or the error that stopped it)."""
    from renda_core.projections.background import _watch_parent

    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    try:
        # The log without commands (a fifth of the full application's start-up): the
        # child only reads and decodes it.
        from renda_core.application.reader import RendaReader
        from renda_core.projections.runner import ProjectionRunner

        projections: dict[str, Projection] = pickle.loads(sent)
        with RendaReader(store) as app:
            runner = ProjectionRunner(app, projections, batch_size=batch_size)
            try:
                results = runner.fill_shadows(list(projections))
            finally:
                runner.close()
        conn.send(("ok", [r.to_dict() for r in results]))
    except errors.RendaError as error:
        conn.send(("error", type(error).__name__, error.message))
    except BaseException as error:  # a bug, or Ctrl-C: the parent says what happened
        conn.send(("crash", f"{type(error).__name__}: {error}"))
        raise
    finally:
        conn.close()


class Children:
    """The children of one rebuild: started together, waited for, ended on the way out."""

    def __init__(self, store: StoreConfig, batch_size: int) -> None:
        self.store = store
        self.batch_size = batch_size
        self._context = multiprocessing.get_context("spawn")
        self._running: list[tuple[list[str], multiprocessing.process.BaseProcess, Connection]] = []

    def start(self, groups: Sequence[Sequence[str]], sent: Sequence[bytes]) -> None:
        """One child per group; ``sent``: each group's adapters, pickled."""
        for group, adapters in zip(groups, sent, strict=True):
            receive, send = self._context.Pipe(duplex=False)
            process = self._context.Process(
                target=_build,
                args=(
                    self.store,
                    adapters,
                    self.batch_size,
                    send,
                    os.getpid(),
                ),
                daemon=True,
                name=f"renda-rebuild-{'+'.join(group)}",
            )
            process.start()
            send.close()  # the child's end: EOF here when the child is gone
            self._running.append((list(group), process, receive))

    def results(self) -> dict[str, dict[str, Any]]:
        """Each view's result as a dict; a group whose child died has its views' results
        carry an error saying so. A child's RendaError (the store gone) is raised."""
        out: dict[str, dict[str, Any]] = {}
        raised: errors.RendaError | None = None
        for group, process, conn in self._running:
            try:
                message = conn.recv()
            except EOFError:
                message = None
            process.join()
            conn.close()
            if message is not None and message[0] == "ok":
                for row in message[1]:
                    out[row["name"]] = row
                continue
            if message is not None and message[0] == "error":
                kind = getattr(errors, message[1], None)
                if not (isinstance(kind, type) and issubclass(kind, errors.RendaError)):
                    kind = errors.StoreUnavailable
                if raised is None:
                    raised = kind(message[2])
                continue
            why = (
                message[1]
                if message is not None
                else f"it ended with exit code {process.exitcode} before it was done"
            )
            failure = f"the rebuild process of {', '.join(group)} failed: {why}"
            log.error("%s", failure)
            for name in group:
                out[name] = {"name": name, "processed": 0, "position": 0, "error": failure}
        self._running.clear()
        if raised is not None:
            raise raised
        return out

    def end(self) -> None:
        """End the children still running (the parent was interrupted or failed)."""
        for _, process, conn in self._running:
            if process.is_alive():
                process.terminate()
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()
        self._running.clear()
