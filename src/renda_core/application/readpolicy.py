"""The read policy: who may read which record, and whether its personal fields show.

One rule for every read path (the CLI's ``show``/``list`` commands, ``events list`` and
the exports, the library API's ``get_*``/``list_*``, the HTTP reads):

- ``staff``: everything (they run the office).
- ``auditor``: everything, personal fields redacted unless a reason is given; the
  reason is recorded (a ``Disclosure.PersonalDataDisclosed`` event) *before* the data
  is shown.
- ``unit:<name>``: only the records its assignments need — suggestions it handles (lead
  or co-handling unit), opinions referred to it — with their personal fields; any
  other record is refused (``Forbidden``, exit 6: clearer than pretending it does not
  exist). Reads a unit never needs (deputies, stations, groups, courses, the log) are
  refused by the permission matrix.
- ``deputy:<id>``: his own records in full (his deputy record, suggestions he leads or
  co-signs, opinions he received or collected at a station he entered, his groups and
  stations, sessions, meetings, motions and inspections he takes part in, his duty
  record); other records with personal fields redacted.
- ``editor``, ``leader:<name>``: every record, personal fields redacted.

Personal fields (:data:`PERSONAL_KEYS`): deputies' phones, citizens' names and phones,
every free-text note (a note may name a person), and recipients' contact addresses.
An opinion's ``content`` is the matter itself and is not redacted: a citizen's name
and contact belong in their own fields, never in the content (docs/permissions.md).
Redaction replaces a value with :data:`REDACTED` and keeps ids, dates and statuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from renda_core.application.fields import LongText
from renda_core.application.inputs import today
from renda_core.application.permissions import check_permission, role_kind, role_subject
from renda_core.domain.errors import Forbidden
from renda_core.domain.values import Actor

REDACTED = "[已隐藏]"
"""What a redacted personal field shows."""

PERSONAL_KEYS = frozenset(
    {"phone", "citizen_name", "citizen_phone", "note", "closing_note", "addresses"}
)
"""Keys whose values are personal data, wherever they occur in a record or an event."""

CONTACT_TOPIC = "renda:Contact"
"""A recipient directory's events: their ``value`` is an address (personal)."""


@dataclass(frozen=True)
class Reader:
    """Who reads, and the reason an auditor gave to see personal fields."""

    actor: Actor
    reason: str | None = None

    @property
    def kind(self) -> str:
        return role_kind(self.actor.role)

    @property
    def subject(self) -> str | None:
        return role_subject(self.actor.role)


def reader(actor: Actor, reason: str | None = None) -> Reader:
    """A reader; a reason is validated as a note (1–5000 characters, not blank)."""
    if reason is not None:
        from renda_core.application.commands import parse_value

        reason = str(parse_value(LongText, reason, "reason"))
    return Reader(actor, reason)


def redact(value: Any, keys: frozenset[str] = PERSONAL_KEYS) -> Any:
    """``value`` with every personal field (by key, at any depth) replaced by
    :data:`REDACTED`; ``None`` stays ``None`` (nothing to hide)."""
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if k in keys and v is not None else redact(v, keys))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v, keys) for v in value]
    return value


def redact_event_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One event as ``events list`` shows it, personal fields of its data redacted."""
    keys = PERSONAL_KEYS | {"value"} if str(row["topic"]).startswith(CONTACT_TOPIC) else None
    return {**row, "data": redact(row["data"], keys or PERSONAL_KEYS)}


def has_personal(value: Any, keys: frozenset[str] = PERSONAL_KEYS) -> bool:
    """Whether redacting ``value`` would hide anything."""
    return bool(redact(value, keys) != value)


# -- whose record is it ------------------------------------------------------------------


def _deputy_owns(kind: str, data: Mapping[str, Any], deputy: str, stations: Any) -> bool:
    if kind == "deputy":
        return data.get("id") == deputy
    if kind == "suggestion":
        cosigners = {c.get("deputy") for c in data.get("cosigners") or ()}
        return data.get("lead_deputy") == deputy or deputy in cosigners
    if kind == "opinion":
        if deputy in (data.get("deputies") or ()):
            return True
        roster = stations(str(data.get("station_id"))) if stations else ()
        return deputy in roster
    if kind == "station":
        return deputy in {r.get("deputy_id") for r in data.get("roster") or ()}
    if kind == "group":
        return deputy in {m.get("deputy_id") for m in data.get("members") or ()}
    if kind in _TAKES_PART:  # sessions, meetings, motions, inspections
        return data.get("lead_deputy") == deputy or deputy in (data.get(_TAKES_PART[kind]) or ())
    if kind == "duty_record":
        return data.get("deputy_id") == deputy
    return False


_TAKES_PART = {
    "session": "attendance",
    "meeting": "observers",
    "motion": "cosigners",
    "inspection": "participants",
}
"""The record kinds a deputy takes part in, and the field naming who does."""


def unit_handles(kind: str, data: Mapping[str, Any], unit: str) -> bool:
    """Whether the record is one a unit's assignments need."""
    if kind == "suggestion":
        return data.get("lead_unit") == unit or unit in (data.get("co_units") or ())
    if kind == "opinion":
        route = data.get("route") or {}
        return route.get("kind") == "referred" and route.get("body") == unit
    return False


