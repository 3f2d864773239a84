"""A command an import could not apply, as the clerk reads it: the line, the command,
the reason and what was written, all in the clerk's language — it used to come out as
「第 3 (a2, deputy.contact): a contact needs …, 0 commands before it were 行」, the
short template ``line {line}`` swallowing the whole English sentence."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import i18n
from renda_core.application.commands import COMMANDS, parse
from renda_core.application.importer import in_context
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.cli.i18n import error_text, translate_message
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import count_events
from tests.cli.test_import import deputy, line, write

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def invoke(store: str, path: str, *extra: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(
        cli, ["--store", store, "--lang", lang, "import", path, *extra], env=NO_LOCALE
    )


def test_a_refused_line_is_told_in_chinese_with_what_was_written(
    store: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        [
            deputy("a1"),
            line(
                "a2", "deputy.contact", {"deputy_id": "@a1", "form": "visit", "date": "2023-02-01"}
            ),
        ],
    )
    zh = invoke(store, path)
    assert zh.exit_code == 5, zh.output
    assert (
        "错误：第 2 行（a2，deputy.contact）：联系须有在任的常委会联系人，或指明委员；"
        "所在的一批 2 条未写入；此前已执行 0 条"
    ) in zh.output
    assert "commands before it" not in zh.output and "batch" not in zh.output
    en = invoke(store, path, lang="en")
    assert (
        "Error: line 2 (a2, deputy.contact): a contact needs an active standing-committee "
        "liaison, or the member named; its batch of 2 was not written; 0 command(s) before "
        "it were applied"
    ) in en.output
    as_json = invoke(store, path, "--json")
    error = json.loads(as_json.stdout)["error"]  # a program's view: unchanged
    assert error == {
        "line": 2,
        "id": "a2",
        "command": "deputy.contact",
        "kind": "rule_violated",
        "message": "a contact needs an active standing-committee liaison, or the member named",
    }
    from renda_core import Renda

    with Renda(store) as app:
        assert count_events(app) == 0


def test_a_line_after_applied_batches_counts_them(store: str, tmp_path: Path) -> None:
    missing = str(uuid.UUID(int=7))
    path = write(
        tmp_path,
        [
            deputy("a1"),
            deputy("a2", name="李明"),
            line(
                "a3",
                "deputy.contact",
                {"deputy_id": missing, "form": "visit", "date": "2023-02-01"},
            ),
        ],
    )
    zh = invoke(store, path, "--batch-size", "2")
    assert zh.exit_code == 4, zh.output
    assert "第 3 行（a3，deputy.contact）：" in zh.output
    assert "所在的一批 1 条未写入；此前已执行 2 条" in zh.output
    assert "no deputy" not in zh.output and "batch" not in zh.output


def test_the_inner_error_keeps_its_own_translation() -> None:
    """An error carrying its msgid (field errors) is shown inside the line's message as
    it is shown alone; the error raised stays the same object, kind and cause."""
    with dates_as_of(date(2026, 11, 30)), pytest.raises(InvalidInput) as info:
        parse(COMMANDS["deputy.register"].model, {"name": "张三", "level": "x", "term": 0})
    inner = info.value
    cause = ValueError("the cause")
    inner.__cause__ = cause
    with i18n.use("zh_CN"):
        alone = error_text(inner)
    shown = in_context(
        inner,
        "line {line} ({id}, {command}): {message}; its batch of {size} was not written; "
        "{applied} command(s) before it were applied",
        line=4,
        id="x",
        command="deputy.register",
        size=3,
        applied=10,
    )
    assert shown is inner and shown.__cause__ is cause and shown.kind == "invalid_input"
    assert shown.inner is not None and shown.inner.message == alone_en(shown)
    assert shown.message.startswith("line 4 (x, deputy.register): invalid input — ")
    with i18n.use("zh_CN"):
        text = error_text(shown)
    assert (
        text == f"第 4 行（x，deputy.register）：{alone}；所在的一批 3 条未写入；此前已执行 10 条"
    )
    assert "level：应为以下之一" in text


def alone_en(error: InvalidInput) -> str:
    assert error.inner is not None
    return str(error.inner.message)


def test_a_number_placeholder_never_swallows_a_sentence() -> None:
    with i18n.use("zh_CN"):
        assert translate_message("line 3", i18n.ERROR_CONTEXT) == "第 3 行"
        unknown = "line 3 (a2, deputy.contact): something no catalogue holds; more"
        assert translate_message(unknown, i18n.ERROR_CONTEXT) == unknown
        assert error_text(RuleViolated(unknown)) == unknown
        assert error_text(NotFound("no deputy with id 1")).startswith("没有")
