"""The standing committee's members and bodies, and the 双联系 ledger.

- ``member.add`` / ``member.leave``: a member (常委会组成人员) of one level and term.
- ``member.liaise`` / ``member.unliaise`` / ``member.contact``: the ledger between
  members and deputies, recorded on the deputy (``Deputy.LiaisonAssigned`` … with the
  member's id as ``member``), so the duty record and the roster count it as before.
  A member liaises with many deputies; a deputy may have several members; any member
  may record a contact, liaison or not.
- ``body.add`` / ``body.join`` / ``body.remove`` / ``body.contact`` / ``body.invite``:
  主任会议, special committees and working bodies; a body's contacts with deputies and
  the deputies it invites into legislation and supervision work.

A member's own view (deputies liaised, contacts made, last contact per deputy) is the
``committee`` view (adapters/renda_adapters/committee).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    ContactFormField,
    LevelField,
    LongText,
    Text,
    accepts_labels,
    command,
)
from renda_core.domain.committee import (
    BodyKind,
    CommitteeBody,
    CommitteeMember,
    ParticipationKind,
    Position,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.values import Actor

STAFF = {"staff"}

PositionField = Annotated[Position, accepts_labels(Position)]
BodyKindField = Annotated[BodyKind, accepts_labels(BodyKind)]
ParticipationKindField = Annotated[ParticipationKind, accepts_labels(ParticipationKind)]


class AddMember(Command):
    """Record a member of the standing committee (常委会组成人员)."""

    name: Text
    position: PositionField
    level: LevelField
    term: int = Field(ge=1, le=99, description="届")
    date: BusinessDate = Field(description="when the member took office")


class MemberLeaves(Command):
    """A member leaves office."""

    member_id: UUID
    date: BusinessDate


class MemberLiaison(Command):
    """A member starts (or ends) liaising with a deputy (双联系)."""

    member_id: UUID
    deputy_id: UUID
    date: BusinessDate


class MemberContact(Command):
    """A member's contact with a deputy."""

    member_id: UUID
    deputy_id: UUID
    form: ContactFormField
    date: BusinessDate
    note: LongText | None = None


class AddBody(Command):
    """Record a body of the standing committee (主任会议, 专门委员会, 工作机构)."""

    name: Text
    kind: BodyKindField
    level: LevelField
    date: BusinessDate = Field(description="when the body was established")


class BodyMembership(Command):
    """A member joins (or leaves) a body."""

    body_id: UUID
    member_id: UUID
    date: BusinessDate


class BodyContact(Command):
    """A body's contact with a deputy."""

    body_id: UUID
    deputy_id: UUID
    form: ContactFormField
    date: BusinessDate
    note: LongText | None = None


class InviteDeputies(Command):
    """Deputies invited into a body's legislation or supervision work (立法调研, 执法检查,
    列席 …), or met in a special committee's liaison with deputies."""

    body_id: UUID
    kind: ParticipationKindField
    title: Text
    deputy_ids: list[UUID] = Field(min_length=1, max_length=500)
    date: BusinessDate


