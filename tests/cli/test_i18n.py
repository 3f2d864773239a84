"""The CLI's languages (docs/i18n.md): catalogues complete, selection, help, errors.

The suite runs with RENDA_LANG=en (tests/conftest.py); these tests set the language
each case is about, and unset it for the default.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from renda_core import i18n
from renda_core.cli import cli
from renda_core.cli.i18n import error_text, field_text
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.i18n_catalog import FIX_COMMAND, problems

NO_LOCALE: dict[str, str | None] = {
    "RENDA_LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
    "LANGUAGE": None,
}
MISSING = "12345678-1234-1234-1234-123456789012"


def invoke(*args: str, **env: str | None) -> Any:
    return CliRunner().invoke(cli, list(args), env={**NO_LOCALE, **env})


def test_catalogues_are_complete_and_compiled() -> None:
    """Every help, short help and option help of the whole click tree (plugins
    loaded), click's own messages and the CLI's error templates have a translation in
    every catalogue, and every .mo is compiled from its .po as it is now."""
    found = problems()
    assert not found, "\n".join(found)


def test_the_failure_names_the_fix() -> None:
    assert "renda_core.i18n_catalog update" in FIX_COMMAND


@pytest.mark.parametrize(
    ("lang", "environ", "expected"),
    [
        (None, {}, "zh_CN"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        (None, {"LANG": "C.UTF-8"}, "zh_CN"),
        (None, {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "zh_CN"),
        (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "zh_TW", "LANG": "en_US"}, "zh_CN"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"RENDA_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh_CN"),
        (None, {"RENDA_LANG": "C", "LANG": "en_US.UTF-8"}, "en"),
        ("en", {"RENDA_LANG": "zh"}, "en"),
        ("zh", {"LANG": "en_US.UTF-8"}, "zh_CN"),
    ],
)
def test_selection(lang: str | None, environ: dict[str, str], expected: str) -> None:
    assert i18n.select_locale(lang, environ) == expected


def test_default_help_is_chinese() -> None:
    result = invoke("deputy", "show", "--help")
    assert result.exit_code == 0, result.output
    assert "显示一名代表及其联系人和联系记录。" in result.output
    assert "用法:" in result.output and "显示此帮助信息并退出。" in result.output
    assert "Show one deputy" not in result.output


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "en", "deputy", "show", "--help"], {}),
        (["deputy", "show", "--help"], {"LANG": "en_US.UTF-8"}),
        (["deputy", "show", "--help"], {"RENDA_LANG": "en"}),
        (["--lang=en", "deputy", "show", "--help"], {"LANG": "zh_CN.UTF-8"}),
    ],
)
def test_english_help(args: list[str], env: dict[str, str]) -> None:
    result = invoke(*args, **env)
    assert result.exit_code == 0, result.output
    assert "Show one deputy with liaisons and contacts." in result.output
    assert "Usage:" in result.output and "Show this message and exit." in result.output
    assert "显示" not in result.output


def test_help_before_lang_is_still_in_that_language() -> None:
    result = invoke("--help", "--lang", "en")
    assert "Show this message and exit." in result.output
    assert "--lang [zh|en]" in result.output


def test_group_listing_shows_translated_short_help() -> None:
    zh = invoke("--help").output
    assert "代表：登记、更正" in zh and "命令:" in zh
    en = invoke("--lang", "en", "--help").output
    assert "Deputies (代表): register, correct" in en and "Commands:" in en


def test_option_help_is_translated_with_clicks_extras() -> None:
    zh = invoke("report", "deputies", "--help").output
    assert "表格的标签语言。" in zh and "默认：" in zh
    en = invoke("--lang", "en", "report", "deputies", "--help").output
    assert "Labels of the table." in en and "default:" in en


def test_clicks_own_errors_are_translated() -> None:
    zh = invoke("deputy", "show", "--bogus")
    assert zh.exit_code == 2
    assert "错误：" in zh.output and "没有名为 '--bogus' 的选项。" in zh.output
    en = invoke("--lang", "en", "deputy", "show", "--bogus")
    assert en.exit_code == 2 and "Error: No such option '--bogus'." in en.output


def test_the_version_line_follows_the_language() -> None:
    """click reads its ``--version`` message when the command is decorated, before the
    catalogue is bound: the message must still be translated when shown."""
    zh = invoke("--version")
    assert zh.exit_code == 0 and "，版本 " in zh.output and "version" not in zh.output
    en = invoke("--lang", "en", "--version")
    assert en.exit_code == 0 and ", version " in en.output and "版本" not in en.output


def test_an_invalid_lang_is_a_usage_error() -> None:
    result = invoke("--lang", "fr", "--help")
    assert result.exit_code == 2


def test_not_found_follows_the_language(store: str) -> None:
    zh = invoke("--store", store, "deputy", "show", MISSING)
    assert zh.exit_code == 4
    assert f"错误：没有 id 为 {MISSING} 的代表" in zh.output
    en = invoke("--store", store, "--lang", "en", "deputy", "show", MISSING)
    assert en.exit_code == 4
    assert f"Error: no deputy with id {MISSING}" in en.output


def test_json_errors_keep_their_machine_kind(store: str) -> None:
    result = invoke("--store", store, "deputy", "show", MISSING, "--json")
    assert result.exit_code == 4
    error = json.loads(result.stderr)
    assert error["error"] == "not_found"  # never translated
    assert error["message"] == f"没有 id 为 {MISSING} 的代表"
    assert set(error) == {"error", "message", "fields"}


def test_invalid_input_fields_are_translated(store: str) -> None:
    result = invoke("--store", store, "deputy", "show", "1234abcd", "--json")
    assert result.exit_code == 4
    # the field named by the argument the clerk typed (代表ID), not ``deputy_id``
    assert json.loads(result.stderr)["message"] == "代表ID：没有 id 以 1234abcd 开头的记录"
    error = InvalidInput(
        "invalid input — name: Field required", [{"field": "name", "message": "Field required"}]
    )
    with i18n.use("zh_CN"):
        assert error_text(error) == "输入无效 — name：必填字段"
        assert field_text("String should have at least 1 character") == "字符串至少应有 1 个字符"
    with i18n.use("en"):
        assert error_text(error) == error.message


def test_an_error_may_carry_its_message_id() -> None:
    error = RuleViolated("no record with id x", msgid="no record with id {id}", params={"id": "x"})
    with i18n.use("zh_CN"):
        assert error_text(error) == "没有 id 为 x 的记录"
    with i18n.use(None):
        assert error_text(error) == "no record with id x"  # no driver active: as raised


def test_uncatalogued_messages_stay_as_raised() -> None:
    error = NotFound("something nobody catalogued")
    with i18n.use("zh_CN"):
        assert error_text(error) == "something nobody catalogued"


def test_library_is_language_neutral() -> None:
    with i18n.use(None):
        assert i18n.gettext("Usage:") == "Usage:"
        assert i18n.gettext("代表名单") == "代表名单"


def test_table_titles_and_headers_follow_the_language() -> None:
    zh = invoke("plugins")
    assert zh.exit_code == 0, zh.output
    assert "插件" in zh.output and "名称" in zh.output
    en = invoke("--lang", "en", "plugins")
    assert "Plugins" in en.output and "name" in en.output and "插件" not in en.output


def test_a_commands_own_lang_follows_the_locale(store: str) -> None:
    zh = invoke("--store", store, "report", "deputies")
    assert zh.exit_code == 0, zh.output
    assert "指标" in zh.output
    en = invoke("--store", store, "--lang", "en", "report", "deputies")
    assert "Figure" in en.output and "指标" not in en.output
    both = invoke("--store", store, "--lang", "en", "report", "deputies", "--lang", "zh")
    assert "指标" in both.output  # the command's own option still wins


def test_chinese_help_fits_the_terminal() -> None:
    """A Chinese character takes two columns: help is wrapped by what the terminal
    shows, for every command of the tree."""
    import unicodedata

    import click

    from renda_core.cli.i18n import walk_all

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    ctx = click.Context(cli, info_name="renda")
    paths = [[]] + [[name] for name in cli.list_commands(ctx)]
    for command in walk_all(cli.commands["deputy"], ctx):  # type: ignore[arg-type]
        if command.name and command.name != "deputy":
            paths.append(["deputy", command.name])
    for path in [*paths, ["report", "annual"], ["suggestion", "assign"]]:
        result = invoke(*path, "--help", COLUMNS="80")
        assert result.exit_code == 0, result.output
        assert "用法:" in result.output
        wide = [line for line in result.output.splitlines() if columns(line) > 80]
        assert not wide, wide


def test_chinese_help_breaks_lines_where_chinese_typesetting_allows() -> None:
    """No help line of any command begins with a closing mark (，。、）…) or ends with an
    opening one (（《「), and click's short bracketed words (``[必填]``) stay whole, at
    two terminal widths."""
    import click

    from renda_core.cli.i18n import _NO_LINE_END, _NO_LINE_START, walk_all

    ctx = click.Context(cli, info_name="renda")
    paths: list[list[str]] = [[]]
    for name in cli.list_commands(ctx):
        group = cli.commands[name]
        paths.append([name])
        if isinstance(group, click.Group):
            for command in walk_all(group, ctx):  # type: ignore[arg-type]
                if command.name and command.name != name:
                    paths.append([name, command.name])
    assert len(paths) > 100
    bad: list[str] = []
    for width in ("60", "80"):
        for path in paths:
            result = invoke(*path, "--help", COLUMNS=width)
            assert result.exit_code == 0, (path, result.output)
            for line in result.output.splitlines():
                text = line.strip()
                if not text:
                    continue
                if text[0] in _NO_LINE_START or text[-1] in _NO_LINE_END:
                    bad.append(f"{width} {' '.join(path)}: {line}")
                if "[必" in text and "[必填]" not in text:
                    bad.append(f"{width} {' '.join(path)}: {line}")
    assert not bad, "\n".join(bad[:20])


@given(
    st.lists(
        st.sampled_from(
            [
                "代",
                "表",
                "建",
                "议",
                "（",
                "）",
                "，",
                "。",
                "、",
                "《",
                "》",
                "[必填]",
                "word",
                "national",
                " ",
                "e.g.",
                "：",
                "…",
            ]
        ),
        max_size=80,
    ),
    st.integers(min_value=12, max_value=90),
)
def test_wrapping_keeps_the_text_and_its_width(tokens: list[str], width: int) -> None:
    """Whatever the text, wrapping loses and adds nothing but line breaks and the
    spaces around them, and a line is wider than asked only when one word is (with the
    marks that may not be parted from it)."""
    from renda_core.cli.i18n import _TOKEN, _width, wrap_text

    text = "代" + "".join(tokens)  # Chinese in it: renda's own wrapping
    wrapped = wrap_text(text, width)
    assert "".join(wrapped.split()) == "".join(text.split())
    for line in wrapped.splitlines():
        if _width(line) > width:
            # only a word that is wider alone, with the few marks that may not part from it
            longest = max((_width(t) for t in _TOKEN.findall(line) if not t.isspace()), default=0)
            assert not any(c.isspace() for c in line), (line, width)
            assert _width(line) - longest <= 8, (line, width)


def test_every_option_says_what_it_is_for_in_the_clerks_language() -> None:
    """Every visible option of every command has help (a clerk reading ``--help`` sees
    what ``--port`` or a report's ``--lang`` is for), and a default told in words is
    shown in the active language."""
    import click

    ctx = click.Context(cli, info_name="renda")
    silent: list[str] = []

    def walk(group: click.Group, path: list[str]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None:
                continue
            for param in command.params:
                if isinstance(param, click.Option) and not param.hidden and not param.help:
                    silent.append(f"{' '.join([*path, name])} {param.opts[0]}")
            if isinstance(command, click.Group):
                walk(command, [*path, name])

    walk(cli, ["renda"])
    assert not silent, silent
    # help is read on a terminal: code in single backticks, never reStructuredText's ``x``
    for path in (["deputy", "import"], ["store", "check"], ["audit", "reproduce"]):
        shown = invoke(*path, "--help").output
        assert "``" not in shown and "`" in shown, (path, shown)
    zh = invoke("report", "annual", "--help")
    assert "报告标签和文字所用的语言" in zh.output and "or en as" not in zh.output
    assert "zh，或按--lang/LANG所选为en" in "".join(zh.output.split())
    assert "监听端口" in invoke("serve", "--help").output


def test_the_check_names_what_is_missing_and_what_is_stale(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the catalogue test reports when a branch adds a command without
    translating it, or edits a .po without compiling it."""
    import shutil

    from babel.messages.pofile import read_po, write_po

    import renda_core.i18n_catalog as catalog

    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    monkeypatch.setattr(catalog, "LOCALE_DIR", folder)
    po = folder / "zh_CN" / "LC_MESSAGES" / "renda.po"
    with po.open("rb") as fp:
        messages = read_po(fp, locale="zh_CN")
    messages.delete("Show one deputy with liaisons and contacts.")
    messages["Usage:"].string = "用法："
    with po.open("wb") as fp:
        write_po(fp, messages)
    found = "\n".join(catalog.problems())
    assert "'Show one deputy with liaisons and contacts.'  (command show)" in found
    assert f"{po.with_suffix('.mo')}: out of date" in found
    assert FIX_COMMAND in found
    assert "en/LC_MESSAGES/renda.po" not in found  # the other catalogue is fine


def test_store_errors_are_catalogued() -> None:
    from renda_core.domain.errors import StoreUnavailable

    error = StoreUnavailable("the store a.sqlite is read-only (not writable): nothing was recorded")
    with i18n.use("zh_CN"):
        # the reason is a catalogued message too: translated inside the template
        assert error_text(error) == "存储 a.sqlite 是只读的（不可写）：没有记录任何内容"
        assert error_text(StoreUnavailable("the store b.sqlite does not exist")) == (
            "存储 b.sqlite 不存在"
        )
