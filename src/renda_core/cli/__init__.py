"""``renda``: the reference command-line driver.

Commands stay thin: parse → call the application → render. Domain errors become a
:class:`~renda_core.cli.common.RendaClickError` with the documented exit code of their
kind (``docs/cli.md``). Plugins add commands through ``renda_register_commands``.
"""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.application.commands import COMMANDS
from renda_core.cli.actor import actor as actor_group
from renda_core.cli.area import area
from renda_core.cli.assign_batch import assign_batch
from renda_core.cli.audit import audit
from renda_core.cli.bulletin import bulletin
from renda_core.cli.calendar import calendar
from renda_core.cli.common import RendaGroup, emit, env, json_option
from renda_core.cli.context import Env
from renda_core.cli.deputy import deputy
from renda_core.cli.events import events
from renda_core.cli.extension import suggestion_request_extension  # noqa: F401
from renda_core.cli.group import group as group_group
from renda_core.cli.importer import import_file, schema
from renda_core.cli.notify import COMMANDS as NOTIFY_COMMANDS
from renda_core.cli.office import deputy_import
from renda_core.cli.opinion import opinion
from renda_core.cli.projections import projections
from renda_core.cli.report import report
from renda_core.cli.serve import serve
from renda_core.cli.session import session
from renda_core.cli.station import station
from renda_core.cli.store import store as store_group
from renda_core.cli.suggestion import suggestion
from renda_core.cli.token import token
from renda_core.cli.tour import demo
from renda_core.cli.training import training
from renda_core.ports.plugins import get_plugin_manager, plugin_list


@click.group(cls=RendaGroup)
@click.version_option(package_name="renda")
@click.option(
    "--store",
    envvar="RENDA_STORE",
    help="Event store: a SQLite file path (default renda.sqlite) or "
    "postgresql://user:pass@host:port/db. Env: RENDA_STORE.",
)
@click.option(
    "--read-only",
    is_flag=True,
    envvar="RENDA_READ_ONLY",
    help="Open a SQLite store for reading only: nothing is written to it, not even its "
    "views (reports catch up copies in a temporary folder); writing commands fail with "
    "exit 8. Automatic when the file or its folder is not writable. Env: RENDA_READ_ONLY.",
)
@click.option(
    "--actor",
    envvar="RENDA_ACTOR",
    help="Who is acting (recorded on every event). Env: RENDA_ACTOR.",
)
@click.option(
    "--role",
    envvar="RENDA_ROLE",
    help="Role of the actor: staff (default), auditor, editor, deputy:<id>, "
    "unit:<name>, leader:<name>. Env: RENDA_ROLE.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    /,
    store: str | None,
    read_only: bool,
    actor: str | None,
    role: str | None,
) -> None:
    """renda (人大): the work of people's congress deputies, as an event log.

    Every change is an event; reports are projections of the log; auditors replay it.
    """
    obj = ctx.ensure_object(Env)
    # An explicitly empty option is an error later, never the default: keep "" as given.
    obj.store = obj.store if obj.store is not None else store
    obj.read_only = obj.read_only or read_only
    obj.actor_id = obj.actor_id if obj.actor_id is not None else actor
    obj.role = obj.role if obj.role is not None else role
    if actor is not None or role is not None:
        obj.actor()  # a given --actor/--role is checked even when only reading (exit 3)
    ctx.call_on_close(obj.close)


for group in (
    deputy,
    area,
    station,
    opinion,
    group_group,
    training,
    suggestion,
    session,
    bulletin,
    calendar,
    events,
    projections,
    report,
    demo,
    import_file,
    schema,
    store_group,
    audit,
    serve,
    token,
):
    cli.add_command(group)
suggestion.add_command(assign_batch)
deputy.add_command(deputy_import)
for command in NOTIFY_COMMANDS:
    cli.add_command(command)
cli.add_command(actor_group)


@cli.command(name="plugins")
@json_option
@click.pass_context
def plugins_list(ctx: click.Context, /, as_json: bool) -> None:
    """List loaded plugins and the hooks each implements."""
    rows = plugin_list(env(ctx).plugins())

    def render() -> Table:
        table = Table(title="Plugins")
        for col in ("name", "version", "builtin", "hooks"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r["name"]),
                str(r["version"] or ""),
                "yes" if r["builtin"] else "",
                ", ".join(r["hooks"]),
            )
        return table

    emit(rows, as_json, render)


@cli.command(name="commands")
@json_option
def commands_list(as_json: bool) -> None:
    """List the application's commands: summary, roles allowed, input fields."""
    rows: list[dict[str, Any]] = [
        {
            "command": spec.name,
            "summary": spec.summary,
            "roles": sorted(spec.roles),
            "fields": list(spec.model.model_fields),
        }
        for spec in COMMANDS.values()
    ]

    def render() -> Table:
        table = Table(title="Commands")
        for col in ("command", "roles", "fields", "summary"):
            table.add_column(col)
        for r in rows:
            table.add_row(r["command"], ", ".join(r["roles"]), ", ".join(r["fields"]), r["summary"])
        return table

    emit(rows, as_json, render)


get_plugin_manager().hook.renda_register_commands(cli=cli)

from renda_core.cli.conventions import apply_conventions  # noqa: E402  (after every command)

apply_conventions(cli)
