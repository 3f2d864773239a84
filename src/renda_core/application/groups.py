"""Deputy group (代表小组) commands: form, members, leader, activities, dissolve."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, field_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    LevelField,
    Text,
    accepts_labels,
    check_area_prefix,
    command,
)
from renda_core.application.stations import check_acting_deputy
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import RuleViolated
from renda_core.domain.group import DeputyGroup, GroupActivityKind, GroupBasis
from renda_core.domain.values import Actor, level_label

STAFF = {"staff"}
STAFF_OR_DEPUTY = {"staff", "deputy"}

BasisField = Annotated[GroupBasis, accepts_labels(GroupBasis)]
GroupActivityField = Annotated[GroupActivityKind, accepts_labels(GroupActivityKind)]


class FormGroup(Command):
    """Form a deputy group (代表小组) of one congress, by electoral unit or sector."""

    name: Text
    basis: BasisField
    unit: Text = Field(description="the electoral unit or sector the group is formed by")
    level: LevelField
    term: int = Field(ge=1, le=99, description="congress term number (届)")
    area: AreaCode
    date: BusinessDate

    _area = field_validator("area")(check_area_prefix)


class GroupMember(Command):
    """Add or remove a member, or appoint the leader."""

    group_id: UUID
    deputy_id: UUID
    date: BusinessDate


class HoldGroupActivity(Command):
    """Record a group activity (视察, 调研, 学习, 接待, 矛盾纠纷调解, …)."""

    group_id: UUID
    kind: GroupActivityField
    date: BusinessDate
    participants: list[UUID] = Field(min_length=1)
    disputes_handled: int = Field(default=0, ge=0, le=1_000_000)
    disputes_resolved: int = Field(default=0, ge=0, le=1_000_000)
    topic: Text | None = None


class DissolveGroup(Command):
    """Dissolve a group at the end of its term."""

    group_id: UUID
    date: BusinessDate


class GroupCommands(RendaBase):
    """The DeputyGroup part of the application."""

    @command("group.form", FormGroup, STAFF)
    def form_group(self, cmd: FormGroup, actor: Actor) -> UUID:
        """Form a deputy group; returns its id."""
        group = DeputyGroup.form(
            name=cmd.name,
            basis=cmd.basis,
            unit=cmd.unit,
            level=cmd.level,
            term=cmd.term,
            area=cmd.area,
            on=cmd.date,
            actor=actor,
        )
        self._save(group)
        return group.id

    @command("group.add", GroupMember, STAFF)
    def add_group_member(self, cmd: GroupMember, actor: Actor) -> None:
        """Add an active deputy of the group's congress (level and term)."""
        group = self._load(DeputyGroup, cmd.group_id, "deputy group")
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        if not deputy.is_active:
            raise RuleViolated(f"deputy {deputy.name}'s mandate ended on {deputy.terminated_on}")
        deputy.check_may_exercise_duties("join a deputy group", cmd.date)
        if (deputy.level, deputy.term) != (group.level, group.term):
            # the levels as the province names them (市 for 北京市's own congress)
            group_level = level_label(group.level, group.area)
            deputy_level = level_label(deputy.level, deputy.area)
            raise RuleViolated(
                f"{group.name} is a group of the {group.term}th {group_level}级 "
                f"congress; deputy {deputy.name} is of the {deputy.term}th {deputy_level}级"
            )
        if cmd.date < deputy.registered_on:
            raise RuleViolated(
                f"date {cmd.date} is before the deputy's mandate began ({deputy.registered_on})"
            )
        group.add_member(deputy_id=str(deputy.id), on=cmd.date, actor=actor)
        self._save(group)

    @command("group.remove", GroupMember, STAFF)
    def remove_group_member(self, cmd: GroupMember, actor: Actor) -> None:
        """Remove a member (a leader who leaves leaves the group leaderless)."""
        self._change(
            DeputyGroup,
            cmd.group_id,
            "deputy group",
            lambda g: g.remove_member(deputy_id=str(cmd.deputy_id), on=cmd.date, actor=actor),
        )

    @command("group.lead", GroupMember, STAFF)
    def appoint_group_leader(self, cmd: GroupMember, actor: Actor) -> None:
        """Appoint a member as the group's leader (组长)."""
        self._change(
            DeputyGroup,
            cmd.group_id,
            "deputy group",
            lambda g: g.appoint_leader(deputy_id=str(cmd.deputy_id), on=cmd.date, actor=actor),
        )

    @command("group.activity", HoldGroupActivity, STAFF_OR_DEPUTY)
    def hold_group_activity(self, cmd: HoldGroupActivity, actor: Actor) -> int:
        """Record a group activity; participants must be members. Returns its number."""
        check_acting_deputy(actor, cmd.participants, "a group activity")
        self._check_duties(cmd.participants, "take part in a group activity", cmd.date)
        return self._change(
            DeputyGroup,
            cmd.group_id,
            "deputy group",
            lambda g: g.hold_activity(
                kind=cmd.kind,
                on=cmd.date,
                participants=[str(p) for p in cmd.participants],
                disputes_handled=cmd.disputes_handled,
                disputes_resolved=cmd.disputes_resolved,
                topic=cmd.topic,
                actor=actor,
            ),
        )

    @command("group.dissolve", DissolveGroup, STAFF)
    def dissolve_group(self, cmd: DissolveGroup, actor: Actor) -> None:
        """Dissolve a group (at term end)."""
        self._change(
            DeputyGroup,
            cmd.group_id,
            "deputy group",
            lambda g: g.dissolve(on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def get_group(self, group_id: UUID | str) -> DeputyGroup:
        return self._load(DeputyGroup, group_id, "deputy group")

    def group(self, group_id: UUID | str) -> dict[str, Any]:
        """A deputy group as plain data."""
        return self.get_group(group_id).to_dict()
