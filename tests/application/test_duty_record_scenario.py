"""The duty record (履职档案) of a small scenario, computed by hand
(tests/application/record_scenario.py), on both stores; and rebuilding the view from
the log gives the same records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from renda_core import Renda
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.application import record_scenario


@pytest.fixture
def runner(app: Renda) -> Iterator[ProjectionRunner]:
    r = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    yield r
    r.close()


def test_the_records_of_the_scenario(app: Renda, runner: ProjectionRunner) -> None:
    from renda_adapters.record import duty_record

    ids = record_scenario.build(app)
    ctx = fresh_context(runner, "duty_record")
    a = duty_record(ctx, str(ids["A"]), 2024)
    b = duty_record(ctx, str(ids["B"]), 2024)
    c = duty_record(ctx, str(ids["C"]), 2024)

    assert [x["on"] for x in a["station_activities"]] == ["2024-03-05"]  # 2023's left out
    assert duty_record(ctx, str(ids["A"]), 2023)["summary"]["station_activities"] == 1
    assert duty_record(ctx, str(ids["A"]), None)["summary"]["station_activities"] == 2
    (led,) = a["suggestions_led"]
    assert led["title"] == "关于加快珲春口岸建设的建议"
    assert led["status"] == "assigned" and led["urged"] == 2  # the 提醒 is not a 催办
    (cosigned,) = b["suggestions_cosigned"]
    assert cosigned["suggestion_id"] == str(ids["suggestion"]) and cosigned["urged"] == 2
    assert a["summary"]["suggestions_urged"] == 2 and b["summary"]["suggestions_urged"] == 2
    (report,) = a["constituent_reports"]
    assert report == {
        "report_id": str(ids["report"]),
        "on": "2024-06-01",
        "place": "延吉市河南街道代表联络站",
        "attendees": 42,
        "audience": "原选区选民",
        "evaluation": "satisfied",
        "evaluation_label": "满意",
    }
    assert c["constituent_reports"] == []  # cancelled
    (item,) = a["bulletin_items"]
    assert item["issue"] == "2024/1" and item["kind"] == "suggestion"
    assert b["bulletin_items"] == []
    assert [t["completed_on"] for t in a["trainings"]] == ["2024-05-12"]
    assert [t["completed_on"] for t in c["trainings"]] == [None]
    assert (a["summary"]["trainings"], a["summary"]["trainings_completed"]) == (1, 1)
    assert (c["summary"]["trainings"], c["summary"]["trainings_completed"]) == (1, 0)
    # processes that record nothing yet read as empty, with their counts
    for key in ("attendance", "observer", "motions", "inspections", "legislation"):
        assert a[key] == [] and a["summary"][key] == 0
    assert a["mandate"] == {"status": "active", "events": []} and a["terms"] == []
    assert a["summary"]["attendance_absent"] == 0

    before = {k: duty_record(ctx, str(ids[k]), None) for k in "ABC"}
    runner.rebuild(["duty_record"])
    again = fresh_context(runner, "duty_record")
    assert {k: duty_record(again, str(ids[k]), None) for k in "ABC"} == before


def test_contract_keys_of_other_processes_are_read_by_year() -> None:
    """What ``meetings`` and ``members`` add (attendance, motions, terms, mandate …) is
    read from the deputy's document with the year filter, and counted."""
    from renda_adapters.record.read import build_record

    doc = {
        "name": "金美玉",
        "level": "provincial",
        "term": 14,
        "area": "222401",
        "electoral_unit": "延边州",
        "registered_on": "2023-01-16",
        "terminated_on": None,
        **{k: [] for k in ("stations", "station_activities", "opinions", "suggestions_led")},
        **{k: [] for k in ("suggestions_cosigned", "groups", "group_activities", "trainings")},
        "liaisons": [],
        "contacts": [],
        "attendance": [
            {
                "meeting_id": "m1",
                "kind": "congress_session",
                "title": "一次会议",
                "on": "2024-01-20",
                "status": "present",
            },
            {
                "meeting_id": "m2",
                "kind": "sc_meeting",
                "title": "常委会",
                "on": "2024-03-28",
                "status": "absent",
            },
            {
                "meeting_id": "m3",
                "kind": "sc_meeting",
                "title": "常委会",
                "on": "2024-05-28",
                "status": "leave",
            },
            {
                "meeting_id": "m0",
                "kind": "congress_session",
                "title": "上年",
                "on": "2023-01-20",
                "status": "absent",
            },
        ],
        "motions": [{"motion_id": "x", "title": "议案", "role": "lead", "status": "on_agenda"}],
        "terms": [
            {"term": 13, "level": "provincial", "from": "2018-01-01", "to": "2022-12-31"},
            {"term": 14, "level": "provincial", "from": "2023-01-16", "to": None},
        ],
        "mandate": {
            "status": "suspended",
            "events": [{"kind": "suspended", "on": "2024-06-01", "ground": "x"}],
        },
    }
    record = build_record(doc, "d", 2024, lambda kind, key: None)
    assert [a["meeting_id"] for a in record["attendance"]] == ["m1", "m2", "m3"]
    s = record["summary"]
    assert (
        s["attendance"],
        s["attendance_present"],
        s["attendance_absent"],
        s["attendance_leave"],
    ) == (3, 1, 1, 1)
    assert s["motions"] == 1  # undated entries are kept in every year
    assert [t["term"] for t in record["terms"]] == [14]
    assert record["mandate"]["status"] == "suspended"

    from renda_adapters.record.page import builtin_template, render_page

    page = render_page(record, builtin_template)
    assert "<td>暂停执行代表职务</td>" in page and "第14届（2023-01-16 至 今）" in page
    assert '<th scope="row">暂停执行代表职务</th><td>2024-06-01 x</td>' in page
    assert "<td>2024-03-28</td><td>常委会</td><td>常委会会议</td><td>缺席</td>" in page
    assert '<h2>出席人民代表大会会议及常委会会议 <span class="count">（3）</span></h2>' in page


