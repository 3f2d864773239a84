"""A refusal names a state as the clerk knows it, once: 「建议已提交」, not 「建议已提交（已提交）」
nor 「（submitted）」 — in the command itself and on a line of ``renda import``, whose
terms are those of the line's own command group (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from renda_core import i18n
from renda_core.application.importer import in_context
from renda_core.cli import cli
from renda_core.cli.i18n import error_text
from renda_core.domain.errors import RuleViolated
from tests.cli.test_import import deputy, line, write

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
LINE = (
    "line {line} ({id}, {command}): {message}; its batch of {size} was not written; "
    "{applied} command(s) before it were applied"
)


def invoke(store: str, *args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(
        cli, ["--store", store, "--lang", lang, *args], env=NO_LOCALE, prog_name="renda"
    )


def drafted_and_submitted() -> list[str]:
    draft = line(
        "s1",
        "suggestion.draft",
        {
            "title": "关于养老服务的建议",
            "body": "建议",
            "channel": "recess",
            "source": "forum",
            "lead_deputy": "@d1",
            "date": "2023-02-01",
        },
    )
    submit = line("s2", "suggestion.submit", {"suggestion_id": "@s1", "date": "2023-02-02"})
    return [deputy("d1"), draft, submit]


def test_a_refused_import_line_names_the_state_once_in_chinese(store: str, tmp_path: Path) -> None:
    again = line("s3", "suggestion.submit", {"suggestion_id": "@s1", "date": "2023-02-03"})
    result = invoke(store, "import", write(tmp_path, [*drafted_and_submitted(), again]))
    assert result.exit_code == 5, result.output
    text = result.output
    assert "第 4 行（s3，suggestion.submit）：不能提出：建议已提交；" in text, text
    assert "submitted" not in text and "已提交（" not in text
    english = invoke(store, "import", write(tmp_path, [*drafted_and_submitted(), again]), lang="en")
    assert "the suggestion is 已提交 (submitted)" in english.output


def test_the_command_itself_names_the_state_once(store: str, tmp_path: Path) -> None:
    summary = invoke(store, "import", write(tmp_path, drafted_and_submitted()), "--json")
    assert summary.exit_code == 0, summary.output
    listed = invoke(store, "suggestion", "list", "--json")
    (suggestion_id,) = [s["id"] for s in json.loads(listed.stdout)]
    refused = invoke(store, "suggestion", "submit", suggestion_id, "--date", "2023-02-03")
    assert refused.exit_code == 5
    assert "不能提出：建议已提交" in refused.output and "（已提交）" not in refused.output


def test_an_import_line_reads_terms_by_its_own_command_group() -> None:
    """``closed`` is a session's 已闭会 and a suggestion's 已办结: the line's command says."""
    shown = {}
    for command in ("suggestion.submit", "import"):
        error = RuleViolated("cannot submit: the suggestion is 已办结 (closed)")
        wrapped = in_context(error, LINE, line=3, id="x", command=command, size=3, applied=0)
        with i18n.use("zh_CN"):
            shown[command] = error_text(wrapped)
    assert "建议已办结；" in shown["suggestion.submit"]
    assert "closed" not in shown["suggestion.submit"]


def test_the_states_an_opinion_must_be_in_are_terms_joined_by_or() -> None:
    error = RuleViolated(
        "cannot close: the opinion is collected (已收集), it must be fed_back or out_of_scope"
    )
    wrapped = in_context(error, LINE, line=3, id="x", command="opinion.close", size=1, applied=0)
    with i18n.use("zh_CN"):
        text = error_text(wrapped)
    assert "意见已收集，须为已反馈或不属受理范围；" in text, text
