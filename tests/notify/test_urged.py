"""The clock's 催办 counted ("已催办 2 次"): `suggestion show` and `report handling`, from
the recorded reminder events — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from click.testing import CliRunner

from renda_core import Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.notify import Notifier
from renda_core.notify.service import urgings_by_unit
from renda_core.ports.plugins import get_plugin_manager
from tests.notify.test_clock import CLOCK, assigned_before_national_day


def run(app: Renda, *args: str) -> Any:
    env = Env(app=app, pm=get_plugin_manager(), role="staff", actor_id="li")
    try:
        result = CliRunner().invoke(cli, list(args), obj=env)
    finally:
        env.close()
    assert result.exit_code == 0, result.output
    return result.output


def test_show_and_handling_report_count_the_urgings(app: Renda) -> None:
    sid = assigned_before_national_day(app)
    shown = json.loads(run(app, "suggestion", "show", sid, "--json"))
    assert (shown["urged"], shown["urged_by_unit"]) == (0, {})
    assert "已催办" not in run(app, "suggestion", "show", sid)
    n = Notifier(app, get_plugin_manager())
    for day in (date(2024, 10, 14), date(2024, 10, 15), date(2024, 10, 22)):
        n.tick(day, CLOCK)  # due (a reminder, not counted), 催办 1, 催办 2
    n.tick(date(2024, 10, 22), CLOCK)  # again: nothing more
    assert urgings_by_unit(app, sid) == {"省交通运输厅": 2}
    shown = json.loads(run(app, "suggestion", "show", sid, "--json"))
    assert (shown["urged"], shown["urged_by_unit"]) == (2, {"省交通运输厅": 2})
    assert "已催办 2 次（省交通运输厅 2 次）" in run(app, "suggestion", "show", sid)
    with dates_as_of(date(2024, 11, 1)):
        data = json.loads(run(app, "report", "handling", "--year", "2024", "--json"))
        table = run(app, "report", "handling", "--year", "2024", "--lang", "zh")
        zh = run(app, "report", "handling", "--year", "2024", "--format", "csv", "--lang", "zh")
        en = run(app, "report", "handling", "--year", "2024", "--format", "csv", "--lang", "en")
    [row] = data["suggestions"]
    assert row["urged"] == 2 and data["summary"]["urged"] == 2
    assert "已催办（次）" in table  # the summary's figure (the narrow terminal wraps cells)
    [header, line] = list(csv.reader(io.StringIO(zh)))
    assert line[header.index("urged")] == "已催办 2 次"
    [header, line] = list(csv.reader(io.StringIO(en)))
    assert line[header.index("urged")] == "urged 2×"
