"""The handling report (办理情况报告, Deputies Law Art. 51): its figures computed by hand
from a small scenario, and its formats (CSV, a printable HTML page) — SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.cli import cli
from tests.application.test_suggestions import deputy
from tests.conftest import STAFF

COMMERCE = Actor("wang", "unit:省商务厅")
EDUCATION = Actor("li", "unit:省教育厅")


def suggestion(app: Renda, lead: Actor, title: str, submitted: str) -> UUID:
    body = {"title": title, "body": "……", "channel": "闭会期间", "source": "列席代表座谈会"}
    sid = app.draft_suggestion({**body, "date": submitted}, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": submitted}, lead)
    return sid


def scenario(app: Renda) -> dict[str, Any]:
    """Four suggestions of 2024 (and one of 2023, outside the report)."""
    _, lead = deputy(app)

    def do(method: str, sid: UUID, on: str, actor: Actor = STAFF, **data: Any) -> None:
        getattr(app, method)({"suggestion_id": sid, "date": on, **data}, actor)

    s1 = suggestion(app, lead, "关于口岸建设的建议", "2024-02-01")
    do("accept_suggestion", s1, "2024-02-05", number="2024-001")
    do("assign_suggestion", s1, "2024-03-01", lead_unit="省商务厅", co_units=["省交通运输厅"])
    do("reply_suggestion", s1, "2024-04-01", COMMERCE, result_class="A", text="已解决")
    do("evaluate_suggestion", s1, "2024-04-10", lead, attitude="满意", result="满意")
    do("disclose_suggestion", s1, "2024-04-15", COMMERCE)

    s2 = suggestion(app, lead, "关于职业教育的建议", "2024-02-02")
    do("accept_suggestion", s2, "2024-02-05", number="2024-002")
    do("assign_suggestion", s2, "2024-03-01", lead_unit="省教育厅")
    # due 2024-06-01: the first reply is late
    do("reply_suggestion", s2, "2024-07-01", EDUCATION, result_class="B", text="列入计划")
    do(
        "evaluate_suggestion",
        s2,
        "2024-07-05",
        lead,
        attitude="满意",
        result="不满意",
        reason="没有时间表",
    )
    do("rehandle_suggestion", s2, "2024-07-06")
    do("reply_suggestion", s2, "2024-07-20", EDUCATION, result_class="A", text="已解决")
    do("evaluate_suggestion", s2, "2024-07-25", lead, attitude="满意", result="基本满意")

    s3 = suggestion(app, lead, "关于冷链物流的建议", "2024-02-03")
    do("accept_suggestion", s3, "2024-02-05", number="2024-003")
    do("assign_suggestion", s3, "2024-03-01", lead_unit="省商务厅")
    do("reply_suggestion", s3, "2024-05-01", COMMERCE, result_class="C", text="条件不具备")
    do("commit_suggestion", s3, "2024-05-02", COMMERCE, text="建设冷库", due="2025-01-01")
    do("commit_suggestion", s3, "2024-05-02", COMMERCE, text="开通专线", due="2025-06-01")
    do("deliver_commitment", s3, "2024-12-01", COMMERCE, number=1)
    do("withhold_disclosure", s3, "2024-05-03", reason="涉及商业秘密")

    s4 = suggestion(app, lead, "关于<b>某案件</b>的意见", "2024-03-01")
    do("reject_suggestion", s4, "2024-03-05", reason="court_case", explanation="具体司法案件")

    suggestion(app, lead, "上一年的建议", "2023-12-01")
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4}


def run(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", store, "report", "handling", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_handling_report_figures_by_hand(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENDA_LANG", "zh")  # read in the default language (docs/i18n.md)
    with Renda(store) as app:
        ids = scenario(app)
    data = json.loads(run(store, "--year", "2024", "--json"))
    assert data["summary"] == {
        "suggestions": 4,  # s1–s4; the 2023 one is another year's
        "assigned": 3,  # s1, s2, s3 (s4 was not accepted)
        "replied": 3,
        "replied_rate": 1.0,  # 3 / 3
        "replied_on_time": 2,  # s1 (04-01 ≤ 06-01), s3 (05-01); s2's first reply was late
        "on_time_rate": 0.6667,  # 2 / 3
        "by_class": {"A": 2, "C": 1},  # latest replies: s1 A, s2 A (after re-handling), s3 C
        "evaluated": 2,  # s1, s2
        "satisfied": 2,  # s1 满意, s2's latest 基本满意
        "satisfaction_rate": 1.0,
        "rehandled": 1,  # s2
        "commitments": 2,  # s3's two
        "commitments_delivered": 1,
        "disclosed": 1,  # s1
        "withheld": 1,  # s3 (不宜公开)
        "urged": 0,  # the clock never ticked (tests/notify/test_clock.py counts 催办)
    }
    rows = {r["id"]: r for r in data["suggestions"]}
    assert [r["number"] for r in data["suggestions"]] == ["2024-001", "2024-002", "2024-003", None]
    s1, s2, s3, s4 = (rows[str(ids[k])] for k in ("s1", "s2", "s3", "s4"))
    assert s1 | {"id": None, "lead_deputy": None} == {
        "id": None,
        "number": "2024-001",
        "title": "关于口岸建设的建议",
        "lead_deputy": None,
        "lead_name": "金美玉",
        "lead_unit": "省商务厅",
        "co_units": ["省交通运输厅"],
        "status": "evaluated",
        "submitted_on": "2024-02-01",
        "assigned_on": "2024-03-01",
        "result_class": "A",
        "replied_on": "2024-04-01",
        "on_time": True,
        "result_rating": "satisfied",
        "attitude_rating": "satisfied",
        "rehandlings": 0,
        "commitments": 0,
        "commitments_delivered": 0,
        "disclosure": "disclosed",
        "urged": 0,
    }
    assert (s2["on_time"], s2["result_class"], s2["rehandlings"]) == (False, "A", 1)
    assert s2["result_rating"] == "basically_satisfied" and s2["disclosure"] == "due"
    assert (s3["commitments"], s3["commitments_delivered"], s3["disclosure"]) == (2, 1, "withheld")
    assert (s4["status"], s4["lead_unit"], s4["on_time"], s4["disclosure"]) == (
        "converted",
        None,
        None,
        None,
    )

    # CSV: a header and one line per suggestion, in the same order
    lines = list(csv.reader(io.StringIO(run(store, "--year", "2024", "--format", "csv"))))
    assert lines[0][:3] == ["id", "number", "title"] and len(lines) == 5
    assert [line[0] for line in lines[1:]] == [r["id"] for r in data["suggestions"]]
    assert lines[1][lines[0].index("on_time")] == "是"

    # HTML: a printable page, escaped once
    page = tmp_path / "handling.html"
    run(store, "--year", "2024", "--format", "html", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert html.count("<caption>") == 2 and '<th scope="col">建议编号</th>' in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "关于&lt;b&gt;某案件&lt;/b&gt;的意见" in html and "<b>某案件" not in html
    assert "&amp;lt;" not in html and "None" not in html
    assert html.count("<tr><td>") == 4

    empty = json.loads(run(store, "--year", "2022", "--json"))
    assert empty["summary"]["suggestions"] == 0 and empty["summary"]["replied_rate"] is None
    assert "No suggestions were submitted" in run(
        store, "--year", "2022", "--format", "html", "--lang", "en"
    )


def test_handling_report_as_a_workbook(store: str, tmp_path: Path) -> None:
    import openpyxl

    with Renda(store) as app:
        scenario(app)
    data = json.loads(run(store, "--year", "2024", "--json"))
    book_path = tmp_path / "handling.xlsx"
    run(store, "--year", "2024", "--format", "xlsx", "--lang", "zh", "--output", str(book_path))
    book = openpyxl.load_workbook(book_path)
    summary, rows = book.worksheets
    assert summary.title == "2024年代表建议办理情况" and rows.title == "逐件办理情况"
    figures = {r[0].value: r[1] for r in summary.iter_rows(min_row=2)}
    assert figures["建议件数"].value == 4 and figures["办复率"].value == 1.0
    assert figures["按期答复率"].number_format == "0.0%" and figures["A类"].value == 2
    header = [c.value for c in rows[1]]
    assert header[:3] == ["记录号", "建议编号", "标题"] and rows.freeze_panes == "A2"
    lines = [[c.value for c in r] for r in rows.iter_rows(min_row=2)]
    assert [line[0] for line in lines] == [r["id"] for r in data["suggestions"]]
    assert lines[0][header.index("按期答复")] == "是"
    assert lines[0][header.index("重新办理")] == 0  # numbers stay numbers

    english = tmp_path / "handling-en.xlsx"
    run(store, "--year", "2024", "--format", "xlsx", "--lang", "en", "--output", str(english))
    assert [c.value for c in openpyxl.load_workbook(english).worksheets[1][1]][:2] == [
        "Id",
        "Number",
    ]

    refused = CliRunner().invoke(
        cli, ["--store", store, "report", "handling", "--year", "2024", "--format", "xlsx"]
    )
    assert refused.exit_code == 3 and "--output" in refused.stderr
