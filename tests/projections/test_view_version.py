"""A view built by an earlier version of its adapter is refused until rebuilt: an
adapter that starts to record new figures (``Projection.version``) must not let a view
built before read as zeros."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from renda_adapters.roster import DeputyRoster
from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.projections.runner import VERSION_KEY
from renda_core.projections.views import open_view
from tests.conftest import STAFF, register_payload

ROSTER = str(DeputyRoster.version)  # the roster adapter's version now


def renda(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], obj=Env(store=store))


def roster_version(store: str) -> str | None:
    with Renda(store) as app:
        return open_view(app.store, "deputy_roster").get_meta(VERSION_KEY)


def test_a_view_of_an_earlier_adapter_version_is_refused_until_rebuilt(store: str) -> None:
    with Renda(store) as app:
        for i in range(3):
            app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
    shown = renda(store, "report", "deputies", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["active_total"] == 3
    assert roster_version(store) == ROSTER  # a new view takes its adapter's version

    with Renda(store) as app:  # what a view built by renda 0.2 holds: no version
        open_view(app.store, "deputy_roster").set_meta(VERSION_KEY, None)

    refused = renda(store, "report", "deputies")
    assert refused.exit_code == 10, refused.output
    assert "views must be rebuilt" in refused.output
    assert "deputy_roster was built by version 1 of its adapter" in refused.output
    status = renda(store, "projections", "status", "deputy_roster", "--json")
    assert status.exit_code == 0, status.output
    (row,) = json.loads(status.output)
    assert "views must be rebuilt" in row["error"]
    assert renda(store, "projections", "catch-up").exit_code == 10

    rebuilt = renda(store, "projections", "rebuild", "deputy_roster")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert roster_version(store) == ROSTER
    again = renda(store, "report", "deputies", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["active_total"] == 3


def test_an_empty_view_takes_the_adapter_version_without_a_rebuild(store: str) -> None:
    with Renda(store) as app:
        open_view(app.store, "deputy_roster").set_meta(VERSION_KEY, "1")
    shown = renda(store, "report", "deputies", "--json")  # nothing recorded yet
    assert shown.exit_code == 0, shown.output
    assert roster_version(store) == ROSTER
