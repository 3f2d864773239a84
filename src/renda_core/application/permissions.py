"""One permission policy for every command, checked before anything is loaded.

Roles: ``staff`` (deputy-affairs office), ``deputy:<id>``, ``unit:<name>``, ``editor``,
``leader:<name>``, ``auditor`` (read only). Each command declares the role kinds that
may issue it (``@command(name, model, roles)``); the role is recorded on every event.
Reads and operational commands are declared here (:data:`READS`, :data:`OPERATIONS`)
so the permission matrix (``docs/permissions.md``) names every role × every command.
"""

from __future__ import annotations

from dataclasses import dataclass

from renda_core.domain.errors import Forbidden
from renda_core.domain.values import Actor

ROLE_KINDS: tuple[str, ...] = ("staff", "auditor", "editor", "deputy", "unit", "leader")
"""Every role kind, in the order the permission matrix lists them."""

EVERYONE = frozenset(ROLE_KINDS)
STAFF_AUDITOR = frozenset({"staff", "auditor"})
NOT_UNITS = EVERYONE - {"unit"}  # a unit reads only what its assignments need


@dataclass(frozen=True)
class ReadSpec:
    """A read (or an operational command that writes no business event): who may run it
    and what of personal data it shows to whom (``note``)."""

    name: str
    roles: frozenset[str]
    summary: str
    note: str = ""


def _reads(*specs: ReadSpec) -> dict[str, ReadSpec]:
    return {s.name: s for s in specs}


PERSONAL = "personal fields by the read policy (docs/permissions.md#read-policy)"

READS: dict[str, ReadSpec] = _reads(
    ReadSpec("deputy.show", NOT_UNITS, "one deputy's record", PERSONAL),
    ReadSpec("deputy.list", NOT_UNITS, "deputies, filtered"),
    ReadSpec("opinion.show", EVERYONE, "one opinion", f"a unit: referred to it; {PERSONAL}"),
    ReadSpec("opinion.list", EVERYONE, "opinions, filtered", "a unit: those referred to it"),
    ReadSpec("suggestion.show", EVERYONE, "one suggestion", f"a unit: its own; {PERSONAL}"),
    ReadSpec("suggestion.list", EVERYONE, "suggestions, filtered", "a unit: its own"),
    ReadSpec("station.show", NOT_UNITS, "one station and its roster", PERSONAL),
    ReadSpec("group.show", NOT_UNITS, "one deputy group", PERSONAL),
    ReadSpec("bulletin.show", EVERYONE, "one bulletin issue", PERSONAL),
    ReadSpec("training.show", NOT_UNITS, "one training course"),
    ReadSpec("calendar.show", EVERYONE, "the working-day calendar"),
    ReadSpec(
        "contact.show",
        EVERYONE,
        "a recipient's addresses, masked",
        "--reveal: staff, the recipient itself, an auditor with a reason",
    ),
    ReadSpec("report", EVERYONE, "reports (figures, no personal fields)"),
    ReadSpec("projections.status", EVERYONE, "the adapters' positions"),
    ReadSpec("events.list", STAFF_AUDITOR, "the event log", PERSONAL),
    ReadSpec("events.export", STAFF_AUDITOR, "the log as CloudEvents / JSON lines", PERSONAL),
    ReadSpec("audit.export", STAFF_AUDITOR, "a range of the log with a manifest", PERSONAL),
    ReadSpec("audit.verify", EVERYONE, "verify the hash chain and seals (shows no data)"),
    ReadSpec("audit.history", STAFF_AUDITOR, "a record's timeline (actors, dates; no state)"),
    ReadSpec("audit.reproduce", STAFF_AUDITOR, "recompute a report from its provenance"),
    ReadSpec("area.list", EVERYONE, "divisions (行政区划)"),
    ReadSpec("calendar.list", EVERYONE, "the years a working-day calendar holds"),
    ReadSpec("calendar.due", EVERYONE, "a due date computed on the calendar"),
    ReadSpec("station.list", EVERYONE, "stations, filtered"),
    ReadSpec("group.list", EVERYONE, "deputy groups, filtered"),
    ReadSpec("training.list", EVERYONE, "training courses"),
    ReadSpec("bulletin.list", EVERYONE, "bulletin issues"),
    ReadSpec("session.list", EVERYONE, "congress sessions"),
    ReadSpec("session.show", EVERYONE, "one session: dates, suggestions received, attendance"),
    ReadSpec(
        "session.warnings",
        frozenset({"staff", "auditor", "leader"}),
        "deputies absent twice without leave (for staff to examine)",
    ),
    ReadSpec("meeting.list", EVERYONE, "standing-committee meetings and forums"),
    ReadSpec("meeting.show", EVERYONE, "one meeting and its 列席 deputies"),
    ReadSpec("motion.list", EVERYONE, "motions (议案)"),
    ReadSpec("motion.show", EVERYONE, "one motion and its signatories"),
    ReadSpec("inspection.list", EVERYONE, "inspections and research"),
    ReadSpec("inspection.show", EVERYONE, "one inspection: participants, report, feedback"),
    ReadSpec("member.list", EVERYONE, "standing-committee members"),
    ReadSpec(
        "member.show",
        frozenset({"staff"}),
        "a member's liaisons and contacts with deputies",
        "contact notes are personal: staff only (an auditor reads them in the log, with a "
        "recorded reason)",
    ),
    ReadSpec("body.list", EVERYONE, "standing-committee bodies"),
    ReadSpec("body.show", EVERYONE, "one body and its members"),
    ReadSpec("term.list", EVERYONE, "terms (届)"),
    ReadSpec("term.show", NOT_UNITS, "one term: members, seats, vacancies, by-elections"),
    ReadSpec("plan.show", EVERYONE, "a year's deputy-work plan and its progress"),
    ReadSpec("campaign.show", EVERYONE, "one campaign and its tasks"),
    ReadSpec("deputy.record", EVERYONE, "a deputy's duty record (履职档案, public by law)"),
    ReadSpec("deputy.show-report", EVERYONE, "one report to constituents (述职)"),
    ReadSpec(
        "suggestion.overdue",
        frozenset({"staff", "auditor", "leader"}),
        "open deadlines past due, by owner",
    ),
    ReadSpec("suggestion.policy", EVERYONE, "the deadline policy in force"),
    ReadSpec("projections.catch-up", EVERYONE, "bring the views up to the log (no event)"),
    ReadSpec("store.check", STAFF_AUDITOR, "check the store's integrity"),
    ReadSpec("deliver.status", STAFF_AUDITOR, "the outbox: pending, sent, dead messages"),
    ReadSpec("deliver.dead-letters", STAFF_AUDITOR, "messages given up on"),
    ReadSpec(
        "inbox",
        frozenset({"staff", "auditor", "deputy", "unit"}),
        "站内信: a recipient's messages",
        "a deputy or unit reads (and marks read) its own inbox only; staff any; an auditor "
        "reads any, marks none",
    ),
)

