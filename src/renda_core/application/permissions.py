"""One permission policy for every command, checked before anything is loaded.

Roles: ``staff`` (deputy-affairs office), ``deputy:<id>``, ``unit:<name>``, ``editor``,
``leader:<name>``, ``auditor`` (read only). The role is recorded on every event.
"""

from __future__ import annotations

from renda_core.domain.errors import Forbidden
from renda_core.domain.values import Actor

# command name -> role kinds allowed (the part of the role before ':')
POLICY: dict[str, frozenset[str]] = {
    "deputy.register": frozenset({"staff"}),
    "deputy.correct": frozenset({"staff"}),
    "deputy.liaise": frozenset({"staff"}),
    "deputy.unliaise": frozenset({"staff"}),
    "deputy.contact": frozenset({"staff"}),
    "deputy.terminate": frozenset({"staff"}),
}


def role_kind(role: str) -> str:
    return role.split(":", 1)[0]


def check_permission(command: str, actor: Actor) -> None:
    """Raise Forbidden unless the actor's role may issue ``command``."""
    allowed = POLICY.get(command)
    if allowed is None:
        raise Forbidden(f"command '{command}' is not in the permission policy")
    if role_kind(actor.role) not in allowed:
        who = " or ".join(sorted(allowed))
        raise Forbidden(
            f"{actor} may not {command.replace('.', ' ')}: it needs the role {who}"
        )
