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
  Records keyed by their data (a bulletin issue by year and number, a calendar year)
  take that id instead, and ``"@<command id>"`` names it (see :func:`target_of`).
- Two lines creating the same record, a record that already exists in the store, and a
  command id applied before with other content are errors of the file: nothing is
  written.
- Commands are applied in batches, each one transaction together with its command ids
  and the fingerprint of each one's content; a command id already applied is skipped,
  so re-running a file after a crash neither duplicates nor loses anything. A command
  that breaks a rule stops the import: its batch is not written, earlier batches are.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import json.scanner
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from renda_core.application.base import RendaBase
from renda_core.application.bulletins import OpenBulletin
from renda_core.application.calendar import AddCalendarYear
from renda_core.application.commands import COMMANDS, ActorModel, Where, invalid_input
from renda_core.application.inputs import date_policy, dates_as_of
from renda_core.application.opinions import EscalateOpinion
from renda_core.application.postgres import commit_outcome_unknown
from renda_core.application.sessions import OpenSession
from renda_core.domain.bulletin import Bulletin
from renda_core.domain.calendar import CalendarYear
from renda_core.domain.errors import Forbidden, InvalidInput, RendaError, RuleViolated
from renda_core.domain.ids import ids_in_turn
from renda_core.domain.opinion import EscalationTarget
from renda_core.domain.session import session_id
from renda_core.domain.values import Actor
from renda_core.i18n import ErrorMessage

IMPORT_NAMESPACE = uuid.UUID("5d0c3a52-6f0e-5b8e-9a57-7e1f2b6a4c01")
MAX_REPORTED = 50
BATCH_CEILING = {"sqlite": 100_000, "postgres": 50_000}
"""The largest ``--batch-size`` per backend: one batch is one transaction, held in memory
until it is written (and on PostgreSQL, holding the log's table lock while it is)."""

NEW_ID_CREATES = frozenset(
    {
        "deputy.register",
        "station.establish",
        "group.form",
        "opinion.collect",
        "suggestion.draft",
        "training.plan",
        "body.add",
        "member.add",
        "campaign.launch",
        "inspection.plan",
        "motion.draft",
        "deputy.by-elect",
    }
)
"""Commands that always create one record, and give it ``new_id``."""


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
    target: uuid.UUID | None = None
    creates: bool = False
    fingerprint: str = ""


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


_IMPORT_SHA1 = hashlib.sha1(IMPORT_NAMESPACE.bytes, usedforsecurity=False)
_UUID5_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # the version and variant bits
_UUID5_SET = (5 << 76) | (0x8000 << 48)
_UUID = uuid.UUID
_new_object = object.__new__
_set_slot = object.__setattr__
_SAFE_UNKNOWN = uuid.SafeUUID.unknown


def default_new_id(command_id: str) -> uuid.UUID:
    """``uuid5(IMPORT_NAMESPACE, command_id)``, from a SHA-1 already fed the namespace
    (the standard library's ``uuid5`` hashes it again and builds the UUID from bytes;
    this takes a third of its time). The UUID's two slots are set as ``UUID(int=…)``
    sets them, without its argument checks (the integer is 128 bits by construction)."""
    return default_new_id_and_text(command_id)[0]


_VARIANT_DIGIT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}
"""A uuid5's 17th hex digit from the hash's: the variant bits 10 over its two low bits."""


def default_new_id_and_text(command_id: str) -> tuple[uuid.UUID, str]:
    """:func:`default_new_id` and its text (``str`` of it), both from the one SHA-1: the
    text is the hash's first 32 hex digits with the version and variant digits set,
    grouped 8-4-4-4-12 (``UUID.__str__`` formats the integer again), and the UUID's
    integer is read from those 32 digits."""
    h = _IMPORT_SHA1.copy()
    h.update(command_id.encode("utf-8"))
    x = h.hexdigest()
    new_id = _new_object(_UUID)
    _set_slot(new_id, "int", (int(x[:32], 16) & _UUID5_CLEAR) | _UUID5_SET)
    _set_slot(new_id, "is_safe", _SAFE_UNKNOWN)
    text = f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT_DIGIT[x[16]]}{x[17:20]}-{x[20:32]}"
    return new_id, text


