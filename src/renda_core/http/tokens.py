"""Bearer tokens of the HTTP API: issue, revoke, authenticate.

A token is ``renda_`` + 43 characters of a random 256-bit secret. Only its SHA-256 hex
digest is recorded (an :class:`~renda_core.domain.token.ApiToken` event); the token
itself is shown once, when it is issued. Issuing and revoking need the ``staff`` role
and are recorded with the acting staff member, like every command.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from renda_core.api.facade import RendaAPI
from renda_core.application.base import to_uuid
from renda_core.application.commands import Text, make_actor, parse_value
from renda_core.application.permissions import role_kind
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound
from renda_core.domain.token import ApiToken
from renda_core.domain.values import Actor

PREFIX = "renda_"
_DURATION = re.compile(r"^(\d{1,5})([dh])$")
MAX_LIFETIME = timedelta(days=3660)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest recorded for ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_expires(value: str, now: datetime) -> datetime:
    """``90d``, ``12h``, a date ``YYYY-MM-DD`` (valid through that day, UTC) or an ISO
    8601 timestamp with a zone; InvalidInput otherwise, or when past or > 10 years."""
    text = value.strip()
    match = _DURATION.match(text)
    moment: datetime | None = None
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        moment = now + (timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    else:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
        try:
            if parsed is not None and len(text) == 10:  # a date: through that day
                moment = parsed.replace(tzinfo=UTC) + timedelta(days=1)
            elif parsed is not None and parsed.tzinfo is not None:
                moment = parsed.astimezone(UTC)
        except OverflowError:  # 9999-12-31 and the like: far too late anyway
            moment = now + 2 * MAX_LIFETIME
    if moment is None:
        raise InvalidInput(
            f"expires: '{text[:40]}' is not 90d, 12h, a date or a timestamp with a zone",
            [{"field": "expires", "message": "expected 90d, 12h, YYYY-MM-DD or ISO 8601"}],
        )
    if not now < moment <= now + MAX_LIFETIME:
        raise InvalidInput(
            f"expires: {moment.isoformat()} is not between now and 10 years from now",
            [{"field": "expires", "message": "in the future, at most 10 years"}],
        )
    return moment


@dataclass(frozen=True)
class IssuedToken:
    """What ``renda token issue`` prints: the token (shown only now) and its record."""

    token: str
    id: UUID
    actor: Actor
    expires_at: datetime


def _check_staff(actor: Actor, what: str) -> None:
    if role_kind(actor.role) != "staff":
        raise Forbidden(f"{actor} may not {what}: it needs the role staff")


def issue_token(
    api: RendaAPI,
    *,
    holder_id: str,
    holder_role: str,
    expires: str,
    note: str | None,
    actor: Actor,
    now: datetime | None = None,
) -> IssuedToken:
    """Issue a token acting as ``holder_id`` in ``holder_role``; record its hash."""
    _check_staff(actor, "issue tokens")
    api._application.verify_actor("token.issue", actor)  # the actor registry, when on
    holder = make_actor(holder_id, holder_role)
    moment = now or datetime.now(UTC)
    expires_at = parse_expires(expires, moment)
    if note is not None:
        note = parse_value(Text, note, "note")  # the policy of every short text
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.issue(
        token_hash=token_hash(token),
        holder=holder,
        expires_at=expires_at,
        issued_at=moment,
        note=note,
        actor=actor,
    )
    api._application._save(record)
    return IssuedToken(token, record.id, holder, expires_at)


def revoke_token(api: RendaAPI, token_id: str, *, reason: str | None, actor: Actor) -> None:
    """Revoke the token with this id (as ``renda token issue`` printed it)."""
    _check_staff(actor, "revoke tokens")
    api._application.verify_actor("token.revoke", actor)  # the actor registry, when on
    record = api._application._load(ApiToken, to_uuid(token_id, "token"), "token")
    record.revoke(reason=reason, actor=actor)
    api._application._save(record)


def authenticate(api: RendaAPI, token: str, now: datetime | None = None) -> Actor:
    """The actor a presented token acts as; NotFound when it is unknown, revoked or
    expired (the caller answers 401 without saying which)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        raise NotFound("not a renda token")
    uid = ApiToken.create_id(token_hash(token))
    record = api._application._load(ApiToken, uid, "token")
    if not record.valid_at(now or datetime.now(UTC)):
        raise NotFound("the token is revoked or expired")
    return record.holder
