"""What the CLI's reads share: the read policy (``--reason``) and one record's show.

Every ``show``/``list`` goes through :mod:`renda_core.application.readpolicy`, so the
CLI, the library API and the HTTP API apply one rule (docs/permissions.md, "Read
policy").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from renda_core.application.readpolicy import (
    Reader,
    may_see_log,
    read_record,
    reader,
    recorder_of,
    show_record,
    show_rows,
)
from renda_core.cli.common import env
from renda_core.domain.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])

REASON_HELP = (
    "Auditors: show personal fields (phones, citizens' names, notes); the reason is "
    "recorded in the log before anything is shown."
)


def reason_option(fn: F) -> F:
    """Add ``--reason TEXT``; the command receives ``reason``."""
    return click.option("--reason", metavar="TEXT", help=REASON_HELP)(fn)


def reader_of(ctx: click.Context, reason: str | None = None) -> Reader:
    """The reader the read policy judges: the acting user, and the reason given."""
    return reader(env(ctx).actor(), reason)


def shown_record(
    ctx: click.Context, read: str, record_id: str, reason: str | None = None
) -> dict[str, Any]:
    """One record through ``read`` (``opinion.show``…) as the acting user may see it."""
    return read_record(env(ctx).get_app(), reader_of(ctx, reason), read, record_id)


def shown_duty_record(
    ctx: click.Context, data: dict[str, Any], reason: str | None = None
) -> dict[str, Any]:
    """A duty record as the acting user may see it: a deputy's own in full, others'
    personal fields (contact notes) redacted, a unit refused (exit 6)."""
    app = env(ctx).get_app()
    return show_record(
        reader_of(ctx, reason), "deputy.record", "duty_record", data, recorder_of(app)
    )


def shown_rows(
    ctx: click.Context,
    read: str,
    kind: str,
    rows: Iterable[dict[str, Any]],
    reason: str | None = None,
    load: Callable[[str], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A list through ``read`` as the acting user may see it (a unit: its own rows)."""
    app = env(ctx).get_app()
    return show_rows(reader_of(ctx, reason), read, kind, rows, recorder_of(app), load)


def log_access(ctx: click.Context, read: str, what: list[str], reason: str | None = None) -> bool:
    """For the log's reads (``events list``, the exports): check the role may run
    ``read``; whether personal fields show. An auditor's reason is recorded first."""
    who = reader_of(ctx, reason)
    reveal = may_see_log(who, read)
    if reveal and who.reason is not None and who.kind == "auditor":
        recorder_of(env(ctx).get_app())(read, what, who.reason, who.actor)
    return reveal


def contact_reveal(ctx: click.Context, recipient: str, reason: str | None) -> Callable[[], None]:
    """May the acting user see ``recipient``'s addresses in full? Staff and the
    recipient itself may; an auditor with a reason may, once the disclosure is recorded:
    the returned function records it — call it after the addresses are found (a bad or
    unknown recipient records nothing) and before they are shown. Forbidden else."""
    who = reader_of(ctx, reason)
    if who.kind == "staff" or who.actor.role == recipient:
        return lambda: None
    if who.kind == "auditor" and who.reason is not None:
        auditor, why = who.actor, who.reason

        def record() -> None:
            recorder_of(env(ctx).get_app())("contact.show", [recipient], why, auditor)

        return record
    raise Forbidden(
        f"{who.actor} may not reveal {recipient}'s addresses: staff, the recipient itself, "
        "or an auditor with --reason may"
    )
