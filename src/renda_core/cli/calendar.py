"""``renda calendar …``: the statutory working-day calendar (节假日安排)."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    InputFile,
    RendaGroup,
    check_json_depth,
    date_option,
    decode_utf8,
    echo,
    emit,
    env,
    json_option,
    parse_date,
    today,
)
from renda_core.domain.errors import InvalidInput

EXAMPLE = """{
  "year": 2027,
  "source": "国务院办公厅关于2027年部分节假日安排的通知",
  "holidays": [
    {"name": "元旦", "date": "2027-01-01"},
    {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}
  ],
  "workdays": ["2027-02-14"]
}"""
EXAMPLE_ONE_LINE = " ".join(EXAMPLE.split())


@click.group(cls=RendaGroup)
def calendar() -> None:
    """The statutory working-day calendar: packaged years, added years, due dates."""


@calendar.command(name="add")
@click.argument("file", type=InputFile())
@click.option("--replace", is_flag=True, help="Revise a year already recorded.")
@date_option(help="When the arrangement was recorded (YYYY-MM-DD).")
@click.pass_context
def calendar_add(ctx: click.Context, /, file: Any, replace: bool, on: str | None) -> None:
    """Record a year's holiday arrangement from a JSON FILE (recorded as events).

    The file names the year, the State Council notice it follows (source), the
    holidays (single dates, or {"name", "from", "to"} spans) and the make-up working
    days (workdays) on weekends.
    """
    text = decode_utf8(file.read())
    source = getattr(file, "name", "-")
    check_json_depth(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:  # the reason: one of field_errors.JSON_REASONS
        reason, line, column = exc.msg, exc.lineno, exc.colno
        raise InvalidInput(
            f"{source}: not JSON ({reason} at line {line}, column {column}); expected a "
            f"file like {EXAMPLE_ONE_LINE}",
            [{"field": "file", "message": f"{reason} at line {line}, column {column}"}],
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{source}: expected a JSON object like {EXAMPLE_ONE_LINE}",
            [{"field": "file", "message": "expected an object"}],
        )
    e = env(ctx)
    data.update(date=on or today(), replace=replace)
    e.get_app().add_calendar_year(data, e.actor())
    year = e.get_app().calendar_year(data["year"])
    echo(
        f"{year['year']}: {len(year['holidays'])} holidays, "
        f"{len(year['workdays'])} make-up working days recorded ({year['source']})"
    )


@calendar.command(name="list")
@json_option
@click.pass_context
def calendar_list(ctx: click.Context, /, as_json: bool) -> None:
    """The years the calendar knows and where each comes from."""
    rows = env(ctx).get_app().calendar_years()

    def render() -> Table:
        table = Table(title="法定节假日安排")
        for col in ("year", "origin", "source"):
            table.add_column(col)
        for r in rows:
            table.add_row(str(r["year"]), r["origin"], r["source"])
        return table

    emit(rows, as_json, render)


@calendar.command(name="show")
@click.argument("year", type=int)
@json_option
@click.pass_context
def calendar_show(ctx: click.Context, /, year: int, as_json: bool) -> None:
    """One year's holidays and make-up working days."""
    data = env(ctx).get_app().calendar_year(year)

    def render() -> Table:
        table = Table(title=f"{year}年 ({data['origin']}: {data['source']})")
        table.add_column("date")
        table.add_column("")
        for h in data["holidays"]:
            table.add_row(h["date"], f"休 {h['name'] or ''}")
        for w in data["workdays"]:
            table.add_row(w, "班（调休上班）")
        return table

    emit(data, as_json, render)


@calendar.command(name="due")
@click.argument("start")
@click.option(
    "--working-days", type=click.IntRange(min=1, max=2500), help="N working days after START."
)
@click.option("--months", type=click.IntRange(min=1, max=120), help="N months after START.")
@click.option("--days", type=click.IntRange(min=1, max=3660), help="N calendar days after START.")
@json_option
@click.pass_context
def calendar_due(
    ctx: click.Context,
    /,
    start: str,
    working_days: int | None,
    months: int | None,
    days: int | None,
    as_json: bool,
) -> None:
    """The last day of a period that starts the day after START (a planned date: up
    to 20 years ahead; periods up to 10 years)."""
    given = {
        u: n
        for u, n in (("working_days", working_days), ("months", months), ("days", days))
        if n is not None
    }
    if len(given) != 1:
        raise InvalidInput(
            "give exactly one of --working-days, --months, --days",
            [{"field": "period", "message": "exactly one period"}],
        )
    ((unit, amount),) = given.items()
    begin = parse_date(start, "start", planned=True)
    assert begin is not None
    due = env(ctx).get_app().due_date(begin, amount, unit)
    data = {"start": begin.isoformat(), "amount": amount, "unit": unit, "due": due.isoformat()}
    emit(data, True) if as_json else echo(due.isoformat())
