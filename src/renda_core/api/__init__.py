"""The public API of renda: :func:`open` and what it returns (``docs/api.md``)."""

from renda_core.api.facade import RendaAPI, open
from renda_core.api.retry import retry_on_conflict
from renda_core.api.views import (
    BulletinView,
    CourseView,
    DeputySummary,
    DeputyView,
    EventView,
    GroupView,
    OpinionView,
    Page,
    RecordView,
    StationView,
    SuggestionSummary,
    SuggestionView,
)

__all__ = [
    "BulletinView",
    "CourseView",
    "DeputySummary",
    "DeputyView",
    "EventView",
    "GroupView",
    "OpinionView",
    "Page",
    "RecordView",
    "RendaAPI",
    "StationView",
    "SuggestionSummary",
    "SuggestionView",
    "open",
    "retry_on_conflict",
]
