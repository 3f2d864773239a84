"""Pure tests of the Station and Division aggregates: every transition and rejection."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.division import Division, DivisionKind, check_parent
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.station import CLOSED, OPEN, Station
from renda_core.domain.values import Actor, Level

STAFF = Actor("clerk-1", "staff")
D0 = date(2023, 1, 15)


def new_station(**kw: object) -> Station:
    args: dict[str, object] = {
        "name": "南岭街道代表之家",
        "kind": "home",
        "division": "220102001",
        "co_located": ["party_service", "legislative_contact"],
        "on": D0,
        "actor": STAFF,
    }
    args.update(kw)
    return Station.establish(**args)  # type: ignore[arg-type]


def topics(agg: object) -> list[str]:
    return [type(e).TOPIC for e in agg.collect_events()]  # type: ignore[attr-defined]


def test_establish_enter_activity_leave_close() -> None:
    s = new_station()
    s.enter(deputy_id="d1", level=Level.PROVINCIAL, on=date(2023, 2, 1), actor=STAFF)
    s.enter(deputy_id="d2", level=Level.TOWNSHIP, on=date(2023, 2, 1), actor=STAFF)
    number = s.hold_activity(
        kind="reception_day",
        on=date(2023, 3, 1),
        deputies=["d1", "d2"],
        people_received=25,
        topic="民生实事",
        actor=STAFF,
    )
    assert number == 1
    s.leave(deputy_id="d2", on=date(2023, 5, 1), actor=STAFF)
    s.close(on=date(2023, 6, 30), actor=STAFF)
    assert s.status == CLOSED and s.closed_on == date(2023, 6, 30)
    assert list(s.roster) == ["d1"]
    assert s.memberships[1]["until"] == date(2023, 5, 1)
    assert topics(s) == [
        "renda:Station.Established",
        "renda:Station.DeputyEntered",
        "renda:Station.DeputyEntered",
        "renda:Station.ActivityHeld",
        "renda:Station.DeputyLeft",
        "renda:Station.Closed",
    ]
    assert s.to_dict()["status_label"] == "已关闭"


def test_a_deputy_may_enter_again_after_leaving() -> None:
    s = new_station()
    s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 2, 1), actor=STAFF)
    s.leave(deputy_id="d1", on=date(2023, 3, 1), actor=STAFF)
    s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 4, 1), actor=STAFF)
    assert s.status == OPEN and len(s.memberships) == 2


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"division": "22010"}, InvalidInput),
        ({"co_located": ["party_service", "party_service"]}, RuleViolated),
        ({"kind": "castle"}, ValueError),
    ],
)
def test_establish_rejects(kw: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        new_station(**kw)


def test_rejections_of_roster_and_activities() -> None:
    s = new_station()
    with pytest.raises(RuleViolated, match="before"):
        s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 1, 1), actor=STAFF)
    s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 2, 1), actor=STAFF)
    with pytest.raises(RuleViolated, match="already on the roster"):
        s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 2, 2), actor=STAFF)
    with pytest.raises(RuleViolated, match="not on the roster"):
        s.leave(deputy_id="d9", on=date(2023, 3, 1), actor=STAFF)
    with pytest.raises(RuleViolated, match="before"):
        s.leave(deputy_id="d1", on=date(2023, 1, 20), actor=STAFF)

    def activity(**kw: object) -> None:
        args: dict[str, object] = {
            "kind": "face_to_face",
            "on": date(2023, 3, 1),
            "deputies": ["d1"],
            "people_received": 3,
            "topic": None,
            "actor": STAFF,
        }
        args.update(kw)
        s.hold_activity(**args)  # type: ignore[arg-type]

    for kw, match in [
        ({"deputies": []}, "at least one"),
        ({"deputies": ["d1", "d1"]}, "twice"),
        ({"deputies": ["d9"]}, "not on the roster"),
        ({"on": date(2023, 1, 20)}, "not on the roster of .* on 2023-01-20"),
        ({"people_received": -1}, "negative"),
    ]:
        with pytest.raises(RuleViolated, match=match):
            activity(**kw)
    assert len(s.activities) == 0
    with pytest.raises(RuleViolated, match="last recorded change"):
        s.close(on=date(2023, 1, 31), actor=STAFF)


def test_nothing_happens_at_a_closed_station() -> None:
    s = new_station()
    s.enter(deputy_id="d1", level=Level.COUNTY, on=date(2023, 2, 1), actor=STAFF)
    s.close(on=date(2023, 6, 30), actor=STAFF)
    later = date(2023, 7, 1)
    with pytest.raises(RuleViolated, match="closed"):
        s.enter(deputy_id="d2", level=Level.COUNTY, on=later, actor=STAFF)
    with pytest.raises(RuleViolated, match="closed"):
        s.leave(deputy_id="d1", on=later, actor=STAFF)
    with pytest.raises(RuleViolated, match="closed"):
        s.hold_activity(
            kind="other", on=later, deputies=["d1"], people_received=0, topic=None, actor=STAFF
        )
    with pytest.raises(RuleViolated, match="closed"):
        s.close(on=later, actor=STAFF)
    with pytest.raises(RuleViolated, match="closed"):
        s.check_open_on(later, "collect an opinion")


def test_division_record_and_correct() -> None:
    d = Division.record(
        code="220102001",
        name="南岭街道",
        kind=DivisionKind.STREET,
        parent_code="220102",
        on=D0,
        actor=STAFF,
    )
    assert d.id == Division.create_id("220102001") and d.is_base
    assert d.changes_from(name="南岭街道", kind=DivisionKind.STREET, parent_code="220102") == {}
    changes = d.changes_from(name="南岭街道办事处", kind=DivisionKind.STREET, parent_code="220102")
    d.correct(changes, on=D0, actor=STAFF)
    assert d.name == "南岭街道办事处"
    with pytest.raises(RuleViolated):
        d.correct({}, on=D0, actor=STAFF)
    with pytest.raises(RuleViolated):
        d.correct({"code": "220102002"}, on=D0, actor=STAFF)
    with pytest.raises(RuleViolated):
        d.correct({"parent_code": "220102001"}, on=D0, actor=STAFF)
    with pytest.raises(RuleViolated):
        Division.record(
            code="220102",
            name="x",
            kind=DivisionKind.COUNTY,
            parent_code="220102",
            on=D0,
            actor=STAFF,
        )


@pytest.mark.parametrize(
    ("kind", "parent_kind", "ok"),
    [
        ("province", None, True),
        ("province", "province", False),
        ("prefecture", "province", True),
        ("county", "prefecture", True),
        ("county", "province", True),
        ("street", "county", True),
        ("township", "township", False),
        ("prefecture", "county", False),
        ("county", None, False),
    ],
)
def test_parent_ranks(kind: str, parent_kind: str | None, ok: bool) -> None:
    if ok:
        check_parent(kind, parent_kind, "220000")
    else:
        with pytest.raises(RuleViolated):
            check_parent(kind, parent_kind, "220000")
