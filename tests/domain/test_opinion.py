"""Pure tests of the Opinion aggregate: the closed loop and its illegal orders."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.errors import RuleViolated
from renda_core.domain.opinion import (
    ACCEPTED,
    CLOSED,
    ESCALATED,
    FED_BACK,
    HANDLED,
    MERGED,
    OUT_OF_SCOPE,
    REFERRED,
    Opinion,
)
from renda_core.domain.values import Actor

STAFF = Actor("clerk-1", "staff")
D0 = date(2023, 3, 1)
D1, D2, D3, D4, D5 = (date(2023, 3, d) for d in (2, 3, 10, 11, 12))


def collected(**kw: object) -> Opinion:
    args: dict[str, object] = {
        "station_id": "s1",
        "channel": "reception_day",
        "content": "村路坑洼，雨天难行",
        "deputies": ["d1", "d2"],
        "category": "民生",
        "on": D0,
        "actor": STAFF,
    }
    args.update(kw)
    return Opinion.collect(**args)  # type: ignore[arg-type]


def accepted() -> Opinion:
    o = collected()
    o.accept(on=D1, note=None, actor=STAFF)
    return o


def topics(o: Opinion) -> list[str]:
    return [type(e).TOPIC for e in o.collect_events()]  # type: ignore[attr-defined]


def test_the_whole_loop_referred_fed_back_evaluated() -> None:
    o = accepted()
    o.refer(body="街道办事处", body_kind="local", due=date(2023, 4, 1), on=D2, actor=STAFF)
    assert o.status == REFERRED
    o.record_result(result="已修复", on=D3, actor=STAFF)
    assert o.status == HANDLED
    o.feed_back(to=["deputy", "citizen"], note=None, on=D4, actor=STAFF)
    assert o.status == FED_BACK
    o.evaluate(rating="satisfied", note=None, on=D5, actor=STAFF)
    assert o.status == CLOSED
    assert topics(o) == [
        "renda:Opinion.Collected",
        "renda:Opinion.Screened",
        "renda:Opinion.Referred",
        "renda:Opinion.ResultRecorded",
        "renda:Opinion.FedBack",
        "renda:Opinion.Evaluated",
    ]


def test_answered_on_the_spot_then_closed_without_evaluation() -> None:
    o = accepted()
    o.answer(result="当场解释政策", on=D1, actor=STAFF)
    assert o.status == HANDLED and o.route is not None and o.route["kind"] == "on_the_spot"
    o.feed_back(to=["citizen"], note=None, on=D1, actor=STAFF)
    o.close(note=None, on=D2, actor=STAFF)
    assert o.status == CLOSED


def test_escalated_into_a_suggestion() -> None:
    o = accepted()
    o.escalate(target_kind="suggestion", target_id="sg-1", on=D2, actor=STAFF)
    assert o.status == ESCALATED
    assert o.route == {
        "kind": "escalated",
        "target_kind": "suggestion",
        "target_id": "sg-1",
        "on": D2,
    }
    o.record_result(result="建议已答复，列入计划", on=D3, actor=STAFF)
    assert o.status == HANDLED


def test_unsatisfied_evaluation_reopens_and_needs_a_reason() -> None:
    o = accepted()
    o.answer(result="答复", on=D1, actor=STAFF)
    o.feed_back(to=["citizen"], note=None, on=D2, actor=STAFF)
    with pytest.raises(RuleViolated, match="reason"):
        o.evaluate(rating="unsatisfied", note=" ", on=D3, actor=STAFF)
    o.evaluate(rating="unsatisfied", note="问题未解决", on=D3, actor=STAFF)
    assert o.status == ACCEPTED and o.round == 2 and o.result is None
    o.refer(body="交通局", body_kind="department", due=D5, on=D4, actor=STAFF)
    assert o.status == REFERRED


def test_out_of_scope_is_closed_after_advice() -> None:
    o = collected()
    o.rule_out_of_scope(advice="litigation", note="属司法程序", on=D1, actor=STAFF)
    assert o.status == OUT_OF_SCOPE and o.advice == "litigation"
    with pytest.raises(RuleViolated):
        o.refer(body="x", body_kind="local", due=D5, on=D2, actor=STAFF)
    o.close(note=None, on=D2, actor=STAFF)
    assert o.status == CLOSED


def test_duplicate_is_merged_into_an_accepted_item() -> None:
    target = accepted()
    dup = collected(content="同一条路")
    dup.merge_into(target, on=D2, note=None, actor=STAFF)
    assert dup.status == MERGED and dup.merged_into == str(target.id)
    assert target.duplicates == [str(dup.id)]
    assert topics(target)[-1] == "renda:Opinion.DuplicateMerged"


def test_merge_rejections() -> None:
    o = collected()
    with pytest.raises(RuleViolated, match="itself"):
        o.merge_into(o, on=D1, note=None, actor=STAFF)
    with pytest.raises(RuleViolated, match="not an accepted item"):
        o.merge_into(collected(), on=D1, note=None, actor=STAFF)
    closed = collected()
    closed.rule_out_of_scope(advice="petition", note=None, on=D1, actor=STAFF)
    with pytest.raises(RuleViolated):
        o.merge_into(closed, on=D1, note=None, actor=STAFF)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"deputies": []}, "at least one"),
        ({"deputies": ["d1", "d1"]}, "twice"),
        ({"content": "   "}, "empty"),
    ],
)
def test_collect_rejects(kw: dict[str, object], match: str) -> None:
    with pytest.raises(RuleViolated, match=match):
        collected(**kw)


def test_illegal_orders_are_rejected_and_record_nothing() -> None:
    o = collected()
    o.collect_events()
    for step in (
        lambda: o.feed_back(to=["citizen"], note=None, on=D1, actor=STAFF),
        lambda: o.close(note=None, on=D1, actor=STAFF),
        lambda: o.answer(result="x", on=D1, actor=STAFF),
        lambda: o.escalate(target_kind="bulletin", target_id="b", on=D1, actor=STAFF),
        lambda: o.record_result(result="x", on=D1, actor=STAFF),
        lambda: o.evaluate(rating="satisfied", note=None, on=D1, actor=STAFF),
    ):
        with pytest.raises(RuleViolated):
            step()
    o.accept(on=D1, note=None, actor=STAFF)
    with pytest.raises(RuleViolated, match="screen"):
        o.accept(on=D1, note=None, actor=STAFF)
    with pytest.raises(RuleViolated, match="before a handling result"):
        o.feed_back(to=["citizen"], note=None, on=D1, actor=STAFF)
    with pytest.raises(RuleViolated, match="without feedback"):
        o.close(note=None, on=D1, actor=STAFF)
    with pytest.raises(RuleViolated, match="due date"):
        o.refer(body="x", body_kind="local", due=D0, on=D1, actor=STAFF)
    with pytest.raises(RuleViolated, match="before the opinion's last step"):
        o.refer(body="x", body_kind="local", due=D5, on=D0, actor=STAFF)
    o.answer(result="x", on=D1, actor=STAFF)
    with pytest.raises(RuleViolated, match="without feedback"):
        o.close(note=None, on=D1, actor=STAFF)
    with pytest.raises(RuleViolated, match="deputy, the citizen"):
        o.feed_back(to=[], note=None, on=D1, actor=STAFF)
    assert topics(o) == ["renda:Opinion.Screened", "renda:Opinion.AnsweredOnTheSpot"]
    o.feed_back(to=["deputy"], note=None, on=D2, actor=STAFF)
    o.close(note=None, on=D2, actor=STAFF)
    for step in (
        lambda: o.close(note=None, on=D3, actor=STAFF),
        lambda: o.evaluate(rating="satisfied", note=None, on=D3, actor=STAFF),
        lambda: o.feed_back(to=["citizen"], note=None, on=D3, actor=STAFF),
    ):
        with pytest.raises(RuleViolated):
            step()


def test_personal_data_stays_out_when_asked() -> None:
    o = collected(citizen_name="王某", citizen_phone="13800000000")
    assert o.to_dict()["citizen_name"] == "王某"
    public = o.to_dict(personal_data=False)
    assert public["citizen_name"] is None and public["citizen_phone"] is None
    assert not public["anonymous"]
    assert collected().to_dict()["anonymous"]
