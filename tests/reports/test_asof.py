"""``--as-of``: a report replayed as of a past moment is what it printed then.

The recorded time of an event is eventsourcing's ``timestamp``, made by
``eventsourcing.domain.datetime_now_with_tzinfo()``; the tests move that clock (and the
reports' own clock, ``renda_core.projections.asof.now``) across several days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import collect_reports, get_plugin_manager
from renda_core.projections.asof import BUSINESS_TZ
from tests.application import scenario
from tests.conftest import STAFF

from .test_annual import suggestion

UNIT = Actor("办理人", "unit:省交通运输厅")
DAY1, DAY2, DAY3 = "2024-03-01", "2024-03-02", "2024-03-03"


class Clock:
    """Recorded time under the test's control; each reading moves on a millisecond."""

    def __init__(self) -> None:
        self.moment = datetime(2024, 3, 1, tzinfo=UTC)

    def set(self, day: str, hour: int) -> None:
        local = datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=BUSINESS_TZ)
        assert local.astimezone(UTC) >= self.moment, "the clock only moves forward"
        self.moment = local.astimezone(UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("eventsourcing.domain.datetime_now_with_tzinfo", clock)
    monkeypatch.setattr("renda_core.projections.asof.now", clock)
    return clock


def run(env: Env, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), obj=env)
    assert result.exit_code == code, (args, result.output)
    return result.output


def every_report() -> list[list[str]]:
    """Every report command, in JSON and as text, with its default options and some."""
    commands: list[list[str]] = []
    for name in sorted(collect_reports(get_plugin_manager())):
        commands += [["report", name, "--json"], ["report", name], ["report", name, "--lang", "en"]]
    commands += [
        ["report", "suggestions", "--year", "2023", "--json"],
        ["report", "suggestions", "--on", "2024-01-31", "--json"],
        ["report", "stations", "--year", "2023", "--json"],
        ["report", "annual", "--json"],
        ["report", "annual", "--year", "2023", "--format", "text"],
        ["report", "annual", "--year", "2023", "--format", "text", "--lang", "en"],
        ["report", "annual", "--year", "2023", "--format", "csv"],
        ["report", "annual", "--year", "2023", "--format", "markdown"],
        ["report", "annual", "--year", "2023", "--area", "220102", "--json"],
        ["suggestion", "overdue", "--json"],
        ["suggestion", "overdue"],
    ]
    return commands


@pytest.fixture
def days(app: Renda, clock: Clock) -> Iterator[dict[str, Any]]:
    """Three days of records; on day 2 a suggestion is overdue, on day 3 it is replied."""
    env = Env(app=app)
    clock.set(DAY1, 9)
    ids = scenario.build(app)
    a, g = ids["A"], ids["G"]
    app.liaise_deputy({"deputy_id": a, "member": "常委会委员 周敏", "date": "2023-02-01"}, STAFF)
    app.record_contact({"deputy_id": a, "form": "forum", "date": "2023-03-15"}, STAFF)

    clock.set(DAY2, 9)
    suggestion(app, a, "农村公路", reply="A", rating="满意")
    late: UUID = suggestion(app, g, "医药健康", reply=None, rating=None)
    app.record_contact({"deputy_id": a, "form": "visit", "date": "2024-03-02"}, STAFF)

    clock.set(DAY2, 18)
    printed = {tuple(args): run(env, *args) for args in every_report()}
    as_of_today = {tuple(args): run(env, *args, "--as-of", DAY2) for args in every_report()}
    printed_at_18 = run(env, "report", "annual", "--json", "--as-of", f"{DAY2}T18:00")

    clock.set(DAY3, 10)
    app.reply_suggestion(
        {"suggestion_id": late, "date": DAY3, "result_class": "B", "text": "正在办理"}, UNIT
    )
    scenario.late(app, ids)
    app.record_contact({"deputy_id": a, "form": "visit", "date": "2024-03-03"}, STAFF)
    clock.set(DAY3, 18)
    yield {
        "env": env,
        "printed": printed,
        "as_of_today": as_of_today,
        "printed_at_18": printed_at_18,
    }
    env.close()


def without_as_of(data: Any) -> Any:
    """JSON data without the as-of label (the only thing the replay adds)."""
    if isinstance(data, dict):
        return {k: without_as_of(v) for k, v in data.items() if k != "as_of"}
    if isinstance(data, list):
        return [without_as_of(v) for v in data]
    return data


def test_a_report_replayed_as_of_day_2_is_the_one_printed_on_day_2(
    days: dict[str, Any],
) -> None:
    env, printed = days["env"], days["printed"]
    # The day's story: overdue on day 2, replied (and more) on day 3.
    then = json.loads(printed[("report", "suggestions", "--json")])
    assert then["overdue"] == 1 and then["overdue_on"] == DAY2
    late = json.loads(printed[("suggestion", "overdue", "--json")])["by_unit"]
    assert [x["deadline"] for x in late["省交通运输厅"]].count("reply_due") == 1
    now = json.loads(run(env, "report", "suggestions", "--json"))
    assert now["overdue"] == 0 and now["replied"] == then["replied"] + 1
    assert (
        run(env, "report", "stations", "--year", "2023", "--json")
        != (printed[("report", "stations", "--year", "2023", "--json")])
    )

    for args, output in printed.items():
        replayed = run(env, *args, "--as-of", DAY2)
        if "--json" in args:
            data = json.loads(replayed)
            assert without_as_of(data) == without_as_of(json.loads(output)), args
            assert DAY2 in (data.get("as_of"), data.get("meta", {}).get("as_of")), args
        else:
            assert without_label(replayed) == output, args


def without_label(text: str) -> str:
    """Text without the as-of label (a caption line, or a suffix of the title)."""
    for suffix in (f"（截至{DAY2}的记录）", f" (as recorded by {DAY2})"):
        text = text.replace(suffix, "")
    labels = {f"截至 {DAY2} 的记录", f"as recorded by {DAY2}", f"meta.as_of,{DAY2}"}
    return "".join(line for line in text.splitlines(True) if line.strip() not in labels)


def test_replaying_as_of_day_2_later_prints_the_same_bytes(days: dict[str, Any]) -> None:
    """What `--as-of day 2` printed on day 2 it prints, byte for byte, on day 3."""
    env = days["env"]
    for args, output in days["as_of_today"].items():
        assert run(env, *args, "--as-of", DAY2) == output, args


def test_as_of_a_timestamp(days: dict[str, Any]) -> None:
    env = days["env"]
    replayed = run(env, "report", "annual", "--json", "--as-of", f"{DAY2}T18:00")
    assert replayed == days["printed_at_18"]
    assert json.loads(replayed)["meta"]["as_of"] == f"{DAY2}T18:00:00+08:00"
    # 10:00 UTC is 18:00 in Beijing: the same moment
    assert run(env, "report", "annual", "--json", "--as-of", f"{DAY2}T10:00:00+00:00") == replayed
    before = json.loads(run(env, "report", "suggestions", "--json", "--as-of", f"{DAY2}T08:00"))
    assert before["submitted"] == 0 and before["overdue"] == 0 and before["overdue_on"] == DAY2
