"""Pure tests of the Bulletin aggregate: every transition and every rejection."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.bulletin import Bulletin, BulletinStatus, ItemKind
from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import Actor

EDITOR = Actor("ed", "editor")
LEADER = Actor("gov", "leader:省长")


def d(text: str) -> date:
    return date.fromisoformat(text)


def issue() -> Bulletin:
    b = Bulletin.open(year=2024, number=3, title="边境口岸专刊", on=d("2024-09-12"), actor=EDITOR)
    b.include(
        kind=ItemKind.SUGGESTION,
        ref="s-1",
        title="口岸",
        summary="摘要",
        deputy="dep-1",
        on=d("2024-09-13"),
        actor=EDITOR,
    )
    b.include(
        kind=ItemKind.OPINION,
        ref="op-1",
        title="群众反映",
        summary="社情民意",
        deputy=None,
        on=d("2024-09-13"),
        actor=EDITOR,
    )
    return b


def test_open_include_publish_instruct_forward() -> None:
    b = issue()
    assert b.id == Bulletin.create_id(2024, 3)
    b.publish(recipients=["省委", "省政府", "省委"], on=d("2024-09-14"), actor=EDITOR)
    assert b.status is BulletinStatus.PUBLISHED and b.recipients == ["省委", "省政府"]
    b.instruct(item=1, leader="省长", text="请商务厅研办", on=d("2024-09-20"), actor=LEADER)
    b.forward(
        item=2,
        leader="省长",
        lead_unit="省民政厅",
        co_units=[],
        suggestion_id="new",
        created=True,
        note=None,
        on=d("2024-09-27"),
        actor=LEADER,
    )
    assert b.items[1]["suggestion_id"] == "new" and b.items[0]["suggestion_id"] == "s-1"
    assert [type(e).TOPIC for e in b.collect_events()] == [  # type: ignore[attr-defined]
        "renda:Bulletin.Opened",
        "renda:Bulletin.ItemIncluded",
        "renda:Bulletin.ItemIncluded",
        "renda:Bulletin.Published",
        "renda:Bulletin.InstructionRecorded",
        "renda:Bulletin.ItemForwarded",
    ]
    with pytest.raises(RuleViolated, match="already forwarded to 省民政厅"):
        b.check_forward(2, d("2024-09-28"))


def test_rejections_before_publication() -> None:
    b = issue()
    with pytest.raises(RuleViolated, match="not published yet"):
        b.instruct(item=1, leader="省长", text="x", on=d("2024-09-20"), actor=LEADER)
    with pytest.raises(RuleViolated, match="not published yet"):
        b.check_forward(1, d("2024-09-20"))
    with pytest.raises(RuleViolated, match="already carries s-1"):
        b.include(
            kind=ItemKind.SUGGESTION,
            ref="s-1",
            title="x",
            summary="x",
            deputy=None,
            on=d("2024-09-13"),
            actor=EDITOR,
        )
    with pytest.raises(RuleViolated, match="names the opinion"):
        b.include(
            kind=ItemKind.OPINION,
            ref=None,
            title="x",
            summary="x",
            deputy=None,
            on=d("2024-09-13"),
            actor=EDITOR,
        )
    with pytest.raises(RuleViolated, match="summary"):
        b.include(
            kind=ItemKind.TEXT,
            ref=None,
            title="x",
            summary=" ",
            deputy=None,
            on=d("2024-09-13"),
            actor=EDITOR,
        )
    with pytest.raises(RuleViolated, match="before the issue was opened"):
        b.include(
            kind=ItemKind.TEXT,
            ref=None,
            title="x",
            summary="x",
            deputy=None,
            on=d("2024-09-01"),
            actor=EDITOR,
        )
    with pytest.raises(RuleViolated, match="at least one recipient"):
        b.publish(recipients=[" "], on=d("2024-09-14"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="before the last item"):
        b.publish(recipients=["省委"], on=d("2024-09-12"), actor=EDITOR)
    b.remove(item=1, reason="重复", on=d("2024-09-13"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="already removed"):
        b.remove(item=1, reason="重复", on=d("2024-09-13"), actor=EDITOR)
    b.remove(item=2, reason="撤稿", on=d("2024-09-13"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="no items"):
        b.publish(recipients=["省委"], on=d("2024-09-14"), actor=EDITOR)


def test_rejections_after_publication() -> None:
    b = issue()
    b.remove(item=2, reason="撤稿", on=d("2024-09-13"), actor=EDITOR)
    b.publish(recipients=["省委"], on=d("2024-09-14"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="published on 2024-09-14"):
        b.include(
            kind=ItemKind.TEXT,
            ref=None,
            title="x",
            summary="x",
            deputy=None,
            on=d("2024-09-15"),
            actor=EDITOR,
        )
    with pytest.raises(RuleViolated, match="published on"):
        b.publish(recipients=["省委"], on=d("2024-09-15"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="was removed"):
        b.instruct(item=2, leader="省长", text="x", on=d("2024-09-20"), actor=LEADER)
    with pytest.raises(RuleViolated, match="no item 9"):
        b.instruct(item=9, leader="省长", text="x", on=d("2024-09-20"), actor=LEADER)
    with pytest.raises(RuleViolated, match="before publication"):
        b.instruct(item=1, leader="省长", text="x", on=d("2024-09-13"), actor=LEADER)
    with pytest.raises(RuleViolated, match="needs its text"):
        b.instruct(item=1, leader="省长", text=" ", on=d("2024-09-20"), actor=LEADER)


def test_open_rejects_implausible_numbers() -> None:
    with pytest.raises(RuleViolated, match="issue number"):
        Bulletin.open(year=2024, number=0, title="x", on=d("2024-01-02"), actor=EDITOR)
    with pytest.raises(RuleViolated, match="too early"):
        Bulletin.open(year=2024, number=1, title="x", on=d("2020-01-02"), actor=EDITOR)
