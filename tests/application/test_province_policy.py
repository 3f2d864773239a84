"""A province's deadline policy is that province's: a plugin's policy that names its
province (renda-jilin's names 吉林省, 22) is in force for a store of that province or
of none known yet, never for another province's store, which keeps the national rules
(吉林省 re-handles in 3 months, the national model in 1). A policy named
(``RENDA_DEADLINE_POLICY``) is in force whatever the store."""

from __future__ import annotations

import dataclasses
import types
from pathlib import Path
from typing import Any

import pytest

from renda_core import Renda
from renda_core.application.reader import open_reader
from renda_core.application.store import parse_store
from renda_core.domain.deadlines import NATIONAL, Period, Unit
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Actor
from renda_core.ports import hookimpl
from renda_core.ports.plugins import get_plugin_manager
from renda_core.ports.rules import configure_rules
from renda_core.projections.reader import policy_name

STAFF = Actor("clerk", "staff")
NORTH = dataclasses.replace(
    NATIONAL, name="north", rehandling=Period(3, Unit.MONTHS), province="22"
)
SOUTH = dataclasses.replace(
    NATIONAL, name="south", rehandling=Period(2, Unit.MONTHS), province="44"
)


def _plugin(*policies: Any) -> types.SimpleNamespace:
    @hookimpl
    def renda_register_deadline_policies(register: Any) -> None:
        for policy in policies:
            register(policy)

    return types.SimpleNamespace(renda_register_deadline_policies=renda_register_deadline_policies)


def _divisions(store: str, rows: list[tuple[str, str]]) -> None:
    with Renda(store) as app:
        records = [{"code": code, "name": name} for code, name in rows]
        app.import_divisions({"rows": records, "date": "2023-01-01"}, STAFF)


def _in_force(store: str, plugin: Any, name: str | None = None) -> str:
    with Renda(store) as app:
        configure_rules(app, get_plugin_manager([plugin], load_entry_points=False), name)
        return str(app.deadline_policy.name)


GUANGDONG = [("440000", "广东省"), ("440100", "广州市"), ("440106", "天河区")]
JILIN = [("220000", "吉林省"), ("220100", "长春市"), ("220102", "南关区")]


@pytest.fixture(autouse=True)
def _no_policy_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RENDA_DEADLINE_POLICY", raising=False)


def test_another_provinces_store_keeps_the_national_rules(store: str) -> None:
    plugin = _plugin(NORTH)
    assert _in_force(store, plugin) == "north"  # no province known yet: the plugin's
    _divisions(store, GUANGDONG)
    assert _in_force(store, plugin) == "national"
    assert _in_force(store, plugin, "north") == "north"  # named: in force anywhere


def test_its_own_provinces_store_has_its_rules(store: str) -> None:
    _divisions(store, JILIN)
    assert _in_force(store, _plugin(NORTH)) == "north"
    assert _in_force(store, _plugin(dataclasses.replace(NORTH, province=None))) == "north"


def test_each_province_gets_its_own_of_several(store: str) -> None:
    plugin = _plugin(NORTH, SOUTH)
    with pytest.raises(InvalidInput, match="several deadline policies"):
        _in_force(store, plugin)  # no province known: which one is not told
    _divisions(store, GUANGDONG)
    assert _in_force(store, plugin) == "south"


def test_a_reports_reader_chooses_as_the_application_does(store: str) -> None:
    _divisions(store, GUANGDONG)
    pm = get_plugin_manager([_plugin(NORTH)], load_entry_points=False)
    reader, runner = open_reader(parse_store(store), pm)
    try:
        assert reader.deadline_policy_name == "national"
    finally:
        runner.close()
        reader.close()


def test_the_fast_report_path_names_the_same_policy(tmp_path: Path) -> None:
    store = str(tmp_path / "renda.sqlite")
    pm = get_plugin_manager([_plugin(NORTH)], load_entry_points=False)
    _divisions(store, [("220000", "吉林省")])
    assert policy_name(pm, Path(store)) == "north"
    _divisions(store, GUANGDONG)  # two provinces recorded: none known, the plugin's
    assert policy_name(pm, Path(store)) == "north"
    other = str(tmp_path / "gd.sqlite")
    _divisions(other, GUANGDONG)
    assert policy_name(pm, Path(other)) == "national"
