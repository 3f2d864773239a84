"""The office's roster spreadsheet (代表名册) as ``deputy.register`` commands.

Each row becomes one command whose id is a digest of the row's content and whose new
deputy id is a digest of the deputy's identity (name, level, term, electoral unit): the
same row imported again is skipped, and a row whose deputy is already registered with
other details is an error naming the row (change it with ``renda deputy correct``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from renda_core.application.base import RendaBase
from renda_core.application.commands import Where
from renda_core.application.deputies import RegisterDeputy
from renda_core.application.field_errors import field_error
from renda_core.application.importer import (
    ImportResult,
    ParsedCommand,
    apply_commands,
    default_new_id,
    fingerprint,
)
from renda_core.application.spreadsheets import Mapped, row_key
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Actor

COMMAND = "deputy.register"


@dataclass
class RosterPlan:
    """What importing a roster will do: the commands, and the rows already imported."""

    commands: list[ParsedCommand] = field(default_factory=list)
    duplicates: int = 0


def _entry(where: str, error: Any) -> dict[str, Any]:
    """A bad cell's field error; a validator's own reason without "Value error, "."""
    entry = field_error(where, error)
    if entry["type"] == "value_error":
        entry["message"] = entry["message"].removeprefix("Value error, ")
        entry.pop("msgid", None)
        entry.pop("params", None)
    return entry


def plan_roster(mapped: Mapped, actor: Actor, default_date: str) -> RosterPlan:
    """Validate every row of a mapped roster sheet; InvalidInput naming each bad cell
    (``C4 (层级): …``) when any row is bad. Nothing is written."""
    errors: list[dict[str, Any]] = []
    plan = RosterPlan()
    seen: dict[str, tuple[int, str]] = {}
    for number, record in mapped.records:
        data: dict[str, Any] = dict(record)
        data.setdefault("date", default_date)
        try:
            model = RegisterDeputy.model_validate(data, context=Where(data))
        except ValidationError as exc:
            for item in exc.errors():
                key = str(item["loc"][0]) if item["loc"] else ""
                where = (
                    f"{mapped.cell(key, number)} ({mapped.header(key)})"
                    if key in mapped.positions
                    else f"row {number}"
                )
                errors.append(_entry(where, item))
            continue
        identity = row_key(model.name, model.level.value, model.term, model.electoral_unit)
        content = row_key(*sorted(model.model_dump(mode="json").items()))
        if identity in seen:
            first, first_content = seen[identity]
            if first_content == content:
                plan.duplicates += 1
                continue
            errors.append(
                {
                    "field": f"row {number}",
                    "message": f"the same deputy as row {first} with other details",
                }
            )
            continue
        seen[identity] = (number, content)
        new_id = default_new_id(f"roster:{identity}")
        command_id = f"roster:{identity}:{content}"
        plan.commands.append(
            ParsedCommand(
                number,
                command_id,
                COMMAND,
                actor,
                model,
                new_id,
                new_id,
                True,
                fingerprint(COMMAND, actor, model, new_id),
            )
        )
    if errors:
        raise roster_errors(errors)
    return plan


def roster_errors(errors: list[dict[str, Any]]) -> InvalidInput:
    msgid = "{count} error(s) in {rows} cell(s); nothing was imported. First: {field}: {message}"
    params = {
        "count": len(errors),
        "rows": len({e["field"] for e in errors}),
        "field": errors[0]["field"],
        "message": errors[0]["message"],
    }
    return InvalidInput(msgid.format(**params), errors, msgid=msgid, params=params)


def import_roster(
    app: RendaBase,
    plan: RosterPlan,
    *,
    progress: Any = None,
) -> tuple[ImportResult, list[str]]:
    """Apply a planned roster: rows imported before (same content) are skipped; a
    deputy already registered with other details is an error naming the row, and
    nothing is written. Returns the result and the ids of the deputies registered."""
    applied = app.applied_fingerprints([c.id for c in plan.commands])
    todo = [c for c in plan.commands if c.id not in applied]
    existing = app.existing_aggregates([c.new_id for c in todo])
    errors = [
        {
            "field": f"row {c.line}",
            "message": f"deputy {c.new_id} is already registered with other details "
            "(change them with renda deputy correct)",
        }
        for c in todo
        if c.new_id in existing
    ]
    if errors:
        raise roster_errors(errors)
    result = apply_commands(app, todo, progress=progress)
    result.total = len(plan.commands) + plan.duplicates
    result.skipped += len(plan.commands) - len(todo) + plan.duplicates
    done = todo[: result.applied]
    return result, [str(c.new_id) for c in done]
