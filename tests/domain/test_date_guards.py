"""A record's later events are never dated before the record's own start, and the
input policy (``renda_core.application.inputs``) bounds every date and text."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from renda_core.application.inputs import (
    BusinessDate,
    LongText,
    PlannedDate,
    Text,
    dates_as_of,
    escape_controls,
    shown,
)
from renda_core.domain.bulletin import ItemKind
from renda_core.domain.errors import RuleViolated
from renda_core.domain.suggestion import Status
from renda_core.domain.training import CourseKind, TrainingCourse
from renda_core.domain.values import Actor
from tests.domain.test_bulletin import EDITOR, issue
from tests.domain.test_deputy import D0, new_deputy
from tests.domain.test_suggestion import STAFF, at, drafted

TODAY = date(2025, 6, 30)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_a_correction_is_not_dated_before_registration() -> None:
    deputy = new_deputy()
    with pytest.raises(RuleViolated, match="before registration"):
        deputy.correct({"phone": "0431-1"}, on=date(1900, 1, 1), actor=STAFF)
    deputy.correct({"phone": "0431-1"}, on=D0, actor=STAFF)
    assert deputy.phone == "0431-1"


def test_an_enrolment_is_not_dated_before_the_course_was_planned() -> None:
    course = TrainingCourse.plan(
        kind=CourseKind.DUTY,
        title="履职培训",
        topic=None,
        starts=d("2024-05-10"),
        ends=d("2024-05-12"),
        target_level=None,
        on=d("2024-04-01"),
        actor=STAFF,
    )
    with pytest.raises(RuleViolated, match="before the course was planned"):
        course.enrol(deputy_id="dep-1", on=d("2024-03-31"), actor=STAFF)
    course.enrol(deputy_id="dep-1", on=d("2024-04-01"), actor=STAFF)
    assert "dep-1" in course.enrolled


def test_a_removal_is_not_dated_before_the_item_was_included() -> None:
    b = issue()  # items included on 2024-09-13
    with pytest.raises(RuleViolated, match="item 1 was included"):
        b.remove(item=1, reason="重复", on=d("2024-09-12"), actor=EDITOR)
    b.remove(item=1, reason="重复", on=d("2024-09-13"), actor=EDITOR)
    assert b.items[0]["removed"] and b.items[0]["kind"] == ItemKind.SUGGESTION.value


def test_a_merge_is_not_dated_before_the_suggestion_reached_its_state() -> None:
    s = at(Status.ACCEPTED)  # accepted 2024-09-20
    with pytest.raises(RuleViolated, match="before the suggestion became"):
        s.handle_together(others=["other-1"], on=d("2024-09-19"), actor=STAFF)
    s.handle_together(others=["other-1"], on=d("2024-09-20"), actor=STAFF)
    assert s.handled_with == ["other-1"]


def test_links_are_not_dated_before_the_draft() -> None:
    s = drafted()  # drafted 2024-09-01
    with pytest.raises(RuleViolated, match="before the suggestion was drafted"):
        s.link_opinion(opinion_id="op-1", on=d("2024-08-31"), actor=STAFF)
    s.link_opinion(opinion_id="op-1", on=d("2024-09-01"), actor=STAFF)
    assert "op-1" in s.opinions


# -- the input policy ---------------------------------------------------------------


def valid(annotation: object, value: object) -> bool:
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def test_business_dates_lie_between_the_earliest_and_a_month_after_today() -> None:
    with dates_as_of(TODAY):
        assert valid(BusinessDate, "1949-10-01") and not valid(BusinessDate, "1949-09-30")
        assert valid(BusinessDate, "2025-07-31") and not valid(BusinessDate, "2025-08-01")
        for bad in ("", " ", "9999-12-31", "0001-01-01", "1900-01-01", "2025-02-30", "today"):
            assert not valid(BusinessDate, bad), bad
    with dates_as_of(TODAY, earliest=date(2000, 1, 1)):
        assert not valid(BusinessDate, "1999-12-31") and valid(BusinessDate, "2000-01-01")


def test_the_environment_s_earliest_date_is_read_once_until_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from renda_core.application.inputs import date_policy, forget_date_policy

    monkeypatch.setenv("RENDA_EARLIEST_DATE", "2000-01-01")
    forget_date_policy()
    try:
        assert date_policy().earliest == date(2000, 1, 1)
        with dates_as_of(TODAY):
            assert not valid(BusinessDate, "1999-12-31") and valid(BusinessDate, "2000-01-01")
        monkeypatch.setenv("RENDA_EARLIEST_DATE", "2010-01-01")
        assert date_policy().earliest == date(2000, 1, 1)  # cached for the process
        forget_date_policy()
        assert date_policy().earliest == date(2010, 1, 1)
        monkeypatch.setenv("RENDA_EARLIEST_DATE", "not a date")
        forget_date_policy()
        assert date_policy().earliest == date(1949, 10, 1)  # the default
    finally:
        monkeypatch.delenv("RENDA_EARLIEST_DATE")
        forget_date_policy()
    assert date_policy().earliest == date(1949, 10, 1)


def test_the_field_types_are_importable_from_inputs_without_pydantic_for_the_rest() -> None:
    from renda_core.application import fields, inputs

    assert inputs.BusinessDate is fields.BusinessDate and inputs.Text is fields.Text
    assert inputs.LongText is fields.LongText and inputs.PlannedDate is fields.PlannedDate
    with pytest.raises(AttributeError):
        inputs.NoSuchType  # noqa: B018
    probe = "import sys, renda_core.application.inputs; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_planned_dates_may_lie_years_ahead_but_not_forever() -> None:
    with dates_as_of(TODAY):
        assert valid(PlannedDate, "2030-12-31") and valid(PlannedDate, "2045-06-01")
        assert not valid(PlannedDate, "2046-01-01") and not valid(PlannedDate, "9999-12-31")
        assert not valid(PlannedDate, "") and not valid(PlannedDate, "1900-01-01")


@pytest.mark.parametrize("annotation", [Text, LongText])
def test_blank_text_is_empty_text(annotation: object) -> None:
    for blank in ("", " ", "   ", "\u3000", "\t"):
        assert not valid(annotation, blank), repr(blank)
    assert valid(annotation, " 李春华 ")  # kept verbatim, not trimmed
    assert TypeAdapter(annotation).validate_python(" 李春华 ") == " 李春华 "


def test_control_characters() -> None:
    for bad in ("a\x1b[31mb", "a\x00", "a\x7f", "a\x9b", "a\nb", "a\tb", "a\rb"):
        assert not valid(Text, bad), repr(bad)
    assert valid(LongText, "第一行\n\t第二行")
    for bad in ("a\x1b[2J", "a\rb", "a\x07", "a\x85"):
        assert not valid(LongText, bad), repr(bad)
    assert valid(Text, "[bold]李[/bold]")  # markup is text: kept, shown literally


def test_shown_escapes_and_elides() -> None:
    assert escape_controls("a\x1b[31m\n") == "a\\x1b[31m\\n"
    assert shown("x" * 10240) == "x" * 60 + "…(10240 characters)"
    assert shown("李春华") == "李春华"


def test_the_actor_of_a_guard_failure_records_nothing() -> None:
    deputy = new_deputy()
    deputy.collect_events()
    with pytest.raises(RuleViolated):
        deputy.correct({"name": "李"}, on=date(2000, 1, 1), actor=Actor("x", "staff"))
    assert deputy.collect_events() == []
