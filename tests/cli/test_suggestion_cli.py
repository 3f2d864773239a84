"""Bulletin → forward → assignment → reply → evaluation through the CLI, and the
reports' figures checked against numbers computed by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.application.test_escalation import accepted_opinion


class Clerk:
    """Runs ``renda`` against one store, as one role at a time."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, role: str, *args: str, code: int = 0) -> str:
        result = self.runner.invoke(
            cli, ["--store", self.store, "--actor", "tester", "--role", role, *args]
        )
        assert result.exit_code == code, (args, result.output)
        return result.output.strip()

    def json(self, role: str, *args: str) -> Any:
        return json.loads(self(role, *args, "--json"))

    def events(self) -> int:
        with Renda(self.store) as app:
            return count_events(app)


def register(r: Clerk, name: str, area: str) -> str:
    return r(
        "staff",
        "deputy",
        "register",
        "--name",
        name,
        "--level",
        "provincial",
        "--term",
        "14",
        "--electoral-unit",
        "吉林省人民代表大会",
        "--area",
        area,
        "--date",
        "2023-01-16",
    )


def draft(
    r: Clerk, deputy: str, title: str, channel: str = "recess", on: str = "2024-01-05"
) -> str:
    source = "session" if channel == "session" else "forum"
    return r(
        f"deputy:{deputy}",
        "suggestion",
        "draft",
        "--title",
        title,
        "--body",
        "建议内容",
        "--channel",
        channel,
        "--source",
        source,
        "--date",
        on,
    )


