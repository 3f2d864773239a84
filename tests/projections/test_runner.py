"""The projection runner: exactly once, restart, rebuild, failure isolation, as-of."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from renda_core import Renda
from renda_core.ports import hookimpl
from renda_core.ports.plugins import collect_projections, collect_reports, get_plugin_manager
from renda_core.projections.reports import run_report
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewUnit
from tests.conftest import STAFF, register_payload


class Counting:
    """Counts deliveries per event, to prove each is delivered exactly once."""

    name = "counting"
    topics: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.fail_on: str | None = None

    def process_event(self, event: Any, view: ViewUnit) -> None:
        if self.fail_on and self.fail_on == type(event).TOPIC:
            raise RuntimeError("adapter bug")
        key = f"{event.originator_id}:{event.originator_version}"
        doc = view.get("seen", key) or {"n": 0}
        doc["n"] += 1
        view.put("seen", key, doc)
        view.add("events", key=type(event).TOPIC)


class Plugin:
    def __init__(self, projection: Counting) -> None:
        self.projection = projection

    @hookimpl
    def renda_register_projections(self, register: Any) -> None:
        register(self.projection)


def make_runner(app: Renda, counting: Counting, batch_size: int = 1000) -> ProjectionRunner:
    pm = get_plugin_manager([Plugin(counting)])
    return ProjectionRunner(app, collect_projections(pm), batch_size=batch_size)


def populate(app: Renda, n: int) -> list[Any]:
    ids = []
    for i in range(n):
        deputy_id = app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
        app.liaise_deputy({"deputy_id": deputy_id, "member": "甲", "date": "2023-02-01"}, STAFF)
        app.record_contact({"deputy_id": deputy_id, "form": "visit", "date": "2023-03-01"}, STAFF)
        ids.append(deputy_id)
    return ids


def deliveries(runner: ProjectionRunner) -> dict[str, int]:
    return {key: doc["n"] for key, doc in runner.view("counting").entities("seen")}


def test_catch_up_after_restart_delivers_every_event_exactly_once(app: Renda, store: str) -> None:
    populate(app, 3)
    runner = make_runner(app, Counting(), batch_size=4)
    (result,) = runner.catch_up(["counting"])
    assert result.processed == 9 and result.position == 9
    runner.close()
    populate(app, 2)
    with Renda(store) as restarted_app:  # a new process: new app, new runner
        restarted = make_runner(restarted_app, Counting(), batch_size=4)
        (result,) = restarted.catch_up(["counting"])
        assert result.processed == 6
        seen = deliveries(restarted)
        assert len(seen) == 15 and set(seen.values()) == {1}
        (again,) = restarted.catch_up(["counting"])
        assert again.processed == 0
        restarted.close()


def test_a_position_already_recorded_is_refused_with_nothing_written(app: Renda) -> None:
    populate(app, 1)
    runner = make_runner(app, Counting())
    runner.catch_up(["counting"])
    view = runner.view("counting")
    unit = ViewUnit(view)
    unit.begin(2, app.get_deputy(populate(app, 1)[0]).modified_on)
    unit.put("seen", "intruder", {"n": 99})
    with pytest.raises(IntegrityError):
        view.apply(Tracking(app.name, 3), unit)
    assert view.get_entity("seen", "intruder") is None
    runner.close()


def test_rebuild_gives_the_same_view_as_incremental_delivery(app: Renda) -> None:
    ids = populate(app, 4)
    pm = get_plugin_manager()
    runner = ProjectionRunner(app, collect_projections(pm), batch_size=3)
    report = collect_reports(pm)["deputies"]
    runner.catch_up()
    app.terminate_deputy({"deputy_id": ids[0], "reason": "death", "date": "2023-06-01"}, STAFF)
    app.correct_deputy({"deputy_id": ids[1], "date": "2023-06-02", "level": "county"}, STAFF)
    incremental = run_report(runner, report)
    entities = runner.view("deputy_roster").entities("deputy")
    results = runner.rebuild(["deputy_roster"])
    assert results[0].error is None and results[0].position == 14
    assert run_report(runner, report) == incremental
    assert runner.view("deputy_roster").entities("deputy") == entities
    assert incremental["active_total"] == 3 and incremental["by_level"]["county"] == 1
    assert incremental["liaison_deputies"] == 3 and incremental["terminated_total"] == 1
    runner.close()


def test_a_raising_adapter_stops_at_its_position_and_the_others_go_on(app: Renda) -> None:
    populate(app, 2)
    counting = Counting()
    counting.fail_on = "renda:Deputy.ContactRecorded"
    pm = get_plugin_manager([Plugin(counting)])
    runner = ProjectionRunner(app, collect_projections(pm))
    results = {r.name: r for r in runner.catch_up()}
    assert results["counting"].error is not None and "position 3" in results["counting"].error
    assert results["counting"].position == 2  # the two events before the failure
    assert results["deputy_roster"].error is None and results["deputy_roster"].position == 6
    status = {s.name: s for s in runner.status()}
    assert status["counting"].lag == 4 and "adapter bug" in (status["counting"].error or "")
    # the application keeps taking commands
    populate(app, 1)
    counting.fail_on = None  # the adapter is fixed
    results = {r.name: r for r in runner.catch_up()}
    assert results["counting"].error is None and results["counting"].position == 9
    assert set(deliveries(runner).values()) == {1}
    assert runner.status(["counting"])[0].error is None
    runner.close()


def test_topics_limit_what_an_adapter_receives(app: Renda) -> None:
    populate(app, 2)
    counting = Counting()
    counting.topics = ("renda:Deputy.Registered",)
    runner = make_runner(app, counting)
    (result,) = runner.catch_up(["counting"])
    assert result.processed == 2
    assert runner.status(["counting"])[0].lag == 0  # skipped events count as seen
    runner.close()


def test_as_of_date_reads_the_view_as_the_log_stood(app: Renda) -> None:
    populate(app, 2)
    pm = get_plugin_manager()
    runner = ProjectionRunner(app, collect_projections(pm))
    report = collect_reports(pm)["deputies"]
    recorded_day = app.get_deputy(populate(app, 1)[0]).created_on.date()
    before = run_report(runner, report, as_of_date=recorded_day - timedelta(days=2))
    after = run_report(runner, report, as_of_date=recorded_day + timedelta(days=1))
    assert before["active_total"] == 0 and before["contacts"] == {}
    assert after["active_total"] == 3 and after["contacts"] == {"2023": 3}
    runner.close()


def test_as_of_a_position_between_changes(app: Renda) -> None:
    ids = populate(app, 2)
    pm = get_plugin_manager()
    runner = ProjectionRunner(app, collect_projections(pm))
    runner.catch_up()
    position = runner.position("deputy_roster")
    app.terminate_deputy({"deputy_id": ids[0], "reason": "death", "date": "2023-06-01"}, STAFF)
    runner.catch_up()
    view = runner.view("deputy_roster")
    now = {(f.figure, f.level): f.value for f in view.figures(["active_total"])}
    then = {(f.figure, f.level): f.value for f in view.figures(["active_total"], position)}
    assert now[("active_total", "provincial")] == 1
    assert then[("active_total", "provincial")] == 2
    runner.close()


def test_unknown_projection_name_is_invalid_input(app: Renda) -> None:
    from renda_core import InvalidInput

    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    with pytest.raises(InvalidInput, match="no projection named nope"):
        runner.catch_up(["nope"])
    assert date.today()  # keep the import honest


def test_adapters_at_different_positions_are_caught_up_together(app: Renda) -> None:
    populate(app, 2)
    counting = Counting()
    runner = make_runner(app, counting, batch_size=4)
    runner.catch_up(["deputy_roster"])
    (first,) = runner.catch_up(["counting"])  # counting alone, up to 6
    assert first.position == 6
    populate(app, 1)
    late = Counting()
    late.name = "late_counting"  # a new adapter: starts from the beginning
    runner.projections[late.name] = late
    results = {r.name: r for r in runner.catch_up()}
    assert results["counting"].processed == 3 and results["counting"].position == 9
    assert results["late_counting"].processed == 9 and results["late_counting"].position == 9
    assert deliveries(runner) == {k: 1 for k in deliveries(runner)} and len(deliveries(runner)) == 9
    late_seen = {k: d["n"] for k, d in runner.view("late_counting").entities("seen")}
    assert len(late_seen) == 9 and set(late_seen.values()) == {1}
    runner.close()


def test_memory_bounds_do_not_change_the_view(app: Renda, monkeypatch: pytest.MonkeyPatch) -> None:
    from renda_core.projections.unit import ViewState

    ids = populate(app, 5)
    app.terminate_deputy({"deputy_id": ids[0], "reason": "death", "date": "2023-06-01"}, STAFF)
    pm = get_plugin_manager()
    roomy = ProjectionRunner(app, collect_projections(pm), batch_size=4)
    roomy.rebuild(["deputy_roster"])
    expected = sorted(
        (f.figure, f.key, f.area, f.level, f.year, f.value)
        for f in roomy.view("deputy_roster").figures()
    )
    entities = roomy.view("deputy_roster").entities("deputy")
    roomy.close()
    monkeypatch.setattr(ViewState, "MAX_DOCS", 1)
    monkeypatch.setattr(ViewState, "MAX_WRITTEN", 2)
    tight = ProjectionRunner(app, collect_projections(pm), batch_size=4)
    tight.rebuild(["deputy_roster"])
    got = sorted(
        (f.figure, f.key, f.area, f.level, f.year, f.value)
        for f in tight.view("deputy_roster").figures()
    )
    assert got == expected and tight.view("deputy_roster").entities("deputy") == entities
    tight.close()
