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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (``renda --help`` stays fast)
    from renda_core.api import (
        AbsenceWarning,
        ActorView,
        AssessmentView,
        BodyView,
        BulletinView,
        CampaignView,
        CourseView,
        DeputySummary,
        DeputyView,
        DutyRecordView,
        EventView,
        GroupView,
        InspectionSummary,
        InspectionView,
        MeetingSummary,
        MeetingView,
        MemberRow,
        MemberSummary,
        MemberView,
        MotionSummary,
        MotionView,
        OpinionView,
        Page,
        PlanView,
        RecordView,
        RendaAPI,
        Row,
        SessionView,
        StationView,
        SuggestionSummary,
        SuggestionView,
        TermView,
        open,
        retry_on_conflict,
    )
    from renda_core.application.app import Renda as Renda  # internal; for the test suite
    from renda_core.domain.values import Actor

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

__version__ = "0.3.0"

__all__ = [
    "AbsenceWarning",
    "Actor",
    "ActorView",
    "AssessmentView",
    "BodyView",
    "BulletinView",
    "CampaignView",
    "ConcurrentModification",
    "CourseView",
    "DeputySummary",
    "DeputyView",
    "DutyRecordView",
    "EventView",
    "Forbidden",
    "GroupView",
    "InspectionSummary",
    "InspectionView",
    "InvalidInput",
    "MeetingSummary",
    "MeetingView",
    "MemberRow",
    "MemberSummary",
    "MemberView",
    "MotionSummary",
    "MotionView",
    "NotFound",
    "OpinionView",
    "Page",
    "PlanView",
    "ProjectionFailed",
    "RecordView",
    "RendaAPI",
    "RendaError",
    "Row",
    "RuleViolated",
    "SessionView",
    "StationView",
    "StoreUnavailable",
    "SuggestionSummary",
    "SuggestionView",
    "TermView",
    "ViewsAhead",
    "__version__",
    "open",
    "retry_on_conflict",
]


_LAZY = {
    "AbsenceWarning": "renda_core.api",
    "ActorView": "renda_core.api",
    "AssessmentView": "renda_core.api",
    "BodyView": "renda_core.api",
    "CampaignView": "renda_core.api",
    "DutyRecordView": "renda_core.api",
    "InspectionSummary": "renda_core.api",
    "InspectionView": "renda_core.api",
    "MeetingSummary": "renda_core.api",
    "MeetingView": "renda_core.api",
    "MemberRow": "renda_core.api",
    "MemberSummary": "renda_core.api",
    "MemberView": "renda_core.api",
    "MotionSummary": "renda_core.api",
    "MotionView": "renda_core.api",
    "PlanView": "renda_core.api",
    "Row": "renda_core.api",
    "SessionView": "renda_core.api",
    "TermView": "renda_core.api",
    "BulletinView": "renda_core.api",
    "CourseView": "renda_core.api",
    "DeputySummary": "renda_core.api",
    "DeputyView": "renda_core.api",
    "EventView": "renda_core.api",
    "GroupView": "renda_core.api",
    "OpinionView": "renda_core.api",
    "Page": "renda_core.api",
    "RecordView": "renda_core.api",
    "RendaAPI": "renda_core.api",
    "StationView": "renda_core.api",
    "SuggestionSummary": "renda_core.api",
    "SuggestionView": "renda_core.api",
    "open": "renda_core.api",
    "retry_on_conflict": "renda_core.api",
    "Renda": "renda_core.application.app",
    "Actor": "renda_core.domain.values",
}


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use (PEP 562): ``import renda_core`` alone
    does not load the application, the store drivers or pydantic's models."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'renda_core' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