def target_of(command: str, model: BaseModel, new_id: uuid.UUID) -> tuple[uuid.UUID | None, bool]:
    """The id ``"@<command id>"`` names for this line (None: it names no record), and
    whether the line creates that record.

    Most creating commands give the record ``new_id``. A bulletin issue's id follows
    from its year and number, a calendar year's from the year, a congress session's
    from its level, term and number. Forwarding a bulletin
    item creates a suggestion (``new_id``) when the item carries none; escalating an
    opinion creates one when no target is named.
    """
    if command in NEW_ID_CREATES or command == "bulletin.forward":
        return new_id, True
    if isinstance(model, EscalateOpinion):
        creates = model.target_id is None and model.target_kind is EscalationTarget.SUGGESTION
        return (new_id, True) if creates else (None, False)
    if isinstance(model, OpenBulletin):
        return Bulletin.create_id(model.year, model.number), True
    if isinstance(model, AddCalendarYear):
        return CalendarYear.create_id(model.year), not model.replace
    if isinstance(model, OpenSession):
        return session_id(model.level.value, model.term, model.number), True
    return _keyed_target(command, model, new_id)


KEYED_CREATES = frozenset(
    {"meeting.open", "plan.adopt", "term.begin", "deputy.report-to-constituents"}
)
"""Commands of issue 14 that create a record whose id is derived from its data."""


def _keyed_target(
    command: str, model: BaseModel, new_id: uuid.UUID
) -> tuple[uuid.UUID | None, bool]:
    """Records of issue 14 whose id is derived from what they are (a standing-committee
    meeting by level, term and number; a plan by level and year; a term by level and
    number; a 述职 by deputy, day and place)."""
    if command not in KEYED_CREATES:
        return None, False
    from renda_core.domain.accountability import ConstituentReport
    from renda_core.domain.mandate import Term
    from renda_core.domain.meeting import Meeting
    from renda_core.domain.plan import WorkPlan
    from renda_core.domain.values import Level

    data = model.model_dump(mode="json")  # labels as their values
    if command == "meeting.open":
        from renda_core.domain.meeting import MeetingKind

        kind = MeetingKind.of(data["kind"]).value
        if kind != MeetingKind.SC_MEETING.value or data["term"] is None or data["number"] is None:
            return new_id, True  # a forum: a new id
        level = Level.of(data["level"]).value
        key = Meeting.create_id(kind=kind, level=level, term=data["term"], number=data["number"])
        return key, True
    if command == "plan.adopt":
        return WorkPlan.create_id(level=Level.of(data["level"]).value, year=data["year"]), True
    if command == "term.begin":
        return Term.create_id(level=Level.of(data["level"]).value, number=data["number"]), True
    if command == "deputy.report-to-constituents":
        key = ConstituentReport.create_id(
            deputy_id=data["deputy_id"],
            on=date.fromisoformat(data["date"]),
            place=data["place"],
        )
        return key, True
    return None, False


def fingerprint(command: str, actor: Actor, model: BaseModel, new_id: uuid.UUID | str) -> str:
    """A digest of what a line does: command, actor, validated data (references
    resolved, labels as values) and the id it creates (a UUID, or its text). Formatting,
    key order and label-or-value spellings do not change it."""
    # ``model.model_dump(mode="json")``: the serializer it calls, without its wrapper
    return fingerprint_of(
        command, actor, model.__pydantic_serializer__.to_python(model, mode="json"), new_id
    )


