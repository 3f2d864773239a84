"""Citizens who gave a phone and opted in are told when their opinion is referred,
answered and closed; others are not (the opt-in is off by default, and opinions
recorded before it existed replay as off)."""

from __future__ import annotations

from typing import Any

import pytest

from renda_core import Renda
from renda_core.notify import Notifier
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_escalation import accepted_opinion
from tests.conftest import STAFF


def citizen_messages(n: Notifier) -> list[Any]:
    return [r.message for r in n.outbox.rows() if r.message.rule == "citizen.opinion"]


def test_opted_in_citizen_is_told_of_each_step(app: Renda, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDA_CITIZEN_SMS", "json://127.0.0.1:9/sms?to={phone}")
    quiet, deputy = accepted_opinion(app)
    station = app.opinion(quiet)["station_id"]
    told = app.collect_opinion(
        {
            "station_id": station,
            "channel": "app",
            "content": "小区路灯不亮，夜间出行不便",
            "deputies": [deputy],
            "citizen_phone": "13812345678",
            "citizen_notify": True,
            "date": "2023-03-05",
        },
        STAFF,
    )
    for oid in (quiet, told):
        if oid == told:
            app.screen_opinion(
                {"opinion_id": oid, "outcome": "accepted", "date": "2023-03-06"}, STAFF
            )
        app.refer_opinion(
            {
                "opinion_id": oid,
                "body": "朝阳区城管局",
                "body_kind": "department",
                "due": "2023-04-06",
                "date": "2023-03-07",
            },
            STAFF,
        )
        app.record_opinion_result(
            {"opinion_id": oid, "result": "已修复", "date": "2023-03-20"}, STAFF
        )
    n = Notifier(app, get_plugin_manager())
    n.derive()
    messages = citizen_messages(n)
    assert {m.recipient for m in messages} == {f"citizen:{told}"}
    inbox = [m for m in messages if m.address.startswith("inbox:")]
    assert [m.subject for m in inbox] == [
        "【社情民意】您反映的意见已转交 朝阳区城管局 办理",
        "【社情民意】您反映的意见已有办理结果",
    ]
    sms = [m.address for m in messages if m.address.startswith("apprise:")]
    assert sms == ["apprise:json://127.0.0.1:9/sms?to=13812345678"] * 2
    assert app.get_opinion(quiet).citizen_notify is False  # default off
