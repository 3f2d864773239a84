"""Each table labels its headers and field names in its own context (docs/i18n.md):
one English word heads columns of several tables, and its Chinese depends on the table
(a plan task's ``owner`` is 负责单位, an overdue item's ``owner`` 责任单位)."""

from __future__ import annotations

import json
import textwrap
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
    assert {p.split()[1] for p in tables} <= set(index)
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


# ------------------------------------------------------------------ terms by enumeration


def test_every_named_vocabulary_is_catalogued() -> None:
    """Each field of the table of vocabularies names an enumeration the catalogue tool
    reads, and both catalogues hold its terms under its own context."""
    from renda_core.cli.term_fields import ANY_COMMAND, FIELD_TERMS
    from renda_core.i18n_extract import own_context_terms, terms

    vocabularies: dict[str, list[tuple[str, str]]] = {}
    for value, label, where in [*terms(), *own_context_terms()]:
        vocabularies.setdefault(where, []).append((value, label))
    named = {v for fields in FIELD_TERMS.values() for v in fields.values()}
    named |= set(ANY_COMMAND.values())
    assert named <= set(vocabularies), named - set(vocabularies)
    for vocabulary in named:
        context = i18n.term_context(vocabulary)
        for value, label in vocabularies[vocabulary]:
            assert own_label(context, value) == label
            assert own_label(context, label, "en") == value.replace("_", " ")


def test_closed_is_labelled_by_its_own_enumeration() -> None:
    """``closed`` is 已闭会 for a session, 已办结 for a suggestion, 已关闭 for a station:
    the context-free term stays English (it has no one label)."""
    from renda_core.cli.i18n import cell_text
    from renda_core.cli.term_fields import vocabulary_of

    def zh(field: str, command: str) -> str:
        return cell_text("closed", vocabulary_of(field, command))

    with i18n.use("zh_CN"):
        assert zh("status", "renda session list") == "已闭会"
        assert zh("status", "renda suggestion show") == "已办结"
        assert zh("status", "renda station list") == "已关闭"
        assert zh("status", "renda opinion list") == "已办结"
        assert zh("status", "renda plugins") == "closed"
        assert cell_text("session", vocabulary_of("source", "renda suggestion show")) == "代表大会"
        assert cell_text("session", vocabulary_of("channel", "renda suggestion show")) == "大会期间"
    with i18n.use("en"):
        assert zh("status", "renda session list") == "closed"
        assert cell_text("已闭会", vocabulary_of("status", "renda session show")) == "closed"


def test_session_and_suggestion_statuses_in_tables_and_sheets(store: str) -> None:
    sid = ok(
        run(
            store,
            *("session", "open", "--level", "省", "--term", "14", "--number", "1"),
            *("--date", "2026-01-15", "--json"),
        )
    )["id"]
    ok(run(store, "session", "close", sid, "--date", "2026-01-20"))
    deputy = ok(
        run(
            store,
            *("deputy", "register", "--name", "金美玉", "--level", "省", "--term", "14"),
            *("--electoral-unit", "长春市人民代表大会", "--area", "220102"),
            *("--date", "2023-01-16", "--json"),
        )
    )["id"]
    as_deputy = ("--role", f"deputy:{deputy}")
    drafted = ok(
        run(
            store,
            *as_deputy,
            *("suggestion", "draft", "--title", "关于加快老旧小区改造的建议", "--body", "内容"),
            *("--channel", "recess", "--source", "forum", "--date", "2026-02-01"),
        )
    ).strip()
    ok(run(store, *as_deputy, "suggestion", "submit", drafted, "--date", "2026-02-02"))

    sessions = run(store, "session", "list", "--format", "csv").stdout_bytes.decode("utf-8-sig")
    assert "已闭会" in sessions and ",closed," not in sessions
    suggestions = run(store, "suggestion", "list", "--format", "csv").stdout_bytes
    assert "已提交" in suggestions.decode("utf-8-sig")  # a motion's submitted is 已提出
    english = run(store, "suggestion", "list", "--format", "csv", "--headers", "en").stdout_bytes
    assert ",submitted," in english.decode("utf-8-sig")  # --headers en: the keys' values
    shown = ok(run(store, "--lang", "zh", "suggestion", "show", drafted))
    assert "已提交" in shown and "submitted" not in shown
    assert "闭会期间" in shown  # its channel, recess
    assert "已闭会" in ok(run(store, "--lang", "zh", "session", "show", sid))


# ------------------------------------------------------------------ messages built away


def test_messages_built_in_helpers_and_variables_are_extracted(tmp_path: Path) -> None:
    """A message bound to a variable, appended to a list of problems, returned by a
    helper, or a template handed to ``message()`` or to a parameter annotated
    ``MessageTemplate`` is catalogued like a literal raised or printed in place."""
    from renda_core import i18n_extract

    source = tmp_path / "cli" / "frob.py"
    source.parent.mkdir()
    source.write_text(
        textwrap.dedent(
            """
            MISSING = "the frob package is missing"

            def _why(frob):
                return f"the frob {frob.name} is stuck"

            def _done(ctx, frob_id, template: MessageTemplate, **values):
                echo(message(template, frob_id=frob_id, **values))

            def frob(ctx, frob_id, parts, loud):
                problems = []
                if parts:
                    problems.append(f"parts missing: {len(parts)}")
                text = f"{frob_id}: frobbed loudly" if loud else f"{frob_id}: frobbed"
                echo(text)
                problem = "; ".join(problems)
                raise InvalidInput(
                    f"the frob is not valid — {problem}",
                    [{"field": "parts", "message": p} for p in problems],
                )
                raise RuleViolated(_why(frob))
                raise NotFound(MISSING)
                _done(ctx, frob_id, "{frob_id}: closed")
                _done(ctx, frob_id, template="{frob_id}: opened by {who}", who="x")
                echo(message("{frob_id}: shaken", frob_id=frob_id))
            """
        ),
        encoding="utf-8",
    )
    found = {key for key, _where in i18n_extract.source_messages(source)}
    assert found == {
        ("error", "parts missing: {count}"),
        ("output", "{frob_id}: frobbed loudly"),
        ("output", "{frob_id}: frobbed"),
        ("error", "the frob is not valid — {problem}"),
        ("error", "the frob {name} is stuck"),
        ("error", "the frob package is missing"),
        ("output", "{frob_id}: closed"),
        ("output", "{frob_id}: opened by {who}"),
        ("output", "{frob_id}: shaken"),
    }


