"""Parsing ``--as-of`` (a recorded moment) and ``--on`` (a business date), and their errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.domain.errors import InvalidInput
from renda_core.projections.asof import BUSINESS_TZ, AsOf, business_today, parse_as_of

COMMANDS = (
    ["report", "annual", "--json"],
    ["report", "deputies", "--json"],
    ["report", "suggestions", "--json"],
    ["suggestion", "overdue", "--json"],
)
NOW = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)  # 18:00 in Beijing


def test_a_date_is_the_end_of_that_day_in_beijing() -> None:
    as_of = parse_as_of("2024-01-31", current=NOW)
    assert as_of.moment == datetime(2024, 1, 31, 15, 59, 59, 999999, tzinfo=UTC)
    assert as_of.label == "2024-01-31" and as_of.day.isoformat() == "2024-01-31"


def test_a_timestamp_without_a_zone_is_beijing_time() -> None:
    assert parse_as_of("2024-01-31T10:00", current=NOW).moment == datetime(
        2024, 1, 31, 2, 0, tzinfo=UTC
    )
    with_zone = parse_as_of("2024-01-31T20:00:00+00:00", current=NOW)
    assert with_zone.label == "2024-02-01T04:00:00+08:00"
    assert with_zone.day.isoformat() == "2024-02-01"  # the business day is Beijing's
    assert parse_as_of("2024-01-31T20:00:00Z", current=NOW) == with_zone


def test_today_is_allowed_and_the_future_is_not() -> None:
    assert parse_as_of("2024-03-02", current=NOW) == AsOf.end_of(NOW.astimezone(BUSINESS_TZ).date())
    assert parse_as_of("2024-03-02T17:59", current=NOW).moment < NOW
    for value in ("2024-03-03", "2024-03-02T18:01", "2024-03-02T10:00:01+00:00", "9999-12-31"):
        with pytest.raises(InvalidInput, match="nothing has been recorded after now"):
            parse_as_of(value, current=NOW)


@pytest.fixture
def env(app: Renda) -> Iterator[Env]:
    env = Env(app=app)
    yield env
    env.close()


def invoke(env: Env, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=env)


def error_line(result: Result) -> str:
    """The one line a bad value gives: exit 3, no traceback."""
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    if lines[0].startswith("{"):  # under --json the error is a JSON object
        error = json.loads(lines[0])
        assert error["error"] == "invalid_input"
        return f"Error: {error['message']}"
    return lines[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "not a date like 2024-01-31 or a timestamp"),
        ("2024-02-30", "not a date like"),
        ("31.12.2024", "not a date like"),
        ("2024-01-31T25:00", "not a date like"),
        ("1948-12-31", "before 1949"),
        ("9999-12-31", "in the future: nothing has been recorded after now"),
        ("9999-12-31T23:59:59-14:00", "in the future"),
    ],
)
def test_bad_as_of_values_exit_3_with_one_line(env: Env, value: str, message: str) -> None:
    before = env.get_app().recorder.max_notification_id()
    for command in COMMANDS:
        line = error_line(invoke(env, *command, "--as-of", value))
        assert line.startswith("Error: --as-of: ") and message in line, (command, line)
    assert env.get_app().recorder.max_notification_id() == before  # nothing recorded


def test_tomorrow_and_a_later_hour_are_refused(env: Env) -> None:
    tomorrow = (business_today() + timedelta(days=1)).isoformat()
    later = (datetime.now(BUSINESS_TZ) + timedelta(hours=1)).replace(tzinfo=None)
    for value in (tomorrow, later.isoformat(timespec="minutes")):
        for command in COMMANDS:
            assert "nothing has been recorded after now" in error_line(
                invoke(env, *command, "--as-of", value)
            )


def test_today_and_a_past_timestamp_work(env: Env) -> None:
    for value in (business_today().isoformat(), "2024-01-31T18:00", "2024-01-31T10:00Z"):
        for command in COMMANDS:
            result = invoke(env, *command, "--as-of", value)
            assert result.exit_code == 0, (command, result.output)


def test_the_old_name_is_hidden_and_still_works(env: Env) -> None:
    today = business_today().isoformat()
    for command in COMMANDS:
        old = invoke(env, *command, "--as-of-date", today)
        assert old.exit_code == 0, old.output
        assert old.output == invoke(env, *command, "--as-of", today).output
        line = error_line(invoke(env, *command, "--as-of", today, "--as-of-date", today))
        assert "give --as-of only" in line
        assert error_line(invoke(env, *command, "--as-of-date", "x")).startswith(
            "Error: --as-of-date: "
        )
        help_text = invoke(env, *command[:-1], "--help").output
        assert "--as-of MOMENT" in help_text and "--as-of-date" not in help_text


def test_on_is_a_business_date(env: Env) -> None:
    for command in (["report", "suggestions", "--json"], ["suggestion", "overdue", "--json"]):
        assert "Error: --on: 'soon' is not a date" in error_line(
            invoke(env, *command, "--on", "soon")
        )
        assert invoke(env, *command, "--on", "2030-01-01").exit_code == 0  # a business date
        help_text = invoke(env, *command[:-1], "--help").output
        assert "--on DATE" in help_text
    old = invoke(env, "report", "suggestions", "--json", "--overdue-on", "2024-13-01")
    assert "Error: --overdue-on: " in error_line(old)
