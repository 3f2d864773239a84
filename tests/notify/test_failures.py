"""A projection that fails (exit 9) becomes a notice to staff, once per view and error
— on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import get_plugin_manager
from tests.projections.test_failures import Plugin, SideEffects, invoke, populate


def cli_run(store: str, adapter: SideEffects, *args: str) -> Result:
    env = Env(store=store, pm=get_plugin_manager([Plugin(adapter)]), role="staff")
    return CliRunner().invoke(cli, ["--store", store, *args], obj=env)


def json_of(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_failed_projection_is_noticed_once_per_error(app: Renda, store: str) -> None:
    populate(app, 2)  # positions 1..6
    adapter = SideEffects()
    quiet = json_of(cli_run(store, adapter, "deliver", "run", "--once", "--json"))
    assert quiet["failures_noticed"] == 0
    adapter.fail_at = 4
    assert invoke(store, adapter, "catch-up", "side_effects").exit_code == 9
    first = json_of(cli_run(store, adapter, "deliver", "run", "--once", "--json"))
    assert first["failures_noticed"] == 1 and first["sent"] == 1
    again = json_of(cli_run(store, adapter, "deliver", "run", "--once", "--json"))
    assert again["failures_noticed"] == 0 and again["sent"] == 0  # the same error: once
    inbox = json_of(cli_run(store, adapter, "inbox", "--for", "staff", "--json"))
    assert [m["subject"] for m in inbox] == ["【系统提示】视图 side_effects 更新失败"]
    assert "日志位置 3 之后" in inbox[0]["body"] and "mail server down" in inbox[0]["body"]
    assert "renda projections catch-up side_effects" in inbox[0]["body"]
    # fixed, then failing elsewhere: a new error, a new notice
    adapter.fail_at = None
    assert invoke(store, adapter, "catch-up", "side_effects").exit_code == 0
    assert (
        json_of(cli_run(store, adapter, "deliver", "run", "--once", "--json"))["failures_noticed"]
        == 0
    )
    populate(app, 1)  # positions 7..9
    adapter.fail_at = 8
    assert invoke(store, adapter, "catch-up", "side_effects").exit_code == 9
    later = json_of(cli_run(store, adapter, "deliver", "run", "--once", "--json"))
    assert later["failures_noticed"] == 1
    inbox = json_of(cli_run(store, adapter, "inbox", "--for", "staff", "--json"))
    assert len(inbox) == 2 and "日志位置 7 之后" in inbox[1]["body"]
