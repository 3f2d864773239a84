"""Several processes on one store: opening a fresh store at once, a report while a
rebuild runs, a background catch-up whose parent is killed."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import traceback
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from tests.conftest import STAFF, _new_schema, postgres_url, register_payload

ROOT = Path(__file__).resolve().parents[2]


def _open_fresh(inbox: Queue[str | None], outbox: Queue[str], barrier: Barrier) -> None:
    """A worker: for each store it is given, open the log and a view at the same moment
    as the other worker."""
    from renda_core.projections.views import open_view

    while (store := inbox.get()) is not None:
        try:
            barrier.wait(timeout=60)
            with Renda(store) as app:
                view = open_view(app.store, "deputy_roster")
                assert view.max_tracking_id(app.name) is None
                assert len(app.recorder.store_id()) == 32  # type: ignore[attr-defined]
                view.datastore.close()  # type: ignore[attr-defined]
            outbox.put("ok")
        except BaseException:
            outbox.put(traceback.format_exc())


def test_two_processes_open_a_fresh_store_and_view_at_once(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Before any worker starts: without PostgreSQL the fixture skips the test, and
    # workers started first were left waiting for a store, alive, for good (pytest hung
    # at exit, and a later test counting active children failed).
    pg_admin: Any = request.getfixturevalue("pg_admin") if backend == "postgres" else None
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    outbox: Queue[str] = context.Queue()
    inboxes: list[Queue[str | None]] = [context.Queue(), context.Queue()]
    workers = [context.Process(target=_open_fresh, args=(q, outbox, barrier)) for q in inboxes]
    for worker in workers:
        worker.start()
    try:
        for repetition in range(20):
            if pg_admin is None:
                store = str(tmp_path / f"fresh{repetition}.sqlite")
            else:
                schema = _new_schema(pg_admin)
                store = f"{postgres_url()}?schema={schema}"
            for inbox in inboxes:
                inbox.put(store)
            outcomes = [outbox.get(timeout=120) for _ in inboxes]
            if pg_admin is not None:
                pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")
            assert outcomes == ["ok", "ok"], (repetition, outcomes)
    finally:
        for inbox in inboxes:
            inbox.put(None)
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()


REBUILDER = """
import sys
from renda_core import Renda
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner

with Renda(sys.argv[1]) as app:
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()), batch_size=50)
    for i in range(int(sys.argv[2])):
        (result,) = runner.rebuild(["deputy_roster"])
        assert result.error is None, result.error
        print("rebuilt", result.position, flush=True)
    runner.close()
"""


def test_a_report_during_a_rebuild_reads_a_whole_view(app: Renda, store: str) -> None:
    deputies = 60
    for i in range(deputies):
        app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
    env = Env(app=app)
    (first,) = env.runner().catch_up(["deputy_roster"])
    assert first.error is None and first.position == deputies
    rebuilds = 8
    rebuilder = subprocess.Popen(
        [sys.executable, "-c", REBUILDER, store, str(rebuilds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    codes, totals, during = [], [], 0
    try:
        while True:
            running = rebuilder.poll() is None
            result = CliRunner().invoke(
                cli, ["--store", store, "report", "deputies", "--json"], obj=Env(store=store)
            )
            codes.append(result.exit_code)
            if result.exit_code == 0:
                totals.append(json.loads(result.output)["active_total"])
            else:
                totals.append(result.output)
            during += running
            if not running:
                break
    finally:
        out, err = rebuilder.communicate(timeout=120)
    assert rebuilder.returncode == 0, err
    assert out.count("rebuilt") == rebuilds
    assert set(codes) == {0}, [(c, t) for c, t in zip(codes, totals, strict=True) if c]
    assert set(totals) == {deputies}
    assert during >= 2  # the reports did run while the rebuilds ran
    env.close()


PARENT = """
import sys, time
from renda_core.application.store import parse_store
from renda_core.projections.background import BackgroundCatchUp

with BackgroundCatchUp(parse_store(sys.argv[1]), ["deputy_roster"], interval=0.05) as follow:
    print(follow.pid, flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


def test_the_background_child_dies_with_its_killed_parent(app: Renda, store: str) -> None:
    app.register_deputy(register_payload(), STAFF)
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, store], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        time.sleep(1.0)  # the child is up and following
        assert _alive(child)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        assert not _alive(child), "the background catch-up outlived its parent"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)
