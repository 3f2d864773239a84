"""``renda events …``: the event log, for auditors."""

from __future__ import annotations

import click
from rich.table import Table

from renda_core.application.audit.history import notifications_of
from renda_core.cli.common import RendaGroup, emit, env, json_option
from renda_core.projections.log import event_to_dict, list_events


@click.group(cls=RendaGroup)
def events() -> None:
    """The event log, for auditors."""


@events.command(name="list")
@click.option("--aggregate", "aggregate_id", help="Only events of this aggregate id.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@json_option
@click.pass_context
def events_list(
    ctx: click.Context, /, aggregate_id: str | None, limit: int | None, as_json: bool
) -> None:
    """List events in log order: position, topic, actor, recorded time, data.

    With --aggregate, one record's events are read through the index on its id (no
    scan of the log). Staff and auditors only (docs/permissions.md)."""
    from renda_core.application.permissions import check_permission

    check_permission("events.list", env(ctx).actor())
    app = env(ctx).get_app()
    if aggregate_id is None:
        rows = list_events(app, None, limit)
    else:
        rows = [event_to_dict(p, e) for p, e in notifications_of(app, aggregate_id, "aggregate")][
            :limit
        ]

    def render() -> Table:
        table = Table(title="事件日志 Event log")
        for col in ("#", "topic", "aggregate", "actor", "recorded_at"):
            table.add_column(col)
        for r in rows:
            actor = r["actor"] or {}
            table.add_row(
                str(r["position"]),
                r["topic"],
                r["aggregate_id"][:8],
                f"{actor.get('id', '')} ({actor.get('role', '')})",
                r["recorded_at"][:19],
            )
        return table

    emit(rows, as_json, render)
