"""``renda deliver|clock|inbox|contact``: notifications (``docs/notifications.md``).

``deliver run`` derives messages from the log into the outbox and sends those due;
``clock tick`` records the reminders and 催办 due on a day as events; ``inbox`` reads
站内信; ``contact`` records the addresses messages go to (masked unless ``--reveal``).
"""

from __future__ import annotations

import threading
from typing import Any

import click
from rich.table import Table

from renda_core.application import inputs
from renda_core.cli.common import (
    RendaGroup,
    date_option,
    emit,
    env,
    json_option,
    parse_date,
    stopping_on_signals,
    store_outage,
)
from renda_core.cli.i18n import message
from renda_core.cli.reading import contact_reveal, reason_option
from renda_core.domain.contact import KINDS, mask
from renda_core.domain.errors import InvalidInput, NotFound
from renda_core.notify.channels import mask_address, scrub
from renda_core.notify.outbox import DEAD, PENDING, OutboxRow
from renda_core.notify.service import Notifier


def notifier(ctx: click.Context, **options: Any) -> Notifier:
    e = env(ctx)
    return Notifier(e.get_app(), e.plugins(), runner=e.runner(), **options)


masked_address = mask_address  # personal data masked when shown


def guard(ctx: click.Context, command: str) -> None:
    """The permission policy (``docs/permissions.md``) and, for what records something,
    the actor registry: refused with exit 6 before anything is read or written."""
    from renda_core.application.permissions import OPERATIONS, check_permission

    actor = env(ctx).actor()
    check_permission(command, actor)
    if command in OPERATIONS:
        verify_actor = getattr(env(ctx).get_app(), "verify_actor", None)
        if verify_actor is not None:
            verify_actor(command, actor)


def guard_inbox(ctx: click.Context, recipient: str, *, marking: bool) -> None:
    """A deputy or a unit reads (and marks read) its own inbox only; an auditor reads
    any inbox and marks none."""
    from renda_core.application.permissions import role_kind
    from renda_core.domain.errors import Forbidden

    guard(ctx, "inbox")
    actor = env(ctx).actor()
    kind = role_kind(actor.role)
    if kind in ("deputy", "unit") and recipient != actor.role:
        raise Forbidden(f"{actor} may read only the inbox of {actor.role}, not of {recipient}")
    if kind == "auditor" and marking:
        raise Forbidden(f"{actor} may read inboxes but not mark messages read")


def row_dict(row: OutboxRow) -> dict[str, Any]:
    data = row.to_dict()
    data["address"] = masked_address(data["address"])
    if data["last_error"]:  # recorded scrubbed; older rows too
        data["last_error"] = scrub(data["last_error"], row.message.address)
    return data


def rows_table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for col in ("key", "address", "status", "attempts", "next_at", "last_error"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["key"],
            r["address"],
            r["status"],
            str(r["attempts"]),
            r["next_at"],
            r["last_error"] or "",
        )
    return table


@click.group(cls=RendaGroup)
def deliver() -> None:
    """Send the outbox: messages derived from the log, at least once, with retries."""


@deliver.command(name="run")
@click.option("--once", is_flag=True, help="Derive and send what is due now, then stop (default).")
@click.option(
    "--follow",
    is_flag=True,
    help="Keep running: derive, tick the clock once a day, send; until SIGINT or SIGTERM "
    "(the pass in hand ends first, then exit 0). An unavailable store is tried again "
    "after a growing pause (up to 5 minutes), said on stderr.",
)
@click.option("--poll", type=float, default=5.0, show_default=True, help="Seconds between passes.")
@click.option(
    "--max-attempts",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Attempts before a message becomes a dead letter.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(0.001),
    default=30.0,
    show_default=True,
    help="First retry delay in seconds; doubles each attempt (capped at 6 h).",
)
@click.option(
    "--lease",
    type=click.FloatRange(0),
    default=300.0,
    show_default=True,
    help="Seconds a message being sent is held before another run may take it.",
)
@click.option(
    "--lang",
    "message_lang",  # the recipients' language: never the operator's locale
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the messages derived.",
)
@click.option(
    "--since",
    metavar="now|POSITION",
    help="First run on an existing store: derive no messages for the log up to here "
    "(now: its last event), so the past is not sent. Refused once the outbox started.",
)
@json_option
@click.pass_context
def deliver_run(
    ctx: click.Context,
    /,
    once: bool,
    follow: bool,
    since: str | None,
    poll: float,
    max_attempts: int,
    backoff: float,
    lease: float,
    message_lang: str,
    as_json: bool,
) -> None:
    """Derive messages from the log into the outbox and send the ones due."""
    guard(ctx, "deliver.run")
    if once and follow:
        raise InvalidInput("--once and --follow exclude each other", [])
    n = notifier(ctx, lang=message_lang, max_attempts=max_attempts, backoff=backoff, lease=lease)
    started = n.start_at(since) if since is not None else None
    if follow:  # until SIGINT or SIGTERM: the pass in hand ends first, then exit 0
        stop = threading.Event()

        with stopping_on_signals(stop):
            n.follow(
                actor=env(ctx).actor(),
                poll=poll,
                today=inputs.today,
                stop=stop.is_set,
                wait=stop.wait,
                unavailable=store_outage,  # said, and tried again: it goes on
            )
        return
    derived = n.derive()
    noticed = n.notice_failures()  # projections that failed: a notice to staff
    run = n.deliver()
    data = {"derived": derived, "failures_noticed": noticed, **run.to_dict()}
    if started is not None:
        data["started"] = started
    counts = {"derived": derived, "sent": run.sent, "retried": run.retried, "dead": run.dead}

    def line() -> str:
        if started is None:
            return message(
                "derived {derived}; sent {sent}, retrying {retried}, dead letters {dead}",
                **counts,
            )
        return message(
            "started at log position {position}; derived {derived}; sent {sent}, "
            "retrying {retried}, dead letters {dead}",
            position=started["position"],
            **counts,
        )

    emit(data, as_json, line)


