"""A small scenario of issue 14's processes for the library and HTTP reads.

Two provincial deputies, 金美玉 (A) and 朴成哲 (B). A session of 2024 where A was on
leave and B present; a standing-committee meeting A attended as 列席; a motion A leads;
an inspection A joined; a member (陈立) who liaises with A and visited him (a note, which
is personal); a body, the plan of 2026 with one task, a campaign, a term; the actor
registry with the clerk.
"""

from __future__ import annotations

from typing import Any

from renda_core import Actor, RendaAPI
from tests.conftest import STAFF, register_payload

NOTE = "走访时谈到养老服务"


def build(api: RendaAPI) -> dict[str, Any]:
    a = str(api.register_deputy(register_payload(name="金美玉")))
    b = str(api.register_deputy(register_payload(name="朴成哲")))
    lead = Actor("jin", f"deputy:{a}")
    session = api.open_session(
        {"level": "provincial", "term": 14, "number": 2, "date": "2024-01-15"}
    )
    attend = {"session_id": session, "date": "2024-01-15"}
    api.record_session_attendance({**attend, "status": "leave", "deputy_ids": [a]})
    api.record_session_attendance({**attend, "status": "present", "deputy_ids": [b]})
    meeting = api.open_meeting(
        {"kind": "sc_meeting", "level": "provincial", "term": 14, "number": 8, "date": "2024-03-26"}
    )
    api.record_observers({"meeting_id": meeting, "deputy_ids": [a], "date": "2024-03-26"})
    motion = api.draft_motion(
        {"title": "关于制定黑土地保护条例的议案", "body": "……", "level": "provincial",
         "date": "2024-01-10"},
        lead,
    )  # fmt: skip
    inspection = api.plan_inspection(
        {"kind": "专题调研", "topic": "黑土地保护", "level": "provincial",
         "starts": "2024-05-06", "ends": "2024-05-08", "date": "2024-04-01"}
    )  # fmt: skip
    api.join_inspection({"inspection_id": inspection, "deputy_id": a, "date": "2024-04-02"})
    member = api.add_member(
        {"name": "陈立", "position": "副主任", "level": "provincial", "term": 14,
         "date": "2023-01-20"}
    )  # fmt: skip
    api.member_liaise({"member_id": member, "deputy_id": a, "date": "2023-02-01"})
    api.member_contact(
        {"member_id": member, "deputy_id": a, "form": "visit", "date": "2024-03-01", "note": NOTE}
    )
    body = api.add_body(
        {"name": "法制委员会", "kind": "专门委员会", "level": "provincial", "date": "2023-01-20"}
    )
    api.adopt_plan({"level": "provincial", "year": 2026, "date": "2026-01-15"})
    api.add_plan_task(
        {"level": "provincial", "year": 2026, "owner": "代表工作委员会", "date": "2026-01-15",
         "title": "推进代表家站提质增效", "due": "2026-06-30"}
    )  # fmt: skip
    campaign = api.launch_campaign(
        {"title": "代表进家站，履职为人民", "level": "provincial", "date": "2026-02-01"}
    )
    api.begin_term({"level": "provincial", "number": 14, "date": "2023-01-16"})
    api.add_actor({"actor_id": STAFF.id, "name": "李干事", "roles": ["staff"]})
    return {
        "A": a,
        "B": b,
        "session": str(session),
        "meeting": str(meeting),
        "motion": str(motion),
        "inspection": str(inspection),
        "member": str(member),
        "body": str(body),
        "campaign": str(campaign),
    }
