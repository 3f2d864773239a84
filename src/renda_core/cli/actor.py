"""``renda actor …``: the actor registry (操作人登记): who may act in which roles."""

from __future__ import annotations

import click
from rich.table import Table

from renda_core.application.permissions import check_permission
from renda_core.cli.common import RendaGroup, echo, emit, env, json_option


@click.group(cls=RendaGroup)
def actor() -> None:
    """The actor registry: who may act, in which roles. With the registry on
    (RENDA_REQUIRE_REGISTERED_ACTORS=1; default for PostgreSQL stores) a write from an
    unregistered or revoked actor, or in a role not granted, is refused (exit 6)."""


@actor.command(name="add")
@click.argument("actor_id")
@click.option("--name", required=True, help="The person's name (姓名), kept verbatim.")
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    help="A role granted: staff, auditor, editor, deputy:<id>, unit:<name>, "
    "leader:<name>; repeatable.",
)
@json_option
@click.pass_context
def actor_add(
    ctx: click.Context, /, actor_id: str, name: str, roles: tuple[str, ...], as_json: bool
) -> None:
    """Register an actor with roles (staff only). On an empty registry, the first
    actor registers themselves with the role staff."""
    e = env(ctx)
    e.get_app().add_actor({"actor_id": actor_id, "name": name, "roles": list(roles)}, e.actor())
    data = e.get_app().registered_actor(actor_id)
    emit(data, True) if as_json else echo(f"{actor_id}: {name} — {', '.join(data['roles'])}")


@actor.command(name="grant")
@click.argument("actor_id")
@click.option("--role", required=True, help="The role to grant.")
@json_option
@click.pass_context
def actor_grant(ctx: click.Context, /, actor_id: str, role: str, as_json: bool) -> None:
    """Grant a registered actor one more role (staff only)."""
    e = env(ctx)
    e.get_app().grant_role({"actor_id": actor_id, "role": role}, e.actor())
    data = e.get_app().registered_actor(actor_id)
    emit(data, True) if as_json else echo(f"{actor_id}: {', '.join(data['roles'])}")


@actor.command(name="revoke")
@click.argument("actor_id")
@click.option("--role", help="Revoke this role only (default: revoke the actor, for good).")
@json_option
@click.pass_context
def actor_revoke(ctx: click.Context, /, actor_id: str, role: str | None, as_json: bool) -> None:
    """Revoke one role of an actor, or the actor itself (staff only); the last staff
    cannot be revoked."""
    e = env(ctx)
    data_in = {"actor_id": actor_id} if role is None else {"actor_id": actor_id, "role": role}
    e.get_app().revoke_actor(data_in, e.actor())
    data = e.get_app().registered_actor(actor_id)
    if as_json:
        emit(data, True)
    elif data["status"] == "revoked":
        echo(f"{actor_id}: revoked on {data['revoked_on']}")
    else:
        echo(f"{actor_id}: {', '.join(data['roles']) or '(no roles)'}")


@actor.command(name="list")
@json_option
@click.pass_context
def actor_list(ctx: click.Context, /, as_json: bool) -> None:
    """List the registered actors (revoked ones too) with their roles."""
    e = env(ctx)
    check_permission("actor.list", e.actor())
    rows = e.get_app().actors()

    def render() -> Table:
        table = Table(title="操作人 (registered actors)")
        for col in ("id", "name", "roles", "status", "added", "revoked"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["name"],
                ", ".join(r["roles"]),
                r["status"],
                r["added_on"] or "",
                r["revoked_on"] or "",
            )
        return table

    emit(rows, as_json, render)


@actor.command(name="show")
@click.argument("actor_id")
@json_option
@click.pass_context
def actor_show(ctx: click.Context, /, actor_id: str, as_json: bool) -> None:
    """Show one registered actor: roles, status, who added them and when."""
    e = env(ctx)
    check_permission("actor.show", e.actor())
    data = e.get_app().registered_actor(actor_id)

    def render() -> Table:
        table = Table(title=f"{data['name']} ({data['id']})", show_header=False)
        for key in ("id", "name", "status", "added_on", "added_by", "revoked_on"):
            table.add_row(key, str(data[key] or ""))
        table.add_row("roles", ", ".join(data["roles"]))
        return table

    emit(data, as_json, render)
