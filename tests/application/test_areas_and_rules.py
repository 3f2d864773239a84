"""Division import (BOM, bad rows, re-import) and the rules that span aggregates."""

from __future__ import annotations

import pytest

from renda_core import Actor, Forbidden, InvalidInput, NotFound, Renda, RuleViolated
from renda_core.application.areas import read_division_csv
from renda_core.projections.log import count_events, list_events
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF, register_payload


def load(app: Renda, text: str | bytes, on: str = "2023-01-01") -> dict[str, int]:
    return app.import_divisions({"rows": read_division_csv(text), "date": on}, STAFF)


def test_import_with_bom_then_reimport_changes_nothing(app: Renda) -> None:
    data = ("\ufeff" + DIVISIONS_CSV).encode("utf-8")
    assert load(app, data) == {"recorded": 8, "corrected": 0, "unchanged": 0, "rows": 8}
    events = count_events(app)
    assert load(app, DIVISIONS_CSV.encode("utf-8")) == {
        "recorded": 0,
        "corrected": 0,
        "unchanged": 8,
        "rows": 8,
    }
    assert count_events(app) == events
    assert app.division("220102001")["name"] == "南岭街道"


def test_reimport_with_a_changed_name_records_one_correction(app: Renda) -> None:
    load(app, DIVISIONS_CSV)
    changed = DIVISIONS_CSV.replace("幸福乡,", "幸福镇,").replace(
        "220102101,幸福镇,220102,township", "220102101,幸福镇,220102,township"
    )
    result = load(app, changed, "2023-06-01")
    assert (result["recorded"], result["corrected"]) == (0, 1)
    division = app.get_division("220102101")
    events = list_events(app, division.id)
    assert [e["topic"] for e in events] == ["renda:Division.Recorded", "renda:Division.Corrected"]
    assert events[1]["data"]["changes"] == {"name": "幸福镇"}


