"""ApiToken (接口令牌): a bearer token of the HTTP API, issued to one actor in one role.

Only the token's SHA-256 hash is recorded, never the token itself; the record's id
follows from the hash (``uuid5``), so a request's token is found by one read. The
token fixes the actor and the role a request acts as. A token is revoked once, and a
revoked or expired token authenticates nothing (see ``docs/http.md``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import Actor


class ApiToken(Aggregate):
    """A bearer token: its hash, the actor and role it acts as, when it expires."""

    TOPIC = "renda:ApiToken"

    class Event(Aggregate.Event):
        TOPIC = "renda:ApiToken.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:ApiToken.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Issued: ClassVar[type[Aggregate.Event]]
        Revoked: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(token_hash: str, **_: Any) -> UUID:
        """The id of the token whose SHA-256 hex digest is ``token_hash``."""
        return uuid5(NAMESPACE_URL, f"/api-tokens/{token_hash}")

    @classmethod
    def issue(
        cls,
        *,
        token_hash: str,
        holder: Actor,
        expires_at: datetime,
        issued_at: datetime,
        note: str | None,
        actor: Actor,
    ) -> ApiToken:
        if expires_at <= issued_at:
            raise RuleViolated(f"the token would expire ({expires_at}) before it is issued")
        return cls(
            token_hash=token_hash,
            holder_id=holder.id,
            holder_role=holder.role,
            expires_at=expires_at,
            note=note,
            actor=actor,
        )

    def revoke(self, *, reason: str | None, actor: Actor) -> None:
        if self.revoked:
            raise RuleViolated(f"token {self.id} is already revoked")
        self._revoked(reason=reason, actor=actor)

    @property
    def holder(self) -> Actor:
        return Actor(self.holder_id, self.holder_role)

    def valid_at(self, moment: datetime) -> bool:
        """Neither revoked nor expired at ``moment``."""
        return not self.revoked and moment < self.expires_at

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Issued", topic="renda:ApiToken.Issued")
    def __init__(
        self,
        *,
        token_hash: str,
        holder_id: str,
        holder_role: str,
        expires_at: datetime,
        note: str | None,
        actor: Actor,
    ) -> None:
        self.token_hash = token_hash
        self.holder_id = holder_id
        self.holder_role = holder_role
        self.expires_at = expires_at
        self.note = note
        self.issued_by = actor
        self.revoked = False

    @event("Revoked", topic="renda:ApiToken.Revoked")
    def _revoked(self, *, reason: str | None, actor: Actor) -> None:
        self.revoked = True
