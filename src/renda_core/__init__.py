"""renda (人大): an event-sourced domain core for the work of people's congress deputies.

Embedding systems start here::

    from renda_core import Renda, Actor
    with Renda("renda.sqlite") as app:
        deputy_id = app.register_deputy({...}, Actor("clerk-1", "staff"))
"""

from renda_core.application.app import Renda
from renda_core.domain.errors import (
    ConcurrentModification,
    Forbidden,
    InvalidInput,
    NotFound,
    ProjectionFailed,
    RendaError,
    RuleViolated,
    StoreUnavailable,
    ViewsAhead,
)
from renda_core.domain.values import Actor

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "ConcurrentModification",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "ProjectionFailed",
    "Renda",
    "RendaError",
    "RuleViolated",
    "StoreUnavailable",
    "ViewsAhead",
]
