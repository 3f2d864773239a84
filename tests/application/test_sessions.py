"""Congress sessions and the 交办会 through the application and the CLI, on SQLite and
PostgreSQL: a session's close records every waiting suggestion's assignment due date in
the same write; a batch assignment writes one Assigned event per suggestion, or — when
any line is bad — nothing at all, with an error naming the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from renda_core import Actor, Renda
from renda_core.domain.errors import NotFound, RuleViolated
from renda_core.projections.log import list_events
from tests.application.test_suggestions import deputy, refused
from tests.cli.test_suggestion_cli import Clerk
from tests.conftest import STAFF


def session_suggestion(app: Renda, lead: Actor, on: str, number: str | None = None) -> UUID:
    sid = app.draft_suggestion(
        {
            "title": f"建议{number or ''}",
            "body": "……",
            "channel": "大会期间",
            "source": "代表大会",
            "date": "2024-01-20",
        },
        lead,
    )
    app.submit_suggestion({"suggestion_id": sid, "date": on}, lead)
    if number:
        app.accept_suggestion({"suggestion_id": sid, "date": on, "number": number}, STAFF)
    return sid


def opened(app: Renda, on: str = "2024-01-21") -> UUID:
    data = {"level": "provincial", "term": 14, "number": 2, "date": on}
    return app.open_session(data, STAFF)


def test_close_records_each_waiting_suggestions_due_date_in_one_write(app: Renda) -> None:
    _, lead = deputy(app)
    before_session = session_suggestion(app, lead, "2024-01-20")  # before the opening
    session = opened(app)
    accepted = session_suggestion(app, lead, "2024-01-22", "1")
    submitted = session_suggestion(app, lead, "2024-01-23")
    assigned = session_suggestion(app, lead, "2024-01-23", "2")
    app.assign_suggestion(
        {"suggestion_id": assigned, "date": "2024-01-24", "lead_unit": "省商务厅"}, STAFF
    )
    assert app.session(session)["suggestions"] == [str(accepted), str(submitted), str(assigned)]
    assert app.suggestion(submitted)["assignment_due"] is None  # none until the close

    refused(
        app,
        RuleViolated,
        lambda: app.close_session({"session_id": session, "date": "2024-01-22"}, STAFF),
        "before the last suggestion received",
    )
    position = app.recorder.max_notification_id() or 0
    pending = app.close_session({"session_id": session, "date": "2024-01-26"}, STAFF)
    assert pending == [str(accepted), str(submitted)]
    new = [e for e in list_events(app) if e["position"] > position]
    assert [e["topic"] for e in new] == [
        "renda:CongressSession.Closed",
        "renda:SessionRoll.SessionClosed",
        "renda:Suggestion.SessionAssignmentDue",
        "renda:Suggestion.SessionAssignmentDue",
    ]
    for sid in (accepted, submitted):
        doc = app.suggestion(sid)
        # a month (session_assignment) after 2024-01-26 is Sunday 2024-02-25: rolled to
        # the next working day
        assert doc["assignment_due"] == "2024-02-26"
        assert doc["session_id"] == str(session)
        assert doc["open_deadlines"] == [
            {"deadline": "assignment_due", "due": "2024-02-26", "owner": "office"}
        ]
    assert app.suggestion(assigned)["session_id"] is None
    assert app.suggestion(before_session)["session_id"] is None
    assert app.session(session)["status"] == "closed"
    assert app.sessions() == [app.session(session)]
    refused(
        app,
        RuleViolated,
        lambda: app.close_session({"session_id": session, "date": "2024-01-27"}, STAFF),
        "cannot close",
    )
    refused(app, RuleViolated, lambda: opened(app), "already recorded")


def test_only_one_session_of_a_level_is_open(app: Renda) -> None:
    opened(app)
    data = {"level": "provincial", "term": 14, "number": 3, "date": "2024-02-01"}
    refused(app, RuleViolated, lambda: app.open_session(data, STAFF), "still open")
    county = app.open_session({**data, "level": "county"}, STAFF)  # another level may
    assert app.session(county)["title"] == "县第十四届人民代表大会第三次会议"


def rows(*items: tuple[UUID, str], on: str = "2024-02-01") -> list[dict[str, Any]]:
    return [
        {"line": f"line {n}", "suggestion_id": sid, "lead_unit": unit, "date": on}
        for n, (sid, unit) in enumerate(items, 2)
    ]


def test_assign_batch_is_one_event_per_suggestion_or_nothing(app: Renda) -> None:
    _, lead = deputy(app)
    opened(app)
    a, b, c = (session_suggestion(app, lead, "2024-01-22", n) for n in ("1", "2", "3"))
    draft_only = session_suggestion(app, lead, "2024-01-22")  # submitted, not accepted

    # a bad line anywhere: nothing recorded, the error names it (and keeps its kind)
    refused(
        app,
        RuleViolated,
        lambda: app.assign_batch(rows((a, "省商务厅"), (draft_only, "省教育厅")), STAFF),
        "line 3: cannot assign",
    )
    refused(
        app,
        RuleViolated,
        lambda: app.assign_batch(rows((a, "省商务厅"), (b, "省商务厅"), (a, "省教育厅")), STAFF),
        "line 4: suggestion .* is also on line 2",
    )
    refused(
        app,
        NotFound,
        lambda: app.assign_batch(
            rows((a, "省商务厅"), (UUID("00000000-0000-4000-8000-000000000000"), "x")), STAFF
        ),
        "line 3: no suggestion",
    )
    assert {app.suggestion(s)["status"] for s in (a, b, c)} == {"accepted"}

    position = app.recorder.max_notification_id() or 0
    done = app.assign_batch(rows((a, "省商务厅"), (b, "省教育厅"), (c, "省商务厅")), STAFF)
    assert done == [a, b, c]
    new = [e for e in list_events(app) if e["position"] > position]
    assert [(e["topic"], e["aggregate_id"]) for e in new] == [
        ("renda:Suggestion.Assigned", str(s)) for s in (a, b, c)
    ]
    assert app.suggestion(b)["lead_unit"] == "省教育厅"


CSV_OK = (
    "suggestion,lead_unit,co_units,complex\n1,省商务厅,省交通运输厅;省财政厅,是\n2,省教育厅,,\n"
)
CSV_BAD = CSV_OK + "3,省民政厅,,maybe\n"


def test_assign_batch_from_a_file_through_the_cli(store: str, tmp_path: Path) -> None:
    with Renda(store) as app:
        _, lead = deputy(app)
        session = opened(app)
        a, b, _c = (session_suggestion(app, lead, "2024-01-22", n) for n in ("1", "2", "3"))
        app.close_session({"session_id": session, "date": "2024-01-26"}, STAFF)
    r = Clerk(store)
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    before = r.events()
    out = r("staff", "suggestion", "assign-batch", "--file", str(bad), code=3)
    assert "line 4" in out and "complex" in out
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(
        '{"suggestion": "1", "lead_unit": "省商务厅"}\n{"suggestion": "9", "lead_unit": "x"}\n',
        encoding="utf-8",
    )
    out = r("staff", "suggestion", "assign-batch", "--file", str(unknown), code=4)
    assert "line 2: no suggestion has the number 9" in out
    assert r.events() == before  # nothing recorded

    good = tmp_path / "good.csv"
    good.write_text(CSV_OK, encoding="utf-8")
    result = r.json(
        "staff", "suggestion", "assign-batch", "--file", str(good), "--date", "2024-02-01"
    )
    assert result == {"assigned": [str(a), str(b)], "count": 2, "date": "2024-02-01"}
    assert r.events() == before + 2
    shown = r.json("staff", "suggestion", "show", str(a))
    assert shown["co_units"] == ["省交通运输厅", "省财政厅"] and shown["complex"] is True
    # the rest of the session by filter: the one still accepted
    result = r.json(
        "staff",
        "suggestion",
        "assign-batch",
        "--session",
        str(session),
        "--lead-unit",
        "省民政厅",
        "--date",
        "2024-02-02",
    )
    assert result["count"] == 1
    listed = r.json("staff", "session", "list")
    assert [s["title"] for s in listed] == ["省第十四届人民代表大会第二次会议"]


@pytest.mark.parametrize("args", [[], ["--file", "x.csv", "--session", "s"]])
def test_assign_batch_needs_a_file_or_a_session(store: str, args: list[str]) -> None:
    out = Clerk(store)("staff", "suggestion", "assign-batch", *args, code=3 if not args else 2)
    assert "--file" in out
