"""``renda member …`` and ``renda body …``: the standing committee's members and bodies,
and the 双联系 ledger between members and deputies."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import RendaGroup, choices, date_option, echo, emit, env, json_option
from renda_core.cli.reading import reason_option, shown_record
from renda_core.domain.committee import BodyKind, ParticipationKind, Position
from renda_core.domain.values import ContactForm, Level
from renda_core.projections.reports import fresh_context


def _view(ctx: click.Context) -> Any:
    from renda_adapters.committee import CommitteeProjection

    return fresh_context(env(ctx).runner(), CommitteeProjection.name)


@click.group(cls=RendaGroup)
def member() -> None:
    """Standing-committee members (常委会组成人员) and their liaison with deputies (双联系)."""


@member.command(name="add")
@click.option("--name", required=True, help="Name, kept verbatim.")
@click.option("--position", required=True, help=f"Position: {choices(Position)}.")
@click.option("--level", required=True, help=f"Level: {choices(Level)}.")
@click.option("--term", required=True, type=int, help="Term (届).")
@date_option(required=True, help="When the member took office (YYYY-MM-DD).")
@click.pass_context
def member_add(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Record a standing-committee member; prints the id."""
    e = env(ctx)
    echo(str(e.get_app().add_member({**fields, "date": on}, e.actor())))


@member.command(name="leave")
@click.argument("member_id")
@date_option(required=True, help="When the member left office (YYYY-MM-DD).")
@click.pass_context
def member_leave(ctx: click.Context, /, member_id: str, on: str) -> None:
    """A member leaves office."""
    e = env(ctx)
    e.get_app().member_leaves({"member_id": member_id, "date": on}, e.actor())
    echo(f"{member_id}: left office")


@member.command(name="show")
@click.argument("member_id")
@json_option
@click.pass_context
def member_show(ctx: click.Context, /, member_id: str, as_json: bool) -> None:
    """A member's own view: the deputies he liaises with, contacts made, last contact
    per deputy."""
    from renda_adapters.committee import member_view
    from renda_core.application.base import to_uuid

    data = member_view(_view(ctx), str(to_uuid(member_id, "member")))

    def render() -> Table:
        table = Table(title=f"{data['name']}（{Position.of(data['position']).label}）联系代表")
        for col in ("代表", "since", "until", "联系次数", "最近联系"):
            table.add_column(col)
        for d in data["deputies"]:
            table.add_row(
                d["name"],
                d["since"],
                d["until"] or "",
                str(d["contacts"]),
                d["last_contact"] or "",
            )
        table.caption = f"联系 {len(data['contacts'])} 次"
        return table

    emit(data, as_json, render)


@member.command(name="list")
@json_option
@click.pass_context
def member_list(ctx: click.Context, /, as_json: bool) -> None:
    """List the standing-committee members."""
    from renda_adapters.committee.view import MEMBER

    rows = [
        {
            "id": key,
            **{k: doc[k] for k in ("name", "position", "level", "term", "since", "left_on")},
            "deputies": sum(1 for d in doc["deputies"] if d["until"] is None),
            "contacts": len(doc["contacts"]),
        }
        for key, doc in _view(ctx).entities(MEMBER)
    ]
    rows.sort(key=lambda r: (r["level"], list(Position).index(r["position"]), r["name"]))

    def render() -> Table:
        table = Table(title="常委会组成人员")
        for col in ("id", "name", "position", "level", "term", "deputies", "contacts"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"][:8],
                r["name"],
                Position.of(r["position"]).label,
                r["level"],
                str(r["term"]),
                str(r["deputies"]),
                str(r["contacts"]),
            )
        return table

    emit(rows, as_json, render)


@member.command(name="liaise")
@click.argument("member_id")
@click.argument("deputy_id")
@date_option(required=True, help="Since when (YYYY-MM-DD).")
@click.pass_context
def member_liaise(ctx: click.Context, /, member_id: str, deputy_id: str, on: str) -> None:
    """The member starts liaising with a deputy (双联系)."""
    e = env(ctx)
    data = {"member_id": member_id, "deputy_id": deputy_id, "date": on}
    e.get_app().member_liaise(data, e.actor())
    echo(f"{member_id} liaises with {deputy_id}")


@member.command(name="unliaise")
@click.argument("member_id")
@click.argument("deputy_id")
@date_option(required=True, help="Until when (YYYY-MM-DD).")
@click.pass_context
def member_unliaise(ctx: click.Context, /, member_id: str, deputy_id: str, on: str) -> None:
    """The member's liaison with a deputy ends."""
    e = env(ctx)
    data = {"member_id": member_id, "deputy_id": deputy_id, "date": on}
    e.get_app().member_unliaise(data, e.actor())
    echo(f"{member_id} no longer liaises with {deputy_id}")


@member.command(name="contact")
@click.argument("member_id")
@click.argument("deputy_id")
@click.option("--form", required=True, help=f"Form of contact: {choices(ContactForm)}.")
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.option("--note", help="Note, kept verbatim.")
@click.pass_context
def member_contact(
    ctx: click.Context, /, member_id: str, deputy_id: str, form: str, on: str, note: str | None
) -> None:
    """Record the member's contact with a deputy (liaison or not)."""
    e = env(ctx)
    data = {"member_id": member_id, "deputy_id": deputy_id, "form": form, "date": on}
    if note is not None:
        data["note"] = note
    e.get_app().member_contact(data, e.actor())
    echo(f"{member_id}: contact with {deputy_id} recorded")


