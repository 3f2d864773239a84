"""Issue 14's sections of the annual report (sessions and attendance, motions,
inspections and research, the work plan, 述职), computed by hand for a small scenario,
on SQLite and PostgreSQL; a year without such data leaves them out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from click.testing import CliRunner

from renda_adapters.annual.model import SECTION_LABELS, sections_of
from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from tests.conftest import STAFF, register_payload


def deputies(app: Renda, n: int, level: str = "provincial", area: str = "222401") -> list[UUID]:
    return [
        app.register_deputy(register_payload(name=f"代表{i}", level=level, area=area), STAFF)
        for i in range(n)
    ]


@pytest.fixture
def world(app: Renda) -> Iterator[dict[str, Any]]:
    a, b, c = deputies(app, 3)
    (d,) = deputies(app, 1, area="220102")  # 长春: outside 2224
    # a congress session: 2 present, 1 on leave, 1 absent without leave
    sid = app.open_session(
        {"level": "provincial", "term": 14, "number": 3, "date": "2025-01-15"}, STAFF
    )
    for status, ids in (("present", [a, b]), ("请假", [c]), ("absent", [d])):
        app.record_session_attendance(
            {"session_id": sid, "status": status, "deputy_ids": ids, "date": "2025-01-15"}, STAFF
        )
    app.close_session({"session_id": sid, "date": "2025-01-19"}, STAFF)
    # a standing-committee meeting with 2 observers (列席), a forum with 1
    mid = app.open_meeting(
        {
            "kind": "sc_meeting",
            "level": "provincial",
            "term": 14,
            "number": 20,
            "date": "2025-03-26",
        },
        STAFF,
    )
    app.record_observers({"meeting_id": mid, "deputy_ids": [a, b], "date": "2025-03-26"}, STAFF)
    forum = app.open_meeting(
        {"kind": "forum", "level": "provincial", "title": "列席代表座谈会", "date": "2025-06-10"},
        STAFF,
    )
    app.record_observers({"meeting_id": forum, "deputy_ids": [a], "date": "2025-06-10"}, STAFF)
    # a township motion (5 deputies suffice there), placed on the agenda: its own session
    lead, *others = deputies(app, 5, level="township")
    app.open_session({"level": "township", "term": 3, "number": 1, "date": "2025-02-01"}, STAFF)
    motion = app.draft_motion(
        {
            "title": "关于修建村道的议案",
            "body": "……",
            "level": "乡",
            "lead_deputy": lead,
            "date": "2025-02-01",
        },
        STAFF,
    )
    for other in others:
        app.cosign_motion({"motion_id": motion, "deputy_id": other, "date": "2025-02-01"}, STAFF)
    ref = {"motion_id": motion, "date": "2025-02-02"}
    app.submit_motion(ref, STAFF)
    app.receive_motion(ref, STAFF)
    app.decide_motion({**ref, "decision": "agenda"}, STAFF)
    # research with 2 deputies, a report, feedback asked of 2 bodies, 1 answered
    iid = app.plan_inspection(
        {
            "kind": "专题调研",
            "topic": "黑土地保护",
            "level": "provincial",
            "starts": "2025-05-06",
            "ends": "2025-05-08",
            "date": "2025-04-01",
        },
        STAFF,
    )
    for deputy in (a, b):
        app.join_inspection(
            {"inspection_id": iid, "deputy_id": deputy, "date": "2025-04-02"}, STAFF
        )
    app.hold_inspection({"inspection_id": iid, "date": "2025-05-08", "findings": "……"}, STAFF)
    app.report_inspection(
        {"inspection_id": iid, "title": "调研报告", "text": "……", "date": "2025-05-20"}, STAFF
    )
    for body in ("省农业农村厅", "省自然资源厅"):
        app.request_inspection_feedback(
            {"inspection_id": iid, "body": body, "due": "2025-07-01", "date": "2025-05-21"}, STAFF
        )
    app.receive_inspection_feedback(
        {"inspection_id": iid, "body": "省农业农村厅", "text": "已整改", "date": "2025-06-20"},
        STAFF,
    )
    # the year's plan: 3 tasks, 2 completed
    app.adopt_plan({"level": "provincial", "year": 2025, "date": "2025-01-15"}, STAFF)
    task = {"level": "provincial", "year": 2025, "owner": "代表工作委员会", "date": "2025-01-15"}
    for n, title in enumerate(("推进代表家站提质增效", "举办代表履职学习班", "开展专题调研")):
        app.add_plan_task({**task, "title": title, "due": f"2025-{6 + 3 * n:02d}-30"}, STAFF)
    key = {"level": "provincial", "year": 2025}
    app.complete_plan_task({**key, "task": 1, "date": "2025-06-20"}, STAFF)
    app.complete_plan_task({**key, "task": 2, "date": "2025-10-08"}, STAFF)
    # 述职: two reports, one of them cancelled
    place = {"place": "代表联络站", "attendees": 30}
    app.report_to_constituents({"deputy_id": a, "date": "2025-07-01", **place}, STAFF)
    wrong = app.report_to_constituents({"deputy_id": b, "date": "2025-07-02", **place}, STAFF)
    app.cancel_report({"report_id": wrong, "reason": "重复录入", "date": "2025-07-03"}, STAFF)
    env = Env(app=app)
    yield {"app": app, "env": env}
    env.close()


def annual(world: dict[str, Any], *args: str, year: str = "2025") -> Any:
    result = CliRunner().invoke(cli, ["report", "annual", "--year", year, *args], obj=world["env"])
    assert result.exit_code == 0, result.output
    return result.output


SESSIONS = {
    "sessions_held": 2,  # the provincial session and the township one
    "attendance": {"present": 2, "leave": 1, "absent": 1},
    "attendance_rate": 0.5,
    "meetings_held": {"sc_meeting": 1, "forum": 1},
    "observers": {"sc_meeting": 2, "forum": 1},
    "absence_warnings": 0,
}


def test_the_new_sections_computed_by_hand(world: dict[str, Any]) -> None:
    data = json.loads(annual(world, "--json"))
    assert list(data)[7:] == ["sessions", "motions", "inspections", "plan", "accountability"]
    assert data["sessions"] == SESSIONS
    assert data["motions"] == {
        "submitted": 1,
        "received": 1,
        "on_agenda": 1,
        "not_on_agenda": 0,
        "handled_as_suggestions": 0,
    }
    assert data["inspections"] == {
        "held": {"inspection": 0, "research": 1},
        "participants": {"inspection": 0, "research": 2},
        "reports": {"inspection": 0, "research": 1},
        "feedback_requested": 2,
        "feedback_received": 1,
        "feedback_outstanding": 1,
    }
    assert data["plan"] == {"tasks": 3, "completed": 2, "completion_rate": 0.6667}
    assert data["accountability"] == {"constituent_reports": 1}


def test_filters_on_the_new_sections(world: dict[str, Any]) -> None:
    township = json.loads(annual(world, "--json", "--level", "township"))
    assert township["sessions"]["sessions_held"] == 1
    assert township["sessions"]["attendance"] == {"present": 0, "leave": 0, "absent": 0}
    assert township["motions"]["submitted"] == 1
    assert "plan" not in township and "inspections" not in township
    # by area: attendance of the area's deputies; motions, inspections and plans are
    # not counted by area, so they are left out
    yanbian = json.loads(annual(world, "--json", "--area", "2224"))
    assert yanbian["sessions"]["attendance"] == {"present": 2, "leave": 1, "absent": 0}
    assert yanbian["accountability"] == {"constituent_reports": 1}
    assert not {"motions", "inspections", "plan"} & set(yanbian)
    changchun = json.loads(annual(world, "--json", "--area", "220102"))
    assert changchun["sessions"]["attendance"] == {"present": 0, "leave": 0, "absent": 1}
    assert "accountability" not in changchun


def test_a_year_without_such_data_leaves_them_out(world: dict[str, Any]) -> None:
    data = json.loads(annual(world, "--json", year="2024"))
    assert list(data) == [
        "meta",
        "training",
        "stations",
        "liaison",
        "suggestions",
        "groups",
        "bulletin",
    ]
    text = annual(world, "--format", "text", "--lang", "zh", year="2024")
    assert "七、" not in text and "述职" not in text


def test_prose_table_and_workbook_show_the_new_sections(
    world: dict[str, Any], tmp_path: Path
) -> None:
    text = annual(world, "--format", "text", "--lang", "zh")
    assert "七、代表出席会议" in text and "代表出席2人次、请假1人次、缺席1人次" in text
    assert "八、代表议案" in text and "列入会议议程1件" in text
    assert "九、代表视察和专题调研" in text and "尚未反馈1件" in text
    assert "十、年度代表工作计划" in text and "共3项任务，已完成2项" in text
    assert "十一、代表向原选区选民述职" in text and "述职1次" in text
    english = annual(world, "--format", "text", "--lang", "en")
    assert "7. Sessions and attendance" in english and "11. Reports to constituents" in english
    assert "3 tasks, 2 completed" in english
    table = annual(world, "--lang", "zh")
    assert "列席常委会会议的代表（人次）" in table and "计划完成率" in table
    data = json.loads(annual(world, "--json"))
    out = tmp_path / "annual.xlsx"
    annual(world, "--lang", "zh", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [SECTION_LABELS[s][0] for s in sections_of(data)]
    assert book.sheetnames[-1] == "代表向原选区选民述职"
    rows = {r[2]: r[1] for r in book["代表出席会议"].iter_rows(min_row=2, values_only=True)}
    assert rows["sessions.attendance.absent"] == 1


def test_as_of_before_the_facts_shows_none_of_them(world: dict[str, Any]) -> None:
    app: Renda = world["app"]
    first = app.get_deputy(deputies(app, 1)[0]).created_on.date()
    from datetime import timedelta

    before = json.loads(annual(world, "--json", "--as-of", (first - timedelta(days=1)).isoformat()))
    assert "sessions" not in before and "plan" not in before
