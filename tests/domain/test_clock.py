"""The statutory clock of issue 10, one rule per test, each naming its source
(Deputies Law Art. 51, Civil Code Art. 203 style, or the policy field)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from renda_core.domain.calendar import WorkCalendar, YearArrangement, packaged_years
from renda_core.domain.deadlines import NATIONAL, Clock, DeadlinePolicy, Period, Unit
from renda_core.domain.errors import RuleViolated
from renda_core.domain.suggestion import Rating, Status, Suggestion
from renda_core.domain.values import Actor
from tests.domain.test_suggestion import CLOCK, DEP, STAFF, at, d

UNIT_A = Actor("a", "unit:省商务厅")


def topics(s: Suggestion) -> list[str]:
    return [type(e).TOPIC for e in s.collect_events()]  # type: ignore[attr-defined]


def accepted() -> Suggestion:
    return at(Status.ACCEPTED)


def assign(s: Suggestion, on: str, clock: Clock = CLOCK, **extra: Any) -> None:
    extra.setdefault("co_units", [])
    extra.setdefault("complex_", False)
    s.assign(lead_unit="省商务厅", on=d(on), clock=clock, actor=STAFF, **extra)


# -- Deputies Law Art. 51 and the policy's max_total --------------------------------


def test_art51_reply_within_3_months_of_assignment_and_6_for_complex() -> None:
    s = accepted()
    assign(s, "2024-09-27")
    assert s.reply_due == d("2024-12-27")
    assert s.extension_limit == d("2025-03-27")  # max_total: 6 months from 交办
    c = accepted()
    assign(c, "2024-09-27", complex_=True)
    assert c.reply_due == d("2025-03-27") == c.extension_limit


def test_art51_extensions_never_take_the_total_past_max_total_from_assignment() -> None:
    """The issue's nine months: a complex suggestion (6 months) cannot be extended."""
    c = accepted()
    assign(c, "2024-09-27", complex_=True)
    with pytest.raises(RuleViolated, match=r"Art\. 51"):
        c.extend(until=d("2025-06-27"), reason="复杂", on=d("2025-03-01"), clock=CLOCK, actor=STAFF)
    s = accepted()
    assign(s, "2024-09-27")
    with pytest.raises(RuleViolated, match="2025-03-27 at most"):
        s.extend(until=d("2025-03-28"), reason="x", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    s.extend(until=d("2025-03-27"), reason="调研", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    assert s.reply_due == d("2025-03-27")


def test_max_total_a_province_cap_is_applied_and_never_unlimited() -> None:
    """DeadlinePolicy.max_total: a province's own cap; no policy without one."""
    with pytest.raises(ValueError, match="unlimited"):
        DeadlinePolicy(max_total=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="longer than 12 months"):
        NATIONAL.with_changes(max_total=Period(13))
    with pytest.raises(ValueError, match="does not fit"):
        NATIONAL.with_changes(max_total=Period(5))  # reply_complex 6 months
    tight = Clock(NATIONAL.with_changes(max_total=Period(4), reply_complex=Period(4)))
    s = accepted()
    assign(s, "2024-09-27", clock=tight)
    assert s.extension_limit == d("2025-01-27")
    with pytest.raises(RuleViolated, match="4 months from 交办"):
        s.extend(until=d("2025-02-27"), reason="x", on=d("2024-12-20"), clock=tight, actor=STAFF)


def test_art51_an_old_log_limit_past_max_total_is_capped_when_extending() -> None:
    """An assignment recorded under the old rule (limit = reply due + 3 months, nine
    months for a complex one) is held to max_total from 交办 when extended now."""
    c = accepted()
    assign(c, "2024-09-27", complex_=True)
    c.extension_limit = d("2025-06-27")  # as an old Assigned event recorded it
    with pytest.raises(RuleViolated, match="2025-03-27 at most"):
        c.extend(until=d("2025-06-27"), reason="x", on=d("2025-03-01"), clock=CLOCK, actor=STAFF)


# -- extensions: requested by the lead unit, decided by the office, before the due date


def test_extension_requested_by_the_lead_unit_and_granted_by_the_office() -> None:
    s = accepted()
    assign(s, "2024-09-27")
    s.collect_events()
    with pytest.raises(RuleViolated, match="no extension request"):
        s.decide_extension(grant=True, note=None, on=d("2024-12-01"), clock=CLOCK, actor=STAFF)
    with pytest.raises(RuleViolated, match="only the lead unit"):
        s.request_extension(
            unit="省教育厅",
            until=d("2025-02-27"),
            reason="x",
            on=d("2024-12-01"),
            clock=CLOCK,
            actor=UNIT_A,
        )
    s.request_extension(
        unit="省商务厅",
        until=d("2025-02-27"),
        reason="需跨年调研",
        on=d("2024-12-01"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    assert s.reply_due == d("2024-12-27")  # nothing moves until the office decides
    s.decide_extension(grant=True, note="同意", on=d("2024-12-20"), clock=CLOCK, actor=STAFF)
    assert s.reply_due == d("2025-02-27")
    events = s.collect_events()
    assert [type(e).TOPIC for e in events] == [  # type: ignore[attr-defined]
        "renda:Suggestion.ExtensionRequested",
        "renda:Suggestion.ExtensionDecided",
    ]
    assert events[0].actor == UNIT_A and events[1].actor == STAFF  # type: ignore[attr-defined]
    assert events[1].granted is True  # type: ignore[attr-defined]
    decision = s.to_dict()["extension_decisions"][0]
    assert decision["reason"] == "需跨年调研" and decision["decision"]["by"] == "clerk-1"


def test_extension_after_the_due_date_is_refused_and_the_reply_counts_late() -> None:
    """Art. 51 / DESIGN: approved before the due date; afterwards the reply is late."""
    s = accepted()
    assign(s, "2024-09-27")
    with pytest.raises(RuleViolated, match="after the due date"):
        s.request_extension(
            unit="省商务厅",
            until=d("2025-02-27"),
            reason="x",
            on=d("2024-12-28"),
            clock=CLOCK,
            actor=UNIT_A,
        )
    s.request_extension(
        unit="省商务厅",
        until=d("2025-02-27"),
        reason="x",
        on=d("2024-12-26"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    with pytest.raises(RuleViolated, match="after the due date"):
        s.decide_extension(grant=True, note=None, on=d("2024-12-30"), clock=CLOCK, actor=STAFF)
    with pytest.raises(RuleViolated, match="needs a note"):
        s.decide_extension(grant=False, note=None, on=d("2024-12-30"), clock=CLOCK, actor=STAFF)
    s.decide_extension(grant=False, note="已逾期", on=d("2024-12-30"), clock=CLOCK, actor=STAFF)
    with pytest.raises(RuleViolated, match="after the due date"):  # the old command too
        s.extend(until=d("2025-02-27"), reason="x", on=d("2024-12-30"), clock=CLOCK, actor=STAFF)
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="答复",
        on=d("2025-01-10"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    assert s.replies[-1]["due"] == d("2024-12-27") and s.replies[-1]["on_time"] is False


# -- roll_to_working_day (Civil Code Art. 203 style) ----------------------------------


def test_roll_to_working_day_a_period_ending_on_a_rest_day_ends_on_the_next_working_day() -> None:
    """2024-09-28 + 3 months = Saturday 2024-12-28: the reply is due Monday 12-30,
    and a reply that day is on time."""
    s = accepted()
    assign(s, "2024-09-28")
    assert s.reply_due == d("2024-12-30")
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="答复",
        on=d("2024-12-30"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    assert s.replies[-1]["on_time"] is True
    # 1 month after 2024-09-01 ends on National Day's holidays: rolled past them
    assert CLOCK.due(Period(1, Unit.MONTHS), d("2024-09-01")) == d("2024-10-08")


def test_roll_to_working_day_off_keeps_the_calendar_day() -> None:
    plain = Clock(NATIONAL.with_changes(roll_to_working_day=False))
    s = accepted()
    assign(s, "2024-09-28", clock=plain)
    assert s.reply_due == d("2024-12-28")


# -- a missing calendar year: the due date is pending --------------------------------


def without(year: int) -> WorkCalendar:
    """The packaged calendar, minus ``year`` and later."""
    return WorkCalendar(lambda y: packaged_years().get(y) if y < year else None, packaged=False)


YEAR_2027 = YearArrangement(
    2027,
    frozenset({date(2027, 1, 1), *(date(2027, 2, n) for n in range(6, 14))}),
    frozenset({date(2027, 2, 14)}),
    "test",
)


def test_a_missing_calendar_year_never_blocks_the_fact_the_due_date_is_pending() -> None:
    clock = Clock(NATIONAL, without(2027))
    s = at(Status.DRAFT)
    s.submit(on=d("2026-12-24"), clock=clock, actor=DEP)  # 7 working days reach 2027
    assert s.status is Status.SUBMITTED and s.assignment_due is None
    pending = s.to_dict()["pending_due_dates"]
    assert [(p["deadline"], p["year"], p["start"]) for p in pending] == [
        ("assignment_due", 2027, "2026-12-24")
    ]
    assert s.waiting_years() == [2027]
    s.collect_events()
    full = WorkCalendar(lambda y: YEAR_2027 if y == 2027 else packaged_years().get(y))
    assert s.compute_pending(full, on=d("2026-12-30"), actor=STAFF)
    # 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05
    assert s.assignment_due == d("2027-01-05")
    assert s.to_dict()["pending_due_dates"] == [] and s.waiting_years() == []
    assert topics(s) == ["renda:Suggestion.DueDatesComputed"]
    assert not s.compute_pending(full, on=d("2026-12-30"), actor=STAFF)


def test_a_reply_while_its_due_date_is_pending_gets_on_time_when_the_year_is_added() -> None:
    clock = Clock(NATIONAL, without(2027))
    s = at(Status.ACCEPTED)
    s.assign(
        lead_unit="省商务厅",
        co_units=[],
        complex_=False,
        on=d("2026-12-28"),
        clock=clock,
        actor=STAFF,
    )
    assert s.reply_due is None and s.objection_until is None
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="答复",
        on=d("2027-03-01"),
        clock=clock,
        actor=UNIT_A,
    )
    assert s.replies[-1]["on_time"] is None and s.replies[-1]["disclosure_due"] is None
    s.disclose(text=None, on=d("2027-03-02"), actor=UNIT_A)  # its due date pending too
    assert s.disclosures[-1]["on_time"] is None
    full = WorkCalendar(lambda y: YEAR_2027 if y == 2027 else packaged_years().get(y))
    s.compute_pending(full, on=d("2027-03-02"), actor=STAFF)
    assert s.reply_due == d("2027-03-29")  # 03-28 is a Sunday
    assert s.replies[-1]["on_time"] is True and s.replies[-1]["due"] == d("2027-03-29")
    assert s.replies[-1]["disclosure_due"] is not None


# -- reassignment restarts only the clocks of units whose part changed ---------------


def test_reassignment_keeps_the_lead_units_due_date_when_only_co_units_change() -> None:
    s = accepted()
    assign(s, "2024-09-27", co_units=["省交通运输厅"])
    s.extend(until=d("2025-02-27"), reason="调研", on=d("2024-10-08"), clock=CLOCK, actor=STAFF)
    s.object_to_assignment(unit="省交通运输厅", reason="不属职责", on=d("2024-10-09"), actor=UNIT_A)
    s.reassign(
        lead_unit="省商务厅",
        co_units=["省发改委"],
        complex_=False,
        note=None,
        on=d("2024-10-10"),
        clock=CLOCK,
        actor=STAFF,
    )
    assert s.reply_due == d("2025-02-27") and s.assigned_on == d("2024-09-27")
    assert s.extension_limit == d("2025-03-27") and len(s.extensions) == 1
    assert s.co_opinion_dues == {"省发改委": d("2024-11-11")}  # 11-10 is a Sunday
    assert s.assignments[-1]["restarted"] == ["省发改委"]


def test_reassignment_to_another_lead_unit_restarts_its_clock() -> None:
    s = accepted()
    assign(s, "2024-09-27")
    s.object_to_assignment(unit="省商务厅", reason="不属职责", on=d("2024-10-09"), actor=UNIT_A)
    s.reassign(
        lead_unit="省发改委",
        co_units=[],
        complex_=False,
        note=None,
        on=d("2024-10-10"),
        clock=CLOCK,
        actor=STAFF,
    )
    assert s.reply_due == d("2025-01-10") and s.assigned_on == d("2024-10-10")
    assert s.assignments[-1]["restarted"] == ["省发改委"]


# -- 分办: several lead units, each replying for its part -----------------------------


def test_split_suggestion_is_replied_when_every_part_is_each_judged_separately() -> None:
    s = accepted()
    assign(s, "2024-09-27", parts=["省发改委"])
    unit_b = Actor("b", "unit:省发改委")
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="答复甲",
        on=d("2024-12-20"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    assert s.status is Status.ASSIGNED and s.replies == []
    with pytest.raises(RuleViolated, match="already replied for its part"):
        s.reply(
            unit="省商务厅",
            result_class="A",
            text="x",
            on=d("2024-12-21"),
            clock=CLOCK,
            actor=UNIT_A,
        )
    s.reply(
        unit="省发改委",
        result_class="B",
        text="答复乙",
        on=d("2025-01-06"),
        clock=CLOCK,
        actor=unit_b,
    )
    assert s.status is Status.REPLIED
    parts = {p["unit"]: p for p in s.to_dict()["parts"]}
    assert parts["省商务厅"]["on_time"] is True and parts["省发改委"]["on_time"] is False
    assert s.replies[-1]["on_time"] is False  # on time only if every part was
    assert topics(s)[-2:] == ["renda:Suggestion.PartReplied", "renda:Suggestion.Replied"]


def test_split_units_are_distinct_from_lead_and_co_units() -> None:
    with pytest.raises(RuleViolated, match="both lead and co-handling"):
        assign(accepted(), "2024-09-27", co_units=["省发改委"], parts=["省发改委"])
    with pytest.raises(RuleViolated, match="named twice"):
        assign(accepted(), "2024-09-27", parts=["省商务厅"])


# -- re-handling follows a 不满意 result (policy rehandle_on_attitude) ---------------


def evaluated(attitude: Rating, result: Rating, clock: Clock = CLOCK) -> Suggestion:
    s = accepted()
    assign(s, "2024-09-27", clock=clock)
    s.reply(
        unit="省商务厅",
        result_class="B",
        text="答复",
        on=d("2024-12-01"),
        clock=clock,
        actor=UNIT_A,
    )
    s.evaluate(attitude=attitude, result=result, reason="理由", on=d("2024-12-05"), actor=DEP)
    return s


def test_rehandle_on_attitude_off_an_attitude_only_dissatisfaction_leads_to_a_contact() -> None:
    s = evaluated(Rating.DISSATISFIED, Rating.SATISFIED)
    with pytest.raises(RuleViolated, match="contacts the deputy instead"):
        s.rehandle(reason=None, on=d("2024-12-06"), clock=CLOCK, actor=STAFF)
    r = evaluated(Rating.SATISFIED, Rating.DISSATISFIED)
    r.rehandle(reason=None, on=d("2024-12-06"), clock=CLOCK, actor=STAFF)
    assert r.status is Status.REHANDLING


def test_rehandle_on_attitude_on_a_province_may_re_handle_on_attitude_too() -> None:
    clock = Clock(NATIONAL.with_changes(rehandle_on_attitude=True))
    s = evaluated(Rating.DISSATISFIED, Rating.SATISFIED, clock)
    s.rehandle(reason=None, on=d("2024-12-06"), clock=clock, actor=STAFF)
    assert s.status is Status.REHANDLING


# -- old logs ----------------------------------------------------------------------


def test_an_old_log_without_the_new_event_fields_still_replays() -> None:
    """Events recorded before issue 10 lack pending, parts, co_opinion_dues and
    restarted: they replay with the defaults."""
    s = accepted()
    assign(s, "2024-09-27", co_units=["省交通运输厅"])
    s.object_to_assignment(unit="省交通运输厅", reason="不属职责", on=d("2024-10-09"), actor=UNIT_A)
    s.reassign(
        lead_unit="省商务厅",
        co_units=["省发改委"],
        complex_=False,
        note=None,
        on=d("2024-10-10"),
        clock=CLOCK,
        actor=STAFF,
    )
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="答复",
        on=d("2024-12-01"),
        clock=CLOCK,
        actor=UNIT_A,
    )
    events = s.collect_events()
    for e in events:
        for name in ("pending", "parts", "co_opinion_dues", "restarted"):
            if name in e.__dict__:
                object.__delattr__(e, name)
    replayed: Any = None
    for e in events:
        replayed = e.mutate(replayed)  # type: ignore[attr-defined]
    assert replayed.status is Status.REPLIED and replayed.parts == {}
    assert replayed.pending_dues == {}
    # an old Reassigned restarted every clock, with one co-opinion date for every co-unit
    assert replayed.assigned_on == d("2024-10-10")
    assert replayed.co_opinion_dues == {"省发改委": replayed.co_opinion_due}
    assert replayed.assignments[-1]["restarted"] is None
