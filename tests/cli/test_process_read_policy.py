"""The CLI's show and list commands of issue 14's processes follow the read policy as
the library's ``get_*``/``list_*`` and the HTTP routes do: a unit is refused a session,
meeting, motion, inspection, body or campaign (exit 6, nothing recorded) and its lists
are empty; staff and editors read them."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

import renda_core
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.api.process_scenario import build
from tests.conftest import STAFF

UNIT = ("--actor", "u", "--role", "unit:省商务厅")
EDITOR = ("--actor", "ed", "--role", "editor")
SHOWS = {
    "session": ("session", "show"),
    "meeting": ("meeting", "show"),
    "motion": ("motion", "show"),
    "inspection": ("inspection", "show"),
    "body": ("body", "show"),
    "campaign": ("campaign", "show"),
}
LISTS = [("session", "list"), ("meeting", "list"), ("motion", "list"), ("inspection", "list")]


def renda(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args])


def events(store: str) -> int:
    with renda_core.open(store) as api:
        return count_events(api._application)


def test_a_unit_reads_none_of_the_processes_records(store: str) -> None:
    with renda_core.open(store, actor=STAFF) as api:
        ids: dict[str, Any] = build(api)
    before = events(store)
    for key, command in SHOWS.items():
        shown = renda(store, *command, ids[key], "--json")
        assert shown.exit_code == 0, (command, shown.output)
        assert json.loads(shown.stdout)["id"] == ids[key]
        assert renda(store, *EDITOR, *command, ids[key], "--json").exit_code == 0
        refused = renda(store, *UNIT, *command, ids[key], "--json")
        assert refused.exit_code == 6, (command, refused.output)
    for command in LISTS:
        listed = renda(store, *command, "--json")
        assert listed.exit_code == 0, (command, listed.output)
        assert len(json.loads(listed.stdout)) == 1, command
        mine = renda(store, *UNIT, *command, "--json")
        assert mine.exit_code == 0, (command, mine.output)
        assert json.loads(mine.stdout) == [], command
    assert events(store) == before