def test_the_printable_page(app: Renda, store: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from renda_core.cli import cli

    ids = record_scenario.build(app)
    args = ["--store", store, "deputy", "record", str(ids["A"]), "--year", "2024"]
    result = CliRunner().invoke(cli, [*args, "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "<title>金美玉 2024年度履职档案</title>" in page
    assert "@page { size: A4;" in page and "@media print" in page
    assert '<th scope="row">向选民述职</th><td class="v">1</td>' in page
    assert '<h2>向选民述职 <span class="count">（1）</span></h2>' in page
    assert "<td>延吉市河南街道代表联络站</td><td>42</td><td>满意</td>" in page
    assert '<th scope="col">催办次数</th>' in page
    row = "<td>关于加快珲春口岸建设的建议</td><td>已交办办理中</td><td>2024-04-15</td><td>2</td>"
    assert row in page
    data = json.loads(page.split('id="record-data">')[1].split("</script>")[0])
    assert data["summary"]["suggestions_urged"] == 2
    out = tmp_path / "a.html"
    written = CliRunner().invoke(cli, [*args, "--format", "html", "--output", str(out)])
    assert written.exit_code == 0

    def timeless(text: str) -> str:  # the footer names the moment the page was made
        return re.sub(r"数据截至 [0-9T:+\-]+。", "数据截至 …。", text)

    assert "数据截至 2" in page
    assert timeless(out.read_text(encoding="utf-8")) == timeless(page)
    as_json = CliRunner().invoke(cli, [*args, "--json"])
    assert json.loads(as_json.stdout)["constituent_reports"][0]["attendees"] == 42
    bad = CliRunner().invoke(cli, [*args[:-1], "20245", "--format", "html"])
    assert bad.exit_code == 3
