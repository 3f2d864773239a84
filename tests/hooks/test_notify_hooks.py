"""Contract tests of the notification hooks: a minimal plugin adds a channel and a rule,
and the deliverer uses both."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from renda_core import Renda
from renda_core.notify import Draft, FunctionRule, Message, Notifier, Receipt
from renda_core.ports import hookimpl
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import assigned, deputy

NOW = datetime(2024, 9, 27, tzinfo=UTC)


class Recorder:
    name = "oa"
    addresses = ("oa:", "inbox:unit:省交通运输厅")

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> Receipt:
        self.sent.append(message)
        return Receipt("oa")


def test_renda_register_channels(tmp_path: Any) -> None:
    channel = Recorder()

    class Plugin:
        @hookimpl
        def renda_register_channels(self, register: Any) -> None:
            register(channel)

    with Renda(str(tmp_path / "s.sqlite")) as app:
        _, lead = deputy(app)
        assigned(app, lead)
        n = Notifier(app, get_plugin_manager([Plugin()]), now=lambda: NOW)
        n.derive()
        n.deliver()
    # the plugin's channel is asked first: it took the co-unit's inbox address
    assert [m.recipient for m in channel.sent] == ["unit:省交通运输厅"]
    assert channel.sent[0].key.startswith("unit.assigned:")


def test_renda_register_notification_rules(tmp_path: Any) -> None:
    def on_submit(event: Any, topic: str, context: Any) -> Iterable[Draft]:
        s = context.suggestion(event)
        yield Draft("staff", "deputy_update", {"s": s, "what": "已提交"}, s["id"])

    class Plugin:
        @hookimpl
        def renda_register_notification_rules(self, register: Any) -> None:
            register(FunctionRule("staff.submitted", ("renda:Suggestion.Submitted",), on_submit))

        @hookimpl
        def renda_report_template(self, name: str, lang: str) -> str | None:
            return "本省：{{ s.title }}\n{{ what }}" if name == "notify.deputy_update" else None

    with Renda(str(tmp_path / "s.sqlite")) as app:
        _, lead = deputy(app)
        assigned(app, lead)
        n = Notifier(app, get_plugin_manager([Plugin()]), now=lambda: NOW)
        n.derive()
        rows = [r.message for r in n.outbox.rows() if r.message.rule == "staff.submitted"]
    assert len(rows) == 1 and rows[0].recipient == "staff"
    assert rows[0].subject.startswith("本省：") and rows[0].body.startswith("已提交")
