"""The statutory clock on real calendar cases (State Council holiday arrangements)."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.calendar import (
    CalendarYear,
    CalendarYearUnknown,
    WorkCalendar,
    YearArrangement,
)
from renda_core.domain.deadlines import NATIONAL, Clock, Period, Unit, add_months
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.values import Actor

CAL = WorkCalendar()
STAFF = Actor("clerk-1", "staff")


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_national_day_2024_with_its_make_up_days() -> None:
    # 09-29 (Sun) and 10-12 (Sat) are make-up working days; 10-01..07 off.
    assert CAL.add_working_days(d("2024-09-27"), 7) == d("2024-10-12")
    assert Period(7, Unit.WORKING_DAYS).after(d("2024-09-27"), CAL) == d("2024-10-12")
    assert CAL.is_workday(d("2024-09-29")) and not CAL.is_workday(d("2024-10-07"))


def test_spring_festival_2024_with_its_make_up_days() -> None:
    # 02-10..17 off; 02-04 (Sun) and 02-18 (Sun) worked.
    assert CAL.add_working_days(d("2024-02-08"), 3) == d("2024-02-19")
    assert CAL.add_working_days(d("2024-02-02"), 1) == d("2024-02-04")
    assert CAL.working_days_between(d("2024-02-09"), d("2024-02-18")) == 1


def test_spring_festival_2025_and_the_twenty_working_days_of_disclosure() -> None:
    # 2025-01-28..02-04 off; 01-26 (Sun) and 02-08 (Sat) worked.
    assert CAL.add_working_days(d("2025-01-24"), 1) == d("2025-01-26")
    # 01-26, 01-27, 02-05..08, 02-10..14, 02-17..21, 02-24..27: the 20th is 02-27
    assert CAL.add_working_days(d("2025-01-24"), 20) == d("2025-02-27")


def test_months_end_on_the_same_day_clamped_to_month_end() -> None:
    assert add_months(d("2024-11-30"), 3) == d("2025-02-28")
    assert add_months(d("2023-11-30"), 3) == d("2024-02-29")  # leap year
    assert add_months(d("2024-02-29"), 12) == d("2025-02-28")
    assert add_months(d("2024-08-31"), 6) == d("2025-02-28")
    assert add_months(d("2024-01-31"), 1) == d("2024-02-29")
    assert add_months(d("2024-12-15"), 1) == d("2025-01-15")
    assert Period(3).after(d("2024-11-30"), CAL) == d("2025-02-28")


def test_calendar_days_and_the_clock() -> None:
    assert Period(10, Unit.DAYS).after(d("2024-12-25"), CAL) == d("2025-01-04")
    assert Clock().reply_due(d("2024-11-30"), complex_=False) == d("2025-02-28")
    assert Clock().reply_due(d("2024-11-30"), complex_=True) == d("2025-05-30")


def test_a_year_outside_the_calendar_is_an_explicit_error_naming_it() -> None:
    with pytest.raises(CalendarYearUnknown, match="no holiday arrangement for 2027") as caught:
        CAL.add_working_days(d("2026-12-28"), 7)
    assert caught.value.year == 2027
    assert isinstance(caught.value, RuleViolated)
    with pytest.raises(CalendarYearUnknown, match="2003"):
        CAL.is_workday(d("2003-06-02"))
    # months need no calendar
    assert Period(1).after(d("2026-12-28"), CAL) == d("2027-01-28")


def test_added_years_extend_the_calendar() -> None:
    y2027 = YearArrangement(
        2027,
        frozenset({d("2027-01-01"), *(d(f"2027-02-{n:02}") for n in range(6, 14))}),
        frozenset({d("2027-02-14")}),
        "国办发明电〔2026〕x号",
    )
    cal = WorkCalendar(lambda year: y2027 if year == 2027 else None)
    assert cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    assert cal.add_working_days(d("2027-02-05"), 1) == d("2027-02-14")


def test_arrangements_are_validated() -> None:
    with pytest.raises(InvalidInput, match="outside 2027"):
        YearArrangement(2027, frozenset({d("2026-12-31")}), frozenset(), "x")
    with pytest.raises(InvalidInput, match="Saturday or Sunday"):
        YearArrangement(2027, frozenset({d("2027-01-01")}), frozenset({d("2027-01-04")}), "x")
    with pytest.raises(InvalidInput, match="both holiday and working day"):
        YearArrangement(2027, frozenset({d("2027-02-14")}), frozenset({d("2027-02-14")}), "x")
    with pytest.raises(InvalidInput, match="no holidays"):
        YearArrangement(2027, frozenset(), frozenset(), "x")


def test_calendar_year_aggregate_has_a_deterministic_id_and_revisions() -> None:
    arrangement = YearArrangement(2027, frozenset({d("2027-01-01")}), frozenset(), "第一版")
    year = CalendarYear.add(arrangement, on=d("2026-11-01"), actor=STAFF)
    assert year.id == CalendarYear.create_id(2027) != CalendarYear.create_id(2028)
    assert year.arrangement() == arrangement
    with pytest.raises(RuleViolated, match="already recorded as given"):
        year.revise(arrangement, on=d("2026-11-02"), actor=STAFF)
    with pytest.raises(RuleViolated, match="not 2028"):
        year.revise(
            YearArrangement(2028, frozenset({d("2028-01-01")}), frozenset(), "x"),
            on=d("2026-11-02"),
            actor=STAFF,
        )
    revised = YearArrangement(
        2027, frozenset({d("2027-01-01"), d("2027-01-02")}), frozenset(), "第二版"
    )
    year.revise(revised, on=d("2026-11-02"), actor=STAFF)
    assert year.arrangement() == revised and year.revisions == 1


def test_policy_validation_and_description() -> None:
    assert NATIONAL.to_dict()["reply"] == {"amount": 3, "unit": "months", "label": "3个月"}
    with pytest.raises(ValueError, match="not result classes"):
        NATIONAL.with_changes(commitment_classes=frozenset({"Z"}))
    with pytest.raises(ValueError, match="1 or more"):
        Period(0)
