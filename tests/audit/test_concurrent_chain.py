"""Writers in several processes at once leave one unbroken chain: each write links to
the head it finds under the store's write lock."""

from __future__ import annotations

import json
import multiprocessing
import traceback
from multiprocessing.queues import Queue

from renda_core import Renda
from tests.audit.raw import raw, renda
from tests.conftest import STAFF, register_payload

WRITERS = 3
EACH = 15


def _write(store: str, worker: int, outbox: Queue[str]) -> None:
    try:
        with Renda(store) as app:
            for i in range(EACH):
                app.register_deputy(register_payload(name=f"并发{worker}-{i}"), STAFF)
        outbox.put("ok")
    except BaseException:
        outbox.put(traceback.format_exc())


def test_concurrent_writers_leave_one_chain(store: str) -> None:
    with Renda(store):
        pass  # tables made before the writers start
    context = multiprocessing.get_context("spawn")
    outbox: Queue[str] = context.Queue()
    workers = [context.Process(target=_write, args=(store, w, outbox)) for w in range(WRITERS)]
    for worker in workers:
        worker.start()
    results = [outbox.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert results == ["ok"] * WRITERS, results
    verified = renda(store, "audit", "verify", "--json")
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.output)["checked"] == WRITERS * EACH
    with raw(store, bypass=False) as db:
        links = db.q("SELECT position, prev_position FROM {chain} ORDER BY position")
    assert len(links) == WRITERS * EACH
    assert all(prev == before for (_, prev), (before, _) in zip(links[1:], links, strict=False))
