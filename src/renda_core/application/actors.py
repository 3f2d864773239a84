"""Actors who are who they say: the actor registry and its enforcement.

- ``actor.add`` / ``actor.grant`` / ``actor.revoke``: manage the registry (staff only),
  each recorded with the actor who did it. On an empty registry, the first
  ``actor.add`` registers the acting actor themselves with the role ``staff``
  (bootstrap; ``docs/audit.md#actors``).
- :meth:`ActorCommands.verify_actor`: run by every command (``@command``) and every
  recorded operation after the permission policy and before anything is validated or
  loaded. With the registry on, an unknown actor, a revoked one, or a role not granted
  is refused (Forbidden, exit 6, nothing recorded). A ``deputy:<id>`` role must name a
  registered deputy whose mandate is active — also with the registry off.

The registry is on when ``RENDA_REQUIRE_REGISTERED_ACTORS`` is ``1`` (``0`` turns it
off); unset, it is on for PostgreSQL stores and off for SQLite ones. An embedding
system can choose with ``Renda(store, require_registered_actors=...)`` (or
``renda_core.open(..., require_registered_actors=...)``), which wins over the variable.
Reads are not checked against the registry.
"""

from __future__ import annotations

import os
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import AfterValidator, Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import ROLE_PATTERN, Command, Text, command
from renda_core.application.inputs import today
from renda_core.application.permissions import READS, ReadSpec, role_kind, role_subject
from renda_core.application.store import StoreConfig
from renda_core.domain.actor import ActorRegistry, registry_id
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound
from renda_core.domain.values import Actor

REGISTRY_ENV = "RENDA_REQUIRE_REGISTERED_ACTORS"
STAFF = {"staff"}
ON = {"1", "true", "yes", "on"}
OFF = {"0", "false", "no", "off"}

# The registry's reads (who may list and show actors); registered here, beside the
# commands, so the permission matrix names them.
READS.update(
    {
        "actor.list": ReadSpec("actor.list", frozenset({"staff", "auditor"}), "registered actors"),
        "actor.show": ReadSpec("actor.show", frozenset({"staff", "auditor"}), "one actor"),
    }
)


def registry_required(store: StoreConfig, given: bool | None = None) -> bool:
    """Whether the registry is enforced: ``given``, else the environment variable, else
    on for PostgreSQL and off for SQLite."""
    if given is not None:
        return given
    value = os.environ.get(REGISTRY_ENV, "").strip().lower()
    if value in ON:
        return True
    if value in OFF:
        return False
    if value:
        raise InvalidInput(
            f"{REGISTRY_ENV}={value!r}: expected 1 (on) or 0 (off)",
            [{"field": REGISTRY_ENV, "message": "expected 1 or 0"}],
        )
    return not store.is_sqlite


def check_role(role: str) -> str:
    if not ROLE_PATTERN.match(role):
        raise ValueError(
            "role must be staff, auditor, editor, deputy:<id>, unit:<name> or leader:<name>"
        )
    return role


Role = Annotated[str, AfterValidator(check_role)]
ActorId = Annotated[Text, Field(description="the actor's id, as --actor / a token gives it")]


class AddActor(Command):
    """Register an actor with their roles (登记操作人)."""

    actor_id: ActorId
    name: Text
    roles: list[Role] = Field(min_length=1, max_length=20)


class GrantRole(Command):
    """Grant a registered actor one more role (授予角色)."""

    actor_id: ActorId
    role: Role


class RevokeActor(Command):
    """Revoke one role of an actor, or (no role) the actor itself (撤销)."""

    actor_id: ActorId
    role: Role | None = None


