"""Catching projections up in another process, while this one records (a second core).

The demo (and an importer of a large backlog) records events with one core; the
projections can follow on the other instead of starting after the last write. The
background process only ever catches up (tracking makes that safe next to any other
runner); the caller's own ``catch_up`` afterwards delivers the tail.

The child dies with its parent: a watchdog thread in the child checks every
``PARENT_POLL`` seconds that its parent is still the process that started it, and ends
the child at once if not (a parent killed with ``kill -9`` leaves no orphan behind). An
interrupted batch is simply not written: every write is one transaction.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from multiprocessing.synchronize import Event
from types import TracebackType
from typing import Any

from renda_core.application.store import MEMORY, StoreConfig
from renda_core.domain.errors import RendaError

log = logging.getLogger(__name__)

PARENT_POLL = 0.5  # seconds between the child's checks that its parent lives
#: set (to anything) to have the child print its peak RSS to stderr when it ends
MAXRSS_ENV = "RENDA_DEBUG_FOLLOWER_MAXRSS"
#: set (to anything) to have the child print each catch-up pass (events, seconds)
TIMES_ENV = "RENDA_DEBUG_DEMO_TIMES"


def _watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)  # the parent is gone: nothing here is worth finishing
        time.sleep(PARENT_POLL)


def _follow(
    store: StoreConfig, names: Sequence[str], stop: Event, interval: float, parent_pid: int
) -> None:
    # Runs in a fresh interpreter (spawn): plugins are loaded as in any new process.
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    from renda_core.application.app import Renda
    from renda_core.ports.plugins import collect_projections, get_plugin_manager
    from renda_core.projections.runner import ProjectionRunner

    projections = collect_projections(get_plugin_manager())
    wanted = {n: projections[n] for n in names if n in projections}
    with Renda(store) as app:
        runner = ProjectionRunner(app, wanted)
        timing = bool(os.environ.get(TIMES_ENV))
        try:
            while not stop.is_set():
                began, began_cpu = time.monotonic(), time.process_time()
                results = runner.catch_up()
                if timing:
                    _print_pass(results, time.monotonic() - began, time.process_time() - began_cpu)
                if any(r.error for r in results):
                    return  # the caller's own catch-up reports the failure
                if not any(r.processed for r in results):
                    stop.wait(interval)
        except RendaError as error:  # views ahead, store gone: the caller's catch-up says
            log.warning("background catch-up stopped: %s", error.message)
        finally:
            runner.close()
            if os.environ.get(MAXRSS_ENV):
                _print_maxrss()


def _print_pass(results: Sequence[Any], seconds: float, cpu: float) -> None:
    import sys

    events = sum(r.processed for r in results)
    if events:
        per = ", ".join(f"{r.name} {r.processed}" for r in results)
        print(
            f"renda follower: {events} events in {seconds:.1f} s (CPU {cpu:.1f} s) "
            f"({events / max(seconds, 1e-9):.0f}/s): {per}",
            file=sys.stderr,
            flush=True,
        )


def _print_maxrss() -> None:
    import resource
    import sys

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"renda follower: peak RSS {peak_kib / 1024:.1f} MB", file=sys.stderr, flush=True)


class BackgroundCatchUp:
    """``with BackgroundCatchUp(store, names): <record events>``."""

    def __init__(self, store: StoreConfig, names: Sequence[str], interval: float = 0.5):
        self.store = store
        self.names = list(names)
        self.interval = interval
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._process: multiprocessing.process.BaseProcess | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id, while it runs."""
        return None if self._process is None else self._process.pid

    @property
    def possible(self) -> bool:
        """An in-memory store cannot be shared with another process."""
        return self.store.location != MEMORY and bool(self.names)

    def __enter__(self) -> BackgroundCatchUp:
        if self.possible:
            self._process = self._context.Process(
                target=_follow,
                args=(self.store, self.names, self._stop, self.interval, os.getpid()),
                daemon=True,
            )
            self._process.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._process is not None:
            self._process.join(timeout=120)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