OPERATIONS: dict[str, ReadSpec] = _reads(
    ReadSpec("audit.seal", STAFF_AUDITOR, "sign the chain head (recorded)"),
    ReadSpec("clock.tick", frozenset({"staff"}), "issue due reminders and 催办 (recorded)"),
    ReadSpec("deliver.run", frozenset({"staff"}), "derive and send messages (outcomes recorded)"),
    ReadSpec("deliver.retry", frozenset({"staff"}), "send a dead letter again"),
    ReadSpec("contact.set", frozenset({"staff"}), "record a recipient's address (recorded)"),
    ReadSpec("contact.remove", frozenset({"staff"}), "remove a recipient's address (recorded)"),
    ReadSpec(
        "projections.rebuild",
        frozenset({"staff"}),
        "drop views and replay the log (recorded)",
    ),
)


def role_kind(role: str) -> str:
    return role.split(":", 1)[0]


def role_subject(role: str) -> str | None:
    """``deputy:<id>`` → ``<id>``; ``staff`` → None."""
    return role.split(":", 1)[1] if ":" in role else None


def allowed_roles(command: str) -> frozenset[str] | None:
    """The role kinds that may run ``command`` (a write, a read or an operation)."""
    from renda_core.application.commands import COMMANDS

    spec = COMMANDS.get(command)
    if spec is not None:
        return spec.roles
    other = READS.get(command) or OPERATIONS.get(command)
    return other.roles if other is not None else None


def check_permission(command: str, actor: Actor) -> None:
    """Raise Forbidden unless the actor's role may issue ``command``."""
    roles = allowed_roles(command)
    if roles is None:
        raise Forbidden(f"command '{command}' is not in the permission policy")
    if role_kind(actor.role) not in roles:
        who = " or ".join(sorted(roles))
        raise Forbidden(f"{actor} may not {command.replace('.', ' ')}: it needs the role {who}")


def permission_matrix() -> list[tuple[str, str, str, dict[str, bool]]]:
    """Every command (kind ``write``, ``read``, ``operation``) with, per role kind,
    whether that role may run it: what ``docs/permissions.md`` shows."""
    from renda_core.application.commands import COMMANDS

    rows: list[tuple[str, str, str, dict[str, bool]]] = []
    for spec in sorted(COMMANDS.values(), key=lambda s: s.name):
        rows.append((spec.name, "write", spec.summary, {r: r in spec.roles for r in ROLE_KINDS}))
    for kind, specs in (("read", READS), ("operation", OPERATIONS)):
        for name in sorted(specs):
            r = specs[name]
            summary = f"{r.summary} — {r.note}" if r.note else r.summary
            rows.append((name, kind, summary, {k: k in r.roles for k in ROLE_KINDS}))
    return rows