class ActorCommands(RendaBase):
    """The actor registry part of the application, and its enforcement."""

    def __init__(
        self,
        store: StoreConfig | str | None = None,
        *,
        require_registered_actors: bool | None = None,
    ) -> None:
        super().__init__(store)
        self.require_registered_actors = registry_required(self.store, require_registered_actors)

    @command("actor.add", AddActor, STAFF)
    def add_actor(self, cmd: AddActor, actor: Actor) -> None:
        """Register an actor with roles (their id is the one given)."""
        registry = self.actor_registry() or ActorRegistry.start(actor=actor)
        registry.add(
            actor_id=cmd.actor_id, name=cmd.name, roles=list(cmd.roles), on=today(), actor=actor
        )
        self._save(registry)

    @command("actor.grant", GrantRole, STAFF)
    def grant_role(self, cmd: GrantRole, actor: Actor) -> None:
        """Grant a registered actor a role."""
        registry = self._existing_registry(cmd.actor_id)
        registry.grant(actor_id=cmd.actor_id, role=cmd.role, on=today(), actor=actor)
        self._save(registry)

    @command("actor.revoke", RevokeActor, STAFF)
    def revoke_actor(self, cmd: RevokeActor, actor: Actor) -> None:
        """Revoke a role of an actor, or the actor (final: the id is never reused)."""
        registry = self._existing_registry(cmd.actor_id)
        if cmd.role is None:
            registry.revoke(actor_id=cmd.actor_id, on=today(), actor=actor)
        else:
            registry.revoke_role(actor_id=cmd.actor_id, role=cmd.role, on=today(), actor=actor)
        self._save(registry)

    # -- reads ------------------------------------------------------------------

    def actor_registry(self) -> ActorRegistry | None:
        """The registry as recorded (None while nobody was ever registered)."""
        try:
            registry = self._get(registry_id())
        except AggregateNotFoundError:
            return None
        assert isinstance(registry, ActorRegistry)
        return registry

    def actors(self) -> list[dict[str, Any]]:
        """Every registered actor (revoked ones too), by id."""
        registry = self.actor_registry()
        return registry.to_list() if registry is not None else []

    def registered_actor(self, actor_id: str) -> dict[str, Any]:
        registry = self.actor_registry()
        if registry is None:
            raise NotFound(f"no registered actor {actor_id}")
        return registry.entry(actor_id)

    def _existing_registry(self, actor_id: str) -> ActorRegistry:
        registry = self.actor_registry()
        if registry is None:
            raise NotFound(f"no registered actor {actor_id}")
        return registry

    # -- enforcement --------------------------------------------------------------

    def verify_actor(self, command_name: str, actor: Actor) -> None:
        """Refuse (Forbidden) an actor who may not write: see the module docstring."""
        if role_kind(actor.role) == "deputy":
            self._check_deputy_role(actor)
        reason = self.registry_refusal(command_name, actor)
        if reason is not None:
            raise Forbidden(
                f"{actor} may not {command_name.replace('.', ' ')}: {reason}. Nothing was recorded"
            )

    def may_refuse(self, actor: Actor) -> bool:
        """Whether :meth:`verify_actor` can refuse ``actor`` at all: the registry is on,
        or the role is a deputy's (checked against that deputy's record). Its answer
        depends on the role alone, for as long as the application lives."""
        return self.require_registered_actors or role_kind(actor.role) == "deputy"

    def registry_refusal(self, command_name: str, actor: Actor) -> str | None:
        """Why the registry refuses ``actor`` (None when it is off, or the actor may act)."""
        if not self.require_registered_actors:
            return None
        registry = self.actor_registry()
        if registry is None or not registry.actors:
            if command_name == "actor.add":
                return None  # bootstrap: the registry checks the first actor adds themselves
            return (
                "this store requires registered actors and none is registered yet; the "
                "first staff registers themselves with `renda actor add` (docs/audit.md#actors)"
            )
        return registry.refusal(actor)

    def _check_deputy_role(self, actor: Actor) -> None:
        """``deputy:<id>`` names a registered deputy whose mandate is active."""
        subject = role_subject(actor.role) or ""
        try:
            deputy_id = UUID(subject)
        except ValueError:
            raise Forbidden(f"{actor}: a deputy role names the deputy's id (deputy:<id>)") from None
        try:
            deputy = self._get(deputy_id)
        except AggregateNotFoundError:
            deputy = None
        if not isinstance(deputy, Deputy):
            raise Forbidden(f"{actor}: deputy {deputy_id} is not a registered deputy")
        if deputy.terminated_on is not None:
            raise Forbidden(
                f"{actor}: deputy {deputy_id}'s mandate ended on {deputy.terminated_on}"
            )