@deliver.command(name="status")
@click.option("--all", "show_all", is_flag=True, help="List sent messages too.")
@json_option
@click.pass_context
def deliver_status(ctx: click.Context, /, show_all: bool, as_json: bool) -> None:
    """Counts by status, and the messages pending (or all, with --all)."""
    guard(ctx, "deliver.status")
    n = notifier(ctx)
    rows = [row_dict(r) for r in n.outbox.rows(status=None if show_all else PENDING)]
    counts = n.outbox.counts()
    data = {
        "counts": counts,
        "position": n.outbox.derived_position(),
        "started": n.outbox.started(),
        "messages": rows,
    }
    emit(
        data,
        as_json,
        lambda: rows_table(
            message("Outbox: {pending} pending, {sent} sent, {dead} dead", **counts), rows
        ),
    )


@deliver.command(name="dead-letters")
@json_option
@click.pass_context
def deliver_dead_letters(ctx: click.Context, /, as_json: bool) -> None:
    """Messages that will not be sent again unless retried, with their attempts."""
    guard(ctx, "deliver.dead-letters")
    n = notifier(ctx)
    rows = []
    for r in n.outbox.rows(status=DEAD):
        data = row_dict(r)
        data["deliveries"] = [
            {**d, "detail": scrub(d["detail"], r.message.address)}
            for d in n.outbox.deliveries(r.message.key)
        ]
        rows.append(data)
    emit(rows, as_json, lambda: rows_table("Dead letters", rows))


@deliver.command(name="retry")
@click.argument("key")
@json_option
@click.pass_context
def deliver_retry(ctx: click.Context, /, key: str, as_json: bool) -> None:
    """Put the message KEY (a dead letter, or one waiting to retry) back, due now."""
    guard(ctx, "deliver.retry")
    n = notifier(ctx)
    if n.outbox.get(key) is None:
        raise NotFound(f"no message with key {key} in the outbox")
    if not n.outbox.retry(key, n.now()):
        raise InvalidInput(f"message {key} was sent already", [])
    emit({"key": key, "status": PENDING}, as_json, lambda: message("{key}: pending", key=key))


@click.group(cls=RendaGroup)
def clock() -> None:
    """Deadlines pass without events: the clock records reminders and 催办 as events."""


@clock.command(name="tick")
@click.option("--as-of", "as_of", help="The day to tick for (YYYY-MM-DD). Default: today.")
@json_option
@click.pass_context
def clock_tick(ctx: click.Context, /, as_of: str | None, as_json: bool) -> None:
    """Record the reminders (10 and 3 working days before, on the due date) and the
    weekly 催办 after it that are due on the day, each exactly once, as events; put the
    staff's daily digest (due and overdue, by unit) in the outbox."""
    guard(ctx, "clock.tick")
    day = parse_date(as_of, "as-of", planned=True) or inputs.today()
    e = env(ctx)
    n = notifier(ctx)
    issued = n.tick(day, e.actor())
    digest = n.digest(day)  # the staff's daily digest, once a day

    def render() -> Table:
        table = Table(title=message("Clock {day}: {count} issued", day=day, count=len(issued)))
        for col in ("suggestion", "deadline", "owner", "due", "threshold", "kind"):
            table.add_column(col)
        for r in issued:
            table.add_row(
                *(
                    _threshold(r[c]) if c == "threshold" else str(r[c])
                    for c in ("suggestion", "deadline", "owner", "due", "threshold", "kind")
                )
            )
        if digest:
            table.caption = message(
                "digest to staff: {overdue} overdue, {due} due soon",
                overdue=digest["overdue_count"],
                due=digest["due_count"],
            )
        return table

    emit({"as_of": day.isoformat(), "issued": issued, "digest": digest}, as_json, render)
    from renda_core.cli.suggestion import warn_calendar  # the daily job's log says it too

    warn_calendar(ctx, day)