def fingerprint_of(
    command: str, actor: Actor, data: dict[str, Any], new_id: uuid.UUID | str
) -> str:
    """The SHA-256 of the canonical JSON of ``{"command", "actor", "data", "new_id"}``.

    Its keys sorted are actor, command, data, new_id: the text up to ``"data":`` is the
    same for every line of one command and actor, so its hash state is made once and
    copied (:data:`_HEADS`); the same digest as hashing the whole text.
    """
    key = (command, actor.id, actor.role)
    head = _HEADS.get(key)
    if head is None:
        if len(_HEADS) >= _KEPT_HEADS:
            _HEADS.clear()
        text = (
            '{"actor":'
            + _canonical_json({"id": actor.id, "role": actor.role})
            + ',"command":'
            + _canonical_json(command)
            + ',"data":'
        )
        head = _HEADS[key] = hashlib.sha256(text.encode("utf-8"))
    h = head.copy()
    h.update(f'{_canonical_json(data)},"new_id":"{new_id}"}}'.encode())
    return "sha256:" + h.hexdigest()


_HEADS: dict[tuple[str, str, str], Any] = {}
"""The fingerprint's hash state after its text's head, by command, actor id and role."""
_KEPT_HEADS = 1024


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
"""The fingerprint's canonical JSON: what ``json.dumps`` with these options writes
(it builds an encoder per call)."""