@click.group(cls=RendaGroup)
def body() -> None:
    """Bodies of the standing committee: 主任会议, special committees (专门委员会),
    working bodies (工作机构); their contacts with deputies and the deputies they invite
    into legislation and supervision work."""


@body.command(name="add")
@click.option("--name", required=True, help="Name, e.g. 法制委员会.")
@click.option("--kind", required=True, help=f"Kind: {choices(BodyKind)}.")
@click.option("--level", required=True, help=f"Level: {choices(Level)}.")
@date_option(required=True, help="When it was established (YYYY-MM-DD).")
@click.pass_context
def body_add(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Record a body of the standing committee; prints the id."""
    e = env(ctx)
    echo(str(e.get_app().add_body({**fields, "date": on}, e.actor())))


@body.command(name="show")
@click.argument("body_id")
@reason_option
@json_option
@click.pass_context
def body_show(ctx: click.Context, /, body_id: str, reason: str | None, as_json: bool) -> None:
    """Show a body with its members, contacts and participations."""
    data = shown_record(ctx, "body.show", body_id, reason)

    def render() -> Table:
        table = Table(title=f"{data['name']}（{data['kind_label']}）", show_header=False)
        table.add_row("members", str(len(data["members"])))
        table.add_row("contacts", str(len(data["contacts"])))
        table.add_row("participations", str(len(data["participations"])))
        return table

    emit(data, as_json, render)


@body.command(name="list")
@json_option
@click.pass_context
def body_list(ctx: click.Context, /, as_json: bool) -> None:
    """List the bodies of the standing committee."""
    from renda_adapters.committee.view import BODY

    rows = [
        {
            "id": key,
            **{k: v for k, v in doc.items() if k != "members"},
            "members": len(doc["members"]),
        }
        for key, doc in _view(ctx).entities(BODY)
    ]
    rows.sort(key=lambda r: (r["level"], r["kind"], r["name"]))

    def render() -> Table:
        table = Table(title="常委会机构")
        for col in ("id", "name", "kind", "level", "members", "contacts", "participations"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"][:8],
                r["name"],
                BodyKind.of(r["kind"]).label,
                r["level"],
                str(r["members"]),
                str(r["contacts"]),
                str(r["participations"]),
            )
        return table

    emit(rows, as_json, render)


@body.command(name="join")
@click.argument("body_id")
@click.argument("member_id")
@date_option(required=True, help="Since when (YYYY-MM-DD).")
@click.pass_context
def body_join(ctx: click.Context, /, body_id: str, member_id: str, on: str) -> None:
    """A member joins the body."""
    e = env(ctx)
    e.get_app().body_join({"body_id": body_id, "member_id": member_id, "date": on}, e.actor())
    echo(f"{member_id} joined {body_id}")


@body.command(name="remove")
@click.argument("body_id")
@click.argument("member_id")
@date_option(required=True, help="Until when (YYYY-MM-DD).")
@click.pass_context
def body_remove(ctx: click.Context, /, body_id: str, member_id: str, on: str) -> None:
    """A member leaves the body."""
    e = env(ctx)
    e.get_app().body_remove({"body_id": body_id, "member_id": member_id, "date": on}, e.actor())
    echo(f"{member_id} left {body_id}")


@body.command(name="contact")
@click.argument("body_id")
@click.argument("deputy_id")
@click.option("--form", required=True, help=f"Form of contact: {choices(ContactForm)}.")
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.option("--note", help="Note, kept verbatim.")
@click.pass_context
def body_contact(
    ctx: click.Context, /, body_id: str, deputy_id: str, form: str, on: str, note: str | None
) -> None:
    """Record the body's contact with a deputy."""
    e = env(ctx)
    data = {"body_id": body_id, "deputy_id": deputy_id, "form": form, "date": on}
    if note is not None:
        data["note"] = note
    e.get_app().body_contact(data, e.actor())
    echo(f"{body_id}: contact with {deputy_id} recorded")


@body.command(name="invite")
@click.argument("body_id")
@click.argument("deputy_ids", nargs=-1, required=True)
@click.option("--kind", required=True, help=f"Kind: {choices(ParticipationKind)}.")
@click.option("--title", required=True, help="What, e.g. 《吉林省黑土地保护条例》立法调研.")
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.pass_context
def body_invite(
    ctx: click.Context, /, body_id: str, deputy_ids: tuple[str, ...], kind: str, title: str, on: str
) -> None:
    """Record deputies taking part in the body's legislation or supervision work (立法调研,
    执法检查, 列席 …) or in a special committee's liaison with deputies."""
    from renda_core.application.base import to_uuid

    e = env(ctx)
    data = {
        "body_id": body_id,
        "kind": kind,
        "title": title,
        "deputy_ids": [str(to_uuid(d, "deputy")) for d in deputy_ids],
        "date": on,
    }
    e.get_app().body_invite(data, e.actor())
    echo(f"{body_id}: {len(deputy_ids)} deputies took part in {title}")
