"""What commands print speaks one language (docs/i18n.md): lines, tables, errors.

A handful of commands — a recording, a list, a show, help, a usage error and the
domain errors (not found, rule violated, invalid input) — run with ``--lang zh`` and
``--lang en``. The Chinese output may keep English only where it is not language:
ids, dates, option names, command names, codes. The English output may keep Chinese
only where it is domain data: what was typed in (names, places), as the JSON shows it.
And the catalogue test fails on any message the source raises or prints that no
catalogue translates.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import i18n, i18n_catalog, i18n_extract
from renda_core.cli import cli
from renda_core.cli.i18n import error_text, output_text
from renda_core.domain.errors import RuleViolated
from tests.conftest import REGISTER

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
MISSING = "12345678-1234-1234-1234-123456789012"

CJK = re.compile(r"[\u3400-\u9fff]+")
#: what is not language in Chinese output: ids and hex prefixes, dates, option names,
#: ``renda …`` commands, ``[zh|en]`` choices, JSON keys, metavar-free technical words
NOT_LANGUAGE = [
    r"[0-9a-f-]+…",  # an id a narrow column cut
    r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}",
    r"\b[0-9a-f]{8,}\b",
    r"--[a-z][a-z-]*",
    r"'renda [^']*'",
    r"\brenda(?: [a-z-]+)*",
    r"\[[a-z|]+\]",
    r"\b(?:zh|en|id|ids|JSON|json|UTF-8|LANG|LC_ALL|LC_MESSAGES|RENDA_LANG|env|Env)\b",
    r"\b(?:YYYY-MM-DD|deputy|staff)\b",
    r"(?<![A-Za-z])ID\b",  # 代表ID: a metavar's Chinese keeps "ID"
    r"\b[a-z][a-z_]*(?=（)",  # a value to type, glossed in Chinese: detained（…）
    r"\b[a-z][a-z_]*(?=: )",  # a field's name before its problem (JSON's "field" too)
]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=NO_LOCALE, prog_name="renda")


def english_words(text: str) -> list[str]:
    for pattern in NOT_LANGUAGE:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


GLOSS = re.compile(r"[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]")


def chinese_beyond(text: str, data: set[str]) -> list[str]:
    """Chinese in English output that is not domain data. English help glosses the
    legal terms in Chinese, in parentheses: "Suspend the deputy's duties (暂停执行代表职务)"."""
    text = GLOSS.sub(" ", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return CJK.findall(text)


def data_of(value: Any) -> set[str]:
    """Every string in a JSON document: the domain data a table may show."""
    if isinstance(value, dict):
        return set().union(*(data_of(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(data_of(v) for v in value)) if value else set()
    if isinstance(value, str):
        return {value, *CJK.findall(value)}
    return set()


@pytest.fixture
def deputy(store: str) -> str:
    result = invoke("--store", store, *REGISTER, "--json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output)["id"])


def both(store: str, *args: str, data: set[str] = frozenset()) -> tuple[str, str]:  # type: ignore[assignment]
    """The output of ``args`` in Chinese and in English, checked for the other language."""
    zh = invoke("--store", store, "--lang", "zh", *args)
    en = invoke("--store", store, "--lang", "en", *args)
    assert zh.exit_code == en.exit_code, (zh.output, en.output)
    assert not english_words(zh.output), (args, english_words(zh.output), zh.output)
    assert not chinese_beyond(en.output, data), (args, chinese_beyond(en.output, data), en.output)
    return zh.output, en.output


def test_tables_speak_one_language(store: str, deputy: str) -> None:
    shown = json.loads(invoke("--store", store, "deputy", "show", deputy, "--json").output)
    data = data_of(shown) | {"代表名单", "省级人大代表"}
    zh, en = both(store, "deputy", "show", deputy, data=data)
    assert "性别" in zh and "女" in zh  # a field's name and a term
    assert "gender" in en and "female" in en
    zh, en = both(store, "deputy", "list", data=data)
    assert "在任" in zh and "省" in zh
    assert "active" in en and "provincial" in en


def test_printed_lines_speak_one_language(store: str, deputy: str) -> None:
    zh = invoke(
        "--store", store, "--lang", "zh",
        "deputy", "suspend", deputy, "--ground", "detained", "--date", "2023-03-01",
    )  # fmt: skip
    assert zh.exit_code == 0, zh.output
    assert zh.output.strip() == f"{deputy}：已暂停执行代表职务"
    en = invoke(
        "--store", store, "--lang", "en", "deputy", "resume", deputy, "--date", "2023-04-01"
    )
    assert en.exit_code == 0, en.output
    assert en.output.strip() == f"{deputy}: duties resumed"


def test_domain_errors_speak_one_language(store: str, deputy: str) -> None:
    zh, en = both(store, "deputy", "resume", deputy, "--date", "2023-04-02")
    assert "该代表未被暂停执行代表职务" in zh
    assert "the deputy's duties are not suspended" in en
    zh, en = both(store, "deputy", "show", MISSING)
    assert "没有 id 为" in zh
    nameless = [arg if arg != "金美玉" else " " for arg in REGISTER]
    zh, en = both(store, *nameless)
    assert "输入无效" in zh and "invalid input" in en


def test_help_and_usage_errors_speak_one_language(store: str) -> None:
    zh, en = both(store, "deputy", "suspend", "--help")
    assert "[选项] 代表ID" in zh and "[必填]" in zh
    assert "[OPTIONS] DEPUTY_ID" in en and "[required]" in en
    zh, en = both(store, "deputy", "show")
    assert "缺少参数 '代表ID'" in zh
    assert "Missing argument 'DEPUTY_ID'" in en


def test_an_f_string_raise_becomes_a_catalogued_template(tmp_path: Path) -> None:
    source = tmp_path / "cli" / "frob.py"
    source.parent.mkdir()
    source.write_text(
        textwrap.dedent(
            """
            def check(self, xs, on):
                raise RuleViolated(f"the frob {self.name} has {len(xs)} {{parts}} on {on}")
                echo(f"{self.id}: frobbed")
                echo(f"{self.id}: {on}")
                return {"field": "x", "message": "not a frob"}
            """
        ),
        encoding="utf-8",
    )
    found = {key for key, _where in i18n_extract.source_messages(source)}
    assert found == {
        ("error", "the frob {name} has {count} {{parts}} on {on}"),
        ("output", "{id}: frobbed"),
        ("error", "not a frob"),
    }  # "{id}: {on}" says nothing but its values: never catalogued


def test_the_check_fails_on_a_message_no_catalogue_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "domain" / "frob.py"
    source.parent.mkdir()
    source.write_text('raise RuleViolated(f"the frob {frob.name} is broken")\n', encoding="utf-8")
    monkeypatch.setattr(i18n_extract, "package_files", lambda: iter([source]))
    found = "\n".join(i18n_catalog.problems())
    assert "'the frob {name} is broken' [error]  (domain/frob.py:1)" in found
    assert "zh_CN/LC_MESSAGES/renda.po" in found


def test_the_check_fails_on_a_translation_that_drops_a_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from babel.messages.pofile import read_po, write_po

    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    monkeypatch.setattr(i18n_catalog, "LOCALE_DIR", folder)
    po = folder / "zh_CN" / "LC_MESSAGES" / "renda.po"
    with po.open("rb") as fp:
        messages = read_po(fp, locale="zh_CN")
    messages.get("{deputy_id}: duties resumed", context="output").string = "已恢复执行代表职务"
    with po.open("wb") as fp:
        write_po(fp, messages)
    i18n_catalog.compile_all()
    found = "\n".join(i18n_catalog.problems())
    assert "'{deputy_id}: duties resumed' [output]: the translation drops {deputy_id}" in found


def test_values_inside_a_message_are_translated_when_they_are_terms_or_messages() -> None:
    with i18n.use("zh_CN"):
        assert output_text("abc: duties suspended") == "abc：已暂停执行代表职务"
        error = RuleViolated("deputy d1 has already withdrawn")
        assert error_text(error) == "代表 d1 已撤回"  # the state is a term
    with i18n.use(None):  # the library: as raised
        assert output_text("abc: duties suspended") == "abc: duties suspended"


def test_a_plugin_adds_its_own_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = tmp_path / "locale"
    mo = folder / "zh_CN" / "LC_MESSAGES" / "renda.mo"
    mo.parent.mkdir(parents=True)
    catalog = Catalog(locale="zh_CN", domain="renda")
    catalog.add("the frob {name} is broken", "弗罗布 {name} 坏了", context="error")
    catalog.add("Frob the widget.", "摆弄部件。")
    with mo.open("wb") as fp:
        write_mo(fp, catalog)
    monkeypatch.setattr(i18n, "_extra_folders", [])
    try:
        error = RuleViolated("the frob 甲 is broken")
        with i18n.use("zh_CN"):
            assert error_text(error) == "the frob 甲 is broken"  # not catalogued yet
            i18n.add_catalogue(folder)
            assert error_text(error) == "弗罗布 甲 坏了"
            assert i18n.gettext("Frob the widget.") == "摆弄部件。"
            assert i18n.gettext("Usage:") == "用法:"  # renda's own come first, as before
        with i18n.use("en"):  # no English catalogue in the plugin: as raised
            assert error_text(error) == "the frob 甲 is broken"
    finally:
        i18n.translations.cache_clear()
