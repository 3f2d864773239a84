"""A rebuild split across processes (``rebuild(jobs=N)``, ``renda projections rebuild
--jobs N``): the views it leaves are row for row those of the in-process rebuild; a
failing adapter in a child is reported as in one process (its view keeps its old
tables, the error recorded, the others replaced); a child that dies fails its views
with a clear error and replaces none of them; an interrupted rebuild leaves no child."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.domain.errors import InvalidInput
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Projection
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections import split
from renda_core.projections.runner import ERROR_KEY, ProjectionRunner
from renda_core.projections.views import View

from .test_runner import populate


@pytest.fixture(autouse=True)
def split_short_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    """These logs are short: split them all the same (the threshold is tested below)."""
    monkeypatch.setattr(split, "MIN_EVENTS", 0)


def contents(view: View) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the view, sorted."""
    out = {}
    with view._transaction(commit=False) as c:
        for table in View.TABLES:
            c.execute(f"SELECT * FROM {view.prefix}{table}")
            out[table] = sorted(tuple(row) for row in c.fetchall())
    return out


def data(view: View) -> dict[str, list[tuple[Any, ...]]]:
    """The view's rows less its meta (where a failure is recorded)."""
    return {table: rows for table, rows in contents(view).items() if table != "meta"}


def everything(runner: ProjectionRunner) -> dict[str, Any]:
    return {
        name: (contents(runner.view(name)), runner.position(name)) for name in runner.projections
    }


class Boom(Projection):
    """Fails at its ``fail_at``-th event (a module-level class: a child can receive it)."""

    name = "boom"
    topics: tuple[str, ...] = ()
    pure = False

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.seen = 0

    def process_event(self, event: Any, view: Any) -> None:
        self.seen += 1
        if self.seen >= self.fail_at:
            raise RuntimeError("boom at an event")
        view.put("seen", str(event.originator_id), {"n": self.seen})


class Dies(Boom):
    """Ends its process outright (a crash, an OOM kill) at its ``fail_at``-th event."""

    name = "dies"

    def process_event(self, event: Any, view: Any) -> None:
        self.seen += 1
        if self.seen >= self.fail_at:
            os._exit(3)
        view.put("seen", str(event.originator_id), {"n": self.seen})


def builtin() -> dict[str, Projection]:
    return collect_projections(get_plugin_manager())


def test_a_split_rebuild_leaves_the_views_of_the_rebuild_in_one_process(app: Renda) -> None:
    populate(app, 6)
    runner = ProjectionRunner(app, builtin(), batch_size=7)
    runner.catch_up()
    one = runner.rebuild(jobs=1)
    assert not [r for r in one if r.error]
    expected = everything(runner)
    for jobs in (2, 3):
        results = runner.rebuild(jobs=jobs)
        assert [(r.name, r.position, r.error) for r in results] == [
            (r.name, r.position, None) for r in one
        ]
        assert everything(runner) == expected
    runner.close()


def test_the_demo_rebuilt_in_two_processes_equals_one(store: str) -> None:
    from tests.demo.test_demo import run_demo

    assert run_demo(store, "--scale", "0.01", "--seed", "3").exit_code == 0
    with Renda(store) as app:
        runner = ProjectionRunner(app, builtin())
        runner.rebuild(jobs=1)
        expected = everything(runner)
        assert sum(len(rows) for view, _ in expected.values() for rows in view.values()) > 1000
        results = runner.rebuild(jobs=2)
        assert not [r for r in results if r.error]
        assert everything(runner) == expected
        runner.close()


def test_a_failing_adapter_in_a_child_is_reported_and_the_others_replaced(app: Renda) -> None:
    populate(app, 3)
    projections = {**builtin(), "boom": Boom(fail_at=10**9)}
    runner = ProjectionRunner(app, projections)
    runner.catch_up()
    before = data(runner.view("boom"))
    populate(app, 1)  # the rebuilt views must have these events
    runner.projections["boom"] = Boom(fail_at=5)
    results = {r.name: r for r in runner.rebuild(jobs=2)}
    failed = results["boom"]
    assert failed.error is not None
    assert "at position 5" in failed.error and "RuntimeError: boom at an event" in failed.error
    assert failed.position == 9  # the live view's position: its old tables stay
    assert data(runner.view("boom")) == before
    assert runner.view("boom").get_meta(ERROR_KEY) == failed.error
    for name, result in results.items():
        if name != "boom":
            assert result.error is None and result.position == 12, result
            assert runner.position(name) == 12
    runner.close()


def test_a_child_that_dies_fails_its_views_and_replaces_none(app: Renda) -> None:
    populate(app, 3)
    projections = {**builtin(), "dies": Dies(fail_at=10**9)}
    runner = ProjectionRunner(app, projections)
    runner.catch_up()
    alone = {name: data(runner.view(name)) for name in projections}
    populate(app, 1)
    runner.projections["dies"] = Dies(fail_at=2)
    groups = split.partition(list(projections), 2)
    (with_it,) = [g for g in groups if "dies" in g]
    results = {r.name: r for r in runner.rebuild(jobs=2)}
    for name in with_it:  # its whole group: none of them half replaced
        error = results[name].error
        assert error is not None and "exit code 3" in error, error
        assert "the rebuild process of" in error
        assert runner.position(name) == 9 and data(runner.view(name)) == alone[name]
        assert runner.view(name).get_meta(ERROR_KEY) == error
    for name in set(projections) - set(with_it):
        assert results[name].error is None and runner.position(name) == 12
    runner.close()


