"""``renda events …``: the event log, for auditors."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click
from rich.table import Table

from renda_core.application.app import to_uuid
from renda_core.application.audit.history import notifications_of
from renda_core.application.export import events_feed
from renda_core.application.readpolicy import redact_event_row
from renda_core.cli.common import (
    OutputPath,
    RendaGroup,
    emit,
    env,
    json_option,
    stopping_on_signals,
    store_outage,
)
from renda_core.cli.reading import log_access, reason_option
from renda_core.domain.errors import InvalidInput
from renda_core.projections.log import event_to_dict, list_events


@click.group(cls=RendaGroup)
def events() -> None:
    """The event log, for auditors."""


@events.command(name="list")
@click.option("--aggregate", "aggregate_id", help="Only events of this aggregate id.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@reason_option
@json_option
@click.pass_context
def events_list(
    ctx: click.Context,
    /,
    aggregate_id: str | None,
    limit: int | None,
    reason: str | None,
    as_json: bool,
) -> None:
    """List events in log order: position, topic, actor, recorded time, data.

    With --aggregate, one record's events are read through the index on its id (no
    scan of the log). Staff and auditors only; an auditor sees personal fields only
    with --reason, which is recorded first (docs/permissions.md)."""
    if aggregate_id is not None:  # a bad id is refused before a reason is recorded
        to_uuid(aggregate_id, "aggregate")
    reveal = log_access(ctx, "events.list", [aggregate_id or "log"], reason)
    app = env(ctx).get_app()
    if aggregate_id is None:
        rows = list_events(app, None, limit)
    else:
        rows = [event_to_dict(p, e) for p, e in notifications_of(app, aggregate_id, "aggregate")][
            :limit
        ]

    if not reveal:
        rows = [redact_event_row(r) for r in rows]

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


@events.command(name="export")
@click.option(
    "--since",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Export the events after this log position (the last one a consumer has).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["cloudevents", "jsonl"]),
    default="cloudevents",
    show_default=True,
    help="One CloudEvent (structured JSON) per line, or renda's JSON line.",
)
@click.option(
    "--follow",
    is_flag=True,
    help="Keep polling for new events until SIGINT/SIGTERM. An unavailable store is read "
    "again after a growing pause (up to 5 minutes), said on stderr.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between polls with --follow.",
)
@click.option("--output", type=OutputPath(), help="Append to this file instead of stdout.")
@reason_option
@click.pass_context
def events_export(
    ctx: click.Context,
    /,
    since: int,
    fmt: str,
    follow: bool,
    poll: float,
    output: Path | None,
    reason: str | None,
) -> None:
    """Stream the log as JSON lines, one event a line, in constant memory.

    Each line is a CloudEvent in structured JSON mode: id = record id/version, source =
    urn:renda:store:<store id>, type = the renda topic, time = recorded time, data = the
    event's data, extensions rendaposition, rendaactor, rendarole, rendaon (business
    date). Resume with --since <the last rendaposition seen>. See docs/integration.md.
    Staff and auditors only; personal fields are redacted for an auditor without
    --reason (docs/permissions.md).
    """
    reveal = log_access(ctx, "events.export", [f"log after {since}"], reason)
    app = env(ctx).get_app()
    stop = threading.Event()
    with stopping_on_signals(stop):
        lines = events_feed(
            app,
            since,
            fmt,
            follow=follow,
            poll=poll,
            stop=stop,
            redacted=not reveal,
            unavailable=store_outage,  # said, and read again from the last line given
        )
        if output is None:
            _pipe(lines, sys.stdout)
            return
        try:
            file = output.open("a", encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(
                f"cannot write {output}: {exc.strerror or exc}",
                [{"field": "output", "message": "not writable"}],
            ) from None
        with file:
            _pipe(lines, file)


def _pipe(lines: Iterator[str], out: IO[str]) -> None:
    """Write the lines, flushing after each batch read; a closed pipe ends quietly."""
    try:
        for line in lines:
            out.write(line + "\n")
            out.flush()
    except BrokenPipeError:
        # The consumer went away: stop without a traceback (and without Python's
        # second complaint when stdout is flushed at exit).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
