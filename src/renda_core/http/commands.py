"""Commands over HTTP: one command exactly once per ``Idempotency-Key``, and batches.

The ``Idempotency-Key`` is the command's id, the same ids ``renda import`` records:
the command's events are written in one transaction together with the key and the
fingerprint of its content (command, actor, validated data, the id it creates) and its
result. A replay with the same content answers the first result without writing
anything; the same key with other content is invalid input. A record the command
creates gets the id ``renda import`` would give that command id. On PostgreSQL, a
command whose ``COMMIT`` lost its answer (the connection broke under it) is sent once
more, which the key makes safe: a replay if the first was recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python

from renda_core.api.facade import RendaAPI
from renda_core.application.commands import COMMANDS, parse
from renda_core.application.importer import (
    ImportResult,
    apply_commands,
    default_new_id,
    fingerprint,
    parse_lines,
)
from renda_core.application.permissions import check_permission
from renda_core.application.postgres import commit_outcome_unknown
from renda_core.domain.errors import (
    ConcurrentModification,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolated,
    StoreUnavailable,
)
from renda_core.domain.ids import assigned_ids
from renda_core.domain.values import Actor

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Outcome:
    """What a command answered: its JSON-able result, and whether this was a replay."""

    command: str
    command_id: str | None
    result: Any
    replayed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "command_id": self.command_id,
            "result": self.result,
            "replayed": self.replayed,
        }


def check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            "Idempotency-Key must be 1 to 200 printable characters",
            [{"field": "Idempotency-Key", "message": "1–200 printable characters"}],
        )


def run_command(
    api: RendaAPI, name: str, data: Mapping[str, Any], actor: Actor, key: str | None
) -> Outcome:
    """Run the command ``name`` as ``actor``; with a key, exactly once."""
    spec = COMMANDS.get(name)
    if spec is None:
        raise NotFound(f"no command named '{name}' (GET /v1/openapi.json lists them)")
    check_permission(name, actor)  # before validation, as the application does
    model = parse(spec.model, data)
    if key is None:
        return Outcome(name, None, to_jsonable_python(api.execute(name, model, actor)))
    check_key(key)
    new_id = default_new_id(key)
    content = fingerprint(name, actor, model, new_id)
    try:
        return _run_keyed(api, name, model, actor, key, content, new_id)
    except StoreUnavailable as exc:
        if not commit_outcome_unknown(exc):
            raise
        # The connection broke while COMMIT was under way: the command may have been
        # recorded or not. Its key makes sending it again safe: a replay of the first
        # result if it was, the command recorded now if it was not.
        return _run_keyed(api, name, model, actor, key, content, new_id)


def _run_keyed(
    api: RendaAPI, name: str, model: Any, actor: Actor, key: str, content: str, new_id: Any
) -> Outcome:
    application = api._application
    replay = _replay(api, name, key, content)
    if replay is not None:
        return replay
    recorded: dict[str, str] = {}
    try:
        with application.batch([key], recorded), assigned_ids(new_id):
            result = to_jsonable_python(api.execute(name, model, actor))
            # read when the batch is written: the fingerprint, then the first result
            recorded[key] = f"{content} {json.dumps(result, ensure_ascii=False)}"
    except (ConcurrentModification, RuleViolated):
        # the same key sent twice at once: the other write won (on its command id, or on
        # the id of the record both created)
        replay = _replay(api, name, key, content)
        if replay is not None:
            return replay
        raise
    return Outcome(name, key, result)


def _replay(api: RendaAPI, name: str, key: str, content: str) -> Outcome | None:
    applied = api._application.applied_fingerprints([key])
    if key not in applied:
        return None
    stored = applied[key] or ""
    first, _, result = stored.partition(" ")
    if first != content:
        raise InvalidInput(
            f"Idempotency-Key '{key[:40]}' was used before for other content "
            "(a changed command needs a new key); nothing was recorded",
            [{"field": "Idempotency-Key", "message": "used before with other content"}],
        )
    return Outcome(name, key, json.loads(result) if result else None, replayed=True)


def run_batch(
    api: RendaAPI, envelopes: Sequence[Any], actor: Actor, max_batch: int
) -> ImportResult:
    """The envelopes of ``renda import`` as one transaction, acting as ``actor``.

    An envelope may leave ``actor`` out (the token's is used); one that names another
    actor is forbidden. Already applied command ids are skipped, as on a re-import.
    """
    if len(envelopes) > max_batch:
        raise BatchTooLarge(len(envelopes), max_batch)
    lines: list[str] = []
    for number, envelope in enumerate(envelopes, start=1):
        if not isinstance(envelope, dict):
            raise InvalidInput(
                f"item {number}: an envelope is a JSON object",
                [{"field": f"line {number}", "message": "not an object"}],
            )
        given = envelope.get("actor")
        if given is None:
            envelope = {**envelope, "actor": {"id": actor.id, "role": actor.role}}
        elif given != {"id": actor.id, "role": actor.role}:
            raise Forbidden(
                f"item {number}: the token acts as {actor}; an envelope cannot name another "
                "actor (leave actor out)"
            )
        lines.append(json.dumps(envelope, ensure_ascii=False))
    commands = parse_lines(lines, api._application.store_province)
    result = apply_commands(api._application, commands, batch_size=max(1, len(commands)))
    if result.exception is not None and commit_outcome_unknown(result.exception):
        # The COMMIT lost its answer: every envelope has an id, so sending the batch once
        # more is safe — the ids the first attempt recorded are skipped.
        result = apply_commands(api._application, commands, batch_size=max(1, len(commands)))
    return result


class BatchTooLarge(Exception):
    """More envelopes than the configured batch size (413)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} commands in one batch; at most {limit} are accepted")
        self.size = size
        self.limit = limit
