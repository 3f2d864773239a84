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


def _configured(store: str, plugin: Any) -> Renda:
    app = Renda(store)
    configure_rules(app, get_plugin_manager([plugin], load_entry_points=False))
    return app


def test_an_application_opened_on_an_empty_store_follows_the_province_imported(
    store: str,
) -> None:
    """A server opened on an empty store chose the plugin's policy once and kept it
    after another province's divisions were imported (until restarted)."""
    app = _configured(store, _plugin(NORTH))
    try:
        assert app.deadline_policy.name == "north"  # no province known yet
        _divisions(store, GUANGDONG)  # by another application (another process)
        assert app.deadline_policy.name == "national"
        assert app.clock().policy.name == "national"
        _divisions(store, JILIN)  # a second province: the choice made above stands
        assert app.deadline_policy.name == "national"
    finally:
        app.close()


def test_its_own_province_imported_later_keeps_its_rules(store: str) -> None:
    app = _configured(store, _plugin(NORTH))
    try:
        rows = [{"code": c, "name": n} for c, n in JILIN]
        app.import_divisions({"rows": rows, "date": "2023-01-01"}, STAFF)
        assert app.deadline_policy.name == "north"
        _divisions(store, GUANGDONG)  # settled on 吉林省's once it was recorded
        assert app.deadline_policy.name == "north"
    finally:
        app.close()


def test_a_province_in_a_batch_that_rolls_back_does_not_settle_the_policy(store: str) -> None:
    app = _configured(store, _plugin(NORTH))
    try:
        with pytest.raises(ZeroDivisionError), app.batch():
            rows = [{"code": c, "name": n} for c, n in GUANGDONG]
            app.import_divisions({"rows": rows, "date": "2023-01-01"}, STAFF)
            assert app.deadline_policy.name == "national"  # the batch's province
            1 / 0  # noqa: B018 - the batch fails: nothing of it is written
        assert app.deadline_policy.name == "north"  # no province recorded after all
        _divisions(store, JILIN)
        assert app.deadline_policy.name == "north"
    finally:
        app.close()


def test_the_library_opened_on_an_empty_store_follows_the_province_imported(store: str) -> None:
    """``renda_core.open`` (the HTTP server's) names the policy the store's province
    has by then: 吉林省's plugin policy on an empty store, the national one once a
    广东省 store's divisions are imported."""
    import renda_core

    api = renda_core.open(store, plugins=[_plugin(NORTH)], entry_points=False)
    try:
        assert api.policy == "north"
        _divisions(store, GUANGDONG)
        assert api.policy == "national"
    finally:
        api.close()
