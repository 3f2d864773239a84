"""A hand-computed scenario for the stations, groups and training reports.

Everything happens through the application commands. ``build(app, late=False)``
records the early part; ``late(app, ids)`` records changes that come later in the log
(a station closed mid-year, deputies who left, a group dissolved, a feedback in 2024),
so a report read at the position between the two shows the earlier state.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from renda_core import Renda
from renda_core.application.areas import read_division_csv
from tests.conftest import STAFF

DIVISIONS_CSV = """code,name,parent_code,kind
220000,吉林省,,province
220100,长春市,220000,prefecture
220102,南关区,220100,county
220102001,南岭街道,220102,street
220102002,自由大路街道,220102,street
220102101,幸福乡,220102,township
220103,宽城区,220100,county
220103101,兰家镇,220103,township
"""


def deputy(app: Renda, name: str, level: str, area: str = "220102", term: int = 14) -> UUID:
    return app.register_deputy(
        {
            "name": name,
            "level": level,
            "term": term,
            "electoral_unit": "长春市人民代表大会",
            "area": area,
            "date": "2022-01-15",
        },
        STAFF,
    )


def build(app: Renda) -> dict[str, Any]:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2022-01-01"}, STAFF)
    ids: dict[str, Any] = {
        "A": deputy(app, "甲", "provincial"),
        "B": deputy(app, "乙", "county"),
        "C": deputy(app, "丙", "township", "220102101"),
        "D": deputy(app, "丁", "municipal"),
        "E": deputy(app, "戊", "township"),
        "F": deputy(app, "己", "provincial", "220103"),
        "G": deputy(app, "庚", "provincial", "220103"),
    }
    A, B, C, D = ids["A"], ids["B"], ids["C"], ids["D"]

    def station(name: str, kind: str, division: str, on: str) -> UUID:
        data = {"name": name, "kind": kind, "division": division, "date": on}
        return app.establish_station(data, STAFF)

    s1 = station("南岭街道代表之家", "home", "220102001", "2022-06-01")
    s2 = station("自由大路代表联络站", "liaison", "220102002", "2023-02-01")
    s3 = station("幸福乡代表联络站", "liaison", "220102101", "2023-03-01")
    s4 = station("南岭社区代表联络站", "liaison", "220102001", "2023-05-01")
    ids.update(S1=s1, S2=s2, S3=s3, S4=s4)

    def enter(s: UUID, d: UUID, on: str) -> None:
        app.enter_station({"station_id": s, "deputy_id": d, "date": on}, STAFF)

    enter(s1, A, "2022-07-01")
    enter(s2, A, "2023-02-10")
    enter(s2, B, "2023-02-10")
    enter(s3, C, "2023-03-05")
    enter(s4, D, "2023-05-02")
    app.leave_station({"station_id": s3, "deputy_id": C, "date": "2023-05-01"}, STAFF)

    def activity(s: UUID, kind: str, on: str, deputies: list[UUID], received: int) -> None:
        data = {
            "station_id": s,
            "kind": kind,
            "date": on,
            "deputies": deputies,
            "people_received": received,
        }
        app.hold_station_activity(data, STAFF)

    activity(s1, "face_to_face", "2022-12-01", [A], 10)
    activity(s1, "reception_day", "2023-03-01", [A], 30)
    activity(s2, "代表群众面对面", "2023-04-01", [A, B], 20)
    activity(s3, "cloud_reception", "2023-03-10", [C], 5)

    def collect(s: UUID, d: UUID, on: str, content: str) -> UUID:
        data = {
            "station_id": s,
            "channel": "reception_day",
            "content": content,
            "deputies": [d],
            "date": on,
        }
        return app.collect_opinion(data, STAFF)

    def step(method: str, o: UUID, on: str, **data: Any) -> None:
        getattr(app, method)({"opinion_id": o, "date": on, **data}, STAFF)

    o1 = collect(s1, A, "2023-03-01", "路灯不亮")
    step("screen_opinion", o1, "2023-03-02", outcome="accepted")
    o5 = collect(s2, B, "2023-03-02", "路灯不亮（同一路段）")
    step("screen_opinion", o5, "2023-03-02", outcome="duplicate", into=o1)
    step(
        "refer_opinion",
        o1,
        "2023-03-03",
        body="南岭街道办事处",
        body_kind="local",
        due="2023-04-01",
    )
    step("record_opinion_result", o1, "2023-03-20", result="已修复")
    step("feed_back_opinion", o1, "2023-03-21")
    step("evaluate_opinion", o1, "2023-03-25", rating="satisfied")

    o2 = collect(s3, C, "2023-03-10", "医保政策咨询")
    step("screen_opinion", o2, "2023-03-10", outcome="accepted")
    step("answer_opinion", o2, "2023-03-10", result="当场解释政策")
    step("feed_back_opinion", o2, "2023-03-12", to=["citizen"])
    step("close_opinion", o2, "2023-03-13")

    o3 = collect(s1, A, "2023-12-20", "供暖不达标")
    step("screen_opinion", o3, "2023-12-21", outcome="accepted")
    step(
        "refer_opinion",
        o3,
        "2023-12-22",
        body="长春市住建局",
        body_kind="department",
        due="2024-01-31",
    )
    step("record_opinion_result", o3, "2024-01-10", result="已整改")

    o4 = collect(s2, B, "2023-04-01", "离婚财产纠纷")
    step("screen_opinion", o4, "2023-04-02", outcome="out_of_scope", advice="litigation")
    step("close_opinion", o4, "2023-04-03")

    o6 = collect(s1, A, "2023-06-01", "农产品销路")
    step("screen_opinion", o6, "2023-06-02", outcome="accepted")
    step("escalate_opinion", o6, "2023-06-03", target_kind="bulletin", target_id="b-2023-07")

    o7 = collect(s1, A, "2023-05-01", "小区停车难")
    step("screen_opinion", o7, "2023-05-02", outcome="accepted")
    step("answer_opinion", o7, "2023-05-02", result="解释规划")
    step("feed_back_opinion", o7, "2023-05-06")
    step("evaluate_opinion", o7, "2023-05-10", rating="unsatisfied", note="问题没有解决")
    step(
        "refer_opinion",
        o7,
        "2023-05-11",
        body="南关区城管局",
        body_kind="department",
        due="2023-06-30",
    )
    step("record_opinion_result", o7, "2023-05-20", result="增设停车位")
    step("feed_back_opinion", o7, "2023-05-22")
    step("close_opinion", o7, "2023-05-23")
    ids.update(O1=o1, O2=o2, O3=o3, O4=o4, O5=o5, O6=o6, O7=o7)

    g1 = app.form_group(
        {
            "name": "南关区代表小组",
            "basis": "electoral_unit",
            "unit": "长春市",
            "level": "provincial",
            "term": 14,
            "area": "220102",
            "date": "2022-02-01",
        },
        STAFF,
    )
    g2 = app.form_group(
        {
            "name": "宽城区代表小组",
            "basis": "sector",
            "unit": "农业农村",
            "level": "provincial",
            "term": 14,
            "area": "220103",
            "date": "2022-02-01",
        },
        STAFF,
    )
    for g, d in ((g1, ids["A"]), (g1, ids["G"]), (g2, ids["F"])):
        app.add_group_member({"group_id": g, "deputy_id": d, "date": "2022-02-01"}, STAFF)
    app.appoint_group_leader({"group_id": g1, "deputy_id": ids["A"], "date": "2022-02-01"}, STAFF)

    def group_activity(g: UUID, kind: str, on: str, who: list[UUID], **kw: Any) -> None:
        data = {"group_id": g, "kind": kind, "date": on, "participants": who, **kw}
        app.hold_group_activity(data, STAFF)

    group_activity(
        g1, "mediation", "2023-04-15", [ids["A"], ids["G"]], disputes_handled=5, disputes_resolved=4
    )
    group_activity(g1, "research", "2023-08-15", [ids["A"]])
    group_activity(
        g2, "mediation", "2022-09-01", [ids["F"]], disputes_handled=2, disputes_resolved=2
    )
    ids.update(G1=g1, G2=g2)

    def course(kind: str, starts: str, ends: str, level: str | None) -> UUID:
        data = {"kind": kind, "title": f"{kind} {starts}", "starts": starts, "ends": ends}
        if level:
            data["level"] = level
        return app.plan_course({**data, "date": starts}, STAFF)

    def train(c: UUID, who: list[UUID], day: str, complete: bool = True) -> None:
        app.enrol_deputies({"course_id": c, "deputies": who, "date": day}, STAFF)
        app.record_attendance({"course_id": c, "deputies": who, "date": day}, STAFF)
        if complete:
            app.complete_course({"course_id": c, "deputies": who, "date": day}, STAFF)

    duty = course("duty", "2023-04-10", "2023-04-12", "provincial")
    train(duty, [ids["A"], ids["F"]], "2023-04-10")
    train(duty, [ids["G"]], "2023-04-10", complete=False)
    topical = course("topical", "2023-09-01", "2023-09-01", None)
    train(topical, [ids["A"], ids["B"]], "2023-09-01")
    initial = course("initial", "2022-03-01", "2022-03-02", "provincial")
    train(initial, [ids["G"]], "2022-03-01")
    ids.update(DUTY=duty, TOPICAL=topical, INITIAL=initial)
    return ids


def late(app: Renda, ids: dict[str, Any]) -> None:
    """Changes recorded later: a station closed mid-year, deputies who left, …"""
    app.close_station({"station_id": ids["S2"], "date": "2023-07-31"}, STAFF)
    app.terminate_deputy({"deputy_id": ids["D"], "reason": "transfer", "date": "2023-09-30"}, STAFF)
    app.terminate_deputy(
        {"deputy_id": ids["F"], "reason": "resignation", "date": "2023-06-30"}, STAFF
    )
    app.dissolve_group({"group_id": ids["G2"], "date": "2023-06-30"}, STAFF)
    app.feed_back_opinion({"opinion_id": ids["O3"], "date": "2024-01-15"}, STAFF)
