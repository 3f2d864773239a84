"""``renda meeting …`` (standing-committee meetings and forums, 列席) and the attendance
commands of ``renda session …`` (``attendance``, ``warnings``)."""

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
    emit_record,
    emit_rows,
    env,
    json_option,
    parse_choice,
    parse_level,
    today,
)
from renda_core.cli.i18n import message
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.meeting import MeetingKind
from renda_core.domain.session import AttendanceStatus
from renda_core.domain.values import Level
from renda_core.projections.reports import fresh_context

#: the deputies a command names (``--deputy``, repeatable), which fill ``deputy_ids``
deputies_option = click.option(
    "--deputy",
    "deputies",
    cls=FieldOption,
    field="deputy_ids",
    required=True,
    multiple=True,
    help="Deputy id; repeatable.",
)


@click.group(cls=RendaGroup)
def meeting() -> None:
    """Standing-committee meetings (常委会会议) and forums (座谈会), and the deputies who
    attended them as observers (列席)."""


@meeting.command(name="open")
@click.option("--kind", default="sc_meeting", show_default=True, help=f"{choices(MeetingKind)}.")
@click.option("--level", required=True, help=f"Level of the standing committee: {choices(Level)}.")
@click.option("--term", type=int, help="Term (届); required for a standing-committee meeting.")
@click.option("--number", type=int, help="Meeting number in the term (次); likewise.")
@click.option(
    "--title", help="Title (default: e.g. 省十四届人大常委会第十五次会议; required for a forum)."
)
@date_option(help="The opening day (YYYY-MM-DD).")
@json_option
@click.pass_context
def meeting_open(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Open a standing-committee meeting or hold a forum; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().open_meeting({**data, "date": on or today()}, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@meeting.command(name="observer")
@click.argument("meeting_id")
@deputies_option
@date_option(help="The day they attended (YYYY-MM-DD).")
@click.pass_context
def meeting_observer(
    ctx: click.Context, /, meeting_id: str, deputies: tuple[str, ...], on: str | None
) -> None:
    """Record deputies who attended as observers (列席)."""
    e = env(ctx)
    data = {"meeting_id": meeting_id, "deputy_ids": list(deputies), "date": on or today()}
    e.get_app().record_observers(data, e.actor())
    echo(f"{meeting_id}: {len(deputies)} observer(s) recorded")


@meeting.command(name="close")
@click.argument("meeting_id")
@date_option(help="The closing day (YYYY-MM-DD).")
@click.pass_context
def meeting_close(ctx: click.Context, /, meeting_id: str, on: str | None) -> None:
    """Close a meeting."""
    e = env(ctx)
    e.get_app().close_meeting({"meeting_id": meeting_id, "date": on or today()}, e.actor())
    echo(message("{meeting_id}: closed", meeting_id=meeting_id))


@meeting.command(name="show")
@click.argument("meeting_id")
@reason_option
@json_option
@click.pass_context
def meeting_show(ctx: click.Context, /, meeting_id: str, reason: str | None, as_json: bool) -> None:
    """Show a meeting with its observers."""
    data = shown_record(ctx, "meeting.show", meeting_id, reason)
    keys = ("id", "kind_label", "level", "term", "number", "status_label", "opened_on")
    emit_record(
        data,
        as_json,
        data["title"],
        lambda: [
            *((k, data[k]) for k in (*keys, "closed_on")),
            ("observers (列席)", len(data["observers"])),
        ],
    )


@meeting.command(name="list")
@click.option("--kind", help=f"Only this kind: {choices(MeetingKind)}.")
@json_option
@click.pass_context
def meeting_list(ctx: click.Context, /, kind: str | None, as_json: bool) -> None:
    """List meetings and forums (from the meetings view, brought up to date first)."""
    from renda_adapters.meetings import MeetingsProjection, meeting_entries

    wanted = parse_choice(MeetingKind, kind, "kind")
    rows = meeting_entries(fresh_context(env(ctx).runner(), MeetingsProjection.name), wanted)
    rows = shown_rows(ctx, "meeting.list", "meeting", rows)
    emit_rows(
        rows,
        as_json,
        "常委会会议与座谈会",
        ("id", "title", "kind", "opened", "closed", "observers"),
        lambda r: (
            r["id"][:8],
            r["title"],
            MeetingKind.of(r["kind"]).label,
            r["opened_on"],
            r["closed_on"] or "",
            str(r["observers"]),
        ),
    )


# -- renda session attendance / warnings ----------------------------------------------


@click.command(name="attendance")
@click.argument("session_id")
@click.option("--status", required=True, help=f"{choices(AttendanceStatus)}.")
@deputies_option
@click.option("--note", help="Note, e.g. who approved the leave (请假).")
@date_option(help="The day recorded (within the session, YYYY-MM-DD).")
@click.pass_context
def session_attendance(
    ctx: click.Context,
    /,
    session_id: str,
    status: str,
    deputies: tuple[str, ...],
    note: str | None,
    on: str | None,
) -> None:
    """Record the attendance of deputies at a session: present (出席), on leave with
    approval (请假) or absent without leave (缺席). Recording another status corrects."""
    e = env(ctx)
    data: dict[str, Any] = {
        "session_id": session_id,
        "status": status,
        "deputy_ids": list(deputies),
        "date": on or today(),
    }
    if note is not None:
        data["note"] = note
    e.get_app().record_session_attendance(data, e.actor())
    echo(f"{session_id}: {len(deputies)} deputy(ies) recorded as {status}")


@click.command(name="warnings")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@json_option
@click.pass_context
def session_warnings(ctx: click.Context, /, level: str | None, as_json: bool) -> None:
    """Deputies who missed two sessions of their level's congress in one term without
    leave (未经批准两次不出席): the Deputies Law's ground for the end of a mandate, shown
    to staff to examine. renda never ends a mandate by itself."""
    level_value = None
    if level:
        level_value = parse_level(ctx, level)
    rows = env(ctx).get_app().session_warnings(level_value)

    def render() -> Table:
        table = Table(title="未经批准两次不出席本级人民代表大会会议（提示）")
        for col in ("deputy", "name", "level", "term", "sessions missed", "consecutive"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["deputy_id"][:8],
                r["name"],
                r["level"],
                str(r["term"]),
                "; ".join(a["title"] for a in r["absences"]),
                "yes" if r["consecutive"] else "",
            )
        return table

    emit(rows, as_json, render)