def _threshold(threshold: str) -> str:
    """A reminder's threshold (``before:10``, ``due``, ``overdue:2``) as a table shows
    it, in the active language; ``--json`` keeps the key."""
    name, _, number = threshold.partition(":")
    if name == "before":
        return message("{count} working days before", count=number)
    if name == "overdue":
        return message("week {week} overdue", week=number)
    return message("on the due date") if name == "due" else threshold


def _recipient(value: str) -> str:
    kind, _, name = value.partition(":")
    if value != "staff" and (kind not in ("deputy", "unit", "citizen") or not name.strip()):
        raise InvalidInput(
            f"--for '{value}' is not deputy:<id>, unit:<name> or staff",
            [{"field": "for", "message": "deputy:<id>, unit:<name> or staff"}],
        )
    return value


@click.command(name="inbox")
@click.option("--for", "recipient", required=True, help="deputy:<id>, unit:<name> or staff.")
@click.option("--unread", is_flag=True, help="Only messages not read yet.")
@click.option(
    "--mark-read",
    "mark_read",
    multiple=True,
    help="Mark this message key read (repeatable); 'all' marks every one.",
)
@json_option
@click.pass_context
def inbox(
    ctx: click.Context, /, recipient: str, unread: bool, mark_read: tuple[str, ...], as_json: bool
) -> None:
    """站内信: the messages delivered to a recipient's inbox."""
    who = _recipient(recipient)
    guard_inbox(ctx, who, marking=bool(mark_read))
    n = notifier(ctx)
    if mark_read:
        keys = None if "all" in mark_read else list(mark_read)
        count = n.outbox.mark_read(who, keys, n.now())
        emit({"marked_read": count}, as_json, lambda: message("{count} marked read", count=count))
        return
    rows = n.outbox.inbox(who, unread=unread)

    def render() -> Table:
        table = Table(title=message("Inbox of {who}: {count}", who=who, count=len(rows)))
        for col in ("at", "read", "subject", "record"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["at"][:16], "" if r["read_at"] is None else "✓", r["subject"], r["record_id"]
            )
        return table

    emit(rows, as_json, render)


@click.group(cls=RendaGroup)
def contact() -> None:
    """Contact addresses of units and deputies (recorded facts; masked when shown)."""


@contact.command(name="set")
@click.argument("recipient")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("value")
@date_option()
@json_option
@click.pass_context
def contact_set(
    ctx: click.Context, /, recipient: str, kind: str, value: str, on: str | None, as_json: bool
) -> None:
    """Record or correct RECIPIENT's (deputy:<id> or unit:<name>) address of KIND."""
    guard(ctx, "contact.set")
    e = env(ctx)
    day = parse_date(on, "date") or inputs.today()
    changed = notifier(ctx).set_contact(recipient, kind, value, on=day, actor=e.actor())
    shown = mask(kind, value)
    data = {"recipient": recipient, "kind": kind, "value": shown, "changed": changed}
    emit(
        data,
        as_json,
        lambda: (
            message("{recipient} {kind}: {value}", recipient=recipient, kind=kind, value=shown)
            if changed
            else message(
                "{recipient} {kind}: {value} (unchanged)",
                recipient=recipient,
                kind=kind,
                value=shown,
            )
        ),
    )


@contact.command(name="remove")
@click.argument("recipient")
@click.argument("kind", type=click.Choice(KINDS))
@date_option()
@json_option
@click.pass_context
def contact_remove(
    ctx: click.Context, /, recipient: str, kind: str, on: str | None, as_json: bool
) -> None:
    """Remove RECIPIENT's address of KIND (the log keeps the old one)."""
    guard(ctx, "contact.remove")
    e = env(ctx)
    day = parse_date(on, "date") or inputs.today()
    changed = notifier(ctx).set_contact(recipient, kind, None, on=day, actor=e.actor())
    emit(
        {"recipient": recipient, "kind": kind, "changed": changed},
        as_json,
        lambda: (
            message("{recipient} {kind}: removed", recipient=recipient, kind=kind)
            if changed
            else message("nothing to remove")
        ),
    )


@contact.command(name="show")
@click.argument("recipient")
@click.option("--reveal", is_flag=True, help="Show the addresses in full (personal data).")
@reason_option
@json_option
@click.pass_context
def contact_show(
    ctx: click.Context, /, recipient: str, reveal: bool, reason: str | None, as_json: bool
) -> None:
    """RECIPIENT's addresses, masked unless --reveal.

    --reveal is for staff, the recipient itself, and an auditor with --reason (recorded
    first); see docs/permissions.md, "Read policy"."""
    disclose = contact_reveal(ctx, recipient, reason) if reveal else None
    data = notifier(ctx).contact(recipient, reveal=reveal)
    if disclose is not None:
        disclose()

    def render() -> Table:
        table = Table(title=message("Contact {recipient}", recipient=recipient))
        for col in ("kind", "value", "on", "by"):
            table.add_column(col)
        for kind, a in data["addresses"].items():
            table.add_row(kind, a["value"], a["on"], a["by"])
        return table

    emit(data, as_json, render)


COMMANDS = (deliver, clock, inbox, contact)
