"""``renda session attendance|warnings``, ``renda meeting``, ``renda motion`` and
``renda inspection`` through the CLI: output, JSON, exit codes of the error kinds."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from renda_core.cli import cli


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args])


def ok(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.startswith(("{", "[")) else result.stdout


def register(store: str, name: str) -> str:
    args = ["deputy", "register", "--name", name, "--level", "省", "--term", "14"]
    args += ["--electoral-unit", "长春市人民代表大会", "--area", "220102", "--date", "2023-01-16"]
    return str(ok(run(store, *args, "--json"))["id"])


def test_attendance_and_the_warning(store: str) -> None:
    a, b = register(store, "金美玉"), register(store, "朴成哲")
    for number, day in ((1, "2024-01-15"), (2, "2025-01-15")):
        sid = ok(
            run(
                store,
                "session",
                "open",
                "--level",
                "省",
                "--term",
                "14",
                "--number",
                str(number),
                "--date",
                day,
                "--json",
            )
        )["id"]
        out = run(
            store, "session", "attendance", sid, "--status", "缺席", "--deputy", a, "--date", day
        )
        assert out.exit_code == 0 and "1 deputy(ies) recorded as 缺席" in out.stdout
        ok(
            run(
                store,
                "session",
                "attendance",
                sid,
                "--status",
                "present",
                "--deputy",
                b,
                "--date",
                day,
            )
        )
        ok(run(store, "session", "close", sid, "--date", day))
    again = run(
        store,
        "session",
        "attendance",
        sid,
        "--status",
        "present",
        "--deputy",
        b,
        "--date",
        "2025-01-15",
        "--json",
    )
    assert again.exit_code == 5 and json.loads(again.stderr)["error"] == "rule_violated"
    bad = run(
        store,
        "session",
        "attendance",
        sid,
        "--status",
        "late",
        "--deputy",
        b,
        "--date",
        "2025-01-15",
    )
    assert bad.exit_code == 3
    warnings = ok(run(store, "session", "warnings", "--json"))
    assert [w["deputy_id"] for w in warnings] == [a] and warnings[0]["consecutive"] is True
    table = run(store, "session", "warnings")
    assert "金美玉" in table.stdout and "朴成哲" not in table.stdout
    report = ok(run(store, "report", "meetings", "--year", "2025", "--json"))
    assert report["attendance"] == {"present": 1, "leave": 0, "absent": 1}
    assert report["absence_warnings"] == 1


def test_meeting_motion_inspection_commands(store: str) -> None:
    a = register(store, "金美玉")
    mid = ok(
        run(
            store,
            "meeting",
            "open",
            "--level",
            "provincial",
            "--term",
            "14",
            "--number",
            "3",
            "--date",
            "2024-03-26",
            "--json",
        )
    )["id"]
    ok(run(store, "meeting", "observer", mid, "--deputy", a, "--date", "2024-03-26"))
    ok(run(store, "meeting", "close", mid, "--date", "2024-03-27"))
    shown = ok(run(store, "meeting", "show", mid, "--json"))
    assert shown["observers"] == {a: "2024-03-26"} and shown["status"] == "closed"
    listed = ok(run(store, "meeting", "list", "--json"))
    assert [m["id"] for m in listed] == [mid]
    assert run(store, "meeting", "show", "0" * 8).exit_code == 4

    motion = ok(
        run(
            store,
            "motion",
            "draft",
            "--title",
            "关于制定条例的议案",
            "--body",
            "……",
            "--level",
            "省",
            "--lead-deputy",
            a,
            "--date",
            "2024-03-01",
            "--json",
        )
    )["id"]
    refused = run(store, "motion", "submit", motion, "--date", "2024-03-02", "--json")
    assert refused.exit_code == 5  # no session open, and too few signatures anyway
    assert ok(run(store, "motion", "show", motion, "--json"))["status"] == "draft"
    assert [m["id"] for m in ok(run(store, "motion", "list", "--json"))] == [motion]
    assert run(store, "motion", "decide", motion, "--decision", "maybe").exit_code == 3

    iid = ok(
        run(
            store,
            "inspection",
            "plan",
            "--kind",
            "视察",
            "--topic",
            "农村饮水安全",
            "--level",
            "provincial",
            "--starts",
            "2024-05-06",
            "--ends",
            "2024-05-08",
            "--date",
            "2024-04-01",
            "--json",
        )
    )["id"]
    ok(run(store, "inspection", "join", iid, "--deputy-id", a, "--date", "2024-04-02"))
    ok(run(store, "inspection", "hold", iid, "--findings", "水质达标", "--date", "2024-05-08"))
    ok(
        run(
            store,
            "inspection",
            "report",
            iid,
            "--title",
            "视察报告",
            "--text",
            "……",
            "--date",
            "2024-05-20",
        )
    )
    ok(
        run(
            store,
            "inspection",
            "request-feedback",
            iid,
            "--body",
            "省水利厅",
            "--due",
            "2024-07-01",
            "--date",
            "2024-05-21",
        )
    )
    ok(
        run(
            store,
            "inspection",
            "feedback",
            iid,
            "--body",
            "省水利厅",
            "--text",
            "已整改",
            "--date",
            "2024-06-30",
        )
    )
    data = ok(run(store, "inspection", "show", iid, "--json"))
    assert data["status"] == "reported" and data["feedback"][0]["on_time"] is True
    rows = ok(run(store, "inspection", "list", "--json"))
    assert rows[0]["feedback_received"] == 1 and rows[0]["participants"] == 1
    twice = run(
        store,
        "inspection",
        "feedback",
        iid,
        "--body",
        "省水利厅",
        "--text",
        "x",
        "--date",
        "2024-07-01",
    )
    assert twice.exit_code == 5
    record = ok(run(store, "deputy", "record", a, "--year", "2024", "--json"))
    assert record["observer"][0]["meeting_id"] == mid
    assert record["motions"][0]["role"] == "lead"
    assert record["inspections"][0]["report"] is True
    assert record["summary"]["inspections"] == 1
