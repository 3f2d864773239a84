"""The read-only application a report opens (issue 15, target 4): the same log and the
same views as the full application, without its commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from renda_core.application.app import Renda
from renda_core.application.reader import RendaReader, open_reader
from renda_core.domain.errors import InvalidInput, StoreUnavailable
from renda_core.domain.values import Actor
from renda_core.ports.plugins import collect_reports, get_plugin_manager
from renda_core.projections.reports import run_report
from tests.conftest import register_payload


def test_the_reader_reads_the_log_and_views_the_application_wrote(
    app: Renda, store: str, staff: Actor
) -> None:
    app.register_deputy(register_payload(name="金美玉"), staff)
    app.register_deputy(register_payload(name="张伟", level="county"), staff)
    pm = get_plugin_manager()
    reader, runner = open_reader(app.store, pm)
    try:
        assert reader.name == app.name == "Renda"  # the same tables, the same tracking
        head = app.recorder.max_notification_id()
        assert head and reader.recorder.max_notification_id() == head
        assert not hasattr(reader, "register_deputy")  # no command on it
        roster = collect_reports(pm)["deputies"]
        data = run_report(runner, roster)
        assert data["active_total"] == 2
        assert runner.position(roster.projection) == head  # caught up through the reader
        assert reader.deadline_policy is not None
    finally:
        runner.close()
        reader.close()


def test_a_reader_on_a_missing_store_is_store_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        RendaReader(str(tmp_path / "no" / "such" / "x.sqlite"))


def test_the_reader_names_the_national_policy_without_importing_the_rules(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renda_core.application import reader as reading
    from renda_core.domain.deadlines import NATIONAL
    from renda_core.ports import hookimpl
    from renda_core.ports.rules import POLICY_ENV

    assert (NATIONAL.name, POLICY_ENV) == (reading.NATIONAL_NAME, reading.POLICY_ENV)
    monkeypatch.delenv(POLICY_ENV, raising=False)
    reader, runner = open_reader(app.store, get_plugin_manager())
    try:  # no plugin registers a policy: the national one, by name, then by value
        assert reader.deadline_policy_name == "national" and reader._deadline_policy is None
        assert reader.deadline_policy is NATIONAL
    finally:
        runner.close()
        reader.close()

    class Province:
        @hookimpl
        def renda_register_deadline_policies(self, register: object) -> None:
            from dataclasses import replace

            register(replace(NATIONAL, name="province"))

    reader, runner = open_reader(app.store, get_plugin_manager([Province()]))
    try:  # a plugin's policy is chosen as the full application chooses it
        assert reader.deadline_policy_name == "province"
        assert reader.deadline_policy is not None and reader.deadline_policy.name == "province"
    finally:
        runner.close()
        reader.close()
    monkeypatch.setenv(POLICY_ENV, "nowhere")
    with pytest.raises(InvalidInput, match="nowhere"):
        open_reader(app.store, get_plugin_manager())
