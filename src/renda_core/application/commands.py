"""Command models: what each command accepts, validated by pydantic at the edge.

Text is kept verbatim (no trimming, no case folding): what a clerk typed is what the
event records. Enumerations accept the English value or the Chinese label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import (
    PROVINCE_PREFIXES,
    Actor,
    ContactForm,
    Gender,
    Labelled,
    Level,
    TerminationReason,
)


def _labels(enum: type[Labelled]) -> BeforeValidator:
    """Accept a member's Chinese label as well as its value."""

    def to_value(value: Any) -> Any:
        if isinstance(value, str):
            for member in enum:
                if value == member.label:
                    return member.value
        return value

    return BeforeValidator(to_value)


Text = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]
LongText = Annotated[str, StringConstraints(max_length=5000)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(?:\d{3}(?:\d{3})?)?$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 \-]{5,19}$")]
LevelField = Annotated[Level, _labels(Level)]
GenderField = Annotated[Gender, _labels(Gender)]
ContactFormField = Annotated[ContactForm, _labels(ContactForm)]
ReasonField = Annotated[TerminationReason, _labels(TerminationReason)]

ROLE_PATTERN = re.compile(r"^(staff|auditor|editor|(deputy|unit|leader):\S.*)$")


class Command(BaseModel):
    """Base of every command: unknown fields are an error, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _check_area_prefix(code: str | None) -> str | None:
    if code is not None and code[:2] not in PROVINCE_PREFIXES:
        raise ValueError(f"'{code[:2]}' is not a province prefix of GB/T 2260")
    return code


class RegisterDeputy(Command):
    """Register a deputy (登记代表)."""

    name: Text
    level: LevelField
    term: int = Field(ge=1, le=99, description="congress term number (届)")
    electoral_unit: Text
    area: AreaCode
    date: dt.date = Field(description="business date: when the mandate began")
    gender: GenderField | None = None
    ethnicity: Text | None = None
    category: Text | None = None
    phone: Phone | None = None

    _area = field_validator("area")(_check_area_prefix)


class CorrectDeputy(Command):
    """Correct recorded details of a deputy (更正信息). Only given fields change."""

    deputy_id: UUID
    date: dt.date
    name: Text | None = None
    level: LevelField | None = None
    term: int | None = Field(default=None, ge=1, le=99)
    electoral_unit: Text | None = None
    area: AreaCode | None = None
    gender: GenderField | None = None
    ethnicity: Text | None = None
    category: Text | None = None
    phone: Phone | None = None

    _area = field_validator("area")(_check_area_prefix)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude={"deputy_id", "date"}, exclude_none=True)


class AssignLiaison(Command):
    """Assign a standing-committee member as the deputy's liaison (双联系)."""

    deputy_id: UUID
    member: Text
    date: dt.date


class EndLiaison(Command):
    """End the deputy's current liaison."""

    deputy_id: UUID
    date: dt.date


class RecordContact(Command):
    """Record a contact between the liaison member and the deputy."""

    deputy_id: UUID
    form: ContactFormField
    date: dt.date
    note: LongText | None = None


class TerminateDeputy(Command):
    """Terminate a deputy's mandate (终止代表资格)."""

    deputy_id: UUID
    reason: ReasonField
    date: dt.date


class ActorModel(Command):
    id: Text
    role: str

    @field_validator("role")
    @classmethod
    def _role(cls, role: str) -> str:
        if not ROLE_PATTERN.match(role):
            raise ValueError(
                "role must be staff, auditor, editor, deputy:<id>, unit:<name> "
                "or leader:<name>"
            )
        return role


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: M | Mapping[str, Any]) -> M:
    """Validate ``data`` into ``model``; a failure becomes InvalidInput, field by field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def invalid_input(exc: ValidationError) -> InvalidInput:
    errors = [
        {
            "field": ".".join(str(p) for p in err["loc"]) or "input",
            "message": err["msg"],
        }
        for err in exc.errors()
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return InvalidInput(f"invalid input — {summary}", errors)


def parse_value(annotation: Any, value: Any, field: str) -> Any:
    """Validate one value (e.g. a ``--level`` filter) the way a command field would."""
    try:
        return TypeAdapter(annotation).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"]
        raise InvalidInput(
            f"invalid input — {field}: {message}", [{"field": field, "message": message}]
        ) from None


def make_actor(actor_id: str, role: str) -> Actor:
    """Validate an actor given as id and role."""
    model = parse(ActorModel, {"id": actor_id, "role": role})
    return Actor(model.id, model.role)


COMMANDS: dict[str, type[Command]] = {
    "deputy.register": RegisterDeputy,
    "deputy.correct": CorrectDeputy,
    "deputy.liaise": AssignLiaison,
    "deputy.unliaise": EndLiaison,
    "deputy.contact": RecordContact,
    "deputy.terminate": TerminateDeputy,
}