def test_bulletin_to_evaluation_and_the_reports(store: str) -> None:
    r = Clerk(store)
    a = register(r, "金美玉", "222401")
    b = register(r, "李春华", "220104")
    dep_a, dep_b = f"deputy:{a}", f"deputy:{b}"
    commerce, civil, education = "unit:省商务厅", "unit:省民政厅", "unit:省教育厅"

    # S1: an inter-session suggestion carried by the bulletin and forwarded by the governor
    s1 = draft(r, a, "关于加快边境口岸建设的建议", on="2024-09-01")
    r(dep_a, "suggestion", "submit", s1, "--date", "2024-09-10")
    r(
        "editor",
        "bulletin",
        "open",
        "--year",
        "2024",
        "--number",
        "3",
        "--title",
        "口岸专刊",
        "--date",
        "2024-09-12",
    )
    assert r.json(
        "editor",
        "bulletin",
        "include",
        "2024/3",
        "--suggestion",
        s1,
        "--summary",
        "摘要",
        "--date",
        "2024-09-13",
    ) == {"item": 1}
    with Renda(store) as app:  # an opinion item references an opinion that exists
        opinion, _ = accepted_opinion(app)
    r(
        "editor",
        "bulletin",
        "include",
        "2024/3",
        "--kind",
        "opinion",
        "--ref",
        str(opinion),
        "--title",
        "群众反映养老服务",
        "--summary",
        "社情民意",
        "--date",
        "2024-09-13",
    )
    r(
        "editor",
        "bulletin",
        "publish",
        "2024/3",
        "--to",
        "省委",
        "--to",
        "省政府",
        "--date",
        "2024-09-14",
    )
    r(
        "leader:省长",
        "bulletin",
        "instruct",
        "2024/3",
        "--item",
        "1",
        "--text",
        "请商务厅研办",
        "--date",
        "2024-09-20",
    )
    forwarded = r.json(
        "leader:省长",
        "bulletin",
        "forward",
        "2024/3",
        "--item",
        "1",
        "--lead-unit",
        "省商务厅",
        "--date",
        "2024-09-27",
    )
    assert forwarded == {"suggestion_id": s1}
    shown = r.json("auditor", "suggestion", "show", s1)
    assert shown["status"] == "assigned"
    assert (shown["reply_due"], shown["objection_until"]) == ("2024-12-27", "2024-10-12")
    r(
        commerce,
        "suggestion",
        "reply",
        s1,
        "--class",
        "A",
        "--text",
        "已解决，联系电话13912345678",
        "--date",
        "2024-11-01",
    )
    r(commerce, "suggestion", "disclose", s1, "--date", "2024-11-15")
    r(
        dep_a,
        "suggestion",
        "evaluate",
        s1,
        "--attitude",
        "满意",
        "--result",
        "满意",
        "--date",
        "2024-11-05",
    )
    assert (
        "13912345678" not in r.json("auditor", "suggestion", "show", s1)["disclosures"][0]["text"]
    )

    # S2: the opinion item gets a suggestion created for handling; replied late
    s2 = r.json(
        "leader:省长",
        "bulletin",
        "forward",
        "2024/3",
        "--item",
        "2",
        "--lead-unit",
        "省民政厅",
        "--date",
        "2024-09-27",
    )["suggestion_id"]
    r(
        civil,
        "suggestion",
        "reply",
        s2,
        "--class",
        "B",
        "--text",
        "列入计划",
        "--date",
        "2024-12-30",
    )

    # S3: a session suggestion, 不满意, re-handled, second reply and evaluation, a commitment
    s3 = draft(r, b, "关于现代化大农业的建议", "session", "2024-03-01")
    r(dep_b, "suggestion", "submit", s3, "--date", "2024-03-08")
    r("staff", "suggestion", "accept", s3, "--number", "0001", "--date", "2024-03-15")
    r("staff", "suggestion", "assign", s3, "--lead-unit", "省商务厅", "--date", "2024-03-20")
    r(
        commerce,
        "suggestion",
        "reply",
        s3,
        "--class",
        "C",
        "--text",
        "以后解决",
        "--date",
        "2024-06-01",
    )
    before = r.events()
    r(
        dep_b,
        "suggestion",
        "evaluate",
        s3,
        "--attitude",
        "满意",
        "--result",
        "不满意",
        "--date",
        "2024-06-05",
        code=5,
    )
    assert r.events() == before  # 不满意 without reasons records nothing
    r(
        dep_b,
        "suggestion",
        "evaluate",
        s3,
        "--attitude",
        "满意",
        "--result",
        "不满意",
        "--reason",
        "未解决实际问题",
        "--date",
        "2024-06-05",
    )
    r("staff", "suggestion", "rehandle", s3, "--date", "2024-06-10")
    assert r.json("auditor", "suggestion", "show", s3)["rehandle_due"] == "2024-07-10"
    r(
        commerce,
        "suggestion",
        "reply",
        s3,
        "--class",
        "B",
        "--text",
        "列入计划",
        "--date",
        "2024-07-05",
    )
    r(
        commerce,
        "suggestion",
        "commit",
        s3,
        "--text",
        "2025年建成",
        "--due",
        "2025-06-30",
        "--date",
        "2024-07-06",
    )
    r(
        dep_b,
        "suggestion",
        "evaluate",
        s3,
        "--attitude",
        "基本满意",
        "--result",
        "基本满意",
        "--date",
        "2024-07-10",
    )

    # S4: assigned to the education department, never replied
    s4 = draft(r, b, "关于乡村教师的建议", on="2024-03-25")
    r(dep_b, "suggestion", "submit", s4, "--date", "2024-04-01")
    r("staff", "suggestion", "accept", s4, "--date", "2024-04-02")
    r("staff", "suggestion", "assign", s4, "--lead-unit", "省教育厅", "--date", "2024-04-03")
    before = r.events()
    r(
        education,
        "suggestion",
        "reply",
        s1,
        "--class",
        "A",
        "--text",
        "x",
        "--date",
        "2024-05-01",
        code=6,
    )
    r(education, "suggestion", "object", s4, "--reason", "x", "--date", "2024-05-01", code=5)
    assert r.events() == before

    # S5 not accepted; S6 withdrawn while a draft
    s5 = draft(r, a, "关于个人纠纷的建议", on="2024-04-20")
    r(dep_a, "suggestion", "submit", s5, "--date", "2024-05-01")
    r(
        "staff",
        "suggestion",
        "reject",
        s5,
        "--reason",
        "personal",
        "--explanation",
        "属个人事项",
        "--date",
        "2024-05-06",
    )
    s6 = draft(r, a, "草稿", on="2024-05-01")
    r(dep_a, "suggestion", "withdraw", s6, "--statement", "不再提出", "--date", "2024-05-02")

    # The report, by hand: 5 submitted (S1-S5; S6 never was), 4 accepted, 4 assigned,
    # 3 replied (S1 on time, S2 late, S3 on time), classes A (S1), B (S2, S3 after
    # re-handling); first evaluations S1 满意, S3 不满意 → 1/2; final S1 满意, S3 基本满意
    # → 2/2; S4's reply was due 2024-07-03 and is overdue on 2024-12-31.
    report = r.json("auditor", "report", "suggestions", "--year", "2024", "--on", "2024-12-31")
    expected = {
        "submitted": 5,
        "accepted": 4,
        "not_accepted": 1,
        "assigned": 4,
        "replied": 3,
        "replied_rate": 0.75,
        "replied_on_time": 2,
        "on_time_rate": 0.6667,
        "by_class": {"A": 1, "B": 2},
        "evaluated_first": 2,
        "satisfaction_first": 0.5,
        "evaluated_final": 2,
        "satisfaction_final": 1.0,
        "rehandled": 1,
        "overdue": 1,
        "forwarded_by_leaders": 2,
        "disclosed": 1,
        "disclosed_on_time": 1,
        "commitments": 1,
    }
    assert {k: report[k] for k in expected} == expected
    assert report["by_unit"]["省教育厅"] == {
        "assigned": 1,
        "replied": 0,
        "replied_rate": 0.0,
        "on_time_rate": None,
        "satisfaction_first": None,
        "satisfaction_final": None,
        "rehandled": 0,
        "extended": 0,
        "overdue": 1,
        "unit_replied": 0,
        "unit_on_time_rate": None,
    }
    assert report["by_unit"]["省民政厅"]["on_time_rate"] == 0.0
    assert report["by_unit"]["省民政厅"]["unit_on_time_rate"] == 0.0
    assert report["pending_due_dates"] == 0 and report["pending"] == []
    commerce_only = r.json(
        "auditor",
        "report",
        "suggestions",
        "--year",
        "2024",
        "--unit",
        "省商务厅",
        "--on",
        "2024-12-31",
    )
    assert {k: commerce_only[k] for k in ("assigned", "replied", "replied_rate", "by_class")} == {
        "assigned": 2,
        "replied": 2,
        "replied_rate": 1.0,
        "by_class": {"A": 1, "B": 1},
    }
    assert commerce_only["overdue"] == 0
    by_area = r.json("auditor", "report", "suggestions", "--year", "2024", "--area", "2224")
    # S1 and S5 by 金美玉 (222401); S2 has no area, and the foundation's filter keeps
    # counters without an area
    assert by_area["submitted"] == 3
    assert r.json("auditor", "report", "suggestions", "--year", "2023")["submitted"] == 0

    bulletin = r.json("auditor", "report", "bulletin", "--year", "2024")
    assert {k: bulletin[k] for k in ("issues", "items", "instructed", "forwarded")} == {
        "issues": 1,
        "items": 2,
        "instructed": 1,
        "forwarded": 2,
    }
    assert bulletin["forwarded_replied"] == 2

    issue = r.json("auditor", "bulletin", "show", "2024/3")
    assert [i["outcome"]["status"] for i in issue["items"]] == ["evaluated", "replied"]

    # What is late on 2024-12-31, by unit: S4's reply; S3's second reply was never disclosed
    # (due 20 working days after 2024-07-05 = 2024-08-02).
    late = r.json("auditor", "suggestion", "overdue", "--on", "2024-12-31")
    assert late["total"] == 2 and late["on"] == "2024-12-31" and late["as_of"] is None
    assert [
        (x["id"], x["deadline"], x["due"], x["days_late"]) for x in late["by_unit"]["省教育厅"]
    ] == [(s4, "reply_due", "2024-07-03", 181)]
    assert [(x["id"], x["deadline"], x["due"]) for x in late["by_unit"]["省商务厅"]] == [
        (s3, "disclosure_due", "2024-08-02")
    ]
    listed = r.json("auditor", "suggestion", "list", "--unit", "省商务厅")
    assert {x["id"] for x in listed} == {s1, s3}


