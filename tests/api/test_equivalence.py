"""The library and the CLI are two drivers of one application: the same commands,
sent through ``renda_core.open`` and through ``renda``, with the renda-jilin plugin
installed (found through its entry point), record the same events — actor and
recorded time aside — on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

import renda_core
from renda_core import Actor
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import get_plugin_manager
from renda_core.projections.log import list_events
from tests.application.stores import fresh_stores

pytest.importorskip("renda_jilin")

UNIT = "省商务厅"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def two_stores(backend: str, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    with fresh_stores(backend, 2, request) as stores:
        yield stores


@pytest.fixture(autouse=True)
def installed_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a user has: every installed plugin, no policy chosen by the environment."""
    monkeypatch.delenv("RENDA_PLUGINS", raising=False)
    monkeypatch.delenv("RENDA_DEADLINE_POLICY", raising=False)


def through_the_library(store: str) -> None:
    staff = Actor("clerk-1", "staff")
    with renda_core.open(store, entry_points=True, actor=staff) as app:
        assert app.policy == "jilin"
        deputy = app.register_deputy(
            {
                "name": "金美玉",
                "level": "provincial",
                "term": 14,
                "electoral_unit": "吉林省人民代表大会",
                "area": "222401",
                "date": "2023-01-16",
            }
        )
        lead = Actor("金美玉", f"deputy:{deputy}")
        sid = app.draft_suggestion(
            {
                "title": "关于加快边境口岸建设的建议",
                "body": "建议内容",
                "channel": "recess",
                "source": "forum",
                "date": "2024-09-01",
            },
            lead,
        )
        app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
        app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"})
        app.assign_suggestion(
            {"suggestion_id": sid, "lead_unit": UNIT, "co_units": [], "date": "2024-09-27"}
        )
        app.reply_suggestion(
            {"suggestion_id": sid, "result_class": "B", "text": "正在推进", "date": "2024-11-20"},
            Actor("办理人", f"unit:{UNIT}"),
        )
        app.evaluate_suggestion(
            {
                "suggestion_id": sid,
                "attitude": "satisfied",
                "result": "dissatisfied",
                "reason": "进度太慢",
                "date": "2024-11-25",
            },
            lead,
        )
        app.rehandle_suggestion({"suggestion_id": sid, "date": "2024-12-02"})


def through_the_cli(store: str) -> None:
    runner = CliRunner()

    def renda(role: str, *args: str) -> str:
        # A fresh Env per call, as a shell would start `renda` afresh: every installed
        # plugin (entry points are skipped under test unless asked for).
        obj = Env(pm=get_plugin_manager(load_entry_points=True))
        result = runner.invoke(
            cli, ["--store", store, "--actor", "cli-user", "--role", role, *args], obj=obj
        )
        assert result.exit_code == 0, (args, result.output)
        return result.output.strip()

    deputy = renda(
        "staff",
        *("deputy", "register", "--name", "金美玉", "--level", "provincial", "--term", "14"),
        *("--electoral-unit", "吉林省人民代表大会", "--area", "222401", "--date", "2023-01-16"),
    )
    lead = f"deputy:{deputy}"
    sid = renda(
        lead,
        *("suggestion", "draft", "--title", "关于加快边境口岸建设的建议", "--body", "建议内容"),
        *("--channel", "recess", "--source", "forum", "--date", "2024-09-01"),
    )
    renda(lead, "suggestion", "submit", sid, "--date", "2024-09-10")
    renda("staff", "suggestion", "accept", sid, "--date", "2024-09-20")
    renda("staff", "suggestion", "assign", sid, "--lead-unit", UNIT, "--date", "2024-09-27")
    renda(
        f"unit:{UNIT}",
        *("suggestion", "reply", sid, "--class", "B", "--text", "正在推进"),
        *("--date", "2024-11-20"),
    )
    renda(
        lead,
        *("suggestion", "evaluate", sid, "--attitude", "satisfied", "--result", "dissatisfied"),
        *("--reason", "进度太慢", "--date", "2024-11-25"),
    )
    renda("staff", "suggestion", "rehandle", sid, "--date", "2024-12-02")


def event_state(store: str) -> list[dict[str, Any]]:
    """The log without actor and recorded time; record ids numbered by first use."""
    with renda_core.Renda(store) as app:
        rows = list_events(app)
    ids: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        return ids.setdefault(match.group(0), f"<id{len(ids)}>")

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return UUID_RE.sub(number, value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return [
        plain({"topic": r["topic"], "record": r["aggregate_id"], "version": r["version"]})
        | {"data": plain(r["data"])}
        for r in rows
    ]


def test_library_and_cli_record_the_same_events(two_stores: list[str]) -> None:
    library_store, cli_store = two_stores
    through_the_library(library_store)
    through_the_cli(cli_store)
    library, via_cli = event_state(library_store), event_state(cli_store)
    assert len(library) == 8
    assert library == via_cli
    # The province's rules are in force through both drivers.
    rehandled = library[-1]
    assert rehandled["topic"] == "renda:Suggestion.RehandlingOrdered", rehandled
    # jilin: 3 months, 2025-03-02 is a Sunday: rolled to the next working day
    assert "2025-03-03" in str(rehandled["data"]), rehandled
