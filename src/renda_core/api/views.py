"""What the public API's reads return: typed, frozen views over the records' data.

Each view types the fields an embedding system relies on; the rest of a record's data
(``to_dict()`` of its aggregate) is kept as extra fields, readable as attributes and in
``model_dump()``. New fields may appear in a minor version; typed fields only change in
a major one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class Row(BaseModel):
    """Base of the views and rows: frozen, the data beyond the typed fields kept."""

    model_config = ConfigDict(frozen=True, extra="allow")


class RecordView(Row):
    """Base of the views of one record: ``id`` and ``version`` typed."""

    id: str
    version: int | None = None


class DeputyView(RecordView):
    """A deputy (代表): identity, level, term, area, status, liaison."""

    name: str
    level: str
    level_label: str
    term: int
    electoral_unit: str
    area: str
    gender: str | None = None
    ethnicity: str | None = None
    category: str | None = None
    status: str
    registered_on: date
    terminated_on: date | None = None
    liaison: str | None = None


class StationView(RecordView):
    """A station (代表家站): where it is, its roster and activities."""

    name: str
    kind: str
    division: str
    status: str
    established_on: date
    closed_on: date | None = None
    roster: list[dict[str, Any]]
    activities: list[dict[str, Any]]


class OpinionView(RecordView):
    """An item of public opinion (社情民意) and where its closed loop stands."""

    station_id: str
    content: str
    status: str
    collected_on: date
    deputies: list[str]


class SuggestionView(RecordView):
    """A suggestion (代表建议): its state, units, and every current due date."""

    title: str
    status: str
    status_label: str
    lead_deputy: str | None = None
    lead_name: str | None = None
    area: str | None = None
    level: str | None = None
    policy: str | None = None
    lead_unit: str | None = None
    co_units: list[str] = []
    submitted_on: date | None = None
    assigned_on: date | None = None
    reply_due: date | None = None
    rehandle_due: date | None = None
    disclosure_due: date | None = None


class GroupView(RecordView):
    """A deputy group (代表小组): members, leader, activities."""

    name: str
    status: str
    formed_on: date
    leader: str | None = None
    members: list[dict[str, Any]]
    activities: list[dict[str, Any]]


class BulletinView(RecordView):
    """An issue of the bulletin (《人大代表之声》专刊) and its items."""

    year: int
    number: int
    title: str
    status: str
    items: list[dict[str, Any]]


class CourseView(RecordView):
    """A training course (培训班) and who enrolled, attended, completed."""

    kind: str
    title: str
    starts: date
    ends: date
    enrolled: list[dict[str, Any]]


class DeputySummary(Row):
    """One row of :meth:`RendaAPI.list_deputies` (from the roster view)."""

    id: str
    name: str
    level: str
    area: str
    status: str
    liaison: str | None = None


class SuggestionSummary(Row):
    """One row of :meth:`RendaAPI.list_suggestions` (from the suggestions view)."""

    id: str
    title: str
    status: str
    lead_deputy: str | None = None
    lead_name: str | None = None
    year: int | None = None
    submitted_on: date | None = None
    lead_unit: str | None = None
    co_units: list[str] = []
    reply_due: date | None = None


class EventView(BaseModel):
    """One event of a record's history: what happened, who did it, when it was recorded."""

    model_config = ConfigDict(frozen=True)

    topic: str
    record_id: str
    version: int
    recorded_at: datetime
    actor: dict[str, str] | None
    data: dict[str, Any]


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a query: ``items`` in the query's order; pass ``next_after`` as
    ``after=`` to get the next page (``None``: this was the last page)."""

    items: list[T]
    next_after: str | None


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
    "Row",
    "StationView",
    "SuggestionSummary",
    "SuggestionView",
]
