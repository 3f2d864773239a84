"""Each table labels its headers and field names in its own context (docs/i18n.md):
one English word heads columns of several tables, and its Chinese depends on the table
(a plan task's ``owner`` is 负责单位, an overdue item's ``owner`` 责任单位)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from renda_core import i18n
from renda_core.cli import cli
from renda_core.cli import i18n as cli_i18n
from renda_core.i18n_tables import command_paths, labels_by_command

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
Shown = list[tuple[str | None, str, str]]


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--store", store, "--actor", "clerk", *args], env=NO_LOCALE, prog_name="renda"
    )


def ok(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.startswith(("{", "[")) else result.stdout


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[Shown]:
    """(context, label, as shown) of every header and field name a table shows."""
    seen: Shown = []
    header_text, field_text_of = cli_i18n.header_text, cli_i18n.field_text_of

    def header(text: str, context: str | None = None) -> str:
        out = header_text(text, context)
        seen.append((context, text, out))
        return out

    def field(text: str, context: str | None = None) -> str:
        out = field_text_of(text, context)
        seen.append((context, text, out))
        return out

    monkeypatch.setattr(cli_i18n, "header_text", header)
    monkeypatch.setattr(cli_i18n, "field_text_of", field)
    yield seen


def own_label(context: str, label: str, locale: str = "zh_CN") -> str:
    """``label`` as the catalogue of ``locale`` gives it under ``context`` (the test
    fails when it is not catalogued there)."""
    key = f"{context}\x04{label}"
    assert key in i18n.catalogue_keys(locale), f"{label!r} is not catalogued under {context!r}"
    return i18n.translations(locale).pgettext(context, label)


def assert_own_labels(seen: Shown, path: str) -> None:
    assert seen, f"{path} showed no table"
    for context, label, out in seen:
        if not label:  # a show table's empty header
            continue
        assert context == path, (label, context)
        assert out == own_label(path, label), (path, label, out)


LISTS = [
    path
    for path, _ in command_paths(cli)
    if path.endswith(" list")
    or path in {"renda suggestion overdue", "renda session warnings", "renda commands"}
]


def test_every_show_and_list_command_has_its_labels_in_context() -> None:
    """The catalogue tool finds the tables of every show and list command of the CLI
    index, and both catalogues hold each of their labels under the command's path."""
    index = json.loads((Path(cli_i18n.__file__).parent / "_index.json").read_text("utf-8"))
    found = labels_by_command(cli)
    tables = [p for p, _ in command_paths(cli) if p.split()[-1] in {"show", "list"}]
    assert {p.split()[1] for p in tables} <= set(index) | {"contact", "member", "term"}
    without = [p for p in tables if not found.get(p)]
    assert without == [], without
    for path in tables:
        for label in found[path]:
            for locale in i18n.LOCALES:
                own_label(path, label, locale)


@pytest.mark.parametrize("path", LISTS)
def test_every_list_shows_its_own_labels(path: str, shown: Shown, tmp_path: Any) -> None:
    """Each list, in Chinese, shows every header as catalogued under its own command —
    never a label meant for another table."""
    store = str(tmp_path / "s.sqlite")
    result = run(store, "--lang", "zh", *path.split()[1:])
    assert result.exit_code == 0, result.output
    assert_own_labels(shown, path)


def test_plan_show_says_responsible_and_done(store: str, shown: Shown) -> None:
    ok(run(store, "plan", "adopt", "--year", "2026", "--date", "2026-01-10"))
    ok(
        run(
            store,
            *("plan", "task", "--year", "2026", "--title", "代表进家站"),
            *("--owner", "代表工作委员会", "--due", "2026-06-30", "--date", "2026-01-10"),
        )
    )
    ok(run(store, "plan", "complete", "--year", "2026", "--task", "1", "--date", "2026-05-01"))
    zh = ok(run(store, "--lang", "zh", "plan", "show", "--year", "2026"))
    assert "负责单位" in zh and "已完成" in zh
    assert "欠办方" not in zh and "结业" not in zh  # an overdue item's, a course's
    assert_own_labels(shown, "renda plan show")
    en = ok(run(store, "--lang", "en", "plan", "show", "--year", "2026"))
    assert "owner" in en and "completed" in en


def test_one_word_two_tables(tmp_path: Any) -> None:
    """``owner`` and ``completed`` each get the label of their table."""
    with i18n.use("zh_CN"):
        assert cli_i18n.header_text("owner", "renda plan show") == "负责单位"
        assert cli_i18n.header_text("owner", "renda suggestion overdue") == "责任单位"
        assert cli_i18n.header_text("completed", "renda plan show") == "已完成"
        assert cli_i18n.header_text("completed", "renda training list") == "结业人数"
        assert cli_i18n.field_text_of("closed_on", "renda station show") == "关闭日期"
        assert cli_i18n.field_text_of("closed_on", "renda session show") == "闭会日期"
        # a table the tool could not see: the context-free label, as before
        assert cli_i18n.header_text("owner", "renda no such") == i18n.gettext("owner")
    with i18n.use(None):
        assert cli_i18n.header_text("owner", "renda plan show") == "owner"


def test_a_show_table_labels_its_fields_in_context(store: str, shown: Shown) -> None:
    sid = ok(
        run(
            store,
            *("session", "open", "--level", "省", "--term", "14", "--number", "1"),
            *("--date", "2026-01-15", "--json"),
        )
    )["id"]
    ok(run(store, "session", "close", sid, "--date", "2026-01-20"))
    zh = ok(run(store, "--lang", "zh", "session", "show", sid))
    assert "闭会日期" in zh and "会次" in zh and "期号" not in zh
    assert_own_labels(shown, "renda session show")
