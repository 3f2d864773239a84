"""Standing-committee members and bodies, and the annual plan: every accepted and every
rejected transition on the aggregates alone (nothing recorded on a rejection)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from renda_core.domain.committee import BodyKind, CommitteeBody, CommitteeMember, Position
from renda_core.domain.errors import RuleViolated
from renda_core.domain.plan import Campaign, WorkPlan
from renda_core.domain.values import Actor, Level

STAFF = Actor("clerk-1", "staff")
D0 = date(2023, 1, 20)


def new_member(level: str = "provincial") -> CommitteeMember:
    return CommitteeMember.appoint(
        name="陈立", position=Position.VICE_CHAIR, level=level, term=14, on=D0, actor=STAFF
    )


def new_body(kind: BodyKind = BodyKind.SPECIAL_COMMITTEE) -> CommitteeBody:
    return CommitteeBody.establish(
        name="法制委员会", kind=kind, level=Level.PROVINCIAL, on=D0, actor=STAFF
    )


def new_plan() -> WorkPlan:
    return WorkPlan.adopt(
        level=Level.PROVINCIAL, year=2026, title=None, on=date(2026, 1, 15), actor=STAFF
    )


def rejected(aggregate: Any, action: Callable[[], object], message: str) -> None:
    aggregate.collect_events()
    with pytest.raises(RuleViolated, match=message):
        action()
    assert aggregate.collect_events() == []


def test_member_lifecycle() -> None:
    m = new_member()
    assert m.to_dict()["position_label"] == "副主任"
    rejected(m, lambda: m.leave(on=date(2023, 1, 1), actor=STAFF), "before")
    m.leave(on=date(2028, 1, 1), actor=STAFF)
    rejected(m, lambda: m.leave(on=date(2028, 2, 1), actor=STAFF), "left office")
    with pytest.raises(RuleViolated, match="term"):
        CommitteeMember.appoint(
            name="x", position="member", level="county", term=0, on=D0, actor=STAFF
        )


def test_body_membership_contacts_and_participations() -> None:
    b, m = new_body(), new_member()
    b.join(member=m, on=date(2023, 2, 1), actor=STAFF)
    rejected(b, lambda: b.join(member=m, on=date(2023, 2, 2), actor=STAFF), "already a member")
    other = new_member(level="county")
    rejected(b, lambda: b.join(member=other, on=date(2023, 2, 2), actor=STAFF), "level")
    rejected(
        b,
        lambda: b.remove(member_id=str(m.id), on=date(2023, 1, 31), actor=STAFF),
        "before the member joined",
    )
    b.remove(member_id=str(m.id), on=date(2023, 6, 1), actor=STAFF)
    rejected(
        b, lambda: b.remove(member_id=str(m.id), on=date(2023, 7, 1), actor=STAFF), "not a member"
    )
    rejected(
        b,
        lambda: b.record_contact(
            deputy_id="d1", form="visit", note=None, on=date(2023, 1, 1), actor=STAFF
        ),
        "before",
    )
    b.record_contact(deputy_id="d1", form="visit", note="走访", on=date(2023, 3, 1), actor=STAFF)
    b.record_participation(
        kind="committee_liaison", title="联系代表座谈", deputies=["d1"], on=D0, actor=STAFF
    )
    for deputies, message in (([], "at least one"), (["d1", "d1"], "twice")):
        rejected(
            b,
            lambda deputies=deputies: b.record_participation(  # type: ignore[misc]
                kind="legislation", title="立法调研", deputies=deputies, on=D0, actor=STAFF
            ),
            message,
        )
    office = new_body(BodyKind.WORKING_BODY)
    rejected(
        office,
        lambda: office.record_participation(
            kind="committee_liaison", title="x", deputies=["d1"], on=D0, actor=STAFF
        ),
        "special committee",
    )
    assert len(b.to_dict()["participations"]) == 1 and b.to_dict()["contacts"][0]["note"] == "走访"


def test_plan_tasks_progress_and_completion() -> None:
    p = new_plan()
    assert p.title == "2026年度代表工作计划"
    assert p.add_task(
        title="家站提质", owner="代表工作委员会", due=date(2026, 6, 30), on=date(2026, 1, 15),
        actor=STAFF,
    ) == 1  # fmt: skip
    add = p.add_task
    rejected(
        p,
        lambda: add(title="x", owner="o", due=date(2027, 1, 1), on=date(2026, 1, 16), actor=STAFF),
        "not in the plan's year",
    )
    rejected(
        p,
        lambda: add(title="x", owner="o", due=date(2026, 1, 1), on=date(2026, 1, 16), actor=STAFF),
        "before the task was added",
    )
    rejected(
        p,
        lambda: add(title="x", owner="o", due=date(2026, 3, 1), on=date(2026, 1, 1), actor=STAFF),
        "before the plan's adoption",
    )
    p.report_progress(number=1, percent=30, note=None, on=date(2026, 3, 1), actor=STAFF)
    for percent, on, message in (
        (20, date(2026, 3, 2), "cannot go back"),
        (100, date(2026, 3, 2), "0–99"),
        (40, date(2026, 2, 1), "before the task's last record"),
    ):
        rejected(
            p,
            lambda percent=percent, on=on: p.report_progress(  # type: ignore[misc]
                number=1, percent=percent, note=None, on=on, actor=STAFF
            ),
            message,
        )
    rejected(
        p, lambda: p.complete(number=2, note=None, on=date(2026, 4, 1), actor=STAFF), "no task"
    )
    p.complete(number=1, note="完成", on=date(2026, 7, 1), actor=STAFF)
    rejected(
        p, lambda: p.complete(number=1, note=None, on=date(2026, 8, 1), actor=STAFF), "completed"
    )
    assert p.completion() == {
        "tasks": 1, "completed": 1, "completed_on_time": 0, "completion_rate": 1.0
    }  # fmt: skip
    with pytest.raises(RuleViolated, match="adopted before or during"):
        WorkPlan.adopt(level="county", year=2025, title=None, on=date(2026, 1, 1), actor=STAFF)


def test_campaign_links_tasks_of_its_level() -> None:
    p = new_plan()
    p.add_task(title="t", owner="o", due=date(2026, 6, 30), on=date(2026, 1, 15), actor=STAFF)
    c = Campaign.launch(
        title="代表进家站，履职为人民", level="provincial", on=date(2026, 2, 1), actor=STAFF
    )
    rejected(c, lambda: c.link(plan=p, number=1, on=date(2026, 1, 1), actor=STAFF), "before")
    rejected(c, lambda: c.link(plan=p, number=2, on=date(2026, 2, 1), actor=STAFF), "no task")
    c.link(plan=p, number=1, on=date(2026, 2, 1), actor=STAFF)
    rejected(c, lambda: c.link(plan=p, number=1, on=date(2026, 2, 2), actor=STAFF), "already")
    county = Campaign.launch(title="x", level="county", on=date(2026, 2, 1), actor=STAFF)
    rejected(
        county, lambda: county.link(plan=p, number=1, on=date(2026, 2, 1), actor=STAFF), "level"
    )
    c.conclude(on=date(2026, 12, 1), actor=STAFF)
    rejected(c, lambda: c.conclude(on=date(2026, 12, 2), actor=STAFF), "concluded")
