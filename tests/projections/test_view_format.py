"""A view stored in an earlier table format (before figure history by batch) is refused
until rebuilt, like a view of an earlier adapter version."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.projections.runner import FORMAT_KEY
from renda_core.projections.views import View, open_view
from tests.conftest import STAFF, register_payload


def renda(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], obj=Env(store=store))


def roster_format(store: str) -> str | None:
    with Renda(store) as app:
        return open_view(app.store, "deputy_roster").get_meta(FORMAT_KEY)


def test_a_view_of_an_earlier_format_is_refused_until_rebuilt(store: str) -> None:
    with Renda(store) as app:
        for i in range(2):
            app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
    assert renda(store, "report", "deputies", "--json").exit_code == 0
    assert roster_format(store) == View.FORMAT  # a new view takes the current format

    with Renda(store) as app:  # a view written before formats: no key
        open_view(app.store, "deputy_roster").set_meta(FORMAT_KEY, None)
    refused = renda(store, "report", "deputies")
    assert refused.exit_code == 10, refused.output
    assert "deputy_roster is stored in view format 1" in refused.output

    rebuilt = renda(store, "projections", "rebuild", "deputy_roster")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert roster_format(store) == View.FORMAT
    again = renda(store, "report", "deputies", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["active_total"] == 2
