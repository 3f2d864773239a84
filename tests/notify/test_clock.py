"""The clock across two months with the National Day holiday (2024): reminders on the
right working days, 催办 weekly until the deadline is met, each exactly once however
often the clock ticks — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from renda_core import Actor, Renda
from renda_core.api.facade import wrap
from renda_core.application.inputs import dates_as_of
from renda_core.domain.calendar import WorkCalendar
from renda_core.notify import Notifier, clock
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import CO_UNIT, deputy, drafted
from tests.conftest import STAFF

CLOCK = Actor("renda-clock", "staff")


def assigned_before_national_day(app: Renda) -> str:
    _, lead = deputy(app)
    sid = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-02"}, lead)
    app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-05"}, STAFF)
    app.assign_suggestion(
        {
            "suggestion_id": sid,
            "date": "2024-09-13",
            "lead_unit": "省商务厅",
            "co_units": ["省交通运输厅"],
        },
        STAFF,
    )
    return str(sid)


def test_thresholds_skip_the_holiday_and_count_make_up_days() -> None:
    cal = WorkCalendar()
    due = date(2024, 10, 14)
    days = {t: d for t, _, _, d in clock.thresholds(cal, due, date(2024, 10, 31))}
    # 10 working days back from 10-14: 10-12 (a make-up Saturday), 10-11 … 10-08, then
    # over the holiday (10-01 … 10-07) to 09-30, 09-29 (make-up Sunday), 09-27 … 09-25
    assert days["before:10"] == date(2024, 9, 25)
    assert days["before:3"] == date(2024, 10, 10)
    assert days["due"] == due
    assert days["overdue:1"] == date(2024, 10, 15)
    assert days["overdue:2"] == date(2024, 10, 22)
    assert days["overdue:3"] == date(2024, 10, 29)
    # a weekly date on a holiday rolls to the next working day
    holiday = {t: d for t, _, _, d in clock.thresholds(cal, date(2024, 9, 23), date(2024, 10, 9))}
    assert holiday["overdue:2"] == date(2024, 10, 8)  # 10-01 is National Day


def test_a_month_of_daily_ticks_issues_each_reminder_once_on_its_day(app: Renda) -> None:
    sid = assigned_before_national_day(app)
    doc = app.suggestion(sid)
    assert doc["co_opinion_due"] == "2024-10-14"  # 10-13 is a Sunday: rolled
    n = Notifier(app, get_plugin_manager(), now=lambda: datetime(2024, 11, 1, tzinfo=UTC))
    issued: list[dict[str, Any]] = []
    day = date(2024, 9, 14)
    while day <= date(2024, 11, 8):
        if day == date(2024, 10, 25):
            with dates_as_of(day):
                app.send_co_opinion(
                    {"suggestion_id": sid, "date": day.isoformat(), "text": "同意"}, CO_UNIT
                )
        first = n.tick(day, CLOCK)
        assert n.tick(day, CLOCK) == []  # the same day again: nothing
        issued += [{**r, "on": day} for r in first]
        day += timedelta(days=1)
    co = [(r["threshold"], r["on"]) for r in issued if r["deadline"] == "co_opinion_due"]
    assert co == [
        ("before:10", date(2024, 9, 25)),
        ("before:3", date(2024, 10, 10)),
        ("due", date(2024, 10, 14)),
        ("overdue:1", date(2024, 10, 15)),
        ("overdue:2", date(2024, 10, 22)),
        # the opinion came on 10-25: no 催办 on 10-29
    ]
    assert all(r["owner"] == "省交通运输厅" for r in issued if r["deadline"] == "co_opinion_due")
    assert n.urgings(sid) == 2
    # the handling report counts them ("已催办 2 次"), by the unit urged
    with dates_as_of(date(2024, 11, 8)):
        report = wrap(app, get_plugin_manager()).report("suggestions")
    assert report["urged"] == 2
    # the reply (due 2024-12-13) had no reminder yet: 10 working days before is 11-29
    assert not [r for r in issued if r["deadline"] == "reply_due"]
    # every reminder became a message to its unit's inbox, once
    n.deliver()
    inbox = n.outbox.inbox("unit:省交通运输厅")
    subjects = [m["subject"] for m in inbox if "催办" in m["subject"] or "提醒" in m["subject"]]
    assert len(subjects) == 5
    assert sum(1 for s in subjects if s.startswith("【催办】")) == 2


def test_a_late_first_tick_issues_only_the_latest_threshold(app: Renda) -> None:
    sid = assigned_before_national_day(app)
    n = Notifier(app, get_plugin_manager())
    first = n.tick(date(2024, 10, 23), CLOCK)
    assert [(r["deadline"], r["threshold"]) for r in first] == [("co_opinion_due", "overdue:2")]
    assert n.urgings(sid) == 1  # one 催办 issued, not two
    assert n.tick(date(2024, 10, 23), CLOCK) == []
    # a second Notifier (another process) ticking the same day issues nothing either
    assert Notifier(app, get_plugin_manager()).tick(date(2024, 10, 24), CLOCK) == []