def _c_canonical() -> Callable[[Any, int], Any] | None:
    """The C encoder ``_CANONICAL.encode`` builds on each call, built once (None where
    the interpreter has no C encoder). No circular check: the content is parsed JSON."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return None
    encoder: Callable[[Any, int], Any] = make(
        None,  # markers: no circular check
        _CANONICAL.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # indent
        _CANONICAL.key_separator,
        _CANONICAL.item_separator,
        True,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    return encoder


_C_CANONICAL = _c_canonical()


def _canonical_json(content: Any) -> str:
    """``_CANONICAL.encode(content)``, the same text, without its per-call set-up."""
    if _C_CANONICAL is None:  # pragma: no cover
        return _CANONICAL.encode(content)
    return "".join(_C_CANONICAL(content, 0))


def _resolve(value: Any, ids: dict[str, str], missing: list[str]) -> Any:
    """``value`` with each ``"@<command id>"`` replaced by the text of the id it names
    (``ids``: command id -> that id's text, made once per creating line)."""
    if isinstance(value, str):
        if value[:1] != "@" or len(value) == 1:
            return value
        target = ids.get(value[1:])
        if target is None:
            missing.append(value)
            return value
        return target
    if isinstance(value, dict):
        return {
            # a plain text (most values) is itself: no call for it
            k: v if type(v) is str and v[:1] != "@" else _resolve(v, ids, missing)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_resolve(v, ids, missing) for v in value]
    return value


def _resolve_data(data: dict[str, Any], ids: dict[str, str], missing: list[str]) -> None:
    """:func:`_resolve` of a line's ``data``, in place: the parsed line's own dict,
    which nothing else holds (no copy of it; a nested value is resolved as before)."""
    for k, v in data.items():  # values replaced, no key added: iterating stays valid
        if type(v) is str:
            if v[:1] == "@" and len(v) > 1:
                target = ids.get(v[1:])
                if target is None:
                    missing.append(v)
                else:
                    data[k] = target
        elif isinstance(v, dict | list):
            data[k] = _resolve(v, ids, missing)


def _may_refer(raw: str) -> bool:
    """Whether a line can hold an ``"@<command id>"``: JSON writes ``@`` as itself or
    as ``\\u0040``. A line without either needs no resolving."""
    return "@" in raw or "\\u0040" in raw


def _envelope(raw: str, actors: dict[tuple[str, str], ActorModel]) -> Envelope | _Line | None:
    """The line as an envelope; None when it is not one (the caller then parses it
    again step by step, for the errors).

    The usual line (no ``new_id``, an actor seen before) is checked here without
    building it through pydantic: the actor as validated the first time (``actors``,
    by id and role), the rest by the envelope's own constraints. Any other line is
    validated by pydantic in one pass, as before.
    """
    fast = _plain_envelope(raw, actors)
    if fast is not None:
        return fast
    try:
        envelope = Envelope.model_validate_json(raw)
    except ValidationError:
        return None
    actors.setdefault((envelope.actor.id, envelope.actor.role), envelope.actor)
    return envelope


_PLAIN_KEYS = frozenset({"id", "command", "actor", "data"})


class _Line:
    """A usual line read without pydantic: what ``Envelope.model_construct`` would hold
    (the same fields and ``model_dump``), at a fraction of its cost per line."""

    __slots__ = ("actor", "command", "data", "id", "new_id")

    def __init__(self, cid: str, command: str, actor: ActorModel, data: dict[str, Any]) -> None:
        self.id = cid
        self.command = command
        self.actor = actor
        self.data = data
        self.new_id: uuid.UUID | None = None

    def model_dump(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "command": self.command,
            "actor": self.actor.model_dump(),
            "data": self.data,
            "new_id": self.new_id,
        }


# (typeshed types make_scanner's argument as a scanner; json passes it the decoder)
_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
"""The scanner ``json.loads`` runs (its decoder's ``scan_once``: the same C scanner, the
same values), called without its per-call wrappers ``loads``, ``decode``, ``raw_decode``."""


def _json_object(raw: str) -> Any:
    """``json.loads(raw)``, or None where it raises (and for a line that is not text)."""
    if type(raw) is not str:
        return None
    text = raw.strip(" \t\n\r")  # the whitespace json.loads skips around the value
    try:
        obj, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        return None
    return obj if end == len(text) else None  # else "Extra data"


def _plain_envelope(raw: str, actors: dict[tuple[str, str], ActorModel]) -> _Line | None:
    """What ``Envelope.model_validate_json(raw)`` gives for a line of exactly the
    fields id, command, actor (one already validated) and data; None for any other."""
    obj = _json_object(raw)
    if type(obj) is not dict or obj.keys() != _PLAIN_KEYS:
        return None
    cid, command, actor, data = obj["id"], obj["command"], obj["actor"], obj["data"]
    if type(cid) is not str or not 1 <= len(cid) <= 200 or type(command) is not str:
        return None
    if type(data) is not dict or type(actor) is not dict or len(actor) != 2:
        return None
    actor_id, role = actor.get("id"), actor.get("role")
    if type(actor_id) is not str or type(role) is not str:
        return None
    known = actors.get((actor_id, role))
    if known is None:
        return None
    return _Line(cid, command, known, data)


@contextmanager
def _heap_frozen() -> Iterator[bool]:
    """The objects alive when an import's phase starts are left out of the garbage
    collector's full passes until it ends (``gc.freeze``, then ``gc.unfreeze``).

    A phase makes a few objects per line that all live to its end (the parsed lines,
    their models and ids); each full pass walks every object older than its last
    one, and found nothing to free: at 20,000 lines that walking was a tenth of the
    import's CPU time. Nothing is collected differently but later: garbage from
    before the phase waits until it ends. Left alone when the heap is already frozen
    (by the embedding system), which unfreezing would undo.

    Yields whether it froze the heap: only then may the phase freeze it again (the
    parse does, every :data:`REFREEZE_LINES` lines, so the lines it has parsed leave
    the collector's passes too), as the one ``gc.unfreeze`` at its end undoes that.
    """
    if gc.get_freeze_count():
        yield False
        return
    gc.freeze()
    try:
        yield True
    finally:
        gc.unfreeze()


def parse_lines(
    lines: Iterable[str], store_province: Callable[[], str | None] | None = None
) -> list[ParsedCommand]:
    """Validate every line; raise InvalidInput naming each bad line and field.

    The date policy in force when the parse starts holds for every line (it is read
    once, not once per date). ``store_province`` tells the store's provincial-level
    division, for a level written 市 in a line without an area (a municipality's own
    congress); it is asked at most once, and only if such a line comes.
    """
    asked: list[str | None] = []

    def province() -> str | None:
        if not asked:
            asked.append(store_province() if store_province is not None else None)
        return asked[0]

    # today read once, not once per date
    with _heap_frozen() as ours, dates_as_of(date_policy().current()):
        return _parse_lines(lines, REFREEZE_LINES if ours else 0, province)


REFREEZE_LINES = 500
"""How many lines the parse reads between two freezes of the heap (when the parse froze
it: :func:`_heap_frozen`). The lines parsed so far live to the parse's end: frozen,
the collector's passes no longer walk them again and again (at 20,000 lines the whole
import's collections took 4.2 µs a line; frozen every 2,000 lines 1.8, every 500 lines
1.0; ``gc.freeze`` itself moves lists, its cost does not grow with the heap). A cycle
made since the last freeze and not yet collected is collected after the parse."""


def _parse_lines(
    lines: Iterable[str],
    refreeze: int = 0,
    store_province: Callable[[], str | None] | None = None,
) -> list[ParsedCommand]:
    errors: list[dict[str, Any]] = []
    parsed: list[ParsedCommand] = []
    ids: dict[str, str] = {}  # command id -> the id "@<command id>" names, as text
    seen_at: dict[str, int] = {}  # command id -> its line
    creators: dict[uuid.UUID, tuple[int, str]] = {}  # record id -> (line, command id)
    actors: dict[tuple[str, str], ActorModel] = {}  # (id, role) -> as validated
    made: dict[tuple[str, str], Actor] = {}  # (id, role) -> the lines' Actor, made once
    specs = dict(COMMANDS.items())  # the registry, complete: plain look-ups per line

    def fail(
        line: int, fld: str, message: ErrorMessage, item: Mapping[str, Any] | None = None
    ) -> None:
        """One bad field of a line (``item``: pydantic's, its type and msgid kept)."""
        errors.append({**(item or {}), "field": f"line {line}: {fld}", "message": message})

    for number, raw in enumerate(lines, start=1):
        if refreeze and not number % refreeze:
            gc.freeze()
        if not raw.strip():
            continue
        envelope = _envelope(raw, actors)
        if envelope is None:
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:  # the reason: one of field_errors.JSON_REASONS
                reason, column = exc.msg, exc.colno
                fail(number, "json", f"not valid JSON ({reason} at column {column})")
                continue
            try:
                envelope = Envelope.model_validate(obj)
            except ValidationError as exc:
                for item in invalid_input(exc).errors:
                    fail(number, item["field"], item["message"], item)
                continue
        if envelope.id in seen_at:
            command_id, first = envelope.id, seen_at[envelope.id]
            fail(
                number,
                "id",
                f"command id '{command_id}' appears twice (line {first} and line {number})",
            )
            continue
        seen_at[envelope.id] = number
        spec = specs.get(envelope.command)
        if spec is None:
            command = envelope.command
            fail(number, "command", f"unknown command '{command}'")
            continue
        missing: list[str] = []
        data = envelope.data
        if _may_refer(raw):
            _resolve_data(data, ids, missing)
        for ref in missing:
            fail(number, "data", f"reference {ref} names no earlier command creating a record")
        # the id's text once: for the fingerprint and for "@" references
        if envelope.new_id is None:
            new_id, new_text = default_new_id_and_text(envelope.id)
        else:
            new_id = envelope.new_id
            new_text = str(new_id)
        try:
            model = spec.model.model_validate(data, context=Where(data, store_province))
        except ValidationError as exc:
            ids[envelope.id] = new_text  # so later lines are not reported for it too
            for item in invalid_input(exc).errors:
                fail(number, f"data.{item['field']}", item["message"], item)
            continue
        target, creates = target_of(envelope.command, model, new_id)
        if target is not None:
            ids[envelope.id] = new_text if target is new_id else str(target)
        if envelope.new_id is not None and target != envelope.new_id:
            command = envelope.command
            if target:  # two whole sentences, so that a catalogue translates each
                fail(
                    number,
                    "new_id",
                    f"{command} does not give new_id to a record it creates (the "
                    f"record's id is {target})",
                )
            else:
                fail(number, "new_id", f"{command} does not give new_id to a record it creates")
            continue
        if creates and target is not None:
            if target in creators:
                first, first_id = creators[target]
                fail(
                    number,
                    "new_id",
                    f"creates record {target}, which line {first} ({first_id}) creates too",
                )
                continue
            creators[target] = (number, envelope.id)
        if missing:
            continue
        actor_key = (envelope.actor.id, envelope.actor.role)
        actor = made.get(actor_key)
        if actor is None:
            actor = made[actor_key] = Actor(*actor_key)
        parsed.append(
            ParsedCommand(
                number,
                envelope.id,
                envelope.command,
                actor,
                model,
                new_id,
                target,
                creates,
                fingerprint(envelope.command, actor, model, new_text),
            )
        )
    if errors:
        raise _file_errors(errors)
    return parsed


def _file_errors(errors: list[dict[str, str]]) -> InvalidInput:
    shown = errors[:MAX_REPORTED]
    field, reason = shown[0]["field"], shown[0]["message"]
    count, bad_lines = len(errors), len({e["field"].split(":")[0] for e in errors})
    unlisted = count - len(shown)
    # whole sentences (none with an empty part), so that a catalogue translates each;
    # given as msgid and params: a field ("line 3: id") holds the ": " that ends it
    if unlisted:
        msgid = (
            "{count} error(s) on {bad_lines} line(s), {unlisted} of them not listed; "
            "nothing was imported. First: {field}: {reason}"
        )
    else:
        msgid = (
            "{count} error(s) on {bad_lines} line(s); nothing was imported. "
            "First: {field}: {reason}"
        )
    params: dict[str, object] = {"count": count, "bad_lines": bad_lines, "unlisted": unlisted}
    params |= {"field": field, "reason": reason}
    return InvalidInput(msgid.format(**params), shown, msgid=msgid, params=params)


def batch_ceiling(app: RendaBase) -> int:
    """The largest batch size the app's store takes (see :data:`BATCH_CEILING`)."""
    return BATCH_CEILING[app.store.backend]


def check_batch_size(app: RendaBase, batch_size: int) -> None:
    """InvalidInput unless 1 ≤ batch_size ≤ the ceiling of the app's backend."""
    ceiling = batch_ceiling(app)
    if not 1 <= batch_size <= ceiling:
        backend = "SQLite" if app.store.is_sqlite else "PostgreSQL"
        raise InvalidInput(
            f"batch size {batch_size} is outside 1…{ceiling:,}, the range a {backend} "
            "store takes; nothing was imported",
            [{"field": "batch_size", "message": f"between 1 and {ceiling} on {backend}"}],
        )


def check_against_store(app: RendaBase, commands: Sequence[ParsedCommand]) -> set[str]:
    """The ids of the commands already applied; InvalidInput (nothing written) when a
    command id was applied with other content, or a line creates a record that
    already exists."""
    errors: list[dict[str, str]] = []
    applied = app.applied_fingerprints([c.id for c in commands])
    for c in commands:
        if c.id in applied and applied[c.id] not in (None, c.fingerprint):
            errors.append(
                {
                    "field": f"line {c.line}: id",
                    "message": f"command id '{c.id}' was applied before with other content "
                    "(a changed line needs a new command id)",
                }
            )
    creating = {c.target: c for c in commands if c.creates and c.target and c.id not in applied}
    for record in sorted(app.existing_aggregates(list(creating)), key=str):
        c = creating[record]
        errors.append(
            {
                "field": f"line {c.line}: new_id",
                "message": f"creates record {record}, which already exists in the store",
            }
        )
    if errors:
        errors.sort(key=lambda e: int(e["field"].split(":")[0].removeprefix("line ")))
        raise _file_errors(errors)
    return set(applied)


def check_actors(app: RendaBase, commands: Sequence[ParsedCommand]) -> None:
    """With the actor registry on, every line's actor and role is checked as a command's
    would be; any refusal refuses the whole import (Forbidden, nothing written).

    The registry is read as stored before the import: register the actors first
    (``renda actor add``). A ``deputy:<id>`` role is checked when its line runs, so a
    line may act as a deputy registered by an earlier line.
    """
    refusal = getattr(app, "registry_refusal", None)
    if refusal is None:
        return
    errors: list[dict[str, str]] = []
    reasons: dict[tuple[str, str, str], str | None] = {}  # the registry as stored: one
    for c in commands:  # look-up per command name, actor and role, not one per line
        key = (c.command, c.actor.id, c.actor.role)
        if key not in reasons:
            reasons[key] = refusal(c.command, c.actor)
        reason = reasons[key]
        if reason is not None:
            errors.append({"field": f"line {c.line}: actor", "message": reason})
    if errors:
        count, field, reason = len(errors), errors[0]["field"], errors[0]["message"]
        msgid = (
            "{count} line(s) from actors the registry refuses; nothing was imported. "
            "First: {field}: {reason}"
        )
        params = {"count": count, "field": field, "reason": reason}
        raise Forbidden(msgid.format(**params), msgid=msgid, params=params)


def apply_commands(
    app: RendaBase,
    commands: Sequence[ParsedCommand],
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    os_user: str | None = None,
) -> ImportResult:
    """Apply validated commands in batches; skip those already applied. ``os_user``
    (the OS user running the import) is recorded beside each line's actor.

    A command that fails stops the import: the result carries the error (``error`` as
    data, ``exception`` to raise) and counts what was applied before it.
    """
    with _heap_frozen(), app.checkpoints_deferred():  # the parsed lines live throughout
        return _apply_commands(app, commands, batch_size, progress, os_user)


def _apply_commands(
    app: RendaBase,
    commands: Sequence[ParsedCommand],
    batch_size: int,
    progress: Callable[[int], None] | None,
    os_user: str | None,
) -> ImportResult:
    check_batch_size(app, batch_size)
    done = check_against_store(app, commands)
    check_actors(app, [c for c in commands if c.id not in done])
    result = ImportResult(total=len(commands))
    todo = [c for c in commands if c.id not in done]
    referenced = functools.cache(lambda: _referenced(commands))  # walked only when needed
    result.skipped = len(commands) - len(todo)
    if progress and result.skipped:
        progress(result.skipped)
    run = _Runner(app).run
    actors: dict[Actor, Actor] = {}  # each line's actor with the OS user, made once
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        current: ParsedCommand | None = None
        try:
            # each command with its line's id, as ``with assigned_ids(current.new_id)``
            with (
                app.batch([c.id for c in chunk], {c.id: c.fingerprint for c in chunk}),
                ids_in_turn() as assign,
            ):
                for current in chunk:
                    actor = current.actor
                    if os_user and os_user != actor.os_user:
                        known = actors.get(actor)
                        if known is None:
                            known = actors[actor] = replace(actor, os_user=os_user)
                        actor = known
                    assign(current.new_id)
                    returned = run(current.command, current.model, actor)
                    if current.target is not None:
                        _check_target(current, returned, referenced)
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
            where = {
                "line": current.line,
                "id": current.id,
                "command": current.command,
                "size": len(chunk),
                "applied": result.applied,
            }
            if commit_outcome_unknown(error):  # PostgreSQL: the COMMIT lost its answer
                result.exception = in_context(
                    error,
                    "line {line} ({id}, {command}): {message}; its batch of {size} may or "
                    "may not have been written (run the import again: the commands already "
                    "applied are skipped); {applied} command(s) before it were applied",
                    **where,
                )
            else:
                result.exception = in_context(
                    error,
                    "line {line} ({id}, {command}): {message}; its batch of {size} was not "
                    "written; {applied} command(s) before it were applied",
                    **where,
                )
            return result
        result.applied += len(chunk)
        if progress:
            progress(len(chunk))
    return result


def in_context(error: RendaError, template: ErrorMessage, **params: object) -> RendaError:
    """``error``, now saying where an import met it: ``template`` (a catalogued message
    id: the line, the command, what was written) around its own ``{message}``. What it
    said before is kept as ``inner`` (a copy, its msgid and field errors too), for a
    driver to show in its language; the error stays the one raised (its kind, cause
    and traceback)."""
    before: RendaError = Exception.__new__(type(error))  # no __init__: its state below
    before.__dict__.update(error.__dict__)
    error.inner = before
    error.msgid = template
    error.params = {**params, "message": error.message}
    error.message = template.format(**error.params)
    return error


class _Runner:
    """Runs validated commands as ``@command`` methods do, checking the permission once
    per command name and role rather than once per line.

    A command method checks the role's permission, asks the actor registry (when it is
    on), validates its input and runs. A line's model is already validated, and the
    permission depends on the command and the role alone, so after the first line of a
    (command, role) that passed, later ones go straight to the registry and the method
    — to the method alone where the actor check cannot refuse the role (the registry
    off and the role not a deputy's: ``may_refuse``). A refusal is left to the method
    itself: the same error as always.
    """

    def __init__(self, app: RendaBase) -> None:
        self.app = app
        self.verify_actor: Callable[[str, Actor], None] | None = getattr(app, "verify_actor", None)
        self.may_refuse: Callable[[Actor], bool] | None = getattr(app, "may_refuse", None)
        # (command, role) that got past the permission check -> the method undecorated,
        # and whether to verify the actor
        self.passed: dict[tuple[str, str], tuple[Callable[..., Any], bool]] = {}
        self.methods: dict[str, tuple[Callable[..., Any], Callable[..., Any] | None]] = {}

    def _methods(self, name: str) -> tuple[Callable[..., Any], Callable[..., Any] | None]:
        found = self.methods.get(name)
        if found is None:
            attribute = COMMANDS[name].method
            bound = getattr(self.app, attribute)
            declared = getattr(type(self.app), attribute, None)
            inner = getattr(declared, "__wrapped__", None)
            if getattr(bound, "__func__", None) is not declared:
                inner = None  # replaced on the instance: always call what is there
            found = self.methods[name] = (bound, inner)
        return found

    def run(self, name: str, model: BaseModel, actor: Actor) -> Any:
        key = (name, actor.role)
        passed = self.passed.get(key)
        if passed is not None:  # the permission passed before: the method itself
            inner, verify = passed
            if verify:
                assert self.verify_actor is not None
                self.verify_actor(name, actor)
            return inner(self.app, model, actor)
        bound, method = self._methods(name)
        returned = bound(model, actor)  # checks everything (raises as it would)
        if method is not None:  # it got past the permission check
            self.passed[key] = (
                method,
                self.verify_actor is not None
                and (self.may_refuse is None or self.may_refuse(actor)),
            )
        return returned


def _referenced(commands: Sequence[ParsedCommand]) -> dict[uuid.UUID, ParsedCommand]:
    """The lines that name a record by id, by the record id (first one per record)."""
    targets = {c.target for c in commands if c.target is not None}
    found: dict[uuid.UUID, ParsedCommand] = {}

    def walk(value: Any, c: ParsedCommand) -> None:
        if isinstance(value, str) and len(value) == 36:
            try:
                uid = uuid.UUID(value)
            except ValueError:
                return
            if uid in targets:
                found.setdefault(uid, c)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v, c)
        elif isinstance(value, list):
            for v in value:
                walk(v, c)

    for c in commands:
        walk(c.model.model_dump(mode="json"), c)
    return found


def _check_target(
    c: ParsedCommand, returned: Any, referenced: Callable[[], dict[uuid.UUID, ParsedCommand]]
) -> None:
    """A line that did not create the record its id promised (a forwarded item that
    already had a suggestion) must not leave a later line pointing at nothing."""
    if c.target is None or not isinstance(returned, uuid.UUID) or returned == c.target:
        return
    later = referenced().get(c.target)
    if later is not None and later.line > c.line:
        raise RuleViolated(
            f"line {later.line} ({later.id}) refers to the record of line {c.line} "
            f"({c.id}), {c.target}, but that command gave {returned} and created "
            "nothing new; refer to that id instead"
        )


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
