"""The demo's standing committee, deputy lifecycle and work plan (issue 14 items 3, 4, 6).

Called once at the end of :meth:`Generator.run`. It draws from its own random generator
(seeded from the demo seed), so the other parts' draws — and every figure of the seed
the demo reproduces — are unchanged: the liaison phase records its 双联系 and contacts
against the members :func:`seat` records (the same deputies, dates and forms as the
free-text liaisons before), members here liaise only with deputies who already have a
liaison (the count of liaised deputies stays), no further contact is recorded (the
contact figures stay), and no mandate is ended here. Scales linearly: a few
hundred events at scale 1.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from renda_core.demo import people
from renda_core.demo.targets import scaled
from renda_core.domain.ids import assigned_ids

if TYPE_CHECKING:
    from renda_core.demo.generator import Generator

BODIES = (
    ("主任会议", "council_of_chairpersons"),
    ("法制委员会", "special_committee"),
    ("财政经济委员会", "special_committee"),
    ("农业与农村委员会", "special_committee"),
    ("社会建设委员会", "special_committee"),
    ("代表工作委员会", "working_body"),
    ("法制工作委员会", "working_body"),
)
POSITIONS = {"常委会副主任": "vice_chair", "常委会秘书长": "secretary_general"}
PARTICIPATIONS = (
    ("legislation", "法制委员会", "《吉林省黑土地保护条例》修订立法调研"),
    ("legislation", "法制工作委员会", "《吉林省优化营商环境条例》立法座谈"),
    ("supervision", "财政经济委员会", "预算执行情况执法检查"),
    ("supervision", "农业与农村委员会", "《中华人民共和国农业法》执法检查"),
    ("supervision", "社会建设委员会", "列席常委会会议听取养老服务工作报告"),
    ("committee_liaison", "农业与农村委员会", "专门委员会联系代表座谈会"),
    ("committee_liaison", "社会建设委员会", "专门委员会联系代表座谈会"),
)
TASKS = (
    ("推进代表家站提质增效", "代表工作委员会", date(2023, 6, 30)),
    ("开展“代表进家站，履职为人民”主题活动", "代表工作委员会", date(2023, 12, 15)),
    ("落实常委会组成人员直接联系代表制度", "主任会议", date(2023, 12, 31)),
    ("举办代表履职学习班", "代表工作委员会", date(2023, 9, 30)),
    ("做好代表建议交办督办工作", "代表工作委员会", date(2023, 11, 30)),
    ("邀请代表参与立法调研", "法制工作委员会", date(2023, 10, 31)),
    ("邀请代表参加执法检查", "财政经济委员会", date(2023, 10, 31)),
    ("编发《人大代表之声》专刊", "代表工作委员会", date(2023, 12, 31)),
    ("完善代表履职档案", "代表工作委员会", date(2023, 12, 20)),
    ("开展代表专题调研", "农业与农村委员会", date(2023, 9, 15)),
)
CAMPAIGN = "代表进家站，履职为人民"


def fill(gen: Generator) -> None:
    """Terms, members, bodies, the ledger, participations, the plan and the campaign."""
    app, t, office = gen.app, gen.t, _office()
    rng = random.Random(f"renda-demo/{t.seed}/members")
    scale: float = t.scale
    app.begin_term(
        {"level": "provincial", "number": 14, "title": "吉林省第十四届人民代表大会",
         "date": "2023-01-13"},
        office,
    )  # fmt: skip
    members = seat(gen)  # recorded by the liaison phase, before the ledger's first entries
    bodies: dict[str, Any] = {}
    for name, kind in BODIES:
        data = {"name": name, "kind": kind, "level": "provincial", "date": "2023-01-17"}
        with assigned_ids(gen.new_id("sc-body")):
            bodies[name] = app.add_body(data, office)
    for i, member_id in enumerate(members):
        name = BODIES[0][0] if i < 5 else rng.choice(BODIES[1:5])[0]
        app.body_join(
            {"body_id": bodies[name], "member_id": member_id, "date": "2023-01-20"}, office
        )
    # the ledger: a second member (the next one) for deputies who already have a liaison
    for i, deputy in enumerate(gen.liaised):
        if deputy.n in gen.terminating:
            continue
        since = gen_day(rng, date(2023, 4, 1), date(2023, 6, 30))
        app.member_liaise(
            {"member_id": members[(i + 1) % len(members)], "deputy_id": deputy.id, "date": since},
            office,
        )
    provincial = [d for d in gen.provincial() if d.n not in gen.terminating]
    # deputies in legislation and supervision work; special committees' contacts
    for _ in range(scaled(3, scale)):
        for kind, body, title in PARTICIPATIONS:
            chosen = rng.sample(provincial, min(len(provincial), rng.randint(3, 8)))
            app.body_invite(
                {
                    "body_id": bodies[body],
                    "kind": kind,
                    "title": title,
                    "deputy_ids": [str(d.id) for d in chosen],
                    "date": gen_day(rng, date(2023, 3, 1), date(2023, 11, 30)),
                },
                office,
            )
    for _ in range(scaled(40, scale)):
        body = rng.choice(BODIES[1:5])[0]
        app.body_contact(
            {
                "body_id": bodies[body],
                "deputy_id": rng.choice(provincial).id,
                "form": rng.choice(("forum", "visit", "research", "phone")),
                "date": gen_day(rng, date(2023, 2, 1), date(2023, 12, 20)),
            },
            office,
        )
    # a suspension that ended (暂停执行代表职务 and its end)
    quiet = [d for d in provincial if d not in gen.liaised]
    for deputy in rng.sample(quiet, min(len(quiet), scaled(2, scale))):
        app.suspend_deputy(
            {"deputy_id": deputy.id, "ground": "detained", "date": "2023-05-08"}, office
        )
        app.resume_deputy({"deputy_id": deputy.id, "date": "2023-09-18"}, office)
    _plan(gen, rng, office)


def seat(gen: Generator) -> list[Any]:
    """The provincial standing committee's members (常委会组成人员) as records, once: the
    liaison phase records its 双联系 and contacts against them through the ledger."""
    if gen.sc_members:
        return gen.sc_members
    pairs = list(zip(people.SC_MEMBERS[::2], people.SC_MEMBERS[1::2], strict=True))
    for title, name in pairs:
        data = {
            "name": name,
            "position": POSITIONS.get(title, "member"),
            "level": "provincial",
            "term": 14,
            "date": "2023-01-17",
        }
        with assigned_ids(gen.new_id("sc-member")):
            gen.sc_members.append(gen.app.add_member(data, _office()))
    return gen.sc_members


def _plan(gen: Generator, rng: random.Random, office: Any) -> None:
    app = gen.app
    app.adopt_plan({"level": "provincial", "year": 2023, "date": "2023-01-20"}, office)
    key = {"level": "provincial", "year": 2023}
    for title, owner, due in TASKS:
        app.add_plan_task(
            {**key, "title": title, "owner": owner, "due": due, "date": "2023-01-20"}, office
        )
    for number, (_, _, due) in enumerate(TASKS, start=1):
        on = date(2023, 3, 1) + timedelta(days=rng.randint(0, 60))
        app.report_plan_progress(
            {**key, "task": number, "percent": rng.choice((30, 50)), "date": on}, office
        )
        if number != 10 and rng.random() < 0.9:  # one or two carry over into next year
            done = min(due + timedelta(days=rng.randint(-45, 10)), date(2023, 12, 31))
            app.complete_plan_task({**key, "task": number, "date": max(done, on)}, office)
    with assigned_ids(gen.new_id("campaign")):
        campaign = app.launch_campaign(
            {"title": CAMPAIGN, "level": "provincial", "date": "2023-03-01"}, office
        )
    for number in (1, 2):
        app.link_campaign_task(
            {"campaign_id": campaign, "year": 2023, "task": number, "date": "2023-03-01"}, office
        )


def gen_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _office() -> Any:
    from renda_core.demo.generator import PROVINCE_OFFICE

    return PROVINCE_OFFICE