@pytest.fixture
def today_mid_2027() -> Iterator[None]:
    """The scenario below records business dates in 2027: fix today after them."""
    with dates_as_of(date(2027, 6, 30)):
        yield


@pytest.mark.usefixtures("today_mid_2027")
def test_cli_errors_are_clear_and_record_nothing(store: str, tmp_path: Path) -> None:
    r = Clerk(store)
    a = register(r, "金美玉", "222401")
    s = draft(r, a, "建议")
    before = r.events()
    assert "channel" in r(
        f"deputy:{a}",
        "suggestion",
        "draft",
        "--title",
        "t",
        "--body",
        "b",
        "--channel",
        "sometimes",
        "--source",
        "forum",
        code=3,
    )
    r("staff", "suggestion", "accept", s, "--date", "2024-01-10", code=5)
    r("auditor", "suggestion", "accept", s, "--date", "2024-01-10", code=6)
    r("staff", "suggestion", "show", "5b8f0a9e-0000-4000-8000-000000000000", code=4)
    r("staff", "suggestion", "show", "not-an-id", code=3)
    r("staff", "suggestion", "overdue", "--as-of", "31.12.2024", code=3)
    r("staff", "suggestion", "overdue", "--on", "31.12.2024", code=3)
    assert r.events() == before
    # a missing calendar year does not block the fact: the due date is pending
    r(f"deputy:{a}", "suggestion", "submit", s, "--date", "2027-03-01")
    shown = r.json("staff", "suggestion", "show", s)
    assert shown["assignment_due"] is None
    assert [(p["deadline"], p["year"]) for p in shown["pending_due_dates"]] == [
        ("assignment_due", 2027)
    ]
    before = r.events()

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert "not JSON" in r("staff", "calendar", "add", str(bad), code=3)
    year = tmp_path / "2027.json"
    year.write_text(
        json.dumps(
            {
                "year": 2027,
                "source": "国务院办公厅通知（示例）",
                "holidays": [
                    {"name": "元旦", "date": "2027-01-01"},
                    {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"},
                ],
                "workdays": ["2027-02-14", "2027-02-20"],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    r("unit:省商务厅", "calendar", "add", str(year), code=6)
    assert r.events() == before
    assert "2027: 9 holidays, 2 make-up working days" in r("staff", "calendar", "add", str(year))
    r("staff", "calendar", "add", str(year), code=5)
    assert r("staff", "calendar", "due", "2027-02-05", "--working-days", "1") == "2027-02-14"
    assert r("staff", "calendar", "due", "2024-09-27", "--working-days", "7") == "2024-10-12"
    assert r("staff", "calendar", "due", "2024-11-30", "--months", "3") == "2025-02-28"
    r("staff", "calendar", "due", "2028-01-01", "--working-days", "1", code=5)
    assert r.json("staff", "calendar", "show", "2027")["origin"] == "recorded"
    assert r.json("staff", "calendar", "list")[-1] == {
        "year": 2027,
        "origin": "recorded",
        "source": "国务院办公厅通知（示例）",
    }
    shown = r.json("staff", "suggestion", "show", s)  # computed when 2027 was added
    assert shown["assignment_due"] is not None and shown["pending_due_dates"] == []
    policy = r.json("auditor", "suggestion", "policy")
    assert policy["name"] == "national" and policy["disclosure"]["label"] == "20个工作日"
