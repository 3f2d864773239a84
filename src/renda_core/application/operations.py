"""Operational commands are guarded and recorded (see ``docs/permissions.md``).

``record_operation`` checks the permission policy (:data:`~renda_core.application.
permissions.OPERATIONS`) and records an ``Operation.Performed`` event *before* the
operation runs, so the log shows every attempt, and a refused one records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from renda_core.application.base import RendaBase
from renda_core.application.inputs import today
from renda_core.application.permissions import OPERATIONS, check_permission
from renda_core.domain.operation import Operation
from renda_core.domain.values import Actor


def record_operation(app: RendaBase, command: str, targets: Sequence[str], actor: Actor) -> UUID:
    """Check ``actor`` may run ``command`` and record that it is being run."""
    assert command in OPERATIONS, command
    check_permission(command, actor)
    verify_actor = getattr(app, "verify_actor", None)  # the actor registry
    if verify_actor is not None:
        verify_actor(command, actor)
    operation = Operation(command=command, targets=list(targets), on=today(), actor=actor)
    app._save(operation)
    return operation.id
