"""Deputy (代表) commands: register, correct, liaison (双联系), contact, terminate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    ContactFormField,
    GenderField,
    LevelField,
    LongText,
    Phone,
    ReasonField,
    Text,
    check_area_prefix,
    command,
)
from renda_core.application.mandates import TerminationGroundField
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Actor

STAFF = {"staff"}


class RegisterDeputy(Command):
    """Register a deputy (登记代表)."""

    name: Text
    level: LevelField
    term: int = Field(ge=1, le=99, description="congress term number (届)")
    electoral_unit: Text
    area: AreaCode
    date: BusinessDate = Field(description="business date: when the mandate began")
    gender: GenderField | None = None
    ethnicity: Text | None = None
    category: Text | None = None
    phone: Phone | None = None

    _area = field_validator("area")(check_area_prefix)


class CorrectDeputy(Command):
    """Correct recorded details of a deputy (更正信息). Only given fields change."""

    deputy_id: UUID
    date: BusinessDate
    name: Text | None = None
    level: LevelField | None = None
    term: int | None = Field(default=None, ge=1, le=99)
    electoral_unit: Text | None = None
    area: AreaCode | None = None
    gender: GenderField | None = None
    ethnicity: Text | None = None
    category: Text | None = None
    phone: Phone | None = None

    _area = field_validator("area")(check_area_prefix)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude={"deputy_id", "date"}, exclude_none=True)


class AssignLiaison(Command):
    """Assign a standing-committee member as the deputy's liaison (双联系)."""

    deputy_id: UUID
    member: Text
    date: BusinessDate


class EndLiaison(Command):
    """End one of the deputy's liaisons (the only one, or the member named)."""

    deputy_id: UUID
    date: BusinessDate
    member: Text | None = None


class RecordContact(Command):
    """Record a contact between the liaison member and the deputy."""

    deputy_id: UUID
    form: ContactFormField
    date: BusinessDate
    note: LongText | None = None
    member: Text | None = Field(
        default=None, description="any standing-committee member; default: the only liaison"
    )


class TerminateDeputy(Command):
    """Terminate a deputy's mandate (终止代表资格)."""

    deputy_id: UUID
    reason: ReasonField | None = None
    ground: TerminationGroundField | None = None
    date: BusinessDate

    @model_validator(mode="after")
    def _ground_or_reason(self) -> TerminateDeputy:
        if self.reason is None and self.ground is None:
            raise ValueError("give the ground (or the coarse reason) of the termination")
        return self


class DeputyCommands(RendaBase):
    """The Deputy part of the application."""

    @command("deputy.register", RegisterDeputy, STAFF)
    def register_deputy(self, cmd: RegisterDeputy, actor: Actor) -> UUID:
        """Register a deputy; returns the new deputy's id."""
        deputy = Deputy.register(
            name=cmd.name,
            level=cmd.level,
            term=cmd.term,
            electoral_unit=cmd.electoral_unit,
            area=cmd.area,
            on=cmd.date,
            actor=actor,
            gender=cmd.gender,
            ethnicity=cmd.ethnicity,
            category=cmd.category,
            phone=cmd.phone,
        )
        self._save(deputy)
        return deputy.id

    @command("deputy.correct", CorrectDeputy, STAFF)
    def correct_deputy(self, cmd: CorrectDeputy, actor: Actor) -> None:
        """Correct recorded details of a deputy."""
        changes = cmd.changes()
        if not changes:
            raise InvalidInput(
                "nothing to correct: give at least one field",
                [{"field": "input", "message": "no field to correct"}],
            )
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.correct(changes, on=cmd.date, actor=actor),
        )

    @command("deputy.liaise", AssignLiaison, STAFF)
    def liaise_deputy(self, cmd: AssignLiaison, actor: Actor) -> None:
        """Assign a standing-committee member as the deputy's liaison."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.liaise(member=cmd.member, on=cmd.date, actor=actor),
        )

    @command("deputy.unliaise", EndLiaison, STAFF)
    def unliaise_deputy(self, cmd: EndLiaison, actor: Actor) -> None:
        """End the deputy's current liaison."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.unliaise(on=cmd.date, actor=actor, member=cmd.member),
        )

    @command("deputy.contact", RecordContact, STAFF)
    def record_contact(self, cmd: RecordContact, actor: Actor) -> None:
        """Record a contact between the liaison member and the deputy."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.record_contact(
                form=cmd.form, on=cmd.date, note=cmd.note, actor=actor, member=cmd.member
            ),
        )

    @command("deputy.terminate", TerminateDeputy, STAFF)
    def terminate_deputy(self, cmd: TerminateDeputy, actor: Actor) -> None:
        """Terminate a deputy's mandate."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.terminate(reason=cmd.reason, ground=cmd.ground, on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def get_deputy(self, deputy_id: UUID | str) -> Deputy:
        return self._load(Deputy, deputy_id, "deputy")

    def deputy(self, deputy_id: UUID | str) -> dict[str, Any]:
        """A deputy as plain data."""
        return self.get_deputy(deputy_id).to_dict()
