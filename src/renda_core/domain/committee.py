"""The standing committee (人大常委会): its members (常委会组成人员) and bodies (主任会议,
专门委员会, 工作机构) as records.

The liaison between members and deputies (双联系) is a ledger kept on the deputy's side
(``Deputy.LiaisonAssigned``/``LiaisonEnded``/``ContactRecorded`` with the member's id
as ``member``): a member liaises with many deputies, a deputy may have several members.
A body records its own contacts with deputies (e.g. a special committee's liaison with
deputies) and the deputies it invites into legislation and supervision work
(participations: 立法调研, 执法检查, 列席 …).

Lifecycles::

    CommitteeMember: appointed → left office
    CommitteeBody:   established (members join and leave; contacts; participations)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, ContactForm, Labelled, Level


class Position(Labelled):
    """A member's position on the standing committee."""

    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    MEMBER = "member", "委员"


class BodyKind(Labelled):
    """Bodies of the standing committee."""

    COUNCIL_OF_CHAIRPERSONS = "council_of_chairpersons", "主任会议"
    SPECIAL_COMMITTEE = "special_committee", "专门委员会"
    WORKING_BODY = "working_body", "工作机构"


class ParticipationKind(Labelled):
    """How deputies take part in the committee's work: invited into legislation and
    supervision work, or in a special committee's liaison with deputies."""

    LEGISLATION = "legislation", "参与立法工作"
    SUPERVISION = "supervision", "参与监督工作"
    COMMITTEE_LIAISON = "committee_liaison", "专门委员会联系代表"


class CommitteeMember(Aggregate):
    """A member of a level's standing committee (常委会组成人员) for one term."""

    TOPIC = "renda:CommitteeMember"

    class Event(Aggregate.Event):
        TOPIC = "renda:CommitteeMember.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:CommitteeMember.Created"

    if TYPE_CHECKING:
        Appointed: ClassVar[type[Aggregate.Event]]
        LeftOffice: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    @classmethod
    def appoint(
        cls,
        *,
        name: str,
        position: Position | str,
        level: Level | str,
        term: int,
        on: date,
        actor: Actor,
    ) -> CommitteeMember:
        if term < 1:
            raise RuleViolated(f"term (届) must be 1 or more, got {term}")
        return cls(
            name=name,
            position=Position.of(position).value,
            level=Level.of(level).value,
            term=term,
            on=on,
            actor=actor,
        )

    def leave(self, *, on: date, actor: Actor) -> None:
        """Leave office (e.g. at the end of the term, or on resignation)."""
        self.check_serving(on, "leave office")
        self._left(on=on, actor=actor)

    def check_serving(self, on: date, what: RefusalPhrase) -> None:
        if self.left_on is not None:
            raise RuleViolated(f"cannot {what}: {self.name} left office on {self.left_on}")
        if on < self.since:
            raise RuleViolated(f"date {on} is before {self.name} took office ({self.since})")

    @event("Appointed", topic="renda:CommitteeMember.Appointed")
    def __init__(
        self, *, name: str, position: str, level: str, term: int, on: date, actor: Actor
    ) -> None:
        self.name = name
        self.position = position
        self.level = level
        self.term = term
        self.since = on
        self.left_on: date | None = None

    @event("LeftOffice", topic="renda:CommitteeMember.LeftOffice")
    def _left(self, *, on: date, actor: Actor) -> None:
        self.left_on = on

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "position": self.position,
            "position_label": Position.of(self.position).label,
            "level": self.level,
            "term": self.term,
            "since": self.since.isoformat(),
            "left_on": self.left_on.isoformat() if self.left_on else None,
            "version": self.version,
        }