def test_the_check_fails_on_a_helpers_template_no_catalogue_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renda_core import i18n_catalog, i18n_extract

    source = tmp_path / "cli" / "frob.py"
    source.parent.mkdir()
    source.write_text(
        "def _done(ctx, template: MessageTemplate): ...\n"
        '_done(ctx, "{frob_id}: frobbed to bits")\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n_extract, "package_files", lambda: iter([source]))
    found = "\n".join(i18n_catalog.problems())
    assert "'{frob_id}: frobbed to bits' [output]  (cli/frob.py:2)" in found


def test_a_helpers_line_is_its_own_not_a_look_alikes() -> None:
    """``{suggestion_id}: closed`` is 已办结, though ``{meeting_id}: closed`` (已闭会)
    matches the same line; a value is labelled by the enumeration of its command."""
    import click

    from renda_core.cli.i18n import message

    def in_command(group: str, name: str) -> click.Context:
        root = click.Context(cli, info_name="renda")
        parent = click.Context(click.Group(group), parent=root, info_name=group)
        return click.Context(click.Command(name), parent=parent, info_name=name)

    with i18n.use("zh_CN"):
        assert message("{suggestion_id}: closed", suggestion_id="ab12cd34") == "ab12cd34：已办结"
        assert message("{station_id}: closed", station_id="ab12cd34") == "ab12cd34：已关闭"
        assert message("{meeting_id}: closed", meeting_id="ab12cd34") == "ab12cd34：已闭会"
        with in_command("opinion", "screen"):
            shown = message(
                "{opinion_id}: screened ({outcome})", opinion_id="ab", outcome="accepted"
            )
        assert shown == "ab：已甄别（受理）"  # an opinion's accepted; a suggestion's is 已立案
    with i18n.use("en"):
        assert message("{suggestion_id}: closed", suggestion_id="ab12cd34") == "ab12cd34: closed"
    with i18n.use(None):
        assert message("{opinion_id}: screened ({outcome})", opinion_id="a", outcome="x") == (
            "a: screened (x)"
        )


def test_a_calendar_problem_is_translated_inside_its_message() -> None:
    from datetime import date

    from renda_core.cli.i18n import error_text
    from renda_core.domain.calendar import check_arrangement
    from renda_core.domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        check_arrangement(2027, [date(2027, 1, 1)], [date(2027, 1, 4)])  # a Monday
    with i18n.use("zh_CN"):
        assert error_text(caught.value) == (
            "2027 年节假日安排无效 — 调休上班日须在周六或周日：2027-01-04"
        )


def test_update_suggests_a_new_tables_label_but_the_check_wants_it_confirmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``update`` starts a new table's label as the context-free translation, fuzzy: the
    check lists it until a translator confirms it for that table."""
    import shutil

    from babel.messages.pofile import read_po, write_po

    from renda_core import i18n_catalog

    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    monkeypatch.setattr(i18n_catalog, "LOCALE_DIR", folder)
    po = folder / "zh_CN" / "LC_MESSAGES" / "renda.po"
    with po.open("rb") as fp:
        messages = read_po(fp, locale="zh_CN")
    messages.delete("owner", context="renda plan show")
    with po.open("wb") as fp:
        write_po(fp, messages)
    i18n_catalog.update()
    with po.open("rb") as fp:
        entry = read_po(fp, locale="zh_CN").get("owner", context="renda plan show")
    assert entry is not None and entry.fuzzy and entry.string == "欠办方"  # to be reviewed
    found = "\n".join(i18n_catalog.problems())
    assert "'owner' [renda plan show]" in found


def test_an_error_message_handed_to_an_error_message_parameter_is_extracted(
    tmp_path: Path,
) -> None:
    """A local helper that records an error (``fail(line, field, message)``) is read by
    its parameter annotated ``ErrorMessage``, not by its first argument."""
    from renda_core import i18n_extract

    source = tmp_path / "application" / "frob.py"
    source.parent.mkdir()
    source.write_text(
        textwrap.dedent(
            """
            def parse(lines):
                def fail(line: int, fld: str, message: ErrorMessage) -> None:
                    errors.append({"field": f"line {line}: {fld}", "message": message})

                for number, raw in enumerate(lines):
                    command = raw.command
                    fail(number, "command", f"unknown frob command '{command}'")
                    fail(number, "json", message="not a frob at all")
            """
        ),
        encoding="utf-8",
    )
    found = {key for key, _where in i18n_extract.source_messages(source)}
    assert ("error", "unknown frob command '{command}'") in found
    assert ("error", "not a frob at all") in found
    assert not any(text in {"command", "json"} for _, text in found), found