def test_a_later_file_may_refer_to_recorded_parents(app: Renda) -> None:
    load(app, DIVISIONS_CSV)
    more = "code,name,parent_code,kind\n220103102,合心镇,220103,township\n"
    assert load(app, more)["recorded"] == 1


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("22010200x,坏,220102,street", "line 11.code"),
        ("220102009,,220102,street", "line 11.name"),
        ("220102009,名,220102,village", "line 11.kind"),
        ("220102009,名,229999,street", "line 11.parent_code"),
        ("220102001,重复,220102,street", "line 11.code"),
        ("220102009,名,220102001,street", "line 11"),
        ("220102009,名,220102", "line 11"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_recorded(
    app: Renda, row: str, field: str
) -> None:
    text = DIVISIONS_CSV + "\n" + row + "\n"  # a blank line 10 is skipped
    with pytest.raises(InvalidInput) as info:
        load(app, text)
    assert info.value.errors[0]["field"] == field
    assert "nothing was recorded" in info.value.message
    assert count_events(app) == 0


def test_every_bad_row_is_listed_in_line_order(app: Renda) -> None:
    text = DIVISIONS_CSV + "1,a,,province\n220102009,名,229999,street\n2,b,,province\n"
    with pytest.raises(InvalidInput) as info:
        load(app, text)
    lines = [e["field"].split(".")[0] for e in info.value.errors]
    assert lines == ["line 10", "line 11", "line 12"]
    assert count_events(app) == 0


@pytest.mark.parametrize(
    "text",
    # code and name are what a file needs (parent_code and kind are told by the code)
    [b"", b"code,kind\n220000,province\n", "名称\n".encode("gb18030")],
)
def test_unreadable_files(text: bytes) -> None:
    with pytest.raises(InvalidInput):
        read_division_csv(text)


def test_station_rules_that_span_aggregates(app: Renda) -> None:
    load(app, DIVISIONS_CSV)
    base = {"name": "家站", "kind": "home", "date": "2023-01-01"}
    with pytest.raises(NotFound, match="import it first"):
        app.establish_station({**base, "division": "220102999"}, STAFF)
    with pytest.raises(RuleViolated, match="township or street"):
        app.establish_station({**base, "division": "220102"}, STAFF)
    station = app.establish_station({**base, "division": "220102001"}, STAFF)
    deputy = app.register_deputy(register_payload(date="2023-01-10"), STAFF)
    with pytest.raises(RuleViolated, match="mandate began"):
        app.enter_station({"station_id": station, "deputy_id": deputy, "date": "2023-01-05"}, STAFF)
    other = app.register_deputy(register_payload(date="2023-01-10"), STAFF)
    app.terminate_deputy({"deputy_id": other, "reason": "death", "date": "2023-02-01"}, STAFF)
    with pytest.raises(RuleViolated, match="mandate ended"):
        app.enter_station({"station_id": station, "deputy_id": other, "date": "2023-03-01"}, STAFF)
    with pytest.raises(NotFound):
        app.enter_station({"station_id": deputy, "deputy_id": deputy, "date": "2023-03-01"}, STAFF)
    app.enter_station({"station_id": station, "deputy_id": deputy, "date": "2023-02-01"}, STAFF)
    collect = {
        "station_id": station,
        "channel": "app",
        "content": "意见",
        "deputies": [other],
        "date": "2023-03-01",
    }
    with pytest.raises(RuleViolated, match="not on the roster"):
        app.collect_opinion(collect, STAFF)
    with pytest.raises(RuleViolated, match="not on the roster"):
        app.collect_opinion({**collect, "deputies": [deputy], "date": "2023-01-20"}, STAFF)
    events = count_events(app)
    with pytest.raises(InvalidInput, match="advice"):
        app.screen_opinion(
            {"opinion_id": station, "outcome": "out_of_scope", "date": "2023-03-01"}, STAFF
        )
    assert count_events(app) == events


def test_deputies_record_what_they_did_themselves(app: Renda) -> None:
    load(app, DIVISIONS_CSV)
    station = app.establish_station(
        {"name": "家站", "kind": "home", "division": "220102001", "date": "2023-01-01"}, STAFF
    )
    me = app.register_deputy(register_payload(date="2023-01-10"), STAFF)
    app.enter_station({"station_id": station, "deputy_id": me, "date": "2023-02-01"}, STAFF)
    myself = Actor("金美玉", f"deputy:{me}")
    someone = Actor("x", "deputy:00000000-0000-0000-0000-000000000000")
    activity = {
        "station_id": station,
        "kind": "reception_day",
        "date": "2023-03-01",
        "deputies": [me],
    }
    assert app.hold_station_activity(activity, myself) == 1
    with pytest.raises(Forbidden):
        app.hold_station_activity(activity, someone)
    with pytest.raises(Forbidden):
        app.enter_station({"station_id": station, "deputy_id": me, "date": "2023-02-01"}, myself)
    with pytest.raises(Forbidden):
        app.close_station({"station_id": station, "date": "2023-12-01"}, Actor("a", "auditor"))
    opinion = app.collect_opinion(
        {
            "station_id": station,
            "channel": "visit",
            "content": "意见",
            "deputies": [me],
            "date": "2023-03-01",
        },
        myself,
    )
    assert app.opinion(opinion)["status"] == "collected"


def test_group_and_training_membership_rules(app: Renda) -> None:
    provincial = app.register_deputy(register_payload(date="2023-01-10"), STAFF)
    county = app.register_deputy(register_payload(level="county", date="2023-01-10"), STAFF)
    other_term = app.register_deputy(register_payload(term=13, date="2023-01-10"), STAFF)
    group = app.form_group(
        {
            "name": "延边代表小组",
            "basis": "按选举单位",
            "unit": "延边州",
            "level": "省",
            "term": 14,
            "area": "222401",
            "date": "2023-01-20",
        },
        STAFF,
    )
    for deputy in (county, other_term):
        with pytest.raises(RuleViolated, match="congress"):
            app.add_group_member(
                {"group_id": group, "deputy_id": deputy, "date": "2023-02-01"}, STAFF
            )
    app.add_group_member({"group_id": group, "deputy_id": provincial, "date": "2023-02-01"}, STAFF)
    course = app.plan_course(
        {
            "kind": "履职培训",
            "title": "省人大代表履职学习班",
            "starts": "2023-04-10",
            "ends": "2023-04-12",
            "level": "provincial",
            "date": "2023-03-01",
        },
        STAFF,
    )
    events = count_events(app)
    with pytest.raises(RuleViolated, match="for 省级 deputies"):
        app.enrol_deputies(
            {"course_id": course, "deputies": [provincial, county], "date": "2023-03-10"}, STAFF
        )
    assert count_events(app) == events  # the whole command or nothing
    app.enrol_deputies({"course_id": course, "deputies": [provincial], "date": "2023-03-10"}, STAFF)
    assert app.course(course)["enrolled"][0]["deputy_id"] == str(provincial)
