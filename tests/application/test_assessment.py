"""The example assessment of the small scenario (tests/application/record_scenario.py),
computed by hand, on both stores; an unexcused absence injected through the duty
record's contract keys (``attendance``, what ``meetings`` adds) is deducted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.reports import ReportContext, fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.application import record_scenario


@pytest.fixture
def runner(app: Renda) -> Iterator[ProjectionRunner]:
    r = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    yield r
    r.close()


def points(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        d["name"]: {
            "rank": d["rank"],
            "total": d["total"],
            "items": {i["label"]: (i["count"], i["points"]) for i in d["items"]},
        }
        for d in data["deputies"]
    }


def test_the_example_scheme_by_hand(app: Renda, runner: ProjectionRunner) -> None:
    from renda_adapters.assessment import run_assessment

    ids = record_scenario.build(app)
    data = run_assessment(fresh_context(runner, "duty_record"), get_plugin_manager(), 2024)
    assert data["scheme"]["name"] == "example" and "并非法律" in data["scheme"]["note"]
    assert points(data) == {
        "金美玉": {
            "rank": 1,
            "total": 2 + 3 + 3 + 5 + 1,
            "items": {
                "参加家站活动": (1, 2),  # the 2023 activity is not this year's
                "领衔提出建议（已提交）": (1, 3),
                "培训结业": (1, 3),
                "向选民述职": (1, 5),
                "专刊刊载": (1, 1),
            },
        },
        "朴成哲": {
            "rank": 2,
            "total": 2 + 1,
            "items": {"参加家站活动": (1, 2), "附议建议（已提交）": (1, 1)},
        },
        "李明": {"rank": 3, "total": 0, "items": {}},  # enrolled, not completed; 述职 cancelled
    }
    jin = data["deputies"][0]
    (report,) = next(i for i in jin["items"] if i["duty"] == "constituent_reports")["facts"]
    assert report["report_id"] == str(ids["report"]) and report["attendees"] == 42
    assert run_assessment(fresh_context(runner, "duty_record"), get_plugin_manager(), 2023)[
        "deputies"
    ][0]["items"] == [
        {
            "duty": "station_activities",
            "label": "参加家站活动",
            "rule": "每项得2分，最多计20分",
            "count": 1,
            "points": 2,
            "facts": [
                {
                    "station_id": str(ids["station"]),
                    "station": "南岭街道代表之家",
                    "number": 1,
                    "kind": "reception_day",
                    "topic": "养老服务",
                    "on": "2023-06-01",
                }
            ],
        }
    ]


class Injected(ReportContext):
    """The view's documents with attendance entries added (what ``meetings`` records)."""

    extra: ClassVar[dict[str, list[dict[str, Any]]]] = {}

    def entities(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        docs = super().entities(kind)
        for key, doc in docs:
            doc["attendance"] = doc.get("attendance", []) + self.extra.get(key, [])
        return docs


def test_an_unexcused_absence_is_deducted(app: Renda, runner: ProjectionRunner) -> None:
    from renda_adapters.assessment import run_assessment

    ids = record_scenario.build(app)
    ctx = fresh_context(runner, "duty_record")
    injected = Injected(view=ctx.view)

    def meeting(n: int, on: str, status: str) -> dict[str, Any]:
        title = f"省十四届人大常委会第{n}次会议"
        return {
            "meeting_id": f"m{n}",
            "kind": "sc_meeting",
            "title": title,
            "on": on,
            "status": status,
        }

    Injected.extra = {
        str(ids["B"]): [meeting(9, "2024-03-28", "absent")],
        str(ids["C"]): [
            meeting(9, "2024-03-28", "present"),
            meeting(10, "2024-05-28", "present"),
            meeting(11, "2024-07-28", "absent"),
            meeting(12, "2024-09-28", "leave"),  # on leave with approval: no deduction
            meeting(5, "2023-09-28", "absent"),  # last year's
        ],
    }
    try:
        data = run_assessment(injected, get_plugin_manager(), 2024)
    finally:
        Injected.extra = {}
    got = points(data)
    assert got["李明"] == {
        "rank": 2,
        "total": 4 - 5,
        "items": {"出席会议": (2, 4), "无故缺席会议（扣分）": (1, -5)},
    }
    assert got["朴成哲"]["total"] == 3 - 5 and got["朴成哲"]["rank"] == 3
    li = next(d for d in data["deputies"] if d["name"] == "李明")
    assert (li["points"], li["deductions"]) == (4, -5)
    absent = next(i for i in li["items"] if i["points"] < 0)
    assert [f["meeting_id"] for f in absent["facts"]] == ["m11"]


def test_the_command(app: Renda, store: str, tmp_path: Path) -> None:
    record_scenario.build(app)
    base = ["--store", store, "report", "assessment", "--year", "2024"]
    result = CliRunner().invoke(cli, [*base, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["rank"], d["name"], d["total"]) for d in data["deputies"]] == [
        (1, "金美玉", 14),
        (2, "朴成哲", 3),
        (3, "李明", 0),
    ]
    table = CliRunner().invoke(cli, base)
    assert table.exit_code == 0 and "示例方案" in table.stdout and "向选民述职" in table.stdout
    csv = CliRunner().invoke(cli, [*base, "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    text = csv.stdout_bytes.decode("utf-8-sig")
    assert "金美玉" in text and "延吉市河南街道代表联络站" in text
    out = tmp_path / "a.xlsx"
    assert CliRunner().invoke(cli, [*base, "--format", "xlsx", "--output", str(out)]).exit_code == 0
    assert out.stat().st_size > 0
    assert CliRunner().invoke(cli, [*base, "--scheme", "nope"]).exit_code == 3
    assert CliRunner().invoke(cli, [*base[:-1], "12"]).exit_code == 3
    level = CliRunner().invoke(cli, [*base, "--level", "county", "--json"])
    assert json.loads(level.stdout)["deputies"] == []