def owns(reader: Reader, kind: str, data: Mapping[str, Any], stations: Any = None) -> bool:
    """Whether the record is the reader's own (a deputy's) or assigned to it (a unit's).

    ``stations``: a function from a station id to the deputy ids on its roster (for a
    deputy reading an opinion collected at his station)."""
    subject = reader.subject
    if subject is None:
        return False
    if reader.kind == "deputy":
        return _deputy_owns(kind, data, subject, stations)
    if reader.kind == "unit":
        return unit_handles(kind, data, subject)
    return False


# -- the decision ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a reader gets of a read: personal fields shown, or redacted; and whether
    showing them must first be recorded (an auditor's reason)."""

    reveal: bool
    disclose: bool = False


def decide(reader: Reader, read: str, own: bool = False) -> Decision:
    """The reader's access to one read (``deputy.show``…) of a record it owns or not.

    Raises Forbidden when the role may not run the read at all."""
    check_permission(read, reader.actor)
    kind = reader.kind
    if kind == "staff":
        return Decision(reveal=True)
    if kind == "auditor":
        return Decision(reveal=reader.reason is not None, disclose=reader.reason is not None)
    if kind in ("deputy", "unit"):
        return Decision(reveal=own)
    return Decision(reveal=False)


Recorder = Callable[[str, list[str], str, Actor], object]
"""Records a disclosure: (read, record ids, reason, actor)."""


def show_record(
    reader: Reader,
    read: str,
    kind: str,
    data: dict[str, Any],
    record: Recorder,
    stations: Any = None,
) -> dict[str, Any]:
    """One record as the reader may see it (``read`` e.g. ``opinion.show``).

    Forbidden for a role the read is not for, and for a unit reading a record not
    assigned or referred to it. An auditor's reason is recorded before the data is
    returned."""
    check_permission(read, reader.actor)
    own = owns(reader, kind, data, stations)
    if reader.kind == "unit" and not own:
        raise Forbidden(
            f"{reader.actor} may not read {kind} {data.get('id')}: "
            f"it is not assigned or referred to {reader.subject}"
        )
    decision = decide(reader, read, own)
    if decision.disclose:
        assert reader.reason is not None
        record(read, [str(data.get("id"))], reader.reason, reader.actor)
    return data if decision.reveal else redact(data)


def show_rows(
    reader: Reader,
    read: str,
    kind: str,
    rows: Iterable[dict[str, Any]],
    record: Recorder,
    load: Callable[[str], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A list as the reader may see it: a unit sees only the rows it handles (``load``
    gives the full record of a row when the row alone cannot say); personal fields in
    rows are redacted unless the reader may see them."""
    check_permission(read, reader.actor)
    rows = list(rows)
    if reader.kind == "unit":
        subject = str(reader.subject)
        rows = [r for r in rows if unit_handles(kind, load(r["id"]) if load else r, subject)]
    decision = decide(reader, read, own=reader.kind == "unit")
    if not decision.reveal:
        return [redact(r) for r in rows]
    if decision.disclose and any(has_personal(r) for r in rows):
        assert reader.reason is not None
        record(read, [str(r["id"]) for r in rows if has_personal(r)], reader.reason, reader.actor)
    return rows


def may_see_log(reader: Reader, read: str) -> bool:
    """For ``events list`` and the exports: check the role may run ``read`` and say
    whether the events' personal fields show (staff; an auditor with a reason)."""
    return decide(reader, read).reveal


def record_disclosure(app: Any, read: str, records: list[str], reason: str, actor: Actor) -> Any:
    """Record that ``actor`` was shown personal data of ``records`` through ``read``."""
    from renda_core.domain.disclosure import Disclosure

    disclosure = Disclosure(
        read=read, records=list(records), reason=reason, on=today(), actor=actor
    )
    app._save(disclosure)
    return disclosure.id


def recorder_of(app: Any) -> Recorder:
    """The :data:`Recorder` that writes disclosures into ``app``'s log."""

    def record(read: str, records: list[str], reason: str, actor: Actor) -> object:
        return record_disclosure(app, read, records, reason, actor)

    return record


def station_rosters(app: Any) -> Callable[[str], set[str]]:
    """A station id → the deputy ids on its roster (every deputy who ever entered)."""

    def roster(station_id: str) -> set[str]:
        try:
            station = app.station(station_id)
        except Exception:  # an opinion's station that cannot be loaded: no one's
            return set()
        ids = {r.get("deputy_id") for r in station.get("roster") or ()}
        ids |= {m.get("deputy_id") for m in station.get("memberships") or ()}
        return {str(i) for i in ids if i}

    return roster


SHOWS: dict[str, tuple[str, str]] = {
    "deputy.show": ("deputy", "deputy"),
    "opinion.show": ("opinion", "opinion"),
    "suggestion.show": ("suggestion", "suggestion"),
    "station.show": ("station", "station"),
    "group.show": ("group", "group"),
    "bulletin.show": ("bulletin", "bulletin"),
    "training.show": ("course", "course"),
    "session.show": ("session", "session"),
    "meeting.show": ("meeting", "meeting"),
    "motion.show": ("motion", "motion"),
    "inspection.show": ("inspection", "inspection"),
    "body.show": ("body", "body"),
    "campaign.show": ("campaign", "campaign"),
}
"""Each ``*.show`` read: the record kind and the application method that loads it."""


def read_record(app: Any, reader: Reader, read: str, record_id: str) -> dict[str, Any]:
    """Load one record through ``read`` (``opinion.show``…) as the reader may see it.

    The role is checked before anything is loaded (a refused role learns nothing, not
    even whether the record exists)."""
    check_permission(read, reader.actor)
    kind, method = SHOWS[read]
    data: dict[str, Any] = getattr(app, method)(record_id)
    stations = station_rosters(app) if reader.kind == "deputy" and kind == "opinion" else None
    return show_record(reader, read, kind, data, recorder_of(app), stations)


READ_POLICY_DOC = """## Read policy

Who may run a read is the matrix above; what a read shows of personal data is one
rule, `renda_core.application.readpolicy`, applied by every read path: the CLI's
`show`/`list` commands, `events list`, `events export`, `audit export`, `audit
history`, the library API (`get_*`, `list_*`, `history`, `record`, `assessment`,
`session_warnings`) and the HTTP reads (`/v1/records/{id}`, `…/history`, `/v1/events`,
`/v1/events/stream`, and the processes' routes: `/v1/sessions`, `/v1/deputies/{id}/record`,
… in docs/http.md).

**Personal fields** are, wherever they occur in a record or an event: deputies'
phones (`phone`), citizens' names and phones (`citizen_name`, `citizen_phone`), every
free-text note (`note`, `closing_note`: a note may name a person), and recipients'
contact addresses (`addresses`; the `value` of a `renda:Contact` event). A redacted
field shows `[已隐藏]`; ids, dates, statuses and everything else stay. An opinion's
`content` is the matter itself and is not redacted: a citizen's name and contact go in
their own fields, never in the content.

- `staff`: every record; personal fields shown (they run the office).
- `auditor`: every record, the log, the exports; personal fields redacted, shown with
  `--reason TEXT` (CLI) / `reason=` (API, HTTP query parameter), which is recorded
  first as `renda:Disclosure.PersonalDataDisclosed` (actor, role, the read, the
  records, the reason verbatim).
- `unit:<name>`: only what its assignments need — suggestions it handles (lead or
  co-handling unit), opinions referred to it — with their personal fields (the
  citizen's contact on an opinion referred to it). Any other record is refused
  (`forbidden`, exit 6, HTTP 403: clearer than pretending it does not exist); its
  lists hold only its own rows; reads it never needs are refused by the matrix.
- `deputy:<id>`: personal fields shown on his own records (his deputy record,
  suggestions he leads or co-signs, opinions he received or collected at a station he
  entered, his stations and groups, the sessions he is on the roll of, the meetings he
  attended as 列席, the motions he leads or signs, the inspections he joined, his duty
  record), redacted on the others.
- `editor`, `leader:<name>`: every record the matrix allows, personal fields redacted;
  lists as before.

A reason is a note (1–5,000 characters, not blank); a reason given by another role
changes nothing and is not recorded. A read refused by the matrix records nothing,
even with a reason. `events list`, `events export` and `audit export` are for staff
and auditors: an auditor's are redacted unless a reason is given. A redacted
`audit export` withholds the stored state of the events it redacted (unless the store
is encrypted: then the ciphertext stays) and marks the manifest `"redacted": true`;
`audit verify --export` then checks the chain and the seals through those events'
digests, but not their content (it says so in a note): only an unredacted export
proves every row. `audit history` names who did what: staff and auditors only.
`audit verify` shows no data and stays open to every role.

The library API applies the policy to the actor given (`actor=`) or the one the store
was opened with; a read with no actor at all is the embedding system reading for
itself and is not narrowed (docs/embedding.md).
"""
"""The hand-written part of ``docs/permissions.md`` (appended by the generator)."""
