"""A report of current views read with sqlite3 alone (``renda_core.projections.reader``,
issue 15, target 4): the same report and provenance as the whole path, and the whole
path whenever the view is not current or the store is not a plain SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.application import reader as reader_app
from renda_core.application import recorders, textcipher
from renda_core.application.base import RendaBase
from renda_core.application.store import parse_store
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.domain.deadlines import NATIONAL
from renda_core.domain.errors import InvalidInput, ViewsAhead
from renda_core.ports import hookimpl
from renda_core.ports.builtin_index import (
    BuiltinPlugins,
    command_modules,
    modules_for_report,
    report_index,
)
from renda_core.ports.plugins import collect_reports, report_plugin_manager
from renda_core.projections import reader, runner
from renda_core.projections.provenance import as_json, stamp_report
from renda_core.projections.reader import NotCurrent, current_report, recorded_at
from renda_core.projections.reports import run_report
from renda_core.projections.views import View
from tests.conftest import STAFF, register_payload

#: the reports of ``renda report NAME`` (not the adapters' own commands)
REPORTS = sorted(n for n in report_index() if n not in command_modules("report"))
BUILT_AT = datetime.fromisoformat("2026-11-30T12:00:00+00:00")
#: a moment after every event of these tests (the provenance bisects the log up to it)
LATER = datetime.now(UTC) + timedelta(days=1)


def test_its_names_are_those_of_the_runner_views_and_recorders() -> None:
    assert reader.APPLICATION == RendaBase.name == reader_app.RendaReader.name
    assert (reader.STORE_TABLE, reader.CHAIN_TABLE) == (
        recorders.STORE_TABLE,
        recorders.CHAIN_TABLE,
    )
    assert (reader.STORE_KEY, reader.VERSION_KEY, reader.FORMAT_KEY, reader.ERROR_KEY) == (
        runner.STORE_KEY,
        runner.VERSION_KEY,
        runner.FORMAT_KEY,
        runner.ERROR_KEY,
    )
    assert reader.VIEW_FORMAT == View.FORMAT
    assert reader.SEALED == textcipher.ENCRYPTED
    assert (reader.NATIONAL_NAME, reader.POLICY_ENV) == (
        reader_app.NATIONAL_NAME,
        reader_app.POLICY_ENV,
    )


def register(store: str, *names: str) -> None:
    with Renda(store) as app:
        for name in names:
            app.register_deputy(register_payload(name=name), STAFF)


def whole_path(
    store: str, name: str, built_at: datetime = LATER, province: object | None = None
) -> dict[str, Any]:
    """The report as the reader application gives it (its view caught up first), with a
    ``province`` plugin registered when one is given."""
    pm = manager(name, province)
    report = collect_reports(pm)[name]
    opened, run = reader_app.open_reader(parse_store(store), pm)
    try:
        data = run_report(run, report)
        return dict(as_json(stamp_report(run, report, data, as_of=None, built_at=built_at)))
    finally:
        run.close()
        opened.close()


def manager(name: str, province: object | None) -> pluggy.PluginManager:
    pm = report_plugin_manager(name)
    if province is not None:
        pm.register(province)
    return pm


def plain(
    store: str,
    name: str,
    built_at: datetime = LATER,
    province: object | None = None,
    **kw: Any,
) -> dict[str, Any] | None:
    pm = manager(name, province)
    report = collect_reports(pm)[name]
    config = parse_store(store, read_only=kw.pop("read_only", False))
    data = current_report(config, pm, report, built_at=built_at, stamped=True, **kw)
    return None if data is None else dict(as_json(data))


def plain_builtins(store: str, name: str) -> dict[str, Any] | None:
    """:func:`plain` as the CLI reads it with no installed plugin: the built-in modules'
    hooks called directly, without a plugin manager."""
    modules = modules_for_report(name)
    assert modules is not None
    builtins = BuiltinPlugins(modules)
    report = builtins.reports()[name]
    data = current_report(parse_store(store), builtins, report, built_at=LATER, stamped=True)
    return None if data is None else dict(as_json(data))


@pytest.fixture
def two_deputies(store: str) -> Iterator[str]:
    register(store, "张三", "金美玉")
    yield store


def test_every_report_of_a_current_view_is_the_whole_path_s(two_deputies: str) -> None:
    store = two_deputies
    for name in REPORTS:
        expected = whole_path(store, name)  # catches the view up
        got = plain(store, name)
        if not parse_store(store).is_sqlite:
            assert got is None, name  # PostgreSQL: the whole path, always
            assert plain_builtins(store, name) is None, name
            continue
        assert got is not None, name
        assert got == expected, name
        assert plain_builtins(store, name) == expected, name
    if parse_store(store).is_sqlite:
        got = plain(store, "deputies", area="2224")
        assert got is not None and got["provenance"]["parameters"]["area"] == "2224"
        assert got["provenance"]["position"] == 2 and got["provenance"]["policy"] == "national"
        assert got["provenance"]["chain_head_hash"] != "0" * 64
        # a moment before the events: the bisection finds none, as the whole path's
        early = plain(store, "deputies", BUILT_AT - timedelta(days=9999))
        assert early is not None and early["provenance"]["position"] == 0
        assert early == whole_path(store, "deputies", BUILT_AT - timedelta(days=9999))


def view_file(store: str, name: str = "deputy_roster") -> Path:
    return Path(store + ".views") / f"{name}.sqlite"


def set_meta(store: str, key: str, value: str | None) -> None:
    conn = sqlite3.connect(view_file(store))
    try:
        with conn:
            if value is None:
                conn.execute("DELETE FROM v_meta WHERE key=?", (key,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO v_meta (key, value) VALUES (?,?)", (key, value)
                )
    finally:
        conn.close()


def cli_report(store: str, *args: str) -> Any:
    return CliRunner().invoke(
        cli, ["--store", store, "report", "deputies", "--json", *args], obj=Env(store=store)
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_view_behind_the_log_is_caught_up_by_the_whole_path(two_deputies: str) -> None:
    store = two_deputies
    assert plain(store, "deputies") is None  # never caught up: no view file yet
    whole_path(store, "deputies")
    assert plain(store, "deputies") is not None
    register(store, "李四")
    assert plain(store, "deputies") is None  # behind the log
    result = cli_report(store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["active_total"] == 3 and data["provenance"]["position"] == 3
    current = plain(store, "deputies")
    assert current is not None and current["active_total"] == 3


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("key", "value", "exit_code"),
    [
        ("store_id", "another-log", ViewsAhead.exit_code),  # refused by the whole path
        ("store_id", None, 0),  # adopted by the whole path
        ("adapter_version", "0", ViewsAhead.exit_code),  # must be rebuilt
        ("view_format", "1", ViewsAhead.exit_code),
        ("last_error", "at position 1 (x): boom", 0),  # cleared by the whole path
    ],
)
def test_a_view_the_runner_would_refuse_or_change_takes_the_whole_path(
    two_deputies: str, key: str, value: str | None, exit_code: int
) -> None:
    store = two_deputies
    whole_path(store, "deputies")
    set_meta(store, key, value)
    assert plain(store, "deputies") is None
    result = cli_report(store)
    assert result.exit_code == exit_code, result.output
    if exit_code == 0:
        assert json.loads(result.stdout)["active_total"] == 2
        assert plain(store, "deputies") is not None  # the whole path stamped or cleared it
    else:
        assert "rebuild" in result.output
        assert plain(store, "deputies") is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_what_it_does_not_read_takes_the_whole_path(
    two_deputies: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = two_deputies
    whole_path(store, "deputies")
    assert plain(store, "deputies") is not None
    assert plain(store, "deputies", read_only=True) is None  # the views are copies
    view_file(store).write_bytes(b"not a database at all" * 10)
    assert plain(store, "deputies") is None


class Province:
    """A province's plugin registering its own deadline policy (as renda-jilin does)."""

    def __init__(self, *names: str) -> None:
        self.names = names

    @hookimpl
    def renda_register_deadline_policies(self, register: Any) -> None:
        for name in self.names:
            register(replace(NATIONAL, name=name, title=f"{name}的办理规则"))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_province_s_policy_is_stamped_as_the_whole_path_stamps_it(
    two_deputies: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = two_deputies
    monkeypatch.delenv("RENDA_DEADLINE_POLICY", raising=False)
    province = Province("测试省")
    expected = whole_path(store, "deputies", province=province)
    assert expected["provenance"]["policy"] == "测试省"
    assert plain(store, "deputies", province=province) == expected
    # the national policy named in the environment: read, and stamped, by name
    monkeypatch.setenv("RENDA_DEADLINE_POLICY", "national")
    expected = whole_path(store, "deputies")
    assert expected["provenance"]["policy"] == "national"
    assert plain(store, "deputies") == expected
    assert plain_builtins(store, "deputies") == expected
    # the province's, named although it is the only one: the rules' choice, not national
    monkeypatch.setenv("RENDA_DEADLINE_POLICY", "测试省")
    assert plain(store, "deputies", province=province) == whole_path(
        store, "deputies", province=province
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_policy_the_rules_refuse_is_left_to_the_whole_path_s_error(
    two_deputies: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = two_deputies
    whole_path(store, "deputies")  # the view current: only the policy can make it give up
    monkeypatch.setenv("RENDA_DEADLINE_POLICY", "nowhere")
    assert plain(store, "deputies") is None and plain_builtins(store, "deputies") is None
    with pytest.raises(InvalidInput, match="nowhere"):
        whole_path(store, "deputies")
    monkeypatch.delenv("RENDA_DEADLINE_POLICY")
    two = Province("甲省", "乙省")  # several, none named
    assert plain(store, "deputies", province=two) is None
    with pytest.raises(InvalidInput, match="several"):
        whole_path(store, "deputies", province=two)


def test_a_recorded_time_it_cannot_read_is_left_to_the_mapper() -> None:
    stamp = {"_type_": "datetime_iso", "_data_": "2026-11-30T12:00:00+00:00"}
    assert recorded_at(json.dumps({"timestamp": stamp}).encode()) == BUILT_AT
    for other in ("2026-11-30", {"_type_": "date_iso", "_data_": "2026-11-30"}):
        with pytest.raises(NotCurrent):
            recorded_at(json.dumps({"timestamp": other}).encode())
    naive = {"_type_": "datetime_iso", "_data_": "2026-11-30T12:00:00"}
    with pytest.raises(NotCurrent):
        recorded_at(json.dumps({"timestamp": naive}).encode())


def test_the_provenance_bisects_the_log_as_the_whole_path_does(store: str) -> None:
    register(store, "张三")
    between = datetime.now(UTC)
    register(store, "金美玉", "李四")
    expected = whole_path(store, "deputies", between)
    assert expected["provenance"]["position"] == 1
    got = plain(store, "deputies", between)
    if parse_store(store).is_sqlite:
        assert got == expected
    else:
        assert got is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_report_read_while_the_log_grows_and_the_view_catches_up_is_whole(
    store: str,
) -> None:
    """Each registration is one event and one active deputy: a report read from a
    current view while another thread records and catches up shows as many deputies as
    its provenance's position (the view's position and the log's head agree)."""
    register(store, "代表0")
    whole_path(store, "deputies")
    done = threading.Event()
    failures: list[BaseException] = []

    def record() -> None:
        try:
            for i in range(1, 12):
                register(store, f"代表{i}")
                whole_path(store, "deputies")
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=record)
    writer.start()
    try:
        while not done.is_set():
            got = plain(store, "deputies")
            if got is not None:
                assert got["active_total"] == got["provenance"]["position"]
    finally:
        writer.join()
    assert failures == []
    final = plain(store, "deputies")
    assert final is not None and final["active_total"] == final["provenance"]["position"] == 12
