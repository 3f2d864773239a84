"""Pure tests of the DeputyGroup and TrainingCourse aggregates."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.group import ACTIVE, DISSOLVED, DeputyGroup
from renda_core.domain.training import TrainingCourse
from renda_core.domain.values import Actor, Level

STAFF = Actor("clerk-1", "staff")
D0 = date(2023, 1, 20)


def new_group(**kw: object) -> DeputyGroup:
    args: dict[str, object] = {
        "name": "长春市代表小组",
        "basis": "electoral_unit",
        "unit": "长春市人民代表大会",
        "level": Level.PROVINCIAL,
        "term": 14,
        "area": "220100",
        "on": D0,
        "actor": STAFF,
    }
    args.update(kw)
    return DeputyGroup.form(**args)  # type: ignore[arg-type]


def test_group_lifecycle() -> None:
    g = new_group()
    g.add_member(deputy_id="d1", on=D0, actor=STAFF)
    g.add_member(deputy_id="d2", on=D0, actor=STAFF)
    g.appoint_leader(deputy_id="d1", on=date(2023, 2, 1), actor=STAFF)
    n = g.hold_activity(
        kind="mediation",
        on=date(2023, 5, 1),
        participants=["d1", "d2"],
        disputes_handled=4,
        disputes_resolved=3,
        topic="土地流转纠纷",
        actor=STAFF,
    )
    assert n == 1
    g.remove_member(deputy_id="d1", on=date(2023, 6, 1), actor=STAFF)
    assert g.leader is None and list(g.members) == ["d2"]
    g.dissolve(on=date(2027, 12, 31), actor=STAFF)
    assert g.status == DISSOLVED
    assert g.to_dict()["status_label"] == "已解散"


def test_group_rejections() -> None:
    with pytest.raises(InvalidInput):
        new_group(area="2201")
    with pytest.raises(RuleViolated):
        new_group(term=0)
    g = new_group()
    assert g.status == ACTIVE
    with pytest.raises(RuleViolated, match="before"):
        g.add_member(deputy_id="d1", on=date(2023, 1, 1), actor=STAFF)
    g.add_member(deputy_id="d1", on=D0, actor=STAFF)
    with pytest.raises(RuleViolated, match="already a member"):
        g.add_member(deputy_id="d1", on=D0, actor=STAFF)
    with pytest.raises(RuleViolated, match="not a member"):
        g.appoint_leader(deputy_id="d9", on=D0, actor=STAFF)
    with pytest.raises(RuleViolated, match="not a member"):
        g.remove_member(deputy_id="d9", on=D0, actor=STAFF)
    g.appoint_leader(deputy_id="d1", on=D0, actor=STAFF)
    with pytest.raises(RuleViolated, match="already leads"):
        g.appoint_leader(deputy_id="d1", on=D0, actor=STAFF)

    def activity(**kw: object) -> None:
        args: dict[str, object] = {
            "kind": "mediation",
            "on": date(2023, 3, 1),
            "participants": ["d1"],
            "disputes_handled": 1,
            "disputes_resolved": 1,
            "actor": STAFF,
        }
        args.update(kw)
        g.hold_activity(**args)  # type: ignore[arg-type]

    for kw, match in [
        ({"participants": []}, "at least one"),
        ({"participants": ["d1", "d1"]}, "twice"),
        ({"participants": ["d9"]}, "not a member"),
        ({"kind": "study"}, "mediation activities only"),
        ({"disputes_resolved": 2}, "more than"),
        ({"disputes_handled": -1}, "negative"),
        ({"on": date(2023, 1, 1)}, "before"),
    ]:
        with pytest.raises(RuleViolated, match=match):
            activity(**kw)
    g.dissolve(on=date(2023, 3, 1), actor=STAFF)
    for step in (
        lambda: g.add_member(deputy_id="d2", on=date(2023, 4, 1), actor=STAFF),
        lambda: g.remove_member(deputy_id="d1", on=date(2023, 4, 1), actor=STAFF),
        lambda: g.appoint_leader(deputy_id="d1", on=date(2023, 4, 1), actor=STAFF),
        lambda: activity(on=date(2023, 4, 1)),
        lambda: g.dissolve(on=date(2023, 4, 1), actor=STAFF),
    ):
        with pytest.raises(RuleViolated, match="dissolved"):
            step()


def new_course() -> TrainingCourse:
    return TrainingCourse.plan(
        kind="duty",
        title="省人大代表履职学习班（第一期）",
        topic="因地制宜发展新质生产力",
        starts=date(2023, 4, 10),
        ends=date(2023, 4, 12),
        target_level=Level.PROVINCIAL,
        on=date(2023, 3, 1),
        actor=STAFF,
    )


def test_course_lifecycle() -> None:
    c = new_course()
    c.enrol(deputy_id="d1", on=date(2023, 3, 20), actor=STAFF)
    c.attend(deputy_id="d1", on=date(2023, 4, 10), actor=STAFF)
    c.attend(deputy_id="d1", on=date(2023, 4, 11), actor=STAFF)
    c.complete(deputy_id="d1", on=date(2023, 4, 12), actor=STAFF)
    data = c.to_dict()
    assert data["enrolled"][0]["completed_on"] == "2023-04-12"
    assert data["enrolled"][0]["attended"] == ["2023-04-10", "2023-04-11"]
    assert [type(e).TOPIC for e in c.collect_events()] == [  # type: ignore[attr-defined]
        "renda:TrainingCourse.Planned",
        "renda:TrainingCourse.DeputyEnrolled",
        "renda:TrainingCourse.AttendanceRecorded",
        "renda:TrainingCourse.AttendanceRecorded",
        "renda:TrainingCourse.DeputyCompleted",
    ]


def test_course_rejections() -> None:
    with pytest.raises(RuleViolated, match="before it starts"):
        TrainingCourse.plan(
            kind="topical",
            title="t",
            topic=None,
            starts=date(2023, 4, 12),
            ends=date(2023, 4, 10),
            target_level=None,
            on=date(2023, 3, 1),
            actor=STAFF,
        )
    c = new_course()
    with pytest.raises(RuleViolated, match="not enrolled"):
        c.attend(deputy_id="d1", on=date(2023, 4, 10), actor=STAFF)
    with pytest.raises(RuleViolated, match="not enrolled"):
        c.complete(deputy_id="d1", on=date(2023, 4, 12), actor=STAFF)
    with pytest.raises(RuleViolated, match="ended"):
        c.enrol(deputy_id="d1", on=date(2023, 5, 1), actor=STAFF)
    c.enrol(deputy_id="d1", on=date(2023, 3, 20), actor=STAFF)
    with pytest.raises(RuleViolated, match="already enrolled"):
        c.enrol(deputy_id="d1", on=date(2023, 3, 21), actor=STAFF)
    with pytest.raises(RuleViolated, match="outside"):
        c.attend(deputy_id="d1", on=date(2023, 4, 13), actor=STAFF)
    with pytest.raises(RuleViolated, match="no recorded attendance"):
        c.complete(deputy_id="d1", on=date(2023, 4, 12), actor=STAFF)
    c.attend(deputy_id="d1", on=date(2023, 4, 11), actor=STAFF)
    with pytest.raises(RuleViolated, match="already recorded"):
        c.attend(deputy_id="d1", on=date(2023, 4, 11), actor=STAFF)
    with pytest.raises(RuleViolated, match="before the last attendance"):
        c.complete(deputy_id="d1", on=date(2023, 4, 10), actor=STAFF)
    c.complete(deputy_id="d1", on=date(2023, 4, 12), actor=STAFF)
    with pytest.raises(RuleViolated, match="already completed"):
        c.complete(deputy_id="d1", on=date(2023, 4, 12), actor=STAFF)
