"""Random tick sequences (any days, any order, repeated) against one assigned
suggestion: a threshold is issued at most once and never before its day, the k-th
week's 催办 has a number from 1 to k (1, 2, … as issued when the days come in order),
and a second application reading the stored events rebuilds every reminder — on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.domain.reminder import URGE, reminder_id
from renda_core.notify import Notifier, clock
from tests.notify.test_clock import CLOCK, assigned_before_national_day

SETTINGS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FIRST = date(2024, 9, 14)
ticks = st.lists(st.integers(0, 60), min_size=1, max_size=8)


@SETTINGS
@given(offsets=ticks)
def test_random_ticks_issue_each_threshold_once_on_or_after_its_day(
    app: Renda, offsets: list[int]
) -> None:
    sid = assigned_before_national_day(app)
    n = Notifier(app)
    calendar = app.work_calendar()
    issued: list[dict[str, Any]] = []
    for offset in offsets:
        day = FIRST + timedelta(days=offset)
        # the app serves every example: earlier examples' suggestions tick too
        now = [r for r in n.tick(day, CLOCK) if r["suggestion"] == str(sid)]
        assert n.tick(day, CLOCK) == []  # the same day again: nothing
        for r in now:
            due = date.fromisoformat(r["due"])
            days = {t: d for t, _, _, d in clock.thresholds(calendar, due, day)}
            assert days[r["threshold"]] <= day  # never early
        issued += now
    keyed = [(r["deadline"], r["owner"], r["due"], r["threshold"]) for r in issued]
    assert len(keyed) == len(set(keyed))  # at most once, across every tick
    with Renda(app.store) as reader:
        numbers: dict[str, list[int]] = {}
        for r in issued:
            rid = reminder_id(
                sid, r["deadline"], r["owner"], date.fromisoformat(r["due"]), r["threshold"]
            )
            stored: Any = reader.repository.get(rid)
            assert (stored.threshold, stored.kind, stored.owner) == (
                r["threshold"],
                r["kind"],
                r["owner"],
            )
            if stored.kind == URGE:  # the k-th week's 催办 counts those issued before it
                k = int(stored.threshold.partition(":")[2])
                assert 1 <= stored.number <= k
                numbers.setdefault(r["deadline"], []).append(stored.number)
    if offsets == sorted(offsets):  # days in order: numbered 1, 2, … as issued
        for found in numbers.values():
            assert found == list(range(1, len(found) + 1))
