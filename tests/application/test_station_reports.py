"""The stations, groups and training reports on a hand-computed scenario
(``tests/application/scenario.py``), now and as the log stood before later changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from renda_adapters.groups import build_groups
from renda_adapters.record import duty_record
from renda_adapters.stations import build_stations
from renda_adapters.training import build_training
from renda_core import Renda
from renda_core.ports.plugins import collect_projections, collect_reports, get_plugin_manager
from renda_core.projections.reports import ReportContext, fresh_context, run_report
from renda_core.projections.runner import ProjectionRunner
from tests.application import scenario

VIEWS = ("stations", "groups", "training", "duty_record")


@pytest.fixture
def world(app: Renda) -> Iterator[dict[str, Any]]:
    ids = scenario.build(app)
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    runner.catch_up(VIEWS)
    before = {name: runner.position(name) for name in VIEWS}
    scenario.late(app, ids)
    runner.catch_up(VIEWS)
    yield {"ids": ids, "runner": runner, "before": before, "app": app}
    runner.close()


def ctx(world: dict[str, Any], view: str, *, then: bool = False, **kw: Any) -> ReportContext:
    position = world["before"][view] if then else None
    return ReportContext(world["runner"].view(view), position, **kw)


def test_station_coverage_rosters_and_activities(world: dict[str, Any]) -> None:
    now = build_stations(ctx(world, "stations"), year=2023)
    assert now["divisions_total"] == 4
    assert now["divisions_covered"] == 2  # 南岭 (two stations) and 幸福乡; 自由大路 closed
    assert now["coverage_rate"] == 0.5
    assert now["stations_open"] == 3 and now["stations_by_kind"] == {"home": 1, "liaison": 2}
    assert now["stations_established"] == 3
    assert now["deputies_entered"]["total"] == 4
    assert now["deputies_entered"]["by_level"] == {
        "national": 0,
        "provincial": 1,
        "municipal": 1,
        "county": 1,
        "township": 1,
    }
    assert now["deputies_on_roster"]["total"] == 1  # B's station closed, C left, D left office
    assert now["activities"]["total"] == 3
    assert now["activities"]["by_kind"]["face_to_face"] == 1
    assert now["activities"]["by_kind"]["reception_day"] == 1
    assert now["activities"]["by_kind"]["cloud_reception"] == 1
    assert now["people_received"] == 55


def test_as_of_the_position_before_the_station_closed_and_the_deputy_left(
    world: dict[str, Any],
) -> None:
    then = build_stations(ctx(world, "stations", then=True), year=2023)
    assert then["divisions_covered"] == 3 and then["coverage_rate"] == 0.75
    assert then["stations_open"] == 4
    assert then["deputies_on_roster"]["total"] == 3  # A, B (station open), D (in office)
    assert then["deputies_entered"]["total"] == 4


def test_earlier_and_later_years(world: dict[str, Any]) -> None:
    y2022 = build_stations(ctx(world, "stations"), year=2022)
    assert y2022["divisions_covered"] == 1 and y2022["coverage_rate"] == 0.25
    assert y2022["stations_open"] == 1
    assert y2022["deputies_entered"]["total"] == 1
    assert y2022["activities"]["total"] == 1 and y2022["people_received"] == 10
    y2024 = build_stations(ctx(world, "stations"), year=2024)
    assert y2024["deputies_entered"]["total"] == 1 and y2024["divisions_covered"] == 2
    assert y2024["opinions"]["items_pushed"] == 1
    assert y2024["opinions"]["median_days_to_feedback"] == 26


def test_the_opinion_loop(world: dict[str, Any]) -> None:
    o = build_stations(ctx(world, "stations"), year=2023)["opinions"]
    assert o["collected"] == 7
    assert o["accepted"] == 5
    assert o["out_of_scope"] == 1 and o["merged"] == 1
    assert o["referred"] == 3 and o["escalated"] == 1 and o["answered_on_the_spot"] == 2
    assert o["handled"] == 3
    assert o["fed_back"] == 4 and o["items_pushed"] == 3
    assert o["closed"] == 4 and o["reopened"] == 1
    assert o["evaluations"] == {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 1}
    assert (o["cohort_accepted"], o["cohort_fed_back"]) == (5, 4)
    assert o["closed_loop_rate"] == 0.8
    assert o["median_days_to_feedback"] == 5
    then = build_stations(ctx(world, "stations", then=True), year=2023)["opinions"]
    assert then["closed_loop_rate"] == 0.6


def test_area_prefix(world: dict[str, Any]) -> None:
    data = build_stations(ctx(world, "stations", area="220102101"), year=2023)
    assert data["divisions_total"] == 1 and data["divisions_covered"] == 1
    assert data["activities"]["total"] == 1 and data["opinions"]["collected"] == 1
    assert data["deputies_entered"]["total"] == 1
    kuancheng = build_stations(ctx(world, "stations", area="220103"), year=2023)
    assert kuancheng["divisions_total"] == 1 and kuancheng["coverage_rate"] == 0.0


def test_groups_report(world: dict[str, Any]) -> None:
    now = build_groups(ctx(world, "groups"), year=2023)
    assert now["groups"] == 1 and now["groups_dissolved"] == 1
    assert now["activities"]["total"] == 2
    assert now["activities"]["by_kind"]["mediation"] == 1
    assert (now["disputes_handled"], now["disputes_resolved"]) == (5, 4)
    then = build_groups(ctx(world, "groups", then=True), year=2023)
    assert then["groups"] == 2
    y2022 = build_groups(ctx(world, "groups"), year=2022)
    assert y2022["groups"] == 2 and y2022["disputes_handled"] == 2


def test_training_report(world: dict[str, Any]) -> None:
    now = build_training(ctx(world, "training"), year=2023)
    assert now["classes"]["by_kind"] == {"initial": 0, "duty": 1, "topical": 1}
    assert now["deputies_trained"] == {"initial": 0, "duty": 2, "topical": 2}
    assert now["active_by_level"]["provincial"] == 2  # A and G; F resigned
    assert now["coverage_by_level"]["provincial"] == 0.5
    assert now["coverage_by_level"]["township"] == 0.0
    then = build_training(ctx(world, "training", then=True), year=2023)
    assert then["active_by_level"]["provincial"] == 3
    assert then["coverage_by_level"]["provincial"] == 0.6667
    y2024 = build_training(ctx(world, "training"), year=2024)
    assert y2024["coverage_by_level"]["provincial"] == 0.0
    assert y2024["coverage_by_level_term"]["provincial"] == 0.5
    assert build_training(ctx(world, "training"), year=2022)["classes"]["total"] == 1


def test_level_filter(world: dict[str, Any]) -> None:
    data = build_training(ctx(world, "training", level="provincial"), year=2023)
    assert data["active_by_level"]["county"] == 0
    entered = build_stations(ctx(world, "stations", level="county"), year=2023)
    assert entered["deputies_entered"]["total"] == 1


def test_as_of_date_through_run_report(world: dict[str, Any]) -> None:
    runner = world["runner"]
    report = collect_reports(get_plugin_manager())["stations"]
    recorded_day = date.today()
    before = run_report(runner, report, as_of_date=recorded_day - timedelta(days=2), year=2023)
    assert before["divisions_total"] == 0 and before["activities"]["total"] == 0
    after = run_report(runner, report, as_of_date=recorded_day + timedelta(days=1), year=2023)
    assert after["coverage_rate"] == 0.5


def test_rebuild_gives_the_same_figures(world: dict[str, Any]) -> None:
    runner = world["runner"]
    first = build_stations(ctx(world, "stations"), year=2023)
    runner.rebuild(["stations"])
    assert build_stations(ctx(world, "stations"), year=2023) == first


def test_duty_record(world: dict[str, Any]) -> None:
    ids = world["ids"]
    context = fresh_context(world["runner"], "duty_record")
    a = duty_record(context, str(ids["A"]), 2023)
    expected = {
        "stations": 2,
        "station_activities": 2,
        "opinions": 4,
        "suggestions_led": 0,
        "suggestions_cosigned": 0,
        "groups": 1,
        "group_activities": 2,
        "trainings": 2,
        "trainings_completed": 2,
        "contacts": 0,
    }
    assert {key: a["summary"][key] for key in expected} == expected
    # the sections of the other processes (attendance, motions, 述职 …): none in this world
    others = {key: n for key, n in a["summary"].items() if key not in expected}
    assert others and set(others.values()) == {0}, others
    statuses = {o["opinion_id"]: o["status"] for o in a["opinions"]}
    assert statuses[str(ids["O1"])] == "closed" and statuses[str(ids["O6"])] == "escalated"
    assert a["groups"][0]["leader_since"] == "2022-02-01"
    whole = duty_record(context, str(ids["A"]))
    assert whole["summary"]["station_activities"] == 3
    d = duty_record(context, str(ids["D"]), 2023)
    assert d["terminated_on"] == "2023-09-30" and d["summary"]["stations"] == 1
