"""``renda session …``: congress sessions (人民代表大会会议) and their suggestions."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    parse_level,
    today,
)
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.values import Level


@click.group(cls=RendaGroup)
def session() -> None:
    """Congress sessions (人民代表大会会议): suggestions submitted while one is open are
    session suggestions, assigned within the policy's period after it closes."""


@session.command(name="open")
@click.option("--level", required=True, help=f"Level of the congress: {choices(Level)}.")
@click.option("--term", required=True, type=int, help="Term (届), e.g. 14.")
@click.option("--number", required=True, type=int, help="Session number in the term (次).")
@click.option(
    "--title",
    help="Title (default: e.g. 吉林省第十四届人民代表大会第二次会议, by the store's province).",
)
@date_option(help="The opening day (开幕, YYYY-MM-DD).")
@json_option
@click.pass_context
def session_open(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Open a session of a level's people's congress; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().open_session({**data, "date": on or today()}, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@session.command(name="close")
@click.argument("session_id")
@date_option(help="The closing day (闭幕, YYYY-MM-DD).")
@json_option
@click.pass_context
def session_close(ctx: click.Context, /, session_id: str, on: str | None, as_json: bool) -> None:
    """Close a session: each of its suggestions not yet assigned gets its assignment due
    date (recorded in one write)."""
    e = env(ctx)
    app = e.get_app()
    pending = app.close_session({"session_id": session_id, "date": on or today()}, e.actor())
    data = app.session(session_id)
    if as_json:
        emit({**data, "due_recorded_for": pending}, True)
    else:
        echo(
            f"{session_id}: {data['title']} closed on {data['closed_on']} — "
            f"{len(pending)} suggestion(s) to be assigned by {data['assignment_due']}"
        )


@session.command(name="show")
@click.argument("session_id")
@reason_option
@json_option
@click.pass_context
def session_show(ctx: click.Context, /, session_id: str, reason: str | None, as_json: bool) -> None:
    """Show a session with its suggestions and their assignment due date."""
    data = shown_record(ctx, "session.show", session_id, reason)

    def render() -> Table:
        table = Table(title=data["title"], show_header=False)
        for key in ("id", "level", "term", "number", "status_label", "opened_on", "closed_on"):
            table.add_row(key, str(data[key] if data[key] is not None else ""))
        table.add_row("assignment_due", data["assignment_due"] or "")
        table.add_row("suggestions", str(len(data["suggestions"])))
        return table

    emit(data, as_json, render)


@session.command(name="list")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@json_option
@click.pass_context
def session_list(ctx: click.Context, /, level: str | None, as_json: bool) -> None:
    """List the recorded sessions, by level and opening day."""
    level_value = None
    if level:
        level_value = parse_level(ctx, level)
    rows = env(ctx).get_app().sessions(level_value)
    rows = shown_rows(ctx, "session.list", "session", rows)

    def render() -> Table:
        table = Table(title="人民代表大会会议")
        for col in ("id", "title", "status", "opened", "closed", "suggestions", "assign by"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"][:8],
                r["title"],
                r["status_label"],
                r["opened_on"],
                r["closed_on"] or "",
                str(len(r["suggestions"])),
                r["assignment_due"] or "",
            )
        return table

    emit(rows, as_json, render)
