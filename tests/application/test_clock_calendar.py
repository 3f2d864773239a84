"""Issue 10, item 4, end to end: a suggestion recorded in December 2026 while the
2027 holiday arrangement is missing gets its due dates pending; staff are warned
(stderr and the ``pending_due_dates`` figure); adding 2027 computes and records them
in the same write (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.cli.context import Env
from tests.application.test_suggestions import YEAR_2027, deputy
from tests.conftest import STAFF

UNIT = Actor("w", "unit:省商务厅")


def run(app: Renda, role: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), obj=Env(app=app, actor_id="t", role=role))
    assert result.exit_code == 0, (args, result.output)
    return result


def report(app: Renda) -> dict[str, Any]:
    run(app, "staff", "projections", "catch-up", "--json")
    out = run(app, "auditor", "report", "suggestions", "--year", "2026", "--json")
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def test_recorded_in_december_2026_then_2027_is_added_and_the_due_dates_appear(
    app: Renda,
) -> None:
    with dates_as_of(date(2026, 12, 28)):
        _, lead = deputy(app)
        sid = app.draft_suggestion(
            {
                "title": "关于冬季供暖的建议",
                "body": "建议……",
                "channel": "recess",
                "source": "station",
                "date": "2026-12-20",
            },
            lead,
        )
        assert app.calendar_warning(date(2026, 10, 31)) is None  # before 1 November
        app.submit_suggestion({"suggestion_id": sid, "date": "2026-12-24"}, lead)
        app.accept_suggestion({"suggestion_id": sid, "date": "2026-12-25"}, STAFF)
        assigned = run(
            app,
            "staff",
            "suggestion",
            "assign",
            str(sid),
            "--lead-unit",
            "省商务厅",
            "--co-unit",
            "省交通运输厅",
            "--date",
            "2026-12-28",
        )
        assert "2027 holiday arrangement is not recorded" in assigned.stderr
        data = app.suggestion(sid)
        assert data["status"] == "assigned"
        assert data["reply_due"] is None and data["objection_until"] is None
        assert {p["deadline"] for p in data["pending_due_dates"]} == {
            "assignment_due",
            "reply_due",
            "objection_until",
            "extension_limit",
            "co_opinion_due:省交通运输厅",
        }
        assert {p["year"] for p in data["pending_due_dates"]} == {2027}
        warning = app.calendar_warning(date(2026, 11, 1))
        assert warning is not None and "1 record(s) wait" in warning
        figures = report(app)
        assert figures["pending_due_dates"] == 5 and figures["overdue"] == 0
        assert {p["deadline"] for p in figures["pending"]} >= {"reply_due", "co_opinion_due"}

        last = app.recorder.max_notification_id() or 0
        app.add_calendar_year({**YEAR_2027, "date": "2026-12-28"}, STAFF)
        written = app.recorder.select_notifications(last, 10, inclusive_of_start=False)
        assert [n.topic for n in written] == [
            "renda:CalendarYear.Added",
            "renda:Suggestion.DueDatesComputed",
            "renda:DueDateWaitlist.Cleared",
        ]
        data = app.suggestion(sid)
        assert data["pending_due_dates"] == []
        # 7 working days from 12-24: 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05
        assert data["assignment_due"] == "2027-01-05"
        assert data["reply_due"] == "2027-03-29"  # 3 months: 03-28 is a Sunday
        assert data["extension_limit"] == "2027-06-28"
        assert data["co_opinion_dues"] == {"省交通运输厅": "2027-01-28"}
        assert app.calendar_warning(date(2026, 12, 28)) is None
        assert app.pending_due_dates() == {}
        figures = report(app)
        assert figures["pending_due_dates"] == 0 and figures["pending"] == []
        app.reply_suggestion(
            {"suggestion_id": sid, "date": "2027-01-10", "result_class": "A", "text": "答复"},
            UNIT,
        )
        assert app.suggestion(sid)["replies"][0]["on_time"] is True


def test_split_suggestion_by_unit_timeliness_and_extension_commands(app: Renda) -> None:
    """分办: each lead unit's timeliness in by_unit; request-extension and
    decide-extension through the CLI; a grant after the due date is exit 5."""
    from tests.application.test_suggestions import assigned

    with dates_as_of(date(2025, 6, 30)):
        _, lead = deputy(app)
        sid = assigned(app, lead)  # 省商务厅 on 2024-09-27, reply due 2024-12-27
        other = app.draft_suggestion(
            {
                "title": "关于口岸与物流的建议",
                "body": "建议……",
                "channel": "recess",
                "source": "forum",
                "date": "2024-09-01",
            },
            lead,
        )
        app.submit_suggestion({"suggestion_id": other, "date": "2024-09-10"}, lead)
        app.accept_suggestion({"suggestion_id": other, "date": "2024-09-20"}, STAFF)
        run(
            app,
            "staff",
            "suggestion",
            "assign",
            str(other),
            "--lead-unit",
            "省商务厅",
            "--part-unit",
            "省发改委",
            "--date",
            "2024-09-27",
        )
        run(
            app,
            "unit:省商务厅",
            "suggestion",
            "request-extension",
            str(sid),
            "--until",
            "2025-02-27",
            "--reason",
            "需调研",
            "--date",
            "2024-12-20",
        )
        late = CliRunner().invoke(
            cli,
            ["suggestion", "decide-extension", str(sid), "--grant", "--date", "2024-12-30"],
            obj=Env(app=app, actor_id="t", role="staff"),
        )
        assert late.exit_code == 5 and "after the due date" in late.output
        run(
            app,
            "staff",
            "suggestion",
            "decide-extension",
            str(sid),
            "--grant",
            "--date",
            "2024-12-26",
        )
        assert app.suggestion(sid)["reply_due"] == "2025-02-27"
        for unit, on in (("省商务厅", "2024-12-20"), ("省发改委", "2025-01-06")):
            app.reply_suggestion(
                {"suggestion_id": other, "date": on, "result_class": "A", "text": "答复"},
                Actor("w", f"unit:{unit}"),
            )
        app.reply_suggestion(
            {"suggestion_id": sid, "date": "2025-02-20", "result_class": "A", "text": "答复"},
            UNIT,
        )
        run(app, "staff", "projections", "catch-up", "--json")
        out = run(app, "auditor", "report", "suggestions", "--year", "2024", "--json")
        by_unit = json.loads(out.stdout)["by_unit"]
        # 省商务厅: sid on time after the extension, its part of `other` on time → 2/2
        assert by_unit["省商务厅"]["unit_replied"] == 2
        assert by_unit["省商务厅"]["unit_on_time_rate"] == 1.0
        # 省发改委 replied its part after 2024-12-27: late
        assert by_unit["省发改委"]["unit_replied"] == 1
        assert by_unit["省发改委"]["unit_on_time_rate"] == 0.0
        # the split suggestion counts as replied, late (one part was late)
        assert by_unit["省商务厅"]["replied"] == 2 and by_unit["省商务厅"]["on_time_rate"] == 0.5
