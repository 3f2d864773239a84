"""``renda deliver|clock|inbox|contact`` through the CLI: JSON output, masking, exit
codes — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import assigned, deputy

UNIT = "unit:省商务厅"


def run(app: Renda, *args: str, role: str = "staff") -> Any:
    env = Env(app=app, pm=get_plugin_manager(), role=role, actor_id="li")
    try:
        return CliRunner().invoke(cli, list(args), obj=env)
    finally:
        env.close()


def test_contacts_are_recorded_and_masked(app: Renda) -> None:
    result = run(app, "contact", "set", UNIT, "email", "zhangsan@swt.example.cn", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["value"] == "z***@swt.example.cn"
    run(app, "contact", "set", UNIT, "phone", "13812345678", "--date", "2024-09-01")
    shown = json.loads(run(app, "contact", "show", UNIT, "--json").output)
    assert shown["addresses"]["phone"]["value"] == "138****5678"
    assert shown["addresses"]["email"]["value"] == "z***@swt.example.cn"
    assert "zhangsan" not in run(app, "contact", "show", UNIT).output
    revealed = json.loads(run(app, "contact", "show", UNIT, "--reveal", "--json").output)
    assert revealed["addresses"]["email"]["value"] == "zhangsan@swt.example.cn"
    assert revealed["addresses"]["phone"]["on"] == "2024-09-01"
    # corrected: the new address replaces the old one, the log keeps both
    run(app, "contact", "set", UNIT, "email", "li@swt.example.cn")
    revealed = json.loads(run(app, "contact", "show", UNIT, "--reveal", "--json").output)
    assert revealed["addresses"]["email"] == {
        "value": "li@swt.example.cn",
        "on": revealed["addresses"]["email"]["on"],
        "by": "li",
    }


def test_contact_errors_record_nothing(app: Renda) -> None:
    assert run(app, "contact", "set", "nobody", "email", "a@b.cn").exit_code == 3
    assert run(app, "contact", "set", UNIT, "email", "not-an-address").exit_code == 3
    denied = run(app, "contact", "set", UNIT, "email", "a@b.cn", role="auditor")
    assert denied.exit_code == 6
    assert run(app, "contact", "show", UNIT).exit_code == 4  # nothing was recorded


def test_tick_deliver_inbox_and_status(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    tick = json.loads(run(app, "clock", "tick", "--as-of", "2024-12-28", "--json").output)
    # 12-28 is a Saturday: the reply (due Friday 12-27) is urged first on Monday 12-30
    assert [(r["deadline"], r["threshold"], r["owner"]) for r in tick["issued"]] == [
        ("reply_due", "due", "省商务厅"),
        ("co_opinion_due", "overdue:9", "省交通运输厅"),  # due 10-28; weekly from 10-29
    ]
    again = json.loads(run(app, "clock", "tick", "--as-of", "2024-12-28", "--json").output)
    assert again["issued"] == []
    status = json.loads(run(app, "deliver", "status", "--json").output)
    assert status["counts"]["pending"] > 0
    sent = json.loads(run(app, "deliver", "run", "--once", "--json").output)
    assert sent["sent"] == status["counts"]["pending"] and sent["dead"] == 0
    inbox = json.loads(run(app, "inbox", "--for", UNIT, "--unread", "--json").output)
    assert [m["subject"][:4] for m in inbox] == ["【交办】", "【提醒】"]
    assert all(m["record_id"] == str(sid) for m in inbox)
    marked = run(app, "inbox", "--for", UNIT, "--mark-read", inbox[0]["key"], "--json")
    assert json.loads(marked.output) == {"marked_read": 1}
    unread = json.loads(run(app, "inbox", "--for", UNIT, "--unread", "--json").output)
    assert [m["key"] for m in unread] == [inbox[1]["key"]]
    assert run(app, "inbox", "--for", "somebody").exit_code == 3
    assert run(app, "deliver", "retry", "no-such-key").exit_code == 4
    assert json.loads(run(app, "deliver", "dead-letters", "--json").output) == []
    assert run(app, "deliver", "run", "--once", "--follow").exit_code == 3


def test_a_key_with_a_nul_is_no_message(app: Renda) -> None:
    """``deliver retry '\\x00'`` failed on PostgreSQL as a store error (exit 8: a NUL
    cannot even be compared there); no key renda makes holds one, so it is no message
    (exit 4), on both stores, and marking it read marks nothing."""
    for key in ("a\x00b", "\ud800" * 3):  # a NUL; a lone surrogate (no UTF-8 at all)
        missing = run(app, "deliver", "retry", key)
        assert missing.exit_code == 4, missing.output
    marked = run(app, "inbox", "--for", UNIT, "--mark-read", "k\x00", "--json")
    assert marked.exit_code == 0, marked.output
    assert json.loads(marked.output) == {"marked_read": 0}
