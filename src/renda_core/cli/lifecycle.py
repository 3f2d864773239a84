"""``renda deputy by-elect`` (补选: the deputy who fills a vacant seat) and
``renda term show`` (one term's members, seats, vacancies and by-elections)."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    parse_level,
    today,
)
from renda_core.cli.deputy import deputy
from renda_core.cli.mandate import term
from renda_core.domain.values import Gender, Level
from renda_core.projections.reports import fresh_context


@deputy.command(name="by-elect")
@click.argument("vacancy_id")
@click.option("--name", required=True, help="Full name of the deputy elected (姓名).")
@click.option("--electoral-unit", help="Electoral unit (default: the vacancy's).")
@click.option("--area", help="Division code (default: the vacancy's).")
@click.option("--gender", help=f"Gender: {choices(Gender)}.")
@click.option("--ethnicity", help="Ethnicity (民族), e.g. 汉族.")
@click.option("--category", help="Occupation category (代表构成类别).")
@click.option("--phone", help="Contact phone.")
@date_option(help="When the new mandate began (YYYY-MM-DD).")
@json_option
@click.pass_context
def deputy_by_elect(
    ctx: click.Context, /, vacancy_id: str, as_json: bool, on: str | None, **fields: Any
) -> None:
    """Record the deputy elected in a by-election (补选) to the seat VACANCY_ID left
    (a terminated, announced mandate); prints the new deputy's id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    data.update(vacancy_id=vacancy_id, date=on or today())
    new_id = e.get_app().by_elect_deputy(data, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@term.command(name="show")
@click.argument("number", type=int)
@click.option("--level", required=True, help=f"Level of the congress: {choices(Level)}.")
@json_option
@click.pass_context
def term_show(ctx: click.Context, /, number: int, level: str, as_json: bool) -> None:
    """Show term NUMBER (届) of a level: its members with their mandates' status, the
    seats per electoral unit, vacancies and by-elections."""
    from renda_adapters.roster import DeputyRoster, roster_entries

    e = env(ctx)
    value = parse_level(ctx, level)
    app = e.get_app()
    app.term(value, number)  # not recorded: exit 4 before the roster is read
    entries = roster_entries(fresh_context(e.runner(), DeputyRoster.name), value)
    data = app.term_overview(value, number, [r["id"] for r in entries])

    def render() -> Table:
        t = data["term"]
        table = Table(title=f"{t['title']}（{t['began_on']} – {t['ended_on'] or ''}）")
        for col in ("electoral unit", "members", "holding", "suspended", "vacant", "filled"):
            table.add_column(col)
        for s in data["seats"]:
            table.add_row(
                s["electoral_unit"],
                *(str(s[k]) for k in ("members", "holding", "suspended", "vacant", "filled")),
            )
        return table

    emit(data, as_json, render)
