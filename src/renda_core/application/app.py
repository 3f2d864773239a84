"""The renda application: one eventsourcing Application, one notification log.

Each command method takes a command model (or a mapping that validates into one) and
the actor; it checks the permission policy, validates, loads, calls the aggregate,
saves and returns ids. On every error nothing is recorded. The parts live in one
module per aggregate; this class puts them together.
"""

from __future__ import annotations

from typing import Any, ClassVar

from renda_core.application.accountability import AccountabilityCommands
from renda_core.application.actors import ActorCommands
from renda_core.application.areas import AreaCommands
from renda_core.application.base import RendaBase, store_errors, to_uuid
from renda_core.application.bulletins import BulletinCommands
from renda_core.application.calendar import CalendarCommands
from renda_core.application.committee import CommitteeCommands
from renda_core.application.deputies import DeputyCommands
from renda_core.application.groups import GroupCommands
from renda_core.application.inspections import InspectionCommands
from renda_core.application.mandates import MandateCommands
from renda_core.application.meetings import MeetingCommands
from renda_core.application.motions import MotionCommands
from renda_core.application.opinions import OpinionCommands
from renda_core.application.plans import PlanCommands
from renda_core.application.sessions import SessionCommands
from renda_core.application.stations import StationCommands
from renda_core.application.suggestions import SuggestionCommands
from renda_core.application.training import TrainingCommands
from renda_core.domain.actor import ActorRegistry
from renda_core.domain.bulletin import Bulletin
from renda_core.domain.group import DeputyGroup
from renda_core.domain.session import CongressSession
from renda_core.domain.station import Station
from renda_core.domain.suggestion import Suggestion
from renda_core.domain.token import ApiToken  # noqa: F401  (its topics resolve on load)
from renda_core.domain.training import TrainingCourse


class Renda(
    DeputyCommands,
    MandateCommands,
    CommitteeCommands,
    PlanCommands,
    AreaCommands,
    StationCommands,
    OpinionCommands,
    GroupCommands,
    TrainingCommands,
    BulletinCommands,
    MeetingCommands,
    MotionCommands,
    InspectionCommands,
    SessionCommands,
    SuggestionCommands,
    CalendarCommands,
    AccountabilityCommands,
    ActorCommands,
    RendaBase,
):
    """The application an embedding system uses (see ``docs/embedding.md``)."""

    # Aggregates with long histories (a station's activities over years, a course's
    # attendance) are loaded from a snapshot plus the events after it.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Station: 100,
        DeputyGroup: 100,
        TrainingCourse: 100,
        Suggestion: 100,
        Bulletin: 100,
        CongressSession: 100,
        ActorRegistry: 100,
    }


__all__ = ["Renda", "RendaBase", "store_errors", "to_uuid"]
