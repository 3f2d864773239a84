"""A small scenario for the duty record (履职档案) and the assessment, computed by hand.

Three provincial deputies: 金美玉 (A), 朴成哲 (B), 李明 (C). In 2024: A and B attend one
station activity (A one more in 2023); A leads a suggestion, B co-signs it; the clock
urges it twice (催办) and reminds once (提醒, not counted); the bulletin carries it; A
and C take a duty training, only A completes it; A reports to constituents (述职, 42
attendees, 满意); C's report is cancelled (recorded in error).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from renda_core import Actor, Renda
from renda_core.application.areas import read_division_csv
from renda_core.domain.reminder import REMIND, URGE, Reminder
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF

EDITOR = Actor("ed", "editor")
CLOCK = Actor("clock", "staff")


def deputy(app: Renda, name: str) -> UUID:
    data = {
        "name": name,
        "level": "provincial",
        "term": 14,
        "electoral_unit": "延边朝鲜族自治州人民代表大会",
        "area": "222401",
        "date": "2023-01-16",
    }
    return app.register_deputy(data, STAFF)


def build(app: Renda) -> dict[str, Any]:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2023-01-01"}, STAFF)
    A, B, C = deputy(app, "金美玉"), deputy(app, "朴成哲"), deputy(app, "李明")
    station = app.establish_station(
        {"name": "南岭街道代表之家", "kind": "home", "division": "220102001", "date": "2023-01-20"},
        STAFF,
    )
    for d in (A, B):
        app.enter_station({"station_id": station, "deputy_id": d, "date": "2023-02-01"}, STAFF)

    def activity(on: str, deputies: list[UUID], kind: str = "face_to_face") -> None:
        app.hold_station_activity(
            {
                "station_id": station,
                "kind": kind,
                "date": on,
                "deputies": deputies,
                "people_received": 30,
                "topic": "养老服务",
            },
            STAFF,
        )

    activity("2023-06-01", [A], "reception_day")
    activity("2024-03-05", [A, B])

    lead, co = Actor("jin", f"deputy:{A}"), Actor("piao", f"deputy:{B}")
    sid = app.draft_suggestion(
        {
            "title": "关于加快珲春口岸建设的建议",
            "body": "建议……",
            "channel": "闭会期间",
            "source": "其他",
            "date": "2024-04-01",
        },
        lead,
    )
    ref = {"suggestion_id": sid}
    app.invite_cosigner({**ref, "deputy_id": B, "date": "2024-04-02"}, lead)
    app.cosign_suggestion({**ref, "date": "2024-04-02"}, co)
    app.submit_suggestion({**ref, "date": "2024-04-03"}, lead)
    app.accept_suggestion({**ref, "date": "2024-04-10"}, STAFF)
    app.assign_suggestion({**ref, "date": "2024-04-15", "lead_unit": "省商务厅"}, STAFF)
    due = date(2024, 7, 15)
    for threshold, kind, number, on in (
        ("before:5", REMIND, 0, date(2024, 7, 8)),
        ("overdue:1", URGE, 1, date(2024, 7, 16)),
        ("overdue:2", URGE, 2, date(2024, 7, 23)),
    ):
        app.save(
            Reminder(
                suggestion_id=str(sid),
                deadline="reply",
                owner="省商务厅",
                due=due,
                threshold=threshold,
                kind=kind,
                number=number,
                on=on,
                actor=CLOCK,
            )
        )
    app.open_bulletin({"year": 2024, "number": 1, "title": "专刊", "date": "2024-04-20"}, EDITOR)
    app.include_item(
        {"bulletin": "2024/1", "ref": str(sid), "summary": "摘要", "date": "2024-04-21"}, EDITOR
    )

    course = app.plan_course(
        {
            "kind": "duty",
            "title": "省人大代表履职培训班",
            "starts": "2024-05-10",
            "ends": "2024-05-12",
            "date": "2024-04-01",
        },
        STAFF,
    )
    app.enrol_deputies({"course_id": course, "deputies": [A, C], "date": "2024-05-01"}, STAFF)
    app.record_attendance({"course_id": course, "deputies": [A, C], "date": "2024-05-10"}, STAFF)
    app.complete_course({"course_id": course, "deputies": [A], "date": "2024-05-12"}, STAFF)

    report = app.report_to_constituents(
        {
            "deputy_id": A,
            "date": "2024-06-01",
            "place": "延吉市河南街道代表联络站",
            "attendees": 42,
            "audience": "原选区选民",
            "evaluation": "满意",
        },
        lead,
    )
    wrong = app.report_to_constituents(
        {"deputy_id": C, "date": "2024-06-02", "place": "代表之家", "attendees": 10}, STAFF
    )
    app.cancel_report({"report_id": wrong, "reason": "重复录入", "date": "2024-06-03"}, STAFF)
    return {"A": A, "B": B, "C": C, "station": station, "suggestion": sid, "report": report}
