"""``renda motion …``: motions (议案) to a congress session."""

from __future__ import annotations

from typing import Any

import click

from renda_core.cli.common import (
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
    today,
)
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.motion import Decision, MotionStatus, Proposer
from renda_core.domain.values import Level
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def motion() -> None:
    """Motions (议案): drafted by a delegation or deputies jointly (联名), submitted while a
    session is open, decided by the presidium (列入议程 or handled as a suggestion)."""


@motion.command(name="draft")
@click.option("--title", required=True, help="Title, e.g. 关于制定……条例的议案.")
@click.option("--body", required=True, help="Text of the motion.")
@click.option("--level", required=True, help=f"Level of the congress: {choices(Level)}.")
@click.option("--proposer", help=f"{choices(Proposer)} (default: deputies).")
@click.option("--lead-deputy", help="Lead deputy id (default: the acting deputy).")
@click.option("--delegation", help="The delegation's name (代表团), for its own motion.")
@click.option("--area", help="The delegation's area (division code, e.g. 220000).")
@date_option()
@json_option
@click.pass_context
def motion_draft(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Draft a motion; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().draft_motion({**data, "date": on or today()}, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@motion.command(name="cosign")
@click.argument("motion_id")
@click.option("--deputy-id", help="The co-signing deputy (default: the acting deputy).")
@date_option()
@click.pass_context
def motion_cosign(
    ctx: click.Context, /, motion_id: str, deputy_id: str | None, on: str | None
) -> None:
    """A deputy of the motion's level joins it (联名)."""
    e = env(ctx)
    data: dict[str, Any] = {"motion_id": motion_id, "date": on or today()}
    if deputy_id:
        data["deputy_id"] = deputy_id
    e.get_app().cosign_motion(data, e.actor())
    echo(f"{motion_id}: co-signed")


@motion.command(name="submit")
@click.argument("motion_id")
@date_option()
@click.pass_context
def motion_submit(ctx: click.Context, /, motion_id: str, on: str | None) -> None:
    """Submit a motion to the session of its level open on the date (enough signatures)."""
    e = env(ctx)
    session_id = e.get_app().submit_motion(
        {"motion_id": motion_id, "date": on or today()}, e.actor()
    )
    echo(f"{motion_id}: submitted to session {session_id}")


@motion.command(name="receive")
@click.argument("motion_id")
@date_option()
@click.pass_context
def motion_receive(ctx: click.Context, /, motion_id: str, on: str | None) -> None:
    """Record the receipt of a submitted motion (收到)."""
    e = env(ctx)
    e.get_app().receive_motion({"motion_id": motion_id, "date": on or today()}, e.actor())
    echo(f"{motion_id}: received")


@motion.command(name="decide")
@click.argument("motion_id")
@click.option("--decision", required=True, help=f"The presidium's decision: {choices(Decision)}.")
@click.option("--reason", help="Reason of the decision.")
@click.option("--category", help="Category of the suggestion it becomes (不列入).")
@date_option()
@click.pass_context
def motion_decide(ctx: click.Context, /, motion_id: str, on: str | None, **fields: Any) -> None:
    """Record the presidium's decision: on the agenda (列入会议议程), or not — then the
    motion is handled as a suggestion, created and linked in the same write."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    suggestion_id = e.get_app().decide_motion(
        {**data, "motion_id": motion_id, "date": on or today()}, e.actor()
    )
    if suggestion_id:
        echo(f"{motion_id}: not on the agenda; handled as suggestion {suggestion_id}")
    else:
        echo(f"{motion_id}: on the agenda")


@motion.command(name="vote")
@click.argument("motion_id")
@click.option("--passed/--not-passed", required=True, help="Whether the congress passed it.")
@date_option()
@click.pass_context
def motion_vote(ctx: click.Context, /, motion_id: str, passed: bool, on: str | None) -> None:
    """Record the congress's vote on a motion on its agenda (表决)."""
    e = env(ctx)
    data = {"motion_id": motion_id, "passed": passed, "date": on or today()}
    e.get_app().vote_motion(data, e.actor())
    echo(f"{motion_id}: {'passed' if passed else 'not passed'}")


@motion.command(name="show")
@click.argument("motion_id")
@reason_option
@json_option
@click.pass_context
def motion_show(ctx: click.Context, /, motion_id: str, reason: str | None, as_json: bool) -> None:
    """Show a motion with its signatures, decision and linked suggestion."""
    data = shown_record(ctx, "motion.show", motion_id, reason)
    head = ("id", "level", "proposer_label", "lead_deputy", "delegation", "status_label")
    tail = ("session_id", "submitted_on", "decided_on", "suggestion_id", "voted_on")
    emit_record(
        data,
        as_json,
        data["title"],
        lambda: [
            *((k, data[k]) for k in head),
            ("signatures", len(data["cosigners"]) + (1 if data["lead_deputy"] else 0)),
            *((k, data[k] or "") for k in tail),
        ],
    )


@motion.command(name="list")
@click.option("--status", help=f"Only this status: {choices(MotionStatus)}.")
@json_option
@click.pass_context
def motion_list(ctx: click.Context, /, status: str | None, as_json: bool) -> None:
    """List motions (from the meetings view, brought up to date first)."""
    from renda_adapters.meetings import MeetingsProjection, motion_entries

    wanted = parse_choice(MotionStatus, status, "status")
    rows = motion_entries(fresh_context(env(ctx).runner(), MeetingsProjection.name), wanted)
    rows = shown_rows(ctx, "motion.list", "motion", rows)
    emit_rows(
        rows,
        as_json,
        "代表议案",
        ("id", "title", "level", "signatures", "status", "drafted"),
        lambda r: (
            r["id"][:8],
            r["title"],
            r["level"],
            str(r["cosigners"] + (1 if r["lead_deputy"] else 0)),
            r["status_label"],
            r["drafted_on"],
        ),
    )
