"""The last English left in Chinese output (issue 13 item 4): click's type names in
usage errors, table titles built with f-strings, show rows built from data, and
spreadsheet headers per command."""

from __future__ import annotations

import re
from typing import Any

import click
import click.types
from click.testing import CliRunner

from renda_core import i18n
from renda_core.cli import cli
from renda_core.cli.i18n import CLICK_TYPE_CONTEXT, CLICK_TYPE_NAMES, click_type_name

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
CJK = re.compile(r"[\u3400-\u9fff]")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=NO_LOCALE, prog_name="renda")


def test_usage_errors_name_clicks_type_in_the_active_language(store: str) -> None:
    zh = invoke("--store", store, "--lang", "zh", "deputy", "list", "--limit", "abc")
    assert zh.exit_code == 2, zh.output
    assert "'abc' 不是有效的范围内的整数" in zh.output
    assert "integer" not in zh.output
    en = invoke("--store", store, "--lang", "en", "deputy", "list", "--limit", "abc")
    assert "'abc' is not a valid integer range." in en.output


def test_every_type_name_of_click_is_catalogued_in_chinese() -> None:
    names = {
        kind.name
        for kind in vars(click.types).values()
        if isinstance(kind, type)
        and issubclass(kind, click.ParamType)
        and isinstance(getattr(kind, "name", None), str)
    }
    assert names <= set(CLICK_TYPE_NAMES), names - set(CLICK_TYPE_NAMES)
    with i18n.use("zh_CN"):
        for name in CLICK_TYPE_NAMES:
            assert i18n.catalogued(name, CLICK_TYPE_CONTEXT), name
            shown = click_type_name(name)
            assert name == "uuid" or CJK.search(shown), (name, shown)
        assert click_type_name("File") == "文件"  # click title-cases a path's name
    with i18n.use("en"):
        assert click_type_name("File") == "File"
        assert click_type_name("integer") == "integer"


def test_clock_and_outbox_titles_speak_chinese(store: str) -> None:
    zh = invoke("--store", store, "--lang", "zh", "clock", "tick", "--as-of", "2026-11-30")
    assert zh.exit_code == 0, zh.output
    assert "时钟 2026-11-30：发出 0 条" in zh.output
    assert "Clock" not in zh.output and "issued" not in zh.output
    zh = invoke("--store", store, "--lang", "zh", "deliver", "status")
    assert zh.exit_code == 0, zh.output
    assert "发件箱：待发送 0，已发送 0，死信 0" in zh.output
    assert "Outbox" not in zh.output and "pending" not in zh.output
    en = invoke("--store", store, "--lang", "en", "clock", "tick", "--as-of", "2026-11-30")
    assert "Clock 2026-11-30: 0 issued" in en.output
    en = invoke("--store", store, "--lang", "en", "deliver", "status")
    assert "Outbox: 0 pending, 0 sent, 0 dead" in en.output
