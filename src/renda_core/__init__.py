"""renda (人大): an event-sourced domain core for the work of people's congress deputies.

Embedding systems start here (``docs/embedding.md``, reference in ``docs/api.md``)::

    import renda_core
    from renda_core import Actor

    with renda_core.open("renda.sqlite", actor=Actor("clerk-1", "staff")) as app:
        deputy_id = app.register_deputy({...})
        print(app.get_deputy(str(deputy_id)).name)

What ``__all__`` lists is the public API and follows semantic versioning from 0.2;
everything else (``renda_core.application``, ``renda_core.cli``, …) is internal and may
change in any release. ``Renda`` (the internal application) stays importable from here
for the test suite; it is not part of the API.
"""

from renda_core.api import (
    BulletinView,
    CourseView,
    DeputySummary,
    DeputyView,
    EventView,
    GroupView,
    OpinionView,
    Page,
    RecordView,
    RendaAPI,
    StationView,
    SuggestionSummary,
    SuggestionView,
    open,
    retry_on_conflict,
)
from renda_core.application.app import Renda as Renda  # internal; for the test suite
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

__version__ = "0.2.0"

__all__ = [
    "Actor",
    "BulletinView",
    "ConcurrentModification",
    "CourseView",
    "DeputySummary",
    "DeputyView",
    "EventView",
    "Forbidden",
    "GroupView",
    "InvalidInput",
    "NotFound",
    "OpinionView",
    "Page",
    "ProjectionFailed",
    "RecordView",
    "RendaAPI",
    "RendaError",
    "RuleViolated",
    "StationView",
    "StoreUnavailable",
    "SuggestionSummary",
    "SuggestionView",
    "ViewsAhead",
    "__version__",
    "open",
    "retry_on_conflict",
]
