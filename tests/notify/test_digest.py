"""The staff's daily digest: what is due and overdue, by unit, once a day — on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from renda_core import Renda
from renda_core.notify import Notifier
from renda_core.ports.plugins import get_plugin_manager
from tests.notify.test_clock import CLOCK, assigned_before_national_day

NOW = datetime(2024, 12, 2, 1, tzinfo=UTC)


def digests(n: Notifier) -> list[str]:
    return [r.message.key for r in n.outbox.rows() if r.message.rule == "staff.digest"]


def test_digest_lists_due_and_overdue_by_unit_once_a_day(app: Renda) -> None:
    sid = assigned_before_national_day(app)  # co-opinion due 10-14, reply due 12-13
    n = Notifier(app, get_plugin_manager(), now=lambda: NOW)
    assert n.digest(date(2024, 9, 14)) is None  # nothing within reach yet
    assert digests(n) == []
    first = n.digest(date(2024, 10, 15))
    assert first == {
        "on": "2024-10-15",
        "overdue_count": 1,
        "due_count": 0,
        "units": {"省交通运输厅": {"overdue": 1, "due": 0}},
    }
    # 12-02: the reply (due 12-13) is within 10 working days (from 11-29 on)
    second = n.digest(date(2024, 12, 2))
    assert second is not None and second["units"] == {
        "省交通运输厅": {"overdue": 1, "due": 0},
        "省商务厅": {"overdue": 0, "due": 1},
    }
    keys = digests(n)
    assert len(keys) == 2 and keys[0].startswith("staff.digest:digest/2024-10-15:")
    assert n.digest(date(2024, 12, 2)) is not None
    assert digests(n) == keys  # once a day, however often it runs
    n.deliver()
    inbox = n.outbox.inbox("staff")
    [dec2] = [m for m in inbox if "2024-12-02" in m["subject"]]
    assert dec2["subject"] == "【每日办理提示】2024-12-02：逾期 1 项，即将到期 1 项"
    body = dec2["body"]
    assert "省交通运输厅：\n  逾期 49 天 · 协办意见期限（2024-10-14）" in body
    assert "省商务厅：\n  2024-12-13 到期 · 答复期限" in body and sid in body
    assert body.index("省交通运输厅") < body.index("省商务厅")


def test_digest_in_english_links_each_record(app: Renda, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDA_RECORD_URL", "https://rd.example/s/{id}")
    sid = assigned_before_national_day(app)
    n = Notifier(app, get_plugin_manager(), now=lambda: NOW, lang="en")
    n.tick(date(2024, 10, 15), CLOCK)
    assert n.digest(date(2024, 10, 15)) is not None
    [row] = [r for r in n.outbox.rows() if r.message.rule == "staff.digest"]
    assert row.message.subject == "[Daily handling digest] 2024-10-15: 1 overdue, 0 due soon"
    assert "1 days overdue - co_opinion_due (2024-10-14)" in row.message.body
    assert f"{sid} https://rd.example/s/{sid}" in row.message.body
    assert "Record:" not in row.message.body  # no single record: links per line
