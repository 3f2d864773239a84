"""Topics resolved on demand: ``renda:Deputy.Registered`` imports the deputy module.

Every aggregate has an explicit topic, ``renda:<Aggregate>`` (and its events
``renda:<Aggregate>.<Event>``), which eventsourcing learns when the aggregate's module is
imported. A process that reads the log without importing every domain module (a
report's reader imports only the adapters it needs) would fail to decode an event of an
aggregate it never imported. :func:`register_lazy_topics` registers :data:`DOMAIN` under
the topic ``renda``: eventsourcing's ``resolve_topic`` then asks it for the aggregate's
name, and it imports the module named in :data:`MODULES` (a test checks the map against
the catalogue of aggregates).
"""

from __future__ import annotations

import importlib
from typing import Any

from eventsourcing.utils import register_topic

#: an aggregate's topic name (``renda:<name>``) → its module in ``renda_core.domain``
MODULES: dict[str, str] = {
    "ActorRegistry": "actor",
    "ApiToken": "token",
    "Bulletin": "bulletin",
    "CalendarYear": "calendar",
    "Campaign": "plan",
    "CommitteeBody": "committee",
    "CommitteeMember": "committee",
    "CongressSession": "session",
    "ConstituentReport": "accountability",
    "Contact": "contact",
    "Deputy": "deputy",
    "DeputyGroup": "group",
    "Disclosure": "disclosure",
    "Division": "division",
    "DueDateWaitlist": "calendar",
    "Inspection": "inspection",
    "Meeting": "meeting",
    "Motion": "motion",
    "Operation": "operation",
    "Opinion": "opinion",
    "Reminder": "reminder",
    "SessionRoll": "session",
    "Station": "station",
    "Suggestion": "suggestion",
    "Term": "mandate",
    "TrainingCourse": "training",
    "WorkPlan": "plan",
}


class LazyDomain:
    """The domain's aggregates by topic name, each module imported when first asked."""

    __name__ = "renda"  # what eventsourcing calls a module

    def __getattr__(self, name: str) -> Any:
        module = MODULES.get(name)
        if module is None:
            raise AttributeError(f"no aggregate has the topic 'renda:{name}'")
        return getattr(importlib.import_module(f"renda_core.domain.{module}"), name)


DOMAIN = LazyDomain()


def register_lazy_topics() -> None:
    """Resolve ``renda:…`` topics of aggregates not imported yet (idempotent)."""
    register_topic("renda", DOMAIN)  # type: ignore[arg-type]
