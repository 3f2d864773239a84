"""``renda plugins`` and ``renda commands``: what is loaded, and what can be run."""

from __future__ import annotations

from typing import Any

import click

from renda_core.cli.common import emit, env, json_option


@click.command(name="plugins")
@json_option
@click.pass_context
def plugins_list(ctx: click.Context, /, as_json: bool) -> None:
    """List loaded plugins and the hooks each implements."""
    from rich.table import Table

    from renda_core.ports.plugins import plugin_list

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


@click.command(name="commands")
@json_option
def commands_list(as_json: bool) -> None:
    """List the application's commands: summary, roles allowed, input fields."""
    from rich.table import Table

    from renda_core.application.commands import COMMANDS

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
