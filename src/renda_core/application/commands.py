"""Command models: what each command accepts, validated by pydantic at the edge.

Text is kept verbatim (no trimming, no case folding): what a clerk typed is what the
event records. Enumerations accept the English value or the Chinese label. Dates and
texts follow one policy (:mod:`renda_core.application.inputs`): ``BusinessDate``,
``PlannedDate``, ``Text``, ``LongText`` are re-exported here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from renda_core.application.field_errors import AREA_CODE, PHONE, field_error, field_name
from renda_core.application.fields import BusinessDate as BusinessDate
from renda_core.application.fields import LongText as LongText
from renda_core.application.fields import PlannedDate as PlannedDate
from renda_core.application.fields import Text as Text
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import (
    PROVINCE_PREFIXES,
    Actor,
    ContactForm,
    Gender,
    Labelled,
    Level,
    TerminationReason,
    canonical_code,
    level_in,
)


def _words(enum: type[Labelled]) -> dict[str, Any]:
    """A member's Chinese label and the other words for it (:meth:`aliases`) → value."""
    values: dict[str, Any] = {}  # label -> value, the first member with that label
    for member in enum:
        values.setdefault(member.label, member.value)
    for word, value in enum.aliases().items():  # 区 for county, 省级 for provincial, …
        values.setdefault(word, value)
    return values


def _accepted(enum: type[Labelled], values: Mapping[str, Any]) -> Any:
    return Literal[tuple(dict.fromkeys([*(m.value for m in enum), *values]))]


def accepts_labels(enum: type[Labelled]) -> BeforeValidator:
    """Accept a member's Chinese label, or another word for it (:meth:`aliases`), as
    well as its value."""
    values = _words(enum)

    def to_value(value: Any) -> Any:
        if isinstance(value, str):
            return values.get(value, value)
        return value

    return BeforeValidator(to_value, json_schema_input_type=_accepted(enum, values))


class Where:
    """Where a command's words are read (pydantic's validation context): the
    provincial-level division of the command's ``area`` when it has one, else the
    store's (``store``, asked only when a word needs it, e.g. 市 as a level)."""

    __slots__ = ("_data", "_store")

    def __init__(self, data: object = None, store: Callable[[], str | None] | None = None) -> None:
        self._data = data
        self._store = store

    def province(self) -> str | None:
        """The two-digit code of the provincial-level division, or None if not known."""
        data = self._data
        area = data.get("area") if isinstance(data, Mapping) else getattr(data, "area", None)
        if isinstance(area, str) and area[:2] in PROVINCE_PREFIXES:
            return area[:2]
        return self._store() if self._store is not None else None


def _level_words() -> BeforeValidator:
    """A level as :func:`accepts_labels` reads it, and in a municipality (the context's
    :class:`Where`) as :func:`~renda_core.domain.values.level_in` does: 市 is the
    municipality's own congress, 设区的市 is refused."""
    values = _words(Level)

    def to_value(value: Any, info: ValidationInfo) -> Any:
        word = value if isinstance(value, str) else None
        if word is not None:
            value = values.get(word, word)
        where = info.context
        if value == Level.MUNICIPAL.value and isinstance(where, Where):
            return level_in(Level.MUNICIPAL.value, where.province(), word)
        return value

    return BeforeValidator(to_value, json_schema_input_type=_accepted(Level, values))


#: a division code; a twelve-digit statistical code padded with zeros is read as its
#: shorter code (220102001000 → 220102001: :func:`~renda_core.domain.values.canonical_code`)
AreaCode = Annotated[str, StringConstraints(pattern=AREA_CODE), AfterValidator(canonical_code)]
Phone = Annotated[str, StringConstraints(pattern=PHONE)]
LevelField = Annotated[Level, _level_words()]
GenderField = Annotated[Gender, accepts_labels(Gender)]
ContactFormField = Annotated[ContactForm, accepts_labels(ContactForm)]
ReasonField = Annotated[TerminationReason, accepts_labels(TerminationReason)]

ROLE_PATTERN = re.compile(r"^(staff|auditor|editor|(deputy|unit|leader):\S.*)$")