class DiesPlugin:
    @hookimpl
    def renda_register_projections(self, register: Any) -> None:
        register(Dies(fail_at=2))


def rebuild_cli(store: str, pm: Any, *args: str) -> Any:
    return CliRunner().invoke(
        cli,
        ["--store", store, "projections", "rebuild", *args, "--json"],
        obj=Env(store=store, pm=pm),
    )


def test_the_cli_rebuilds_with_jobs_and_says_exit_9_for_a_dead_child(store: str) -> None:
    with Renda(store) as app:
        populate(app, 2)
    ok = rebuild_cli(store, get_plugin_manager(), "--jobs", "2")
    assert ok.exit_code == 0, ok.output
    dead = rebuild_cli(store, get_plugin_manager([DiesPlugin()]), "--jobs", "2")
    assert dead.exit_code == 9, dead.output
    assert "the rebuild process of" in dead.output and "exit code 3" in dead.output


def test_the_cli_refuses_jobs_below_one_and_records_nothing(store: str) -> None:
    with Renda(store) as app:
        populate(app, 1)
        before = app.recorder.max_notification_id()
    refused = rebuild_cli(store, get_plugin_manager(), "--jobs", "0")
    assert refused.exit_code == 3, refused.output
    assert "at least one process" in refused.output
    with Renda(store) as app:
        assert app.recorder.max_notification_id() == before


def test_an_interrupted_split_rebuild_leaves_no_child(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(app, 2)
    runner = ProjectionRunner(app, builtin())
    runner.catch_up()
    before = everything(runner)
    started: list[int] = []
    real_start = split.Children.start

    def start(self: split.Children, *args: Any) -> None:
        real_start(self, *args)
        started.extend(p.pid for _, p, _ in self._running if p.pid)

    def interrupted(self: split.Children) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(split.Children, "start", start)
    monkeypatch.setattr(split.Children, "results", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runner.rebuild(jobs=2)
    assert len(started) == 2
    assert not multiprocessing.active_children()
    for pid in started:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert everything(runner) == before  # nothing replaced
    runner.close()


@pytest.mark.parametrize("jobs", [0, -1])
def test_jobs_below_one_are_invalid_input(jobs: int) -> None:
    with pytest.raises(InvalidInput):
        split.default_jobs(jobs)


def test_jobs_default_to_the_environment_then_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(split.JOBS_ENV, raising=False)
    assert split.default_jobs() == 1  # split only when asked: see default_jobs
    monkeypatch.setenv(split.JOBS_ENV, "3")
    assert split.default_jobs() == 3 and split.default_jobs(1) == 1
    monkeypatch.setenv(split.JOBS_ENV, "many")
    with pytest.raises(InvalidInput):
        split.default_jobs()


def test_the_views_are_split_by_cost_and_keep_their_order() -> None:
    names = list(split.COSTS)
    groups = split.partition(names, 2)
    assert sorted(n for g in groups for n in g) == sorted(names)
    costs = [sum(split.COSTS[n] for n in g) for g in groups]
    assert max(costs) - min(costs) <= max(split.COSTS.values())
    assert all(g == [n for n in names if n in g] for g in groups)
    assert split.partition(["a", "b"], 5) == [["a"], ["b"]]
    assert split.partition(["a", "b"], 1) == [["a", "b"]]


def test_a_memory_store_or_an_adapter_a_child_cannot_receive_stays_in_process(
    monkeypatch: pytest.MonkeyPatch, store: str
) -> None:
    def no_children(*args: Any) -> None:
        raise AssertionError("no child expected")

    monkeypatch.setattr(split.Children, "start", no_children)
    with Renda(":memory:") as memory:
        populate(memory, 1)
        runner = ProjectionRunner(memory, builtin())
        assert not [r for r in runner.rebuild(jobs=2) if r.error]
        runner.close()
    local: Callable[[], None] = lambda: None  # noqa: E731 - a closure pickle refuses

    class Local(Boom):
        name = "local"

        def process_event(self, event: Any, view: Any) -> None:
            local()

    with Renda(store) as app:
        populate(app, 1)
        runner = ProjectionRunner(app, {**builtin(), "local": Local(1)})
        assert not [r for r in runner.rebuild(jobs=2) if r.error]
        runner.close()


def test_a_log_shorter_than_the_threshold_is_rebuilt_in_process(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(app, 2)  # 6 events
    runner = ProjectionRunner(app, builtin())
    runner.catch_up()
    expected = everything(runner)
    monkeypatch.setattr(split, "MIN_EVENTS", 7)

    def no_children(*args: Any) -> None:
        raise AssertionError("no child expected")

    monkeypatch.setattr(split.Children, "start", no_children)
    assert not [r for r in runner.rebuild(jobs=2) if r.error]
    assert everything(runner) == expected
    runner.close()
