"""The failure path: an adapter that raises is recorded (status, exit 9), nothing of the
failed event is written, and no event reaches an adapter twice — not in the failed run,
not in the recovery, not after the fault is fixed."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports import hookimpl
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewUnit
from renda_core.projections.views import View
from tests.conftest import STAFF, register_payload


class SideEffects:
    """A side-effecting adapter: it "sends" each event (a counter in memory, keyed by the
    event id the runner gives it) and keeps a transactional count in its view."""

    name = "side_effects"
    topics: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.fail_at: int | None = None  # the log position it raises on
        self.refuse_repeats = False  # raise when an event comes a second time
        self.calls: Counter[str] = Counter()  # every call, by event id
        self.sent: Counter[str] = Counter()  # completed deliveries, by event id
        self.positions: dict[str, int] = {}

    def process_event(self, event: Any, view: ViewUnit) -> None:
        key = view.event_id
        assert key == f"{event.originator_id}:{event.originator_version}"
        self.calls[key] += 1
        if self.refuse_repeats and self.calls[key] > 1:
            raise RuntimeError(f"event {key} delivered twice")
        total = view.get("total", "all") or {"n": 0}
        total["n"] += 1  # changed in place before the fault: must not be written
        if view.position == self.fail_at:
            raise RuntimeError("mail server down")
        view.put("total", "all", total)
        doc = view.get("seen", key) or {"n": 0}
        doc["n"] += 1
        view.put("seen", key, doc)
        view.add("events")
        self.sent[key] += 1
        self.positions[key] = view.position


class Plugin:
    def __init__(self, projection: SideEffects) -> None:
        self.projection = projection

    @hookimpl
    def renda_register_projections(self, register: Any) -> None:
        register(self.projection)


def populate(app: Renda, n: int) -> None:
    for i in range(n):
        deputy_id = app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
        app.liaise_deputy({"deputy_id": deputy_id, "member": "甲", "date": "2023-02-01"}, STAFF)
        app.record_contact({"deputy_id": deputy_id, "form": "visit", "date": "2023-03-01"}, STAFF)


def invoke(store: str, adapter: SideEffects, *args: str) -> Result:
    env = Env(store=store, pm=get_plugin_manager([Plugin(adapter)]))
    return CliRunner().invoke(cli, ["--store", store, "projections", *args], obj=env)


def status(store: str, adapter: SideEffects) -> dict[str, Any]:
    result = invoke(store, adapter, "status", "side_effects", "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    return dict(row)


def view_counts(store: str) -> tuple[dict[str, int], int]:
    with Renda(store) as app:
        runner = ProjectionRunner(app, {"side_effects": SideEffects()})
        view = runner.view("side_effects")
        seen = {key: doc["n"] for key, doc in view.entities("seen")}
        total = (view.get_entity("total", "all") or {"n": 0})["n"]
        runner.close()
    return seen, total


@pytest.mark.parametrize("refuse_repeats", [False, True], ids=["raises", "raises-on-repeat"])
def test_a_failing_side_effect_is_recorded_and_every_event_is_delivered_once(
    app: Renda, store: str, refuse_repeats: bool
) -> None:
    populate(app, 3)  # positions 1..9
    adapter = SideEffects()
    adapter.fail_at = 5
    adapter.refuse_repeats = refuse_repeats  # the old recovery re-ran 1..4: it raised there

    failed = invoke(store, adapter, "catch-up", "side_effects")
    assert failed.exit_code == 9, failed.output
    assert "mail server down" in failed.output and "Traceback" not in failed.output
    row = status(store, adapter)
    assert row["position"] == 4 and row["lag"] == 5
    assert "at position 5" in row["error"] and "mail server down" in row["error"]
    assert set(adapter.calls.values()) == {1} and len(adapter.calls) == 5  # 1..5, once
    seen, total = view_counts(store)
    assert len(seen) == 4 and set(seen.values()) == {1} and total == 4

    again = invoke(store, adapter, "catch-up", "side_effects")  # still broken
    assert again.exit_code == 9 and "at position 5" in status(store, adapter)["error"]

    adapter.fail_at = None  # the mail server is back
    adapter.refuse_repeats = False
    fixed = invoke(store, adapter, "catch-up", "side_effects")
    assert fixed.exit_code == 0, fixed.output
    row = status(store, adapter)
    assert row["position"] == 9 and row["lag"] == 0 and row["error"] is None
    assert len(adapter.sent) == 9 and set(adapter.sent.values()) == {1}
    assert sorted(adapter.positions.values()) == list(range(1, 10))
    seen, total = view_counts(store)
    assert len(seen) == 9 and set(seen.values()) == {1} and total == 9


def test_a_failure_while_writing_the_events_before_the_fault_still_ends_in_exit_9(
    app: Renda, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(app, 2)  # positions 1..6
    adapter = SideEffects()
    adapter.fail_at = 4
    real_apply = View.apply

    def broken_apply(self: View, *args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(View, "apply", broken_apply)
    failed = invoke(store, adapter, "catch-up", "side_effects")
    assert failed.exit_code == 9, failed.output
    monkeypatch.setattr(View, "apply", real_apply)
    row = status(store, adapter)
    assert row["position"] == 0
    assert "at position 4" in row["error"] and "disk full" in row["error"]

    adapter.fail_at = None
    assert invoke(store, adapter, "catch-up", "side_effects").exit_code == 0
    seen, total = view_counts(store)
    assert len(seen) == 6 and set(seen.values()) == {1} and total == 6
    assert status(store, adapter)["error"] is None


def test_the_other_adapters_go_on_and_one_runner_recovers(app: Renda) -> None:
    populate(app, 2)
    adapter = SideEffects()
    adapter.fail_at = 1  # the very first event: nothing before it to write
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager([Plugin(adapter)])))
    results = {r.name: r for r in runner.catch_up()}
    assert results["side_effects"].error and results["side_effects"].position == 0
    assert results["deputy_roster"].error is None and results["deputy_roster"].position == 6
    adapter.fail_at = None
    (result,) = runner.catch_up(["side_effects"])
    assert result.error is None and result.processed == 6
    assert set(adapter.calls.values()) == {1, 2} and adapter.calls.total() == 7
    assert set(adapter.sent.values()) == {1} and len(adapter.sent) == 6
    runner.close()
