"""One permission policy for every command, checked before anything is loaded.

Roles: ``staff`` (deputy-affairs office), ``deputy:<id>``, ``unit:<name>``, ``editor``,
``leader:<name>``, ``auditor`` (read only). Each command declares the role kinds that
may issue it (``@command(name, model, roles)``); the role is recorded on every event.
"""

from __future__ import annotations

from renda_core.domain.errors import Forbidden
from renda_core.domain.values import Actor


def role_kind(role: str) -> str:
    return role.split(":", 1)[0]


def role_subject(role: str) -> str | None:
    """``deputy:<id>`` → ``<id>``; ``staff`` → None."""
    return role.split(":", 1)[1] if ":" in role else None


def check_permission(command: str, actor: Actor) -> None:
    """Raise Forbidden unless the actor's role may issue ``command``."""
    from renda_core.application.commands import COMMANDS

    spec = COMMANDS.get(command)
    if spec is None:
        raise Forbidden(f"command '{command}' is not in the permission policy")
    if role_kind(actor.role) not in spec.roles:
        who = " or ".join(sorted(spec.roles))
        raise Forbidden(f"{actor} may not {command.replace('.', ' ')}: it needs the role {who}")
