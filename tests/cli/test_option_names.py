"""A field error names what the clerk typed: ``--received``, not the library's
``people_received``; an argument by its metavar (联络站ID, ``STATION_ID``); one value of
a repeated option by its place (第 1 个 --deputy). ``--json`` keeps the library's field
and adds the option; the library and a file's own fields keep their names (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import click
import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.common import FieldOption
from renda_core.cli.i18n import field_label, naming_options, option_names
from renda_core.domain.errors import InvalidInput
from tests.conftest import STAFF

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
BAD_ACTIVITY = (
    "station",
    "activity",
    "ST-1",
    "--kind",
    "other",
    "--deputy",
    "D-1",
    "--received",
    "-3",
    "--date",
    "2026-13-01",
)


def invoke(store: str, *args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(
        cli, ["--store", store, "--lang", lang, *args], env=NO_LOCALE, prog_name="renda"
    )


def test_a_chinese_clerk_reads_the_options_typed(store: str) -> None:
    result = invoke(store, *BAD_ACTIVITY)
    assert result.exit_code == 3, result.output
    text = result.output
    assert "--received：应大于或等于 0" in text
    assert "第 1 个 --deputy：应为有效的 UUID" in text
    assert "联络站ID：应为有效的 UUID" in text
    assert "--date：应为有效的日期" in text
    for name in ("people_received", "deputies.0", "station_id", "date:"):
        assert name not in text.replace("--date：", ""), name


def test_an_english_clerk_reads_the_options_typed(store: str) -> None:
    result = invoke(store, *BAD_ACTIVITY, lang="en")
    assert result.exit_code == 3, result.output
    text = result.output
    assert "--received: Input should be greater than or equal to 0" in text
    assert "--deputy (value 1): Input should be a valid UUID" in text
    assert "STATION_ID: Input should be a valid UUID" in text
    assert "people_received" not in text


def test_json_keeps_the_librarys_field_and_adds_the_option(store: str) -> None:
    result = invoke(store, *BAD_ACTIVITY, "--deputy", "x", "--json", lang="en")
    assert result.exit_code == 3
    fields = {f["field"]: f for f in json.loads(result.stderr)["fields"]}
    assert fields["people_received"]["option"] == "--received"
    assert fields["deputies.0"]["option"] == "--deputy (value 1)"
    assert fields["deputies.1"]["option"] == "--deputy (value 2)"
    assert fields["station_id"]["option"] == "STATION_ID"
    assert fields["date"]["option"] == "--date"


def test_an_option_that_fills_another_field_is_named_by_its_own_name(store: str) -> None:
    """``--term`` fills ``term``, ``--deputy`` of a meeting fills ``deputy_ids``."""
    reelect = invoke(store, "deputy", "reelect", "D-1", "--term", "0", "--date", "2026-01-01")
    assert reelect.exit_code == 3
    assert "--term：应大于或等于 1" in reelect.output
    assert "代表ID：" in reelect.output
    attend = invoke(store, "meeting", "observer", "M-1", "--deputy", "D-1", lang="en")
    assert attend.exit_code == 3, attend.output
    assert "--deputy (value 1): Input should be a valid UUID" in attend.output
    assert "deputy_ids" not in attend.output


def test_a_files_own_fields_keep_their_names(store: str, tmp_path: Any) -> None:
    """``calendar add FILE``: the year in the file is the file's ``year``, not an option."""
    bad = tmp_path / "2027.json"
    bad.write_text(
        json.dumps(
            {"year": 1899, "source": "国办发明电〔2026〕1号", "holidays": [], "workdays": []}
        ),
        encoding="utf-8",
    )
    result = invoke(store, "calendar", "add", str(bad), lang="en")
    assert result.exit_code == 3, result.output
    assert "year:" in result.output


def test_the_library_keeps_its_field_names(store: str) -> None:
    with Renda(store) as app, pytest.raises(InvalidInput) as caught:
        app.hold_station_activity(
            {"station_id": "x", "kind": "other", "deputies": [], "people_received": -3}, STAFF
        )
    assert "people_received" in caught.value.message
    assert {e["field"] for e in caught.value.errors} >= {"station_id", "people_received"}


def test_option_names_of_a_command() -> None:
    @click.command()
    @click.argument("station_id")
    @click.option("--received", "people_received", type=int)
    @click.option("-n", "--name")
    @click.option("--on", "on", cls=FieldOption, field="date")
    @click.option("--quiet", is_flag=True, expose_value=False)
    def command(**_: object) -> None: ...

    names = option_names(command)
    assert names == {
        "station_id": "STATION_ID",
        "people_received": "--received",
        "name": "--name",
        "date": "--on",
    }
    with naming_options(names):
        assert field_label("people_received") == "--received"
        assert field_label("station_id.0.x") == "STATION_ID (value 1).x"
        assert field_label("line 3: data.name") == "line 3: data.name"
        assert field_label("other") == "other"
    assert field_label("people_received") == "people_received"


def test_a_usage_error_names_the_field_and_the_option(store: str) -> None:
    """A missing required ``--date`` (the parameter ``on``) is the field ``date``."""
    result = invoke(store, "deputy", "reelect", "D-1", "--term", "2", "--json", lang="en")
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["error"] == "usage"
    assert error["fields"] == [
        {"field": "date", "option": "--date", "message": "Missing option '--date'."}
    ]