class CommitteeBody(Aggregate):
    """A body of the standing committee: 主任会议, a special committee or a working body."""

    TOPIC = "renda:CommitteeBody"

    class Event(Aggregate.Event):
        TOPIC = "renda:CommitteeBody.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:CommitteeBody.Created"

    if TYPE_CHECKING:
        Established: ClassVar[type[Aggregate.Event]]
        MemberJoined: ClassVar[type[Aggregate.Event]]
        MemberLeft: ClassVar[type[Aggregate.Event]]
        ContactRecorded: ClassVar[type[Aggregate.Event]]
        ParticipationRecorded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    @classmethod
    def establish(
        cls, *, name: str, kind: BodyKind | str, level: Level | str, on: date, actor: Actor
    ) -> CommitteeBody:
        return cls(
            name=name,
            kind=BodyKind.of(kind).value,
            level=Level.of(level).value,
            on=on,
            actor=actor,
        )

    def join(self, *, member: CommitteeMember, on: date, actor: Actor) -> None:
        key = str(member.id)
        if key in self.members:
            raise RuleViolated(f"{member.name} is already a member of {self.name}")
        if member.level != self.level:
            raise RuleViolated(f"{member.name} is not of this body's level ({self.level})")
        member.check_serving(on, f"join {self.name}")
        self._check_not_before(on)
        self._joined(member_id=key, on=on, actor=actor)

    def remove(self, *, member_id: str, on: date, actor: Actor) -> None:
        if member_id not in self.members:
            raise RuleViolated(f"member {member_id} is not a member of {self.name}")
        if on < self.members[member_id]:
            raise RuleViolated(f"date {on} is before the member joined ({self.members[member_id]})")
        self._left(member_id=member_id, on=on, actor=actor)

    def record_contact(
        self, *, deputy_id: str, form: ContactForm | str, note: str | None, on: date, actor: Actor
    ) -> None:
        """A contact between this body and a deputy."""
        self._check_not_before(on)
        self._contacted(
            deputy_id=deputy_id, form=ContactForm.of(form).value, note=note, on=on, actor=actor
        )

    def record_participation(
        self,
        *,
        kind: ParticipationKind | str,
        title: str,
        deputies: list[str],
        on: date,
        actor: Actor,
    ) -> None:
        """Deputies invited into this body's legislation or supervision work, or met in a
        special committee's liaison with deputies."""
        value = ParticipationKind.of(kind)
        if value == ParticipationKind.COMMITTEE_LIAISON and self.kind != BodyKind.SPECIAL_COMMITTEE:
            raise RuleViolated("liaison with deputies in this sense is a special committee's")
        if not deputies:
            raise RuleViolated("a participation needs at least one deputy")
        if len(set(deputies)) != len(deputies):
            raise RuleViolated("a deputy is named twice")
        self._check_not_before(on)
        self._participated(
            kind=value.value, title=title, deputies=list(deputies), on=on, actor=actor
        )

    def _check_not_before(self, on: date) -> None:
        if on < self.established_on:
            raise RuleViolated(f"date {on} is before {self.name} was established")

    @event("Established", topic="renda:CommitteeBody.Established")
    def __init__(self, *, name: str, kind: str, level: str, on: date, actor: Actor) -> None:
        self.name = name
        self.kind = kind
        self.level = level
        self.established_on = on
        self.members: dict[str, date] = {}
        self.contacts: list[dict[str, Any]] = []
        self.participations: list[dict[str, Any]] = []

    @event("MemberJoined", topic="renda:CommitteeBody.MemberJoined")
    def _joined(self, *, member_id: str, on: date, actor: Actor) -> None:
        self.members[member_id] = on

    @event("MemberLeft", topic="renda:CommitteeBody.MemberLeft")
    def _left(self, *, member_id: str, on: date, actor: Actor) -> None:
        del self.members[member_id]

    @event("ContactRecorded", topic="renda:CommitteeBody.ContactRecorded")
    def _contacted(
        self, *, deputy_id: str, form: str, note: str | None, on: date, actor: Actor
    ) -> None:
        self.contacts.append({"deputy_id": deputy_id, "form": form, "note": note, "on": on})

    @event("ParticipationRecorded", topic="renda:CommitteeBody.ParticipationRecorded")
    def _participated(
        self, *, kind: str, title: str, deputies: list[str], on: date, actor: Actor
    ) -> None:
        self.participations.append(
            {"kind": kind, "title": title, "deputies": list(deputies), "on": on}
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "kind": self.kind,
            "kind_label": BodyKind.of(self.kind).label,
            "level": self.level,
            "established_on": self.established_on.isoformat(),
            "members": {k: v.isoformat() for k, v in self.members.items()},
            "contacts": [{**c, "on": c["on"].isoformat()} for c in self.contacts],
            "participations": [{**p, "on": p["on"].isoformat()} for p in self.participations],
            "version": self.version,
        }
