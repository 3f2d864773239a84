"""``renda term …`` and the deputy's lifecycle beyond register/terminate:
``renda deputy suspend|resume|announce|reelect``."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    FieldOption,
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    parse_level,
)
from renda_core.cli.deputy import deputy
from renda_core.domain.mandate import SuspensionGround
from renda_core.domain.values import Level


@click.group(cls=RendaGroup)
def term() -> None:
    """Terms (届) of a level's people's congress: a deputy re-elected into the next
    term keeps one record (`renda deputy reelect`)."""


@term.command(name="begin")
@click.option("--level", required=True, help=f"Level of the congress: {choices(Level)}.")
@click.option("--number", required=True, type=int, help="The term's number (届), e.g. 14.")
@click.option(
    "--title",
    help="Title (default: e.g. 吉林省第十四届人民代表大会, by the store's province).",
)
@date_option(required=True, help="The day the term began (YYYY-MM-DD).")
@click.pass_context
def term_begin(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Record a term; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    echo(str(e.get_app().begin_term({**data, "date": on}, e.actor())))


@term.command(name="end")
@click.option("--level", required=True, help=f"Level of the congress: {choices(Level)}.")
@click.option("--number", required=True, type=int, help="The term's number (届).")
@date_option(required=True, help="The day the term ended (届满, YYYY-MM-DD).")
@click.pass_context
def term_end(ctx: click.Context, /, level: str, number: int, on: str) -> None:
    """Record the end of a term."""
    e = env(ctx)
    e.get_app().end_term({"level": level, "number": number, "date": on}, e.actor())
    echo(f"term {number} ({level}) ended on {on}")


@term.command(name="list")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@json_option
@click.pass_context
def term_list(ctx: click.Context, /, level: str | None, as_json: bool) -> None:
    """List the recorded terms."""
    level_value = None
    if level:
        level_value = parse_level(ctx, level)
    rows = env(ctx).get_app().terms(level_value)

    def render() -> Table:
        table = Table(title="届")
        for col in ("title", "level", "number", "began", "ended"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["title"], r["level"], str(r["number"]), r["began_on"], r["ended_on"] or ""
            )
        return table

    emit(rows, as_json, render)


@deputy.command(name="suspend")
@click.argument("deputy_id")
@click.option("--ground", required=True, help=f"Ground: {choices(SuspensionGround)}.")
@date_option(required=True, help="When the duties were suspended (YYYY-MM-DD).")
@click.pass_context
def deputy_suspend(ctx: click.Context, /, deputy_id: str, ground: str, on: str) -> None:
    """Suspend the deputy's duties (暂停执行代表职务)."""
    e = env(ctx)
    e.get_app().suspend_deputy({"deputy_id": deputy_id, "ground": ground, "date": on}, e.actor())
    echo(f"{deputy_id}: duties suspended")


@deputy.command(name="resume")
@click.argument("deputy_id")
@date_option(required=True, help="When the ground ceased (YYYY-MM-DD).")
@click.pass_context
def deputy_resume(ctx: click.Context, /, deputy_id: str, on: str) -> None:
    """The ground of the suspension ceased: the deputy resumes the duties."""
    e = env(ctx)
    e.get_app().resume_deputy({"deputy_id": deputy_id, "date": on}, e.actor())
    echo(f"{deputy_id}: duties resumed")


@deputy.command(name="announce")
@click.argument("deputy_id")
@click.option("--notice", required=True, help="The notice, e.g. 吉林省人大常委会公告第12号.")
@date_option(required=True, help="When it was announced (YYYY-MM-DD).")
@click.pass_context
def deputy_announce(ctx: click.Context, /, deputy_id: str, notice: str, on: str) -> None:
    """Announce (公告) the termination of the deputy's mandate: the seat is vacant."""
    e = env(ctx)
    data = {"deputy_id": deputy_id, "notice": notice, "date": on}
    e.get_app().announce_termination(data, e.actor())
    echo(f"{deputy_id}: termination announced ({notice})")


@deputy.command(name="reelect")
@click.argument("deputy_id")
@click.option(
    "--term",
    "term_number",
    cls=FieldOption,
    field="term",
    required=True,
    type=int,
    help="The new term (届).",
)
@click.option("--electoral-unit", help="The electoral unit in the new term, if it changed.")
@date_option(required=True, help="When the new term's mandate began (YYYY-MM-DD).")
@click.pass_context
def deputy_reelect(
    ctx: click.Context, /, deputy_id: str, term_number: int, electoral_unit: str | None, on: str
) -> None:
    """Re-elect the deputy into a later, recorded term (连任): one record across terms."""
    e = env(ctx)
    data: dict[str, Any] = {"deputy_id": deputy_id, "term": term_number, "date": on}
    if electoral_unit is not None:
        data["electoral_unit"] = electoral_unit
    e.get_app().reelect_deputy(data, e.actor())
    echo(f"{deputy_id}: re-elected into term {term_number}")
