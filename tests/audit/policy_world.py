"""A small world for the read-policy tests: two deputies, two stations, two opinions
(one referred to a unit), one suggestion assigned to two units, a deputy group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from renda_core import Actor, Renda
from renda_core.application.areas import read_division_csv
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF, register_payload

PHONE = "13811112222"
NOTE = "只在档案里的私下备注"
CITIZEN = "欧阳群众"
CITIZEN_PHONE = "13933334444"
OTHER_CITIZEN = "司马群众"
UNIT = "长春市住建局"
LEAD_UNIT = "省商务厅"
CO_UNIT = "省交通运输厅"


@dataclass
class World:
    a: str  # deputy A: phone and a contact note; entered station s1; leads the suggestion
    b: str  # deputy B: entered station s2
    s1: str
    s2: str
    o1: str  # at s1, received by A, citizen named, referred to UNIT
    o2: str  # at s2, received by B, citizen named, not referred
    g: str  # suggestion led by A, assigned to LEAD_UNIT with CO_UNIT
    group: str

    def actors(self) -> dict[str, Actor]:
        """One actor per role kind the policy tells apart."""
        return {
            "staff": STAFF,
            "auditor": Actor("au", "auditor"),
            "editor": Actor("ed", "editor"),
            "leader": Actor("gov", "leader:省长"),
            "deputy A": Actor("a", f"deputy:{self.a}"),
            "deputy B": Actor("b", f"deputy:{self.b}"),
            "unit referred": Actor("u", f"unit:{UNIT}"),
            "unit lead": Actor("l", f"unit:{LEAD_UNIT}"),
            "unit co": Actor("c", f"unit:{CO_UNIT}"),
            "unit other": Actor("x", "unit:其他厅"),
        }


def build_world(app: Renda) -> World:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2022-01-01"}, STAFF)
    a = app.register_deputy(register_payload(name="甲代表", phone=PHONE), STAFF)
    b = app.register_deputy(register_payload(name="乙代表"), STAFF)
    app.liaise_deputy({"deputy_id": a, "member": "常委甲", "date": "2024-02-01"}, STAFF)
    app.record_contact({"deputy_id": a, "form": "visit", "note": NOTE, "date": "2024-03-01"}, STAFF)
    s1 = app.establish_station(
        {"name": "南岭街道代表之家", "kind": "home", "division": "220102001", "date": "2024-01-01"},
        STAFF,
    )
    s2 = app.establish_station(
        {"name": "自由大路站", "kind": "liaison", "division": "220102002", "date": "2024-01-01"},
        STAFF,
    )
    app.enter_station({"station_id": s1, "deputy_id": a, "date": "2024-01-02"}, STAFF)
    app.enter_station({"station_id": s2, "deputy_id": b, "date": "2024-01-02"}, STAFF)

    def collect(station: Any, deputy: Any, citizen: str) -> Any:
        data = {
            "station_id": station,
            "channel": "reception_day",
            "content": "路灯不亮",
            "deputies": [deputy],
            "date": "2024-03-01",
            "citizen_name": citizen,
            "citizen_phone": CITIZEN_PHONE,
        }
        return app.collect_opinion(data, STAFF)

    o1 = collect(s1, a, CITIZEN)
    app.screen_opinion({"opinion_id": o1, "outcome": "accepted", "date": "2024-03-02"}, STAFF)
    app.refer_opinion(
        {
            "opinion_id": o1,
            "body": UNIT,
            "body_kind": "department",
            "due": "2024-04-01",
            "date": "2024-03-03",
        },
        STAFF,
    )
    o2 = collect(s2, b, OTHER_CITIZEN)
    lead = Actor("a", f"deputy:{a}")
    g = app.draft_suggestion(
        {
            "title": "关于加快边境口岸建设的建议",
            "body": "建议……",
            "channel": "闭会期间",
            "source": "列席代表座谈会",
            "date": "2024-09-01",
        },
        lead,
    )
    app.submit_suggestion({"suggestion_id": g, "date": "2024-09-10"}, lead)
    app.accept_suggestion({"suggestion_id": g, "date": "2024-09-20"}, STAFF)
    app.assign_suggestion(
        {"suggestion_id": g, "date": "2024-09-27", "lead_unit": LEAD_UNIT, "co_units": [CO_UNIT]},
        STAFF,
    )
    group = app.form_group(
        {
            "name": "南关区代表小组",
            "basis": "electoral_unit",
            "unit": "长春市",
            "level": "provincial",
            "term": 14,
            "area": "220102",
            "date": "2024-01-01",
        },
        STAFF,
    )
    app.add_group_member({"group_id": group, "deputy_id": a, "date": "2024-01-02"}, STAFF)
    return World(*(str(x) for x in (a, b, s1, s2, o1, o2, g, group)))
