"""``renda token issue|revoke``: bearer tokens of the HTTP API (``docs/http.md``)."""

from __future__ import annotations

import click

from renda_core.cli.common import RendaGroup, emit, env, json_option, say
from renda_core.http.tokens import issue_token, revoke_token


@click.group(cls=RendaGroup)
def token() -> None:
    """Bearer tokens of the HTTP API: issued per actor and role, stored only as hashes."""


@token.command(name="issue")
@click.option("--actor", "holder_id", required=True, help="The actor the token acts as.")
@click.option(
    "--role",
    "holder_role",
    required=True,
    help="The role it acts in: staff, auditor, editor, deputy:<id>, unit:<name>, leader:<name>.",
)
@click.option(
    "--expires",
    default="90d",
    show_default=True,
    help="When it expires: 90d, 12h, a date YYYY-MM-DD (through that day, UTC) or an "
    "ISO 8601 timestamp with a zone; at most 10 years.",
)
@click.option("--note", help="What the token is for (recorded).")
@json_option
@click.pass_context
def token_issue(
    ctx: click.Context,
    /,
    holder_id: str,
    holder_role: str,
    expires: str,
    note: str | None,
    as_json: bool,
) -> None:
    """Issue a token (needs the role staff). The token is printed once, only now: only
    its SHA-256 hash is recorded. Keep its id to revoke it."""
    e = env(ctx)
    issued = issue_token(
        e.api(),
        holder_id=holder_id,
        holder_role=holder_role,
        expires=expires,
        note=note,
        actor=e.actor(),
    )
    data = {
        "token": issued.token,
        "id": str(issued.id),
        "actor": {"id": issued.actor.id, "role": issued.actor.role},
        "expires_at": issued.expires_at.isoformat(),
    }
    if as_json:
        emit(data, True)
    else:
        click.echo(issued.token)
        click.echo(
            say(f"id {issued.id}; acts as {issued.actor}; expires {data['expires_at']}"), err=True
        )


@token.command(name="revoke")
@click.argument("token_id")
@click.option("--reason", help="Why it is revoked (recorded).")
@click.pass_context
def token_revoke(ctx: click.Context, /, token_id: str, reason: str | None) -> None:
    """Revoke the token with this id (needs the role staff); it authenticates nothing
    from now on."""
    e = env(ctx)
    revoke_token(e.api(), token_id, reason=reason, actor=e.actor())
    click.echo(say(f"revoked {token_id}"))