class CommitteeCommands(RendaBase):
    """Members, bodies and the liaison ledger."""

    @command("member.add", AddMember, STAFF)
    def add_member(self, cmd: AddMember, actor: Actor) -> UUID:
        """Record a standing-committee member; returns the id."""
        member = CommitteeMember.appoint(
            name=cmd.name,
            position=cmd.position,
            level=cmd.level,
            term=cmd.term,
            on=cmd.date,
            actor=actor,
        )
        self._save(member)
        return member.id

    @command("member.leave", MemberLeaves, STAFF)
    def member_leaves(self, cmd: MemberLeaves, actor: Actor) -> None:
        """A member leaves office."""
        self._change(
            CommitteeMember,
            cmd.member_id,
            "member",
            lambda m: m.leave(on=cmd.date, actor=actor),
        )

    @command("member.liaise", MemberLiaison, STAFF)
    def member_liaise(self, cmd: MemberLiaison, actor: Actor) -> None:
        """A member starts liaising with a deputy (双联系)."""
        member = self._serving(cmd.member_id, cmd.date, "liaise")
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        if deputy.level != member.level:
            raise RuleViolated(
                f"{member.name} is on the {member.level} standing committee; "
                f"{deputy.name} is a {deputy.level} deputy"
            )
        deputy.liaise(member=str(member.id), on=cmd.date, actor=actor)
        self._save(deputy)

    @command("member.unliaise", MemberLiaison, STAFF)
    def member_unliaise(self, cmd: MemberLiaison, actor: Actor) -> None:
        """A member's liaison with a deputy ends."""
        member = self._load(CommitteeMember, cmd.member_id, "member")
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.unliaise(on=cmd.date, actor=actor, member=str(member.id)),
        )

    @command("member.contact", MemberContact, STAFF)
    def member_contact(self, cmd: MemberContact, actor: Actor) -> None:
        """Record a member's contact with a deputy (liaison or not)."""
        member = self._serving(cmd.member_id, cmd.date, "record a contact")
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.record_contact(
                form=cmd.form, on=cmd.date, note=cmd.note, actor=actor, member=str(member.id)
            ),
        )

    @command("body.add", AddBody, STAFF)
    def add_body(self, cmd: AddBody, actor: Actor) -> UUID:
        """Record a body of the standing committee; returns the id."""
        body = CommitteeBody.establish(
            name=cmd.name, kind=cmd.kind, level=cmd.level, on=cmd.date, actor=actor
        )
        self._save(body)
        return body.id

    @command("body.join", BodyMembership, STAFF)
    def body_join(self, cmd: BodyMembership, actor: Actor) -> None:
        """A member joins a body."""
        member = self._load(CommitteeMember, cmd.member_id, "member")
        self._change(
            CommitteeBody,
            cmd.body_id,
            "body",
            lambda b: b.join(member=member, on=cmd.date, actor=actor),
        )

    @command("body.remove", BodyMembership, STAFF)
    def body_remove(self, cmd: BodyMembership, actor: Actor) -> None:
        """A member leaves a body."""
        self._change(
            CommitteeBody,
            cmd.body_id,
            "body",
            lambda b: b.remove(member_id=str(cmd.member_id), on=cmd.date, actor=actor),
        )

    @command("body.contact", BodyContact, STAFF)
    def body_contact(self, cmd: BodyContact, actor: Actor) -> None:
        """Record a body's contact with a deputy."""
        deputy = self._active(cmd.deputy_id, cmd.date)
        self._change(
            CommitteeBody,
            cmd.body_id,
            "body",
            lambda b: b.record_contact(
                deputy_id=str(deputy.id), form=cmd.form, note=cmd.note, on=cmd.date, actor=actor
            ),
        )

    @command("body.invite", InviteDeputies, STAFF)
    def body_invite(self, cmd: InviteDeputies, actor: Actor) -> None:
        """Record deputies taking part in a body's legislation or supervision work."""
        deputies = [str(self._active(d, cmd.date).id) for d in cmd.deputy_ids]
        self._change(
            CommitteeBody,
            cmd.body_id,
            "body",
            lambda b: b.record_participation(
                kind=cmd.kind, title=cmd.title, deputies=deputies, on=cmd.date, actor=actor
            ),
        )

    # -- queries ----------------------------------------------------------------

    def member(self, member_id: UUID | str) -> dict[str, Any]:
        """A member as plain data (the ledger is in the ``committee`` view)."""
        return self._load(CommitteeMember, member_id, "member").to_dict()

    def body(self, body_id: UUID | str) -> dict[str, Any]:
        return self._load(CommitteeBody, body_id, "body").to_dict()

    # -- helpers ----------------------------------------------------------------

    def _serving(self, member_id: UUID, on: Any, what: RefusalPhrase) -> CommitteeMember:
        member = self._load(CommitteeMember, member_id, "member")
        member.check_serving(on, what)
        return member

    def _active(self, deputy_id: UUID, on: Any) -> Deputy:
        deputy = self._load(Deputy, deputy_id, "deputy")
        if not deputy.is_active:
            raise RuleViolated(f"deputy {deputy.name}'s mandate ended on {deputy.terminated_on}")
        if on < deputy.registered_on:
            raise RuleViolated(f"date {on} is before {deputy.name} was registered")
        deputy.check_may_exercise_duties("take part in the standing committee's work", on)
        return deputy
