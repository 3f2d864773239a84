"""The demo's sessions, meetings, motions and inspections (issue 14 items 1, 2, 5).

Run at the end of :meth:`Generator.run` with a random generator of its own (seeded from
the demo seed), so every draw the rest of the demo makes is unchanged and so are the
seed's figures. Motions in the demo are all put on the agenda: a motion handled as a
suggestion would add suggestions, and the seed's suggestion figures are fixed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from renda_core.demo.targets import scaled
from renda_core.domain.ids import assigned_ids
from renda_core.domain.values import Actor

if TYPE_CHECKING:
    from renda_core.demo.generator import Generator
    from renda_core.demo.roll import Deputy

SESSION_OPEN, SESSION_CLOSE = date(2023, 1, 13), date(2023, 1, 17)
#: provincial standing-committee meetings of 2023 (14th term): number → opening day
SC_MEETINGS = {
    1: date(2023, 3, 28),
    2: date(2023, 5, 30),
    3: date(2023, 7, 27),
    4: date(2023, 9, 26),
    5: date(2023, 11, 28),
}
#: the provincial rule's joint signatures for a deputies' motion (代表联名, 10 or more)
MOTION_SIGNERS = 10
MOTION_TOPICS = (
    "关于制定《吉林省黑土地保护条例》的议案",
    "关于修改《吉林省农村公路条例》的议案",
    "关于制定《吉林省数字经济促进条例》的议案",
    "关于制定《吉林省冰雪旅游发展条例》的议案",
    "关于修改《吉林省养老服务条例》的议案",
    "关于制定《吉林省边境口岸管理条例》的议案",
)
INSPECTION_TOPICS = (
    ("research", "黑土地保护利用", "省农业农村厅"),
    ("inspection", "农村饮水安全", "省水利厅"),
    ("research", "县域经济高质量发展", "省发展改革委"),
    ("inspection", "义务教育均衡发展", "省教育厅"),
    ("research", "养老服务体系建设", "省民政厅"),
    ("inspection", "长白山生态保护", "省生态环境厅"),
    ("research", "冰雪产业发展", "省文化和旅游厅"),
    ("inspection", "基层医疗卫生服务", "省卫生健康委"),
)


def meetings(gen: Generator) -> None:
    """Sessions with attendance, standing-committee meetings and forums with 列席,
    motions, inspections and research, for the provincial deputies."""
    rng = random.Random(f"renda-demo/{gen.t.seed}/meetings")
    provincial = [d for d in gen.provincial() if d.id]
    if len(provincial) < 10:
        return
    staff = gen_staff()
    _session(gen, rng, provincial, staff)
    _sc_meetings(gen, rng, provincial, staff)
    _motions(gen, rng, provincial, staff)
    _inspections(gen, rng, provincial, staff)


def gen_staff() -> Actor:
    from renda_core.demo.generator import PROVINCE_OFFICE

    return PROVINCE_OFFICE


def _ids(deputies: list[Deputy]) -> list[str]:
    return [str(d.id) for d in deputies]


def _serving(gen: Generator, deputies: list[Deputy], *days: date) -> list[Deputy]:
    """The deputies whose duties are not suspended on any of ``days`` (the demo
    suspends a few in 2023; a suspended deputy does not attend or inspect)."""
    return [
        d
        for d in deputies
        if not any(gen.app.get_deputy(str(d.id)).suspension_on(day) for day in days)
    ]


def _session(gen: Generator, rng: random.Random, provincial: list[Deputy], staff: Actor) -> None:
    app = gen.app
    sid = app.open_session(
        {"level": "provincial", "term": 14, "number": 1, "date": SESSION_OPEN}, staff
    )
    shuffled = rng.sample(provincial, len(provincial))
    leave = max(1, round(len(shuffled) * 0.03))
    absent = max(1, round(len(shuffled) * 0.005))
    groups = (
        ("present", shuffled[leave + absent :], None),
        ("leave", shuffled[:leave], "经大会秘书处批准"),
        ("absent", shuffled[leave : leave + absent], None),
    )
    for status, deputies, note in groups:
        for start in range(0, len(deputies), 1000):
            data = {
                "session_id": sid,
                "status": status,
                "deputy_ids": _ids(deputies[start : start + 1000]),
                "date": SESSION_OPEN,
            }
            if note:
                data["note"] = note
            app.record_session_attendance(data, staff)
    app.close_session({"session_id": sid, "date": SESSION_CLOSE}, staff)


def _sc_meetings(
    gen: Generator, rng: random.Random, provincial: list[Deputy], staff: Actor
) -> None:
    app = gen.app
    per_meeting = scaled(12, gen.t.scale, minimum=2)
    for number, opened in SC_MEETINGS.items():
        mid = app.open_meeting(
            {
                "kind": "sc_meeting",
                "level": "provincial",
                "term": 14,
                "number": number,
                "date": opened,
            },
            staff,
        )
        observers = rng.sample(provincial, min(per_meeting, len(provincial)))
        observers = _serving(gen, observers, opened, opened + timedelta(days=1))
        app.record_observers(
            {"meeting_id": mid, "deputy_ids": _ids(observers), "date": opened}, staff
        )
        app.close_meeting({"meeting_id": mid, "date": opened + timedelta(days=2)}, staff)
        with assigned_ids(gen.new_id("forum")):
            forum = app.open_meeting(
                {
                    "kind": "forum",
                    "level": "provincial",
                    "title": "列席代表座谈会",
                    "date": opened + timedelta(days=1),
                },
                staff,
            )
        app.record_observers(
            {
                "meeting_id": forum,
                "deputy_ids": _ids(observers),
                "date": opened + timedelta(days=1),
            },
            staff,
        )
        app.close_meeting({"meeting_id": forum, "date": opened + timedelta(days=1)}, staff)


def _motions(gen: Generator, rng: random.Random, provincial: list[Deputy], staff: Actor) -> None:
    app = gen.app
    app.open_session(  # the motions go to the second session (2024 is outside the demo year)
        {"level": "provincial", "term": 14, "number": 2, "date": date(2023, 12, 20)}, staff
    )
    # a deputies' motion needs ten or more deputies jointly: a province too small for
    # that (a demo scale below about 0.05) has none
    motions = scaled(len(MOTION_TOPICS), gen.t.scale) if len(provincial) >= MOTION_SIGNERS else 0
    for i in range(motions):
        signers = rng.sample(provincial, min(len(provincial), MOTION_SIGNERS + rng.randint(0, 5)))
        lead, *others = signers
        drafted = date(2023, 12, 1) + timedelta(days=rng.randint(0, 15))
        with assigned_ids(gen.new_id("motion")):
            mid = app.draft_motion(
                {
                    "title": MOTION_TOPICS[i % len(MOTION_TOPICS)],
                    "body": "建议……",
                    "level": "provincial",
                    "lead_deputy": lead.id,
                    "date": drafted,
                },
                staff,
            )
        for other in others:
            app.cosign_motion({"motion_id": mid, "deputy_id": other.id, "date": drafted}, staff)
        ref = {"motion_id": mid, "date": date(2023, 12, 21)}
        app.submit_motion(ref, staff)
        app.receive_motion(ref, staff)
        app.decide_motion({**ref, "decision": "agenda", "date": date(2023, 12, 22)}, staff)
        passed = rng.random() < 0.8
        app.vote_motion({**ref, "passed": passed, "date": date(2023, 12, 24)}, staff)
    roll_session = app.sessions("provincial")[-1]
    app.close_session({"session_id": roll_session["id"], "date": date(2023, 12, 25)}, staff)


def _inspections(
    gen: Generator, rng: random.Random, provincial: list[Deputy], staff: Actor
) -> None:
    app = gen.app
    for i in range(scaled(len(INSPECTION_TOPICS) * 2, gen.t.scale)):
        kind, topic, body = INSPECTION_TOPICS[i % len(INSPECTION_TOPICS)]
        starts = date(2023, 4, 1) + timedelta(days=rng.randint(0, 180))
        ends = starts + timedelta(days=rng.randint(1, 4))
        planned = starts - timedelta(days=rng.randint(10, 30))
        with assigned_ids(gen.new_id("inspection")):
            iid = app.plan_inspection(
                {
                    "kind": kind,
                    "topic": topic,
                    "level": "provincial",
                    "starts": starts,
                    "ends": ends,
                    "date": planned,
                    "annual_topic": i == 0,
                },
                staff,
            )
        chosen = rng.sample(provincial, rng.randint(5, 12))
        for deputy in _serving(gen, chosen, planned):
            app.join_inspection(
                {"inspection_id": iid, "deputy_id": deputy.id, "date": planned}, staff
            )
        ref = {"inspection_id": iid, "date": ends}
        app.hold_inspection({**ref, "findings": f"{topic}方面取得进展，仍存在短板。"}, staff)
        if rng.random() < 0.85:
            reported = ends + timedelta(days=rng.randint(7, 20))
            app.report_inspection(
                {
                    **ref,
                    "title": f"关于{topic}情况的{'调研' if kind == 'research' else '视察'}报告",
                    "text": "……",
                    "date": reported,
                },
                staff,
            )
            due = reported + timedelta(days=60)
            app.request_inspection_feedback(
                {**ref, "body": body, "due": due, "date": reported}, staff
            )
            if rng.random() < 0.8:
                answered = reported + timedelta(days=rng.randint(20, 75))
                if answered <= date(2023, 12, 31):
                    app.receive_inspection_feedback(
                        {**ref, "body": body, "text": "已研究整改。", "date": answered}, staff
                    )