class Command(BaseModel):
    """Base of every command: unknown fields are an error, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def check_area_prefix(code: str | None) -> str | None:
    """Pydantic validator: the first two digits must be a GB/T 2260 province."""
    if code is not None and code[:2] not in PROVINCE_PREFIXES:
        raise ValueError(f"'{code[:2]}' is not a province prefix of GB/T 2260")
    return code


class ActorModel(Command):
    id: Text
    role: Text

    @field_validator("role")
    @classmethod
    def _role(cls, role: str) -> str:
        if not ROLE_PATTERN.match(role):
            raise ValueError(
                "role must be staff, auditor, editor, deputy:<id>, unit:<name> or leader:<name>"
            )
        return role


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: M | Mapping[str, Any], where: Where | None = None) -> M:
    """Validate ``data`` into ``model`` (its words read as ``where`` says); a failure
    becomes InvalidInput, field by field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data, context=where)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def invalid_input(exc: ValidationError) -> InvalidInput:
    """The InvalidInput of a validation failure: one entry per field, with pydantic's
    error ``type`` and a catalogued message (:mod:`~renda_core.application.field_errors`)."""
    errors = [field_error(field_name(err), err) for err in exc.errors()]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return InvalidInput(f"invalid input — {summary}", errors)


def parse_value(annotation: Any, value: Any, field: str, where: Where | None = None) -> Any:
    """Validate one value (e.g. a ``--level`` filter) the way a command field would."""
    try:
        return TypeAdapter(annotation).validate_python(value, context=where)
    except ValidationError as exc:
        entry = field_error(field, exc.errors()[0])
        raise InvalidInput(f"invalid input — {field}: {entry['message']}", [entry]) from None


def parse_level(
    level: str, area: str | None = None, store: Callable[[], str | None] | None = None
) -> str:
    """A level filter read as a command field reads it: 区 for county, 省级 for
    provincial; 市 in a municipality (``area``'s, else the ``store``'s) is its own,
    provincial-level congress. Its value; InvalidInput naming ``level``."""
    return str(parse_value(LevelField, level, "level", Where({"area": area}, store)).value)


def make_actor(actor_id: str, role: str) -> Actor:
    """Validate an actor given as id and role."""
    model = parse(ActorModel, {"id": actor_id, "role": role})
    return Actor(model.id, model.role)


def where_of(app: object, data: object) -> Where:
    """The :class:`Where` of a command's ``data`` given to ``app``: the province of its
    area, else of the store (``app.store_province``, if the application has it)."""
    return Where(data, getattr(app, "store_province", None))


@dataclass(frozen=True)
class CommandSpec:
    """One application command: its name (``deputy.register``), input model, the
    role kinds allowed to issue it, and the application method that runs it."""

    name: str
    model: type[Command]
    roles: frozenset[str]
    method: str
    summary: str


class CommandRegistry(dict[str, CommandSpec]):
    """The application's commands by name. Each module's ``@command`` registers its own
    when it is imported; reading the registry first imports the application (all of
    them), so no reader sees it half full — the CLI imports the application only when a
    command needs it."""

    _complete = False

    def _complete_it(self) -> None:
        if not self._complete:
            self._complete = True  # before importing: the import reads it too
            import renda_core.application.app  # noqa: F401

    def __getitem__(self, name: str) -> CommandSpec:
        self._complete_it()
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._complete_it()
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        self._complete_it()
        return super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        self._complete_it()
        return super().__iter__()

    def __len__(self) -> int:
        self._complete_it()
        return super().__len__()

    def keys(self) -> Any:
        self._complete_it()
        return super().keys()

    def values(self) -> Any:
        self._complete_it()
        return super().values()

    def items(self) -> Any:
        self._complete_it()
        return super().items()


COMMANDS: dict[str, CommandSpec] = CommandRegistry()

S = TypeVar("S")
R = TypeVar("R")
C = TypeVar("C", bound=Command)


def command(
    name: str, model: type[C], roles: set[str]
) -> Callable[[Callable[[S, C, Actor], R]], Callable[[S, C | Mapping[str, Any], Actor], R]]:
    """Declare an application command method: permission check, the actor registry
    (:mod:`renda_core.application.actors`), then validation.

    The method receives the validated model; the wrapper accepts the model or a
    mapping (as embedding systems and ``renda import`` send).
    """
    from renda_core.application.permissions import check_permission

    def decorate(
        method: Callable[[S, C, Actor], R],
    ) -> Callable[[S, C | Mapping[str, Any], Actor], R]:
        COMMANDS[name] = CommandSpec(
            name,
            model,
            frozenset(roles),
            method.__name__,
            (method.__doc__ or model.__doc__ or "").strip().splitlines()[0],
        )

        @functools.wraps(method)
        def run(self: S, data: C | Mapping[str, Any], actor: Actor) -> R:
            check_permission(name, actor)
            verify_actor = getattr(self, "verify_actor", None)  # the actor registry
            if verify_actor is not None:
                verify_actor(name, actor)
            return method(self, parse(model, data, where_of(self, data)), actor)

        return run

    return decorate
