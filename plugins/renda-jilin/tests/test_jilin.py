"""The Jilin plugin: its divisions, its rules, its commands — loaded as a plugin."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

sys._called_from_test = True  # type: ignore[attr-defined]

import renda_jilin  # noqa: E402

from renda_core import Renda  # noqa: E402
from renda_core.cli import cli  # noqa: E402
from renda_core.cli.context import Env  # noqa: E402
from renda_core.ports.plugins import get_plugin_manager  # noqa: E402
from renda_core.ports.rules import choose_deadline_policy  # noqa: E402


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    app = Renda(str(tmp_path / "jilin.sqlite"))
    e = Env(app=app, pm=get_plugin_manager([renda_jilin]), actor_id="clerk", role="staff")
    yield e
    e.close()
    app.close()


def test_the_divisions_are_jilins_real_codes() -> None:
    rows = renda_jilin.division_rows()
    kinds = [r["kind"] for r in rows]
    assert kinds.count("province") == 1 and kinds.count("prefecture") == 9
    assert kinds.count("county") == 60
    by_code = {r["code"]: r["name"] for r in rows}
    assert by_code["220100"] == "长春市" and by_code["222400"] == "延边朝鲜族自治州"
    assert by_code["220184"] == "公主岭市" and by_code["222426"] == "安图县"
    assert all(r["code"].startswith("22") for r in rows)


def test_divisions_command_imports_once(env: Env) -> None:
    group = cli  # the plugin's commands are registered on a fresh group for isolation
    import click

    fresh = click.Group("renda", commands=dict(group.commands))
    env.plugins().hook.renda_register_commands(cli=fresh)
    first = CliRunner().invoke(
        fresh, ["jilin", "divisions", "--date", "2023-01-01", "--json"], obj=env
    )
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["recorded"] == 70
    again = CliRunner().invoke(
        fresh, ["jilin", "divisions", "--date", "2023-01-01", "--json"], obj=env
    )
    assert json.loads(again.output)["recorded"] == 0
    listed = CliRunner().invoke(fresh, ["area", "list", "--kind", "prefecture", "--json"], obj=env)
    assert len(json.loads(listed.output)) == 9


def test_the_province_policy_is_chosen_when_the_plugin_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RENDA_DEADLINE_POLICY", raising=False)
    pm = get_plugin_manager([renda_jilin])
    policy = choose_deadline_policy(pm)
    assert policy.name == "jilin" and policy.rehandling.amount == 3
    assert policy.province == "22"  # 吉林省's: another province's store keeps the national
    assert choose_deadline_policy(pm, None, lambda: "44").name == "national"
    assert choose_deadline_policy(pm, None, lambda: "22").name == "jilin"
    monkeypatch.setenv("RENDA_DEADLINE_POLICY", "national")
    assert choose_deadline_policy(pm).rehandling.amount == 1


def test_the_plugin_is_found_through_its_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="renda")}
    assert names.get("jilin") == "renda_jilin"


def test_the_province_template_replaces_the_prose(env: Env) -> None:
    from renda_adapters.annual import template_source

    source = template_source(env.plugins())
    text = source("annual.text", "zh") or ""
    assert text.startswith("吉林省人大常委会") and "以“两提高一强化”为重点" in text
    assert source("annual.text", "en") == template_source(get_plugin_manager())("annual.text", "en")
    result = CliRunner().invoke(
        cli, ["report", "annual", "--year", "2023", "--format", "text", "--lang", "zh"], obj=env
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("吉林省人大常委会2023年代表工作情况")
    # an empty store: each section says it has no records, no figure reads "0次"
    assert "2023年没有代表家站和社情民意的记录。" in result.output
    assert "0次" not in result.output and "0期" not in result.output
