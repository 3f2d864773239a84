"""Pure tests of the Suggestion aggregate: every transition and every rejection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from renda_core.domain.deadlines import NATIONAL, Clock, Period, Unit
from renda_core.domain.errors import RuleViolated
from renda_core.domain.suggestion import (
    Channel,
    ExclusionReason,
    Rating,
    ReviewOutcome,
    Source,
    Status,
    Suggestion,
    open_deadlines,
    redact,
)
from renda_core.domain.values import Actor, ContactForm

STAFF = Actor("clerk-1", "staff")
LEAD = "lead-1"
CO = "co-1"
DEP = Actor("jin", f"deputy:{LEAD}")
UNIT = Actor("w", "unit:省商务厅")
CLOCK = Clock()


def d(text: str) -> date:
    return date.fromisoformat(text)


def topics(s: Suggestion) -> list[str]:
    return [type(e).TOPIC for e in s.collect_events()]  # type: ignore[attr-defined]


def drafted(channel: Channel = Channel.RECESS, source: Source = Source.FORUM) -> Suggestion:
    return Suggestion.draft(
        title="关于加快边境口岸建设的建议",
        body="建议……",
        category="经济",
        channel=channel,
        source=source,
        lead_deputy=LEAD,
        lead_name="金美玉",
        area="222401",
        level="provincial",
        on=d("2024-09-01"),
        actor=DEP,
    )


def at(
    status: Status,
    *,
    co_units: tuple[str, ...] = ("省交通运输厅",),
    cosign: bool = True,
    result: Rating = Rating.DISSATISFIED,
) -> Suggestion:
    """A suggestion brought to ``status`` by the usual path."""
    s = drafted()
    if cosign:
        s.invite(deputy_id=CO, name="李春华", on=d("2024-09-02"), actor=DEP)
        s.cosign(deputy_id=CO, on=d("2024-09-03"), actor=Actor("li", f"deputy:{CO}"))
    if status is Status.DRAFT:
        return s
    if status is Status.PRESUBMITTED:
        s.presubmit(on=d("2024-09-04"), actor=DEP)
        return s
    s.submit(on=d("2024-09-10"), clock=CLOCK, actor=DEP)
    if status is Status.SUBMITTED:
        return s
    if status is Status.CONVERTED:
        s.reject(
            reason=ExclusionReason.PERSONAL, explanation="个人私事", on=d("2024-09-11"), actor=STAFF
        )
        return s
    s.accept(number="0001", on=d("2024-09-20"), actor=STAFF)
    if status is Status.ACCEPTED:
        return s
    if status is Status.WITHDRAWN:
        s.withdraw(consents=[CO], statement="书面撤回", on=d("2024-09-21"), actor=DEP)
        return s
    s.assign(
        lead_unit="省商务厅",
        co_units=list(co_units),
        complex_=False,
        on=d("2024-09-27"),
        clock=CLOCK,
        actor=STAFF,
    )
    if status is Status.ASSIGNED:
        return s
    s.reply(
        unit="省商务厅",
        result_class="B",
        text="正在解决",
        on=d("2024-12-20"),
        clock=CLOCK,
        actor=UNIT,
    )
    if status is Status.REPLIED:
        return s
    s.evaluate(
        attitude=Rating.SATISFIED, result=result, reason="未解决", on=d("2025-01-05"), actor=DEP
    )
    if status is Status.EVALUATED:
        return s
    if status is Status.REHANDLING:
        s.rehandle(reason="重新办理", on=d("2025-01-06"), clock=CLOCK, actor=STAFF)
        return s
    s.close(note=None, on=d("2025-01-10"), actor=STAFF)
    assert status is Status.CLOSED
    return s


def test_the_whole_path_records_one_event_per_step_with_actor_and_date() -> None:
    s = at(Status.REHANDLING)
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="已解决",
        on=d("2025-02-01"),
        clock=CLOCK,
        actor=UNIT,
    )
    s.evaluate(
        attitude=Rating.SATISFIED,
        result=Rating.SATISFIED,
        reason=None,
        on=d("2025-02-05"),
        actor=DEP,
    )
    s.close(note="办结", on=d("2025-02-10"), actor=STAFF)
    events = s.collect_events()
    assert [type(e).TOPIC for e in events] == [  # type: ignore[attr-defined]
        "renda:Suggestion.Drafted",
        "renda:Suggestion.CosignerInvited",
        "renda:Suggestion.Cosigned",
        "renda:Suggestion.Submitted",
        "renda:Suggestion.Accepted",
        "renda:Suggestion.Assigned",
        "renda:Suggestion.Replied",
        "renda:Suggestion.Evaluated",
        "renda:Suggestion.RehandlingOrdered",
        "renda:Suggestion.Replied",
        "renda:Suggestion.Evaluated",
        "renda:Suggestion.Closed",
    ]
    assert all(isinstance(e.actor, Actor) for e in events)  # type: ignore[attr-defined]
    assert all(isinstance(e.on, date) for e in events)  # type: ignore[attr-defined]
    assert s.status is Status.CLOSED
    assert [r["round"] for r in s.replies] == [1, 2]
    assert s.replies[1]["due"] == d("2025-02-06") and s.replies[1]["on_time"]


def test_submission_sets_the_assignment_due_date_for_inter_session_suggestions() -> None:
    s = at(Status.SUBMITTED)
    # 2024-09-10 (Tue) + 7 working days, Mid-Autumn 09-15..17 off, 09-14 (Sat) worked
    assert s.assignment_due == d("2024-09-20")
    session = drafted(channel=Channel.SESSION, source=Source.SESSION)
    session.submit(on=d("2024-09-08"), clock=CLOCK, actor=DEP)
    assert session.assignment_due is None


def test_session_source_needs_the_session_channel() -> None:
    with pytest.raises(RuleViolated, match="session suggestion"):
        drafted(channel=Channel.RECESS, source=Source.SESSION)


def test_assignment_sets_the_statutory_clock() -> None:
    s = at(Status.ASSIGNED)
    assert s.reply_due == d("2024-12-27")  # 3 months
    assert s.objection_until == d("2024-10-12")  # 7 working days over National Day
    # 1 month: 2024-10-27 is a Sunday, so the period ends on Monday 10-28
    # (policy roll_to_working_day, Civil Code Art. 203 style)
    assert s.co_opinion_due == d("2024-10-28")
    assert s.extension_limit == d("2025-03-27")  # 3 months more at most
    assert s.policy == "national"
    due = {x["deadline"]: x["due"] for x in s.to_dict()["open_deadlines"]}
    assert due == {"reply_due": "2024-12-27", "co_opinion_due": "2024-10-28"}


def test_a_complex_suggestion_gets_six_months() -> None:
    s = at(Status.ACCEPTED)
    s.assign(
        lead_unit="省发改委",
        co_units=[],
        complex_=True,
        on=d("2024-10-31"),
        clock=CLOCK,
        actor=STAFF,
    )
    assert s.reply_due == d("2025-04-30") and s.co_opinion_due is None  # clamped


# -- drafting ---------------------------------------------------------------------------


def test_revise_changes_only_what_differs_and_only_before_submission() -> None:
    s = drafted()
    s.revise(title="新标题", body=None, category="经济", on=d("2024-09-02"), actor=DEP)
    assert s.title == "新标题" and s.revisions[-1]["fields"] == ["title"]
    with pytest.raises(RuleViolated, match="nothing to revise"):
        s.revise(title="新标题", body=None, category=None, on=d("2024-09-02"), actor=DEP)
    s = at(Status.SUBMITTED)
    with pytest.raises(RuleViolated, match="cannot revise"):
        s.revise(title="x", body=None, category=None, on=d("2024-09-12"), actor=DEP)


def test_cosigners_invited_confirm_or_decline_and_unconfirmed_lapse() -> None:
    s = drafted()
    s.invite(deputy_id="a", name="甲", on=d("2024-09-02"), actor=DEP)
    s.invite(deputy_id="b", name="乙", on=d("2024-09-02"), actor=DEP)
    s.invite(deputy_id="c", name="丙", on=d("2024-09-02"), actor=DEP)
    s.cosign(deputy_id="a", on=d("2024-09-03"), actor=STAFF)
    s.decline(deputy_id="b", on=d("2024-09-03"), actor=STAFF)
    s.submit(on=d("2024-09-10"), clock=CLOCK, actor=DEP)
    assert {k: v["state"] for k, v in s.cosigners.items()} == {
        "a": "confirmed",
        "b": "declined",
        "c": "lapsed",
    }
    assert s.addressees == [LEAD, "a"]


def test_cosigning_rejections() -> None:
    s = drafted()
    with pytest.raises(RuleViolated, match="cannot co-sign their own"):
        s.invite(deputy_id=LEAD, name=None, on=d("2024-09-02"), actor=DEP)
    with pytest.raises(RuleViolated, match="was not invited"):
        s.cosign(deputy_id="x", on=d("2024-09-02"), actor=STAFF)
    s.invite(deputy_id="a", name=None, on=d("2024-09-02"), actor=DEP)
    with pytest.raises(RuleViolated, match="already invited"):
        s.invite(deputy_id="a", name=None, on=d("2024-09-02"), actor=DEP)
    s.cosign(deputy_id="a", on=d("2024-09-03"), actor=STAFF)
    with pytest.raises(RuleViolated, match="already confirmed"):
        s.decline(deputy_id="a", on=d("2024-09-03"), actor=STAFF)
    with pytest.raises(RuleViolated, match="before the suggestion became"):
        s.invite(deputy_id="b", name=None, on=d("2024-08-01"), actor=DEP)
    s = at(Status.SUBMITTED)
    with pytest.raises(RuleViolated, match="cannot invite"):
        s.invite(deputy_id="b", name=None, on=d("2024-09-12"), actor=DEP)


def test_presubmission_review_returns_the_draft_which_must_be_revised() -> None:
    s = at(Status.PRESUBMITTED)
    with pytest.raises(RuleViolated, match="cannot submit"):
        s.submit(on=d("2024-09-05"), clock=CLOCK, actor=DEP)
    with pytest.raises(RuleViolated, match="cannot send for pre-submission"):
        s.presubmit(on=d("2024-09-05"), actor=DEP)
    s.review(
        outcome=ReviewOutcome.RETURNED,
        comment="请补充数据",
        reviewer="选联工委",
        on=d("2024-09-06"),
        actor=STAFF,
    )
    assert s.status is Status.DRAFT
    with pytest.raises(RuleViolated, match="revise it first"):
        s.submit(on=d("2024-09-07"), clock=CLOCK, actor=DEP)
    s.revise(title=None, body="补充了数据", category=None, on=d("2024-09-07"), actor=DEP)
    s.submit(on=d("2024-09-08"), clock=CLOCK, actor=DEP)
    assert s.status is Status.SUBMITTED


def test_review_only_of_a_presubmitted_draft() -> None:
    with pytest.raises(RuleViolated, match="cannot review"):
        drafted().review(
            outcome=ReviewOutcome.CLEARED,
            comment="ok",
            reviewer="r",
            on=d("2024-09-02"),
            actor=STAFF,
        )


def test_a_cleared_review_allows_submission() -> None:
    s = at(Status.PRESUBMITTED)
    s.review(
        outcome=ReviewOutcome.CLEARED,
        comment="可以提交",
        reviewer="r",
        on=d("2024-09-05"),
        actor=STAFF,
    )
    s.submit(on=d("2024-09-05"), clock=CLOCK, actor=DEP)
    assert s.status is Status.SUBMITTED


# -- acceptance -------------------------------------------------------------------------


def test_accept_and_reject_only_when_submitted() -> None:
    s = at(Status.CONVERTED)
    assert s.exclusion is not None and s.exclusion["reason"] == "personal"
    with pytest.raises(RuleViolated, match="cannot accept"):
        s.accept(number=None, on=d("2024-09-12"), actor=STAFF)
    with pytest.raises(RuleViolated, match="cannot accept"):
        drafted().accept(number=None, on=d("2024-09-12"), actor=STAFF)
    s = at(Status.SUBMITTED)
    with pytest.raises(RuleViolated, match="needs an explanation"):
        s.reject(reason=ExclusionReason.OTHER, explanation=" ", on=d("2024-09-12"), actor=STAFF)
    with pytest.raises(RuleViolated, match="before the suggestion became"):
        s.accept(number=None, on=d("2024-09-09"), actor=STAFF)


def test_assign_only_when_accepted_and_with_distinct_units() -> None:
    s = at(Status.SUBMITTED)
    with pytest.raises(RuleViolated, match="cannot assign"):
        s.assign(
            lead_unit="甲",
            co_units=[],
            complex_=False,
            on=d("2024-09-27"),
            clock=CLOCK,
            actor=STAFF,
        )
    s = at(Status.ACCEPTED)
    with pytest.raises(RuleViolated, match="both lead and co-handling"):
        s.assign(
            lead_unit="甲",
            co_units=["甲"],
            complex_=False,
            on=d("2024-09-27"),
            clock=CLOCK,
            actor=STAFF,
        )
    with pytest.raises(RuleViolated, match="named twice"):
        s.assign(
            lead_unit="甲",
            co_units=["乙", "乙"],
            complex_=False,
            on=d("2024-09-27"),
            clock=CLOCK,
            actor=STAFF,
        )


# -- objections -------------------------------------------------------------------------


def test_objection_within_the_window_then_reassignment_with_a_new_clock() -> None:
    s = at(Status.ASSIGNED)
    s.object_to_assignment(unit="省商务厅", reason="不属本单位职责", on=d("2024-10-12"), actor=UNIT)
    with pytest.raises(RuleViolated, match="objection to the assignment is pending"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-10-13"),
            clock=CLOCK,
            actor=UNIT,
        )
    with pytest.raises(RuleViolated, match="already objected"):
        s.object_to_assignment(unit="省商务厅", reason="再次", on=d("2024-10-12"), actor=UNIT)
    s.reassign(
        lead_unit="省口岸办",
        co_units=["省交通运输厅"],
        complex_=False,
        note="调整",
        on=d("2024-10-15"),
        clock=CLOCK,
        actor=STAFF,
    )
    assert s.lead_unit == "省口岸办" and s.reply_due == d("2025-01-15")
    assert s.objection_until == d("2024-10-24") and s.objections == {}
    assert s.assignments[-1]["granted"] == ["省商务厅"]


def test_objection_after_the_window_is_refused_the_assignment_is_locked() -> None:
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match=r"closed on 2024-10-12: the assignment is locked"):
        s.object_to_assignment(unit="省商务厅", reason="不属本单位", on=d("2024-10-13"), actor=UNIT)


def test_objection_rejections() -> None:
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="not a handling unit"):
        s.object_to_assignment(unit="省教育厅", reason="x", on=d("2024-10-08"), actor=UNIT)
    with pytest.raises(RuleViolated, match="needs a reason"):
        s.object_to_assignment(unit="省商务厅", reason=" ", on=d("2024-10-08"), actor=UNIT)
    with pytest.raises(RuleViolated, match="no objection is pending"):
        s.reassign(
            lead_unit="乙",
            co_units=[],
            complex_=False,
            note=None,
            on=d("2024-10-08"),
            clock=CLOCK,
            actor=STAFF,
        )
    with pytest.raises(RuleViolated, match="no pending objection"):
        s.deny_objection(unit="省商务厅", note="x", on=d("2024-10-08"), actor=STAFF)
    s.object_to_assignment(unit="省交通运输厅", reason="不属职责", on=d("2024-10-08"), actor=UNIT)
    with pytest.raises(RuleViolated, match="same as the current"):
        s.reassign(
            lead_unit="省商务厅",
            co_units=["省交通运输厅"],
            complex_=False,
            note=None,
            on=d("2024-10-09"),
            clock=CLOCK,
            actor=STAFF,
        )
    with pytest.raises(RuleViolated, match="needs a note"):
        s.deny_objection(unit="省交通运输厅", note="", on=d("2024-10-09"), actor=STAFF)
    s.deny_objection(unit="省交通运输厅", note="属协办职责", on=d("2024-10-09"), actor=STAFF)
    assert s.objections["省交通运输厅"]["state"] == "denied" and s.reply_due == d("2024-12-27")


# -- co-opinions, extensions, contacts ------------------------------------------------


def test_co_opinion_only_from_a_co_unit_once_and_late_is_flagged() -> None:
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="not a co-handling unit"):
        s.send_co_opinion(unit="省商务厅", text="x", on=d("2024-10-20"), actor=UNIT)
    s.send_co_opinion(unit="省交通运输厅", text="意见", on=d("2024-10-29"), actor=UNIT)
    assert s.co_opinions["省交通运输厅"]["late"] is True  # due 10-28 (rolled off Sunday)
    with pytest.raises(RuleViolated, match="already sent"):
        s.send_co_opinion(unit="省交通运输厅", text="x", on=d("2024-10-30"), actor=UNIT)
    assert not [x for x in s.to_dict()["open_deadlines"] if x["deadline"] == "co_opinion_due"]


def test_extension_within_the_cap_and_the_deputy_is_told() -> None:
    s = at(Status.ASSIGNED)
    s.extend(until=d("2025-02-27"), reason="需调研", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    s.extend(until=d("2025-03-27"), reason="再延", on=d("2024-12-21"), clock=CLOCK, actor=STAFF)
    assert s.reply_due == d("2025-03-27")
    event = s.collect_events()[-1]
    assert event.notify == [LEAD, CO]  # type: ignore[attr-defined]


def test_extension_rejections() -> None:
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="past it"):
        s.extend(until=d("2025-03-28"), reason="x", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    with pytest.raises(RuleViolated, match="after the current due date"):
        s.extend(until=d("2024-12-27"), reason="x", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    with pytest.raises(RuleViolated, match="needs a reason"):
        s.extend(until=d("2025-01-27"), reason="", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    s = at(Status.REPLIED)
    with pytest.raises(RuleViolated, match="cannot extend"):
        s.extend(until=d("2025-01-27"), reason="x", on=d("2024-12-21"), clock=CLOCK, actor=STAFF)


def test_contacts_by_handling_units() -> None:
    s = at(Status.ASSIGNED)
    s.record_contact(
        unit="省商务厅", form=ContactForm.VISIT, note="走访代表", on=d("2024-10-10"), actor=UNIT
    )
    assert s.contacts[0]["form"] == "visit"
    with pytest.raises(RuleViolated, match="not a handling unit"):
        s.record_contact(
            unit="省教育厅", form=ContactForm.PHONE, note=None, on=d("2024-10-10"), actor=UNIT
        )
    with pytest.raises(RuleViolated, match="cannot record a contact"):
        at(Status.ACCEPTED).record_contact(
            unit="省商务厅", form=ContactForm.PHONE, note=None, on=d("2024-10-10"), actor=UNIT
        )


def test_policy_may_require_a_contact_before_the_reply() -> None:
    strict = Clock(NATIONAL.with_changes(name="strict", contact_before_reply=True))
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="needs a contact"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-12-01"),
            clock=strict,
            actor=UNIT,
        )
    s.record_contact(
        unit="省商务厅", form=ContactForm.PHONE, note=None, on=d("2024-11-01"), actor=UNIT
    )
    s.reply(
        unit="省商务厅", result_class="A", text="x", on=d("2024-12-01"), clock=strict, actor=UNIT
    )


# -- replies and evaluation -------------------------------------------------------------


def test_reply_goes_to_lead_deputy_and_every_cosigner_and_records_timeliness() -> None:
    s = at(Status.REPLIED)
    reply = s.replies[0]
    assert reply["addressees"] == [LEAD, CO]
    assert reply["on_time"] and reply["due"] == d("2024-12-27")
    assert reply["disclosure_due"] == d("2025-01-20")  # 20 working days, New Year off
    assert s.collect_events()[-1].co_opinions_missing == ["省交通运输厅"]  # type: ignore[attr-defined]


def test_late_reply_is_recorded_as_late() -> None:
    s = at(Status.ASSIGNED)
    s.reply(
        unit="省商务厅",
        result_class="D",
        text="留作参考",
        on=d("2024-12-30"),
        clock=CLOCK,
        actor=UNIT,
    )
    assert s.replies[0]["on_time"] is False


def test_reply_rejections() -> None:
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="only the lead unit"):
        s.reply(
            unit="省交通运输厅",
            result_class="A",
            text="x",
            on=d("2024-12-01"),
            clock=CLOCK,
            actor=UNIT,
        )
    with pytest.raises(RuleViolated, match="not one of A, B, C, D"):
        s.reply(
            unit="省商务厅",
            result_class="E",
            text="x",
            on=d("2024-12-01"),
            clock=CLOCK,
            actor=UNIT,
        )
    with pytest.raises(RuleViolated, match="needs its text"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text=" ",
            on=d("2024-12-01"),
            clock=CLOCK,
            actor=UNIT,
        )
    with pytest.raises(RuleViolated, match="before the suggestion became"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-09-26"),
            clock=CLOCK,
            actor=UNIT,
        )
    with pytest.raises(RuleViolated, match="cannot reply"):
        at(Status.ACCEPTED).reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-12-01"),
            clock=CLOCK,
            actor=UNIT,
        )


def test_a_province_configures_its_result_classes() -> None:
    clock = Clock(
        NATIONAL.with_changes(
            name="p",
            result_classes={"甲": "已解决", "乙": "未解决"},
            commitment_classes=frozenset({"乙"}),
        )
    )
    s = at(Status.ASSIGNED)
    with pytest.raises(RuleViolated, match="not one of 甲, 乙"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-12-01"),
            clock=clock,
            actor=UNIT,
        )
    s.reply(
        unit="省商务厅", result_class="乙", text="x", on=d("2024-12-01"), clock=clock, actor=UNIT
    )
    s.commit(text="2025年建成", due=d("2025-12-31"), on=d("2024-12-02"), clock=clock, actor=UNIT)


def test_evaluation_needs_reasons_for_dissatisfaction() -> None:
    s = at(Status.REPLIED)
    with pytest.raises(RuleViolated, match="needs the reasons"):
        s.evaluate(
            attitude=Rating.DISSATISFIED,
            result=Rating.SATISFIED,
            reason=None,
            on=d("2025-01-05"),
            actor=DEP,
        )
    with pytest.raises(RuleViolated, match="needs the reasons"):
        s.evaluate(
            attitude=Rating.SATISFIED,
            result=Rating.DISSATISFIED,
            reason="  ",
            on=d("2025-01-05"),
            actor=DEP,
        )
    s.evaluate(
        attitude=Rating.SATISFIED,
        result=Rating.BASICALLY_SATISFIED,
        reason=None,
        on=d("2025-01-05"),
        actor=DEP,
    )
    assert s.evaluations[0] == {
        "round": 1,
        "attitude": "satisfied",
        "result": "basically_satisfied",
        "reason": None,
        "on": d("2025-01-05"),
    }
    with pytest.raises(RuleViolated, match="cannot evaluate"):
        s.evaluate(
            attitude=Rating.SATISFIED,
            result=Rating.SATISFIED,
            reason=None,
            on=d("2025-01-06"),
            actor=DEP,
        )


def test_rehandling_only_after_dissatisfaction_and_within_the_policy() -> None:
    s = at(Status.EVALUATED, result=Rating.SATISFIED)
    with pytest.raises(RuleViolated, match="the last was not"):
        s.rehandle(reason=None, on=d("2025-01-06"), clock=CLOCK, actor=STAFF)
    s = at(Status.REHANDLING)
    assert s.rehandle_due == d("2025-02-06")
    assert [x["deadline"] for x in s.to_dict()["open_deadlines"]] == [
        "rehandle_due",
        "disclosure_due",
    ]
    s.reply(
        unit="省商务厅",
        result_class="C",
        text="条件限制",
        on=d("2025-02-10"),
        clock=CLOCK,
        actor=UNIT,
    )
    assert s.replies[-1]["on_time"] is False and s.replies[-1]["round"] == 2
    s.evaluate(
        attitude=Rating.DISSATISFIED,
        result=Rating.DISSATISFIED,
        reason="仍未解决",
        on=d("2025-02-12"),
        actor=DEP,
    )
    with pytest.raises(RuleViolated, match="allows 1 re-handling"):
        s.rehandle(reason=None, on=d("2025-02-13"), clock=CLOCK, actor=STAFF)
    three = Clock(
        NATIONAL.with_changes(name="sichuan", rehandling=Period(3, Unit.MONTHS), max_rehandlings=2)
    )
    s.rehandle(reason=None, on=d("2025-02-13"), clock=three, actor=STAFF)
    assert s.rehandle_due == d("2025-05-13")


def test_no_evaluation_without_a_lead_deputy() -> None:
    s = Suggestion.draft(
        title="群众反映",
        body="x",
        category=None,
        channel=Channel.RECESS,
        source=Source.BULLETIN,
        lead_deputy=None,
        lead_name=None,
        area="",
        level="",
        on=d("2024-09-01"),
        actor=STAFF,
    )
    s.submit(on=d("2024-09-01"), clock=CLOCK, actor=STAFF)
    s.accept(number=None, on=d("2024-09-01"), actor=STAFF)
    s.assign(
        lead_unit="甲", co_units=[], complex_=False, on=d("2024-09-02"), clock=CLOCK, actor=STAFF
    )
    s.reply(unit="甲", result_class="A", text="x", on=d("2024-09-03"), clock=CLOCK, actor=UNIT)
    with pytest.raises(RuleViolated, match="no lead deputy"):
        s.evaluate(
            attitude=Rating.SATISFIED,
            result=Rating.SATISFIED,
            reason=None,
            on=d("2024-09-04"),
            actor=STAFF,
        )
    s.close(note=None, on=d("2024-09-05"), actor=STAFF)


# -- commitments, supervision, disclosure ---------------------------------------------


def test_commitments_of_b_and_c_replies_are_tracked_across_closure() -> None:
    s = at(Status.CLOSED, result=Rating.SATISFIED)
    s.commit(
        text="2025年底前建成", due=d("2025-12-31"), on=d("2025-01-11"), clock=CLOCK, actor=UNIT
    )
    s.commit(text="2026年完成", due=d("2026-06-30"), on=d("2025-01-11"), clock=CLOCK, actor=UNIT)
    s.deliver(number=1, note="已建成", on=d("2025-11-30"), actor=UNIT)
    assert s.commitments[0]["on_time"] is True
    s.deliver(number=2, note="下届完成", on=d("2026-07-30"), actor=STAFF)
    assert s.commitments[1]["on_time"] is False
    with pytest.raises(RuleViolated, match="already delivered"):
        s.deliver(number=1, note=None, on=d("2025-12-01"), actor=UNIT)
    with pytest.raises(RuleViolated, match="no commitment number 3"):
        s.deliver(number=3, note=None, on=d("2025-12-01"), actor=UNIT)


def test_commitment_rejections() -> None:
    s = at(Status.ASSIGNED)
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="已解决",
        on=d("2024-12-01"),
        clock=CLOCK,
        actor=UNIT,
    )
    with pytest.raises(RuleViolated, match="follow a reply of class B/C; the reply is A"):
        s.commit(text="x", due=d("2025-12-31"), on=d("2024-12-02"), clock=CLOCK, actor=UNIT)
    s = at(Status.REPLIED)
    with pytest.raises(RuleViolated, match="must be after"):
        s.commit(text="x", due=d("2024-12-20"), on=d("2024-12-20"), clock=CLOCK, actor=UNIT)
    with pytest.raises(RuleViolated, match="cannot record a commitment"):
        at(Status.ASSIGNED).commit(
            text="x", due=d("2025-12-31"), on=d("2024-12-02"), clock=CLOCK, actor=UNIT
        )


def test_supervision_by_named_leaders() -> None:
    s = at(Status.ASSIGNED)
    s.supervise(leader="常委会副主任 陈立", note=None, on=d("2024-10-01"), actor=STAFF)
    with pytest.raises(RuleViolated, match="already supervises"):
        s.supervise(leader="常委会副主任 陈立", note=None, on=d("2024-10-02"), actor=STAFF)
    with pytest.raises(RuleViolated, match="cannot put under priority"):
        at(Status.CLOSED).supervise(leader="x", note=None, on=d("2025-02-01"), actor=STAFF)
    with pytest.raises(RuleViolated, match="cannot put under priority"):
        drafted().supervise(leader="x", note=None, on=d("2024-10-01"), actor=STAFF)


def test_disclosure_redacts_contact_details_and_secrets() -> None:
    s = at(Status.ASSIGNED)
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="联系人王科长，电话0431-88905555，手机13912345678，邮箱wang@jl.gov.cn。"
        "【涉密】口岸坐标【/涉密】已落实。",
        on=d("2024-12-01"),
        clock=CLOCK,
        actor=UNIT,
    )
    s.disclose(text=None, on=d("2024-12-20"), actor=UNIT)
    published = s.disclosures[0]
    assert "13912345678" not in published["text"] and "0431-88905555" not in published["text"]
    assert "wang@jl.gov.cn" not in published["text"] and "口岸坐标" not in published["text"]
    assert published["redactions"] == 4 and published["on_time"] is True
    assert s.to_dict()["disclosed"] is True
    with pytest.raises(RuleViolated, match="already disclosed"):
        s.disclose(text=None, on=d("2024-12-21"), actor=UNIT)
    with pytest.raises(RuleViolated, match="cannot disclose"):
        at(Status.ASSIGNED).disclose(text=None, on=d("2024-12-21"), actor=UNIT)


def test_redact_keeps_ordinary_numbers() -> None:
    assert redact("2024年投资12亿元，建设3个口岸") == ("2024年投资12亿元，建设3个口岸", 0)
    # an ID number is redacted when its check digit (ISO 7064 MOD 11-2) is right: the
    # check character of 22010419800101123 is 7, so ...123X is not an ID number
    assert redact("身份证22010419800101100X")[1] == 1
    assert redact("身份证22010419800101123X") == ("身份证22010419800101123X", 0)
    assert redact("身份证220104198001011237")[1] == 1


# -- withdrawal and closure ---------------------------------------------------------------


def test_withdrawal_of_a_joint_suggestion_needs_every_cosigner() -> None:
    s = at(Status.ACCEPTED)
    with pytest.raises(RuleViolated, match=f"missing: {CO}"):
        s.withdraw(consents=[], statement="撤回", on=d("2024-09-21"), actor=DEP)
    with pytest.raises(RuleViolated, match="not co-signers"):
        s.withdraw(consents=[CO, "x"], statement="撤回", on=d("2024-09-21"), actor=DEP)
    with pytest.raises(RuleViolated, match="in writing"):
        s.withdraw(consents=[CO], statement=" ", on=d("2024-09-21"), actor=DEP)
    s.withdraw(consents=[CO], statement="书面撤回", on=d("2024-09-21"), actor=DEP)
    assert s.status is Status.WITHDRAWN and s.withdrawal is not None
    assert s.withdrawal["from"] == "accepted"


def test_withdrawal_only_before_assignment() -> None:
    with pytest.raises(RuleViolated, match="only before assignment"):
        at(Status.ASSIGNED).withdraw(consents=[CO], statement="x", on=d("2024-10-01"), actor=DEP)
    solo = at(Status.DRAFT, cosign=False)
    solo.withdraw(consents=[], statement="不再提出", on=d("2024-09-02"), actor=DEP)


def test_close_only_after_a_reply() -> None:
    for status in (Status.ASSIGNED, Status.REHANDLING, Status.SUBMITTED):
        with pytest.raises(RuleViolated, match="cannot close"):
            at(status).close(note=None, on=d("2025-03-01"), actor=STAFF)
    s = at(Status.REPLIED)
    s.close(note="代表未反馈意见", on=d("2025-01-20"), actor=STAFF)
    assert s.closed_on == d("2025-01-20")
    with pytest.raises(RuleViolated, match="cannot close"):
        s.close(note=None, on=d("2025-01-21"), actor=STAFF)


def test_handle_together_and_bulletin_links() -> None:
    s = at(Status.ACCEPTED)
    s.handle_together(others=["x", "y"], on=d("2024-09-21"), actor=STAFF)
    with pytest.raises(RuleViolated, match="already handled together"):
        s.handle_together(others=["x"], on=d("2024-09-21"), actor=STAFF)
    with pytest.raises(RuleViolated, match="cannot handle together"):
        drafted().handle_together(others=["x"], on=d("2024-09-21"), actor=STAFF)
    s.note_bulletin(bulletin_id="b", item=1, on=d("2024-09-22"), actor=STAFF)
    with pytest.raises(RuleViolated, match="already carries"):
        s.note_bulletin(bulletin_id="b", item=2, on=d("2024-09-22"), actor=STAFF)
    session = drafted(channel=Channel.SESSION, source=Source.SESSION)
    session.submit(on=d("2024-09-08"), clock=CLOCK, actor=DEP)
    with pytest.raises(RuleViolated, match="inter-session"):
        session.note_bulletin(bulletin_id="b", item=1, on=d("2024-09-09"), actor=STAFF)


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.CONVERTED, Status.CLOSED])
def test_terminal_states_refuse_the_handling_commands(status: Status) -> None:
    s = at(status)
    calls: list[Any] = [
        lambda: s.submit(on=d("2025-06-01"), clock=CLOCK, actor=DEP),
        lambda: s.accept(number=None, on=d("2025-06-01"), actor=STAFF),
        lambda: s.assign(
            lead_unit="甲",
            co_units=[],
            complex_=False,
            on=d("2025-06-01"),
            clock=CLOCK,
            actor=STAFF,
        ),
        lambda: s.reply(
            unit="省商务厅", result_class="A", text="x", on=d("2025-06-01"), clock=CLOCK, actor=UNIT
        ),
        lambda: s.rehandle(reason=None, on=d("2025-06-01"), clock=CLOCK, actor=STAFF),
    ]
    for call in calls:
        with pytest.raises(RuleViolated, match="cannot"):
            call()


def test_open_deadlines_with_an_as_of_date() -> None:
    doc = at(Status.ASSIGNED).to_dict()
    late = {x["deadline"]: x for x in open_deadlines(doc, d("2024-12-30"))}
    assert late["reply_due"]["late"] and late["reply_due"]["days_late"] == 3
    assert late["reply_due"]["owner"] == "省商务厅"
    assert late["co_opinion_due"]["owner"] == "省交通运输厅"
    early = open_deadlines(doc, d("2024-10-01"))
    assert not any(x["late"] for x in early)
    submitted = at(Status.SUBMITTED).to_dict()
    assert open_deadlines(submitted, d("2024-09-23"))[0] | {"late": True} == {
        "deadline": "assignment_due",
        "due": "2024-09-20",
        "owner": "office",
        "late": True,
        "days_late": 3,
    }
