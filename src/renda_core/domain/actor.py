"""Actor registry (操作人登记): who may act, and in which roles, recorded as events.

One registry per store (a natural key): each registered actor has an id (the id an
``Actor`` carries: ``--actor``, a token's actor, an embedding system's user id), a
name, and the roles granted to them (``staff``, ``deputy:<id>``, ``unit:<name>``, …).
An actor may act in role R iff R was granted to them, not revoked since, and the
actor itself was not revoked. Revoking an actor is final: the id is never reused
(register the person again under a new id).

The first actor on an empty registry registers themselves with the role ``staff``
(bootstrap), and the registry never loses its last staff: so someone can always
manage it.

Lifecycle of one actor::

    added → (role granted | role revoked)* → revoked
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import NotFound, RefusalPhrase, RuleViolated
from renda_core.domain.values import Actor

STAFF_ROLE = "staff"


def registry_id() -> UUID:
    return uuid5(NAMESPACE_URL, "/actors")


class ActorRegistry(Aggregate):
    """Every registered actor, with the roles granted to each."""

    TOPIC = "renda:ActorRegistry"

    class Event(Aggregate.Event):
        TOPIC = "renda:ActorRegistry.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:ActorRegistry.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Started: ClassVar[type[Aggregate.Event]]
        ActorAdded: ClassVar[type[Aggregate.Event]]
        RoleGranted: ClassVar[type[Aggregate.Event]]
        RoleRevoked: ClassVar[type[Aggregate.Event]]
        ActorRevoked: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return registry_id()

    # -- commands ---------------------------------------------------------------

    @classmethod
    def start(cls, *, actor: Actor) -> ActorRegistry:
        return cls(actor=actor)

    def add(self, *, actor_id: str, name: str, roles: list[str], on: date, actor: Actor) -> None:
        """Register ``actor_id`` with ``roles``. On an empty registry, the acting actor
        registers themselves with the role ``staff`` (bootstrap)."""
        if actor_id in self.actors:
            state = "was revoked (ids are never reused)" if self.is_revoked(actor_id) else ""
            raise RuleViolated(f"actor {actor_id} is already registered {state}".strip())
        if not roles:
            raise RuleViolated("an actor is registered with at least one role")
        if len(set(roles)) != len(roles):
            raise RuleViolated("a role is given twice")
        if not self.actors and (
            actor_id != actor.id or STAFF_ROLE not in roles or actor.role != STAFF_ROLE
        ):
            raise RuleViolated(
                "the registry is empty: the first actor registers themselves with the "
                f"role staff (actor add {actor.id} --name … --role staff, as staff)"
            )
        self._added(actor_id=actor_id, name=name, roles=list(roles), on=on, actor=actor)

    def grant(self, *, actor_id: str, role: str, on: date, actor: Actor) -> None:
        self._check_active(actor_id, "grant a role")
        if role in self.actors[actor_id]["roles"]:
            raise RuleViolated(f"actor {actor_id} already has the role {role}")
        self._granted(actor_id=actor_id, role=role, on=on, actor=actor)

    def revoke_role(self, *, actor_id: str, role: str, on: date, actor: Actor) -> None:
        self._check_active(actor_id, "revoke a role")
        if role not in self.actors[actor_id]["roles"]:
            raise RuleViolated(f"actor {actor_id} does not have the role {role}")
        if role == STAFF_ROLE:
            self._check_not_last_staff(actor_id)
        self._role_revoked(actor_id=actor_id, role=role, on=on, actor=actor)

    def revoke(self, *, actor_id: str, on: date, actor: Actor) -> None:
        self._check_active(actor_id, "revoke")
        if STAFF_ROLE in self.actors[actor_id]["roles"]:
            self._check_not_last_staff(actor_id)
        self._revoked(actor_id=actor_id, on=on, actor=actor)

    def _check_active(self, actor_id: str, what: RefusalPhrase) -> None:
        if actor_id not in self.actors:
            raise NotFound(f"no registered actor {actor_id}")
        if self.is_revoked(actor_id):
            revoked_on = self.actors[actor_id]["revoked_on"]
            raise RuleViolated(f"cannot {what}: actor {actor_id} was revoked on {revoked_on}")

    def _check_not_last_staff(self, actor_id: str) -> None:
        others = [a for a in self.holders(STAFF_ROLE) if a != actor_id]
        if not others:
            raise RuleViolated(
                f"actor {actor_id} is the last staff: grant staff to another actor first, "
                "or nobody could manage the registry"
            )

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Started", topic="renda:ActorRegistry.Started")
    def __init__(self, *, actor: Actor) -> None:
        self.actors: dict[str, dict[str, Any]] = {}

    @event("ActorAdded", topic="renda:ActorRegistry.ActorAdded")
    def _added(self, *, actor_id: str, name: str, roles: list[str], on: date, actor: Actor) -> None:
        self.actors[actor_id] = {
            "name": name,
            "roles": list(roles),
            "added_on": on,
            "added_by": actor.id,
            "revoked_on": None,
        }

    @event("RoleGranted", topic="renda:ActorRegistry.RoleGranted")
    def _granted(self, *, actor_id: str, role: str, on: date, actor: Actor) -> None:
        self.actors[actor_id]["roles"].append(role)

    @event("RoleRevoked", topic="renda:ActorRegistry.RoleRevoked")
    def _role_revoked(self, *, actor_id: str, role: str, on: date, actor: Actor) -> None:
        self.actors[actor_id]["roles"].remove(role)

    @event("ActorRevoked", topic="renda:ActorRegistry.ActorRevoked")
    def _revoked(self, *, actor_id: str, on: date, actor: Actor) -> None:
        self.actors[actor_id]["revoked_on"] = on

    # -- reading ------------------------------------------------------------------

    def is_revoked(self, actor_id: str) -> bool:
        return self.actors[actor_id]["revoked_on"] is not None

    def holders(self, role: str) -> list[str]:
        """The active actors granted ``role``."""
        return [a for a, e in self.actors.items() if e["revoked_on"] is None and role in e["roles"]]

    def refusal(self, actor: Actor) -> str | None:
        """Why ``actor`` may not act in its role (None when it may)."""
        entry = self.actors.get(actor.id)
        if entry is None:
            return f"actor {actor.id} is not registered (renda actor add)"
        if entry["revoked_on"] is not None:
            return f"actor {actor.id} was revoked on {entry['revoked_on']}"
        if actor.role not in entry["roles"]:
            granted = ", ".join(entry["roles"]) or "none"
            return f"actor {actor.id} is not granted the role {actor.role} (granted: {granted})"
        return None

    def entry(self, actor_id: str) -> dict[str, Any]:
        """One actor as plain data."""
        if actor_id not in self.actors:
            raise NotFound(f"no registered actor {actor_id}")
        e = self.actors[actor_id]
        return {
            "id": actor_id,
            "name": e["name"],
            "roles": list(e["roles"]),
            "status": "revoked" if e["revoked_on"] else "active",
            "added_on": _iso(e["added_on"]),
            "added_by": e["added_by"],
            "revoked_on": _iso(e["revoked_on"]),
        }

    def to_list(self) -> list[dict[str, Any]]:
        return [self.entry(a) for a in sorted(self.actors)]


def _iso(day: date | str | None) -> str | None:
    if day is None:
        return None
    return day if isinstance(day, str) else day.isoformat()
