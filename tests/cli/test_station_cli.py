"""``renda area|station|opinion|group|training`` and the reports through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.application.scenario import DIVISIONS_CSV


def run(store: str, *args: str, role: str = "staff") -> Result:
    return CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", "--role", role, *args])


def events_in(store: str) -> int:
    with Renda(store) as app:
        return count_events(app)


def out(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def new_id(store: str, *args: str) -> str:
    return str(out(run(store, *args, "--json"))["id"])


def test_area_import_bom_reimport_and_bad_rows(store: str, tmp_path: Path) -> None:
    good = tmp_path / "divisions.csv"
    good.write_bytes(("\ufeff" + DIVISIONS_CSV).encode("utf-8"))
    assert out(run(store, "area", "import", str(good), "--json"))["recorded"] == 8
    again = run(store, "area", "import", str(good))
    assert again.exit_code == 0 and "8 unchanged" in again.output
    events = events_in(store)
    bad = tmp_path / "bad.csv"
    bad.write_text(DIVISIONS_CSV + "220102009,名,229999,street\n", encoding="utf-8")
    result = run(store, "area", "import", str(bad))
    assert result.exit_code == 3
    assert "line 10.parent_code" in result.output
    assert events_in(store) == events
    streets = out(run(store, "area", "list", "--kind", "街道", "--json"))
    assert [r["code"] for r in streets] == ["220102001", "220102002"]
    assert run(store, "area", "list", "--kind", "village").exit_code == 3


def test_station_opinion_group_training_tour(store: str, tmp_path: Path) -> None:
    csv = tmp_path / "d.csv"
    csv.write_text(DIVISIONS_CSV, encoding="utf-8")
    run(store, "area", "import", str(csv), "--date", "2023-01-01")
    deputy = new_id(
        store,
        "deputy",
        "register",
        "--name",
        "李春华",
        "--level",
        "provincial",
        "--term",
        "14",
        "--electoral-unit",
        "长春市",
        "--area",
        "220102",
        "--date",
        "2023-01-10",
    )
    station = new_id(
        store,
        "station",
        "establish",
        "--name",
        "南岭街道代表之家",
        "--kind",
        "代表之家",
        "--division",
        "220102001",
        "--co-located",
        "党群服务中心",
        "--date",
        "2023-01-15",
    )
    assert run(store, "station", "enter", station, "--deputy", deputy, "--date", "2023-02-01")
    number = out(
        run(
            store,
            "station",
            "activity",
            station,
            "--kind",
            "选民接待日",
            "--deputy",
            deputy,
            "--received",
            "12",
            "--topic",
            "民生实事",
            "--date",
            "2023-03-01",
            "--json",
        )
    )["number"]
    assert number == 1
    opinion = new_id(
        store,
        "opinion",
        "collect",
        "--station",
        station,
        "--channel",
        "选民接待日",
        "--content",
        "路灯不亮",
        "--deputy",
        deputy,
        "--date",
        "2023-03-01",
    )
    events = events_in(store)
    early = run(store, "opinion", "feedback", opinion, "--date", "2023-03-02")
    assert early.exit_code == 5 and "before a handling result" in early.output
    closing = run(store, "opinion", "close", opinion, "--date", "2023-03-02")
    assert closing.exit_code == 5 and "without feedback" in closing.output
    assert run(store, "opinion", "screen", opinion, "--outcome", "out_of_scope").exit_code == 3
    assert events_in(store) == events
    for args in (
        ("screen", opinion, "--outcome", "受理", "--date", "2023-03-02"),
        ("escalate", opinion, "--to", "bulletin", "--target", "b-1", "--date", "2023-03-03"),
        ("result", opinion, "--result", "已批转办理", "--date", "2023-03-20"),
        ("feedback", opinion, "--to", "citizen", "--date", "2023-03-21"),
        ("evaluate", opinion, "--rating", "满意", "--date", "2023-03-22"),
    ):
        result = run(store, "opinion", *args)
        assert result.exit_code == 0, result.output
    shown = out(run(store, "opinion", "show", opinion, "--json"))
    assert shown["status"] == "closed" and shown["route"]["target_id"] == "b-1"
    listed = out(run(store, "opinion", "list", "--json"))
    assert listed[0]["status"] == "closed" and "citizen_name" not in listed[0]
    assert out(run(store, "station", "list", "--json"))[0]["roster"] == 1
    assert out(run(store, "station", "show", station, "--json"))["activities"][0]["number"] == 1

    group = new_id(
        store,
        "group",
        "form",
        "--name",
        "南关区代表小组",
        "--basis",
        "electoral_unit",
        "--unit",
        "长春市",
        "--level",
        "provincial",
        "--term",
        "14",
        "--area",
        "220102",
        "--date",
        "2023-01-20",
    )
    assert (
        run(store, "group", "add", group, "--deputy", deputy, "--date", "2023-01-20").exit_code == 0
    )
    assert (
        run(store, "group", "lead", group, "--deputy", deputy, "--date", "2023-01-20").exit_code
        == 0
    )
    result = run(
        store,
        "group",
        "activity",
        group,
        "--kind",
        "mediation",
        "--deputy",
        deputy,
        "--disputes-handled",
        "3",
        "--disputes-resolved",
        "2",
        "--date",
        "2023-05-01",
    )
    assert result.exit_code == 0, result.output
    assert out(run(store, "group", "list", "--json"))[0]["members"] == 1

    course = new_id(
        store,
        "training",
        "plan",
        "--kind",
        "duty",
        "--title",
        "履职学习班",
        "--starts",
        "2023-04-10",
        "--ends",
        "2023-04-12",
        "--level",
        "provincial",
        "--date",
        "2023-03-01",
    )
    for verb, day in (
        ("enrol", "2023-03-10"),
        ("attend", "2023-04-10"),
        ("complete", "2023-04-12"),
    ):
        result = run(store, "training", verb, course, "--deputy", deputy, "--date", day)
        assert result.exit_code == 0, result.output
    assert out(run(store, "training", "list", "--json"))[0]["completed"] == 1

    stations = out(run(store, "report", "stations", "--year", "2023", "--json"))
    assert stations["coverage_rate"] == 0.25 and stations["opinions"]["items_pushed"] == 1
    area = out(run(store, "report", "stations", "--year", "2023", "--area", "220103", "--json"))
    assert area["divisions_total"] == 1 and area["activities"]["total"] == 0
    groups = out(run(store, "report", "groups", "--year", "2023", "--json"))
    assert groups["groups"] == 1 and groups["disputes_resolved"] == 2
    training = out(run(store, "report", "training", "--year", "2023", "--json"))
    assert training["coverage_by_level"]["provincial"] == 1.0
    table = run(store, "report", "stations", "--year", "2023", "--lang", "zh")
    assert table.exit_code == 0 and "覆盖率" in table.output
    assert "Coverage" in run(store, "report", "stations", "--year", "2023", "--lang", "en").output
    record = out(run(store, "deputy", "record", deputy, "--year", "2023", "--json"))
    assert record["summary"]["station_activities"] == 1
    assert record["summary"]["trainings_completed"] == 1
    assert record["summary"]["group_activities"] == 1
    assert "履职档案" in run(store, "deputy", "record", deputy).output


def test_unknown_ids_and_roles(store: str) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert run(store, "station", "show", missing).exit_code == 4
    assert run(store, "station", "show", "nope").exit_code == 3
    assert run(store, "deputy", "record", missing).exit_code == 4
    result = run(store, "station", "close", missing, role="auditor")
    assert result.exit_code == 6
    assert events_in(store) == 0
