"""ConstituentReport (代表述职): every transition, and every refused one records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.accountability import (
    ConstituentReport,
    Evaluation,
    constituent_report_id,
)
from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import Actor

STAFF = Actor("clerk", "staff")
DAY = date(2024, 5, 1)


def reported(**overrides: object) -> ConstituentReport:
    data: dict[str, object] = {
        "deputy_id": "d-1",
        "on": DAY,
        "place": "延吉市河南街道代表联络站",
        "attendees": 42,
        "audience": "原选区选民",
        "summary": "汇报一年来履职情况",
        "evaluation": None,
        "actor": STAFF,
    }
    data.update(overrides)
    report = ConstituentReport.report(**data)  # type: ignore[arg-type]
    report.collect_events()
    return report


def test_report_keeps_the_input_verbatim_with_a_natural_id() -> None:
    report = reported()
    assert report.id == constituent_report_id("d-1", DAY, "延吉市河南街道代表联络站")
    data = report.to_dict()
    assert data["place"] == "延吉市河南街道代表联络站"
    assert data["attendees"] == 42 and data["audience"] == "原选区选民"
    assert data["status"] == "reported" and data["status_label"] == "已述职"
    assert data["evaluation"] is None


def test_evaluation_at_the_meeting_or_later_once() -> None:
    at_meeting = reported(evaluation=Evaluation.SATISFIED)
    assert at_meeting.to_dict()["evaluation_label"] == "满意"
    assert at_meeting.evaluated_on == DAY
    with pytest.raises(RuleViolated, match="already evaluated"):
        at_meeting.evaluate(evaluation="unsatisfied", note=None, on=DAY, actor=STAFF)
    assert not at_meeting.pending_events

    later = reported()
    later.evaluate(
        evaluation="basically_satisfied", note="现场测评", on=date(2024, 5, 3), actor=STAFF
    )
    assert later.to_dict()["status"] == "evaluated"
    assert later.to_dict()["evaluation_label"] == "基本满意"


@pytest.mark.parametrize("attendees", [0, -1, 100_001])
def test_attendees_out_of_range_are_refused(attendees: int) -> None:
    with pytest.raises(RuleViolated, match="attendees"):
        reported(attendees=attendees)


def test_blank_place_is_refused() -> None:
    with pytest.raises(RuleViolated, match="place"):
        reported(place="  ")


def test_evaluation_before_the_report_is_refused() -> None:
    report = reported()
    with pytest.raises(RuleViolated, match="before the report"):
        report.evaluate(evaluation="satisfied", note=None, on=date(2024, 4, 30), actor=STAFF)
    assert not report.pending_events


def test_cancel_then_nothing_else() -> None:
    report = reported()
    with pytest.raises(RuleViolated, match="reason"):
        report.cancel(reason=" ", on=DAY, actor=STAFF)
    with pytest.raises(RuleViolated, match="before the report"):
        report.cancel(reason="重复录入", on=date(2024, 4, 1), actor=STAFF)
    assert not report.pending_events
    report.cancel(reason="重复录入", on=DAY, actor=STAFF)
    assert report.to_dict()["status"] == "cancelled"
    assert report.to_dict()["cancel_reason"] == "重复录入"
    report.collect_events()
    with pytest.raises(RuleViolated, match="cancelled"):
        report.cancel(reason="again", on=DAY, actor=STAFF)
    with pytest.raises(RuleViolated, match="cancelled"):
        report.evaluate(evaluation="satisfied", note=None, on=DAY, actor=STAFF)
    assert not report.pending_events


def test_an_evaluated_report_can_still_be_cancelled() -> None:
    report = reported(evaluation="satisfied")
    report.cancel(reason="地点录错", on=date(2024, 5, 2), actor=STAFF)
    assert report.to_dict()["status"] == "cancelled"
