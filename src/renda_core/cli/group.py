"""``renda group …``: deputy groups (代表小组)."""

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
from renda_core.cli.reading import reason_option, shown_record
from renda_core.domain.group import STATUS_LABELS, GroupActivityKind, GroupBasis
from renda_core.domain.values import Level, level_label
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def group() -> None:
    """Deputy groups (代表小组): form, members, leader, activities, dissolve."""


@group.command(name="form")
@click.option("--name", required=True, help="Name of the group.")
@click.option("--basis", required=True, help=f"Formed by: {choices(GroupBasis)}.")
@click.option("--unit", required=True, help="The electoral unit or sector.")
@click.option("--level", required=True, help=f"Congress level: {choices(Level)}.")
@click.option("--term", required=True, type=int, help="Congress term number (届).")
@click.option("--area", required=True, help="Division code of the group's area.")
@date_option()
@json_option
@click.pass_context
def group_form(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Form a deputy group; prints the new id."""
    e = env(ctx)
    new_id = e.get_app().form_group({**fields, "date": on or today()}, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        echo(str(new_id))


def _member(ctx: click.Context, method: str, group_id: str, deputy_id: str, on: str | None) -> None:
    e = env(ctx)
    data = {"group_id": group_id, "deputy_id": deputy_id, "date": on or today()}
    getattr(e.get_app(), method)(data, e.actor())


@group.command(name="add")
@click.argument("group_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the deputy.")
@date_option()
@click.pass_context
def group_add(ctx: click.Context, /, group_id: str, deputy_id: str, on: str | None) -> None:
    """Add an active deputy of the group's congress (level and term) as a member."""
    _member(ctx, "add_group_member", group_id, deputy_id, on)
    echo(f"{group_id}: added {deputy_id}")


@group.command(name="remove")
@click.argument("group_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the member.")
@date_option()
@click.pass_context
def group_remove(ctx: click.Context, /, group_id: str, deputy_id: str, on: str | None) -> None:
    """Remove a member (a leader who leaves leaves the group leaderless)."""
    _member(ctx, "remove_group_member", group_id, deputy_id, on)
    echo(f"{group_id}: removed {deputy_id}")


@group.command(name="lead")
@click.argument("group_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the member.")
@date_option()
@click.pass_context
def group_lead(ctx: click.Context, /, group_id: str, deputy_id: str, on: str | None) -> None:
    """Appoint a member as the group's leader (组长)."""
    _member(ctx, "appoint_group_leader", group_id, deputy_id, on)
    echo(f"{group_id}: leader {deputy_id}")


@group.command(name="activity")
@click.argument("group_id")
@click.option("--kind", required=True, help=f"Kind: {choices(GroupActivityKind)}.")
@click.option(
    "--deputy", "participants", multiple=True, required=True, help="Participant (repeatable)."
)
@click.option("--disputes-handled", type=int, default=0, help="Mediation: disputes handled.")
@click.option("--disputes-resolved", type=int, default=0, help="Mediation: disputes resolved.")
@click.option("--topic", help="Topic, kept verbatim.")
@date_option(required=True, help="When the activity took place (YYYY-MM-DD).")
@json_option
@click.pass_context
def group_activity(
    ctx: click.Context,
    /,
    group_id: str,
    participants: tuple[str, ...],
    on: str,
    as_json: bool,
    **fields: Any,
) -> None:
    """Record a group activity; participants must be members."""
    e = env(ctx)
    data = {"group_id": group_id, "participants": list(participants), "date": on, **fields}
    number = e.get_app().hold_group_activity(data, e.actor())
    if as_json:
        emit({"group_id": group_id, "number": number}, True)
    else:
        echo(f"{group_id}: activity {number} recorded")


@group.command(name="dissolve")
@click.argument("group_id")
@date_option()
@click.pass_context
def group_dissolve(ctx: click.Context, /, group_id: str, on: str | None) -> None:
    """Dissolve the group (at the end of the term)."""
    e = env(ctx)
    e.get_app().dissolve_group({"group_id": group_id, "date": on or today()}, e.actor())
    echo(f"{group_id}: dissolved")


@group.command(name="show")
@click.argument("group_id")
@reason_option
@json_option
@click.pass_context
def group_show(ctx: click.Context, /, group_id: str, reason: str | None, as_json: bool) -> None:
    """Show a group with members and activities."""
    data = shown_record(ctx, "group.show", group_id, reason)

    def render() -> Table:
        table = Table(title=data["name"], show_header=False)
        for key in ("id", "basis", "unit", "level", "term", "area", "formed_on", "status_label"):
            table.add_row(key, str(data[key]))
        table.add_row("leader", data["leader"] or "")
        table.add_row("members", str(len(data["members"])))
        table.add_row("activities", str(len(data["activities"])))
        return table

    emit(data, as_json, render)


@group.command(name="list")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@click.option("--status", type=click.Choice(["active", "dissolved"]), help="Only this status.")
@json_option
@click.pass_context
def group_list(ctx: click.Context, /, level: str | None, status: str | None, as_json: bool) -> None:
    """List deputy groups (from the groups view, brought up to date first)."""
    from renda_adapters.groups import GroupsProjection, group_entries

    wanted = parse_level(ctx, level) if level else None
    rows = group_entries(
        fresh_context(env(ctx).runner(), GroupsProjection.name, level=wanted), status
    )

    def render() -> Table:
        table = Table(title="代表小组")
        for col in ("id", "name", "level", "term", "area", "members", "activities", "status"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["name"],
                level_label(r["level"], r["area"]),
                str(r["term"]),
                r["area"],
                str(r["members"]),
                str(r["activities"]),
                STATUS_LABELS[r["status"]],
            )
        return table

    emit(rows, as_json, render)
