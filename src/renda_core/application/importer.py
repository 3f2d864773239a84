"""Bulk import: one command per line of a JSON Lines file (``renda import``).

Each line is an envelope::

    {"id": "c-0001", "command": "deputy.register",
     "actor": {"id": "clerk-1", "role": "staff"},
     "data": {...}, "new_id": "optional UUID of the aggregate this command creates"}

- The whole file is validated before anything is written; errors name the line and the
  field.
- A command that creates an aggregate gives it ``new_id``, or ``uuid5`` of the command id
  when none is given, so later lines can refer to it — by that UUID, or by writing
  ``"@<command id>"`` anywhere a value is expected — and a re-run gets the same ids.
- Commands are applied in batches, each one transaction together with its command ids;
  a command id already applied is skipped, so re-running a file after a crash neither
  duplicates nor loses anything. A command that breaks a rule stops the import: its
  batch is not written, earlier batches are.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from renda_core.application.base import RendaBase
from renda_core.application.commands import COMMANDS, ActorModel, invalid_input
from renda_core.domain.errors import InvalidInput, RendaError
from renda_core.domain.ids import assigned_ids
from renda_core.domain.values import Actor

IMPORT_NAMESPACE = uuid.UUID("5d0c3a52-6f0e-5b8e-9a57-7e1f2b6a4c01")
MAX_REPORTED = 50


class Envelope(BaseModel):
    """One line of an import file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200, description="unique command id")
    command: str = Field(description="an application command, e.g. deputy.register")
    actor: ActorModel
    data: dict[str, Any] = Field(default_factory=dict)
    new_id: uuid.UUID | None = Field(
        default=None, description="id of the aggregate this command creates"
    )


@dataclass
class ParsedCommand:
    line: int
    id: str
    command: str
    actor: Actor
    model: BaseModel
    new_id: uuid.UUID


@dataclass
class ImportResult:
    total: int = 0
    applied: int = 0
    skipped: int = 0
    failed: int = 0
    error: dict[str, Any] | None = None
    exception: RendaError | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "applied": self.applied,
            "skipped": self.skipped,
            "failed": self.failed,
            "error": self.error,
        }


def default_new_id(command_id: str) -> uuid.UUID:
    return uuid.uuid5(IMPORT_NAMESPACE, command_id)


def _resolve(value: Any, ids: dict[str, uuid.UUID], missing: list[str]) -> Any:
    if isinstance(value, str) and value.startswith("@") and len(value) > 1:
        target = ids.get(value[1:])
        if target is None:
            missing.append(value)
            return value
        return str(target)
    if isinstance(value, dict):
        return {k: _resolve(v, ids, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, ids, missing) for v in value]
    return value


def parse_lines(lines: Iterable[str]) -> list[ParsedCommand]:
    """Validate every line; raise InvalidInput naming each bad line and field."""
    errors: list[dict[str, str]] = []
    parsed: list[ParsedCommand] = []
    ids: dict[str, uuid.UUID] = {}

    def fail(line: int, fld: str, message: str) -> None:
        errors.append({"field": f"line {line}: {fld}", "message": message})

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            fail(number, "json", f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            envelope = Envelope.model_validate(obj)
        except ValidationError as exc:
            for item in invalid_input(exc).errors:
                fail(number, item["field"], item["message"])
            continue
        if envelope.id in ids:
            fail(number, "id", f"command id '{envelope.id}' appears twice")
            continue
        spec = COMMANDS.get(envelope.command)
        if spec is None:
            fail(number, "command", f"unknown command '{envelope.command}'")
            continue
        missing: list[str] = []
        data = _resolve(envelope.data, ids, missing)
        for ref in missing:
            fail(number, "data", f"reference {ref} names no earlier command")
        new_id = envelope.new_id or default_new_id(envelope.id)
        ids[envelope.id] = new_id
        try:
            model = spec.model.model_validate(data)
        except ValidationError as exc:
            for item in invalid_input(exc).errors:
                fail(number, f"data.{item['field']}", item["message"])
            continue
        if missing:
            continue
        actor = Actor(envelope.actor.id, envelope.actor.role)
        parsed.append(ParsedCommand(number, envelope.id, envelope.command, actor, model, new_id))
    if errors:
        shown = errors[:MAX_REPORTED]
        more = f" (and {len(errors) - MAX_REPORTED} more)" if len(errors) > MAX_REPORTED else ""
        first = f"{shown[0]['field']}: {shown[0]['message']}"
        bad_lines = len({e["field"].split(":")[0] for e in errors})
        raise InvalidInput(
            f"{len(errors)} error(s) on {bad_lines} line(s){more}; nothing was imported. "
            f"First: {first}",
            shown,
        )
    return parsed


def apply_commands(
    app: RendaBase,
    commands: Sequence[ParsedCommand],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Apply validated commands in batches; skip those already applied.

    A command that fails stops the import: the result carries the error (``error`` as
    data, ``exception`` to raise) and counts what was applied before it.
    """
    if batch_size < 1:
        raise InvalidInput(
            "batch size must be 1 or more", [{"field": "batch_size", "message": "≥ 1"}]
        )
    result = ImportResult(total=len(commands))
    done = app.applied_commands([c.id for c in commands])
    todo = [c for c in commands if c.id not in done]
    result.skipped = len(commands) - len(todo)
    if progress and result.skipped:
        progress(result.skipped)
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        current: ParsedCommand | None = None
        try:
            with app.batch([c.id for c in chunk]):
                for current in chunk:
                    method = getattr(app, COMMANDS[current.command].method)
                    with assigned_ids(current.new_id):
                        method(current.model, current.actor)
        except RendaError as error:
            assert current is not None
            result.failed = 1
            result.error = {
                "line": current.line,
                "id": current.id,
                "command": current.command,
                "kind": error.kind,
                "message": error.message,
            }
            error.message = (
                f"line {current.line} ({current.id}, {current.command}): {error.message}; "
                f"its batch of {len(chunk)} was not written, {result.applied} commands "
                "before it were"
            )
            result.exception = error
            return result
        result.applied += len(chunk)
        if progress:
            progress(len(chunk))
    return result


def command_schemas() -> dict[str, Any]:
    """JSON Schema of the envelope and of every command's ``data``."""
    return {
        "envelope": Envelope.model_json_schema(),
        "commands": {
            name: {
                "summary": spec.summary,
                "roles": sorted(spec.roles),
                "data": spec.model.model_json_schema(),
            }
            for name, spec in sorted(COMMANDS.items())
        },
    }
