"""Notification rules: which events (and clock reminders) become which messages.

A rule (``renda_register_notification_rules``) has a ``name``, the event ``topics`` it
reads and ``drafts(event, context)``, returning :class:`Draft` messages: a recipient, a
template and its values. The outbox turns each draft into one message per address of
the recipient, keyed ``<rule>:<record id>/<version>:<digest of recipient and
address>``, so the same log
always derives the same keys. Rules never send: they only say what should be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from renda_core.domain.deadlines import DEADLINE_LABELS
from renda_core.domain.suggestion import OFFICE

S = "renda:Suggestion."


@dataclass(frozen=True)
class Draft:
    """What a rule asks to be sent: to whom, with which template and values.

    ``via`` limits the address kinds used (e.g. ``("inbox:",)``); empty means every
    address the recipient has.
    """

    recipient: str
    template: str
    values: dict[str, Any]
    record_id: str
    via: tuple[str, ...] = field(default=())


class RuleContext(Protocol):
    def suggestion(self, event: Any) -> dict[str, Any]:
        """The suggestion as it stood right after ``event`` (plain data)."""
        ...

    def suggestion_of(self, suggestion_id: str) -> dict[str, Any]:
        """A suggestion as it stands now (plain data)."""
        ...

    def record(self, event: Any) -> Any:
        """Any record (aggregate) as it stood right after ``event``."""
        ...


class Rule(Protocol):
    name: str
    topics: tuple[str, ...]

    def drafts(self, event: Any, topic: str, context: RuleContext) -> list[Draft]: ...


@dataclass
class FunctionRule:
    """A rule made of a function ``(event, topic, context) -> drafts``."""

    name: str
    topics: tuple[str, ...]
    function: Callable[[Any, str, RuleContext], Iterable[Draft]]

    def drafts(self, event: Any, topic: str, context: RuleContext) -> list[Draft]:
        return list(self.function(event, topic, context))


def unit_recipient(owner: str) -> str:
    return "staff" if owner == OFFICE else f"unit:{owner}"


def deputies(s: dict[str, Any]) -> list[str]:
    """The lead deputy and the confirmed co-signers."""
    lead = [s["lead_deputy"]] if s.get("lead_deputy") else []
    cos = [c["deputy"] for c in s.get("cosigners", []) if c.get("state") == "confirmed"]
    return [f"deputy:{d}" for d in lead + cos]


def _assigned(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    s = ctx.suggestion(event)
    sid = s["id"]
    yield Draft(unit_recipient(s["lead_unit"]), "assigned_unit", {"s": s, "role": "主办"}, sid)
    for unit in s.get("co_units", []):
        yield Draft(unit_recipient(unit), "assigned_unit", {"s": s, "role": "协办"}, sid)


def _objection(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    s = ctx.suggestion(event)
    if topic.endswith("ObjectionDenied"):
        units, granted = [event.unit], False
    else:  # Reassigned: the objections granted
        units, granted = list(event.granted), True
    note = getattr(event, "note", None)
    for unit in units:
        values = {"s": s, "granted": granted, "note": note}
        yield Draft(unit_recipient(unit), "objection_decided", values, s["id"])


def _extension(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    s = ctx.suggestion(event)
    granted = bool(getattr(event, "granted", True))
    until = getattr(event, "until", None)
    values = {"s": s, "granted": granted, "until": until}
    if s.get("lead_unit"):
        yield Draft(unit_recipient(s["lead_unit"]), "extension_decided", values, s["id"])


WHAT = {
    "Accepted": ("已立案", "was accepted"),
    "NotAccepted": ("未予立案", "was not accepted"),
    "Assigned": ("已交办 {lead_unit} 办理，答复期限 {reply_due}", "was assigned to {lead_unit}"),
    "Extended": ("答复期限已延至 {reply_due}", "has its reply extended to {reply_due}"),
    "ExtensionDecided": ("答复期限已延至 {reply_due}", "has its reply extended to {reply_due}"),
    "Replied": ("已收到 {lead_unit} 的答复", "was replied to by {lead_unit}"),
    "RehandlingOrdered": ("已交重新办理", "was sent back for re-handling"),
    "Disclosed": ("的答复已公开", "has its reply disclosed"),
}


def _deputy_update(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    name = topic.removeprefix(S)
    if name == "ExtensionDecided" and not getattr(event, "granted", False):
        return
    s = ctx.suggestion(event)
    zh, en = WHAT[name]
    fill = {k: s.get(k) or "—" for k in ("lead_unit", "reply_due")}
    values = {"s": s, "what": zh.format(**fill), "what_en": en.format(**fill)}
    for recipient in deputies(s):
        yield Draft(recipient, "deputy_update", values, s["id"])


def _reminder(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    s = ctx.suggestion_of(event.suggestion_id)
    threshold = str(event.threshold)
    values = {
        "s": s,
        "kind": event.kind,
        "threshold": threshold,
        "deadline": event.deadline,
        "deadline_label": DEADLINE_LABELS.get(event.deadline, event.deadline),
        "due": event.due.isoformat(),
        "number": event.number,
        "days": threshold.partition(":")[2],
    }
    yield Draft(unit_recipient(event.owner), "reminder", values, str(event.suggestion_id))


CITIZEN_STEPS = {
    "Referred": ("已转交 {body} 办理", "was referred to {body}"),
    "AnsweredOnTheSpot": ("已当场答复", "was answered on the spot"),
    "ResultRecorded": ("已有办理结果", "has a result"),
    "Closed": ("已办结", "was closed"),
}


def _citizen(event: Any, topic: str, ctx: RuleContext) -> Iterable[Draft]:
    """Citizens who gave a contact and opted in (``citizen_notify``) are told when their
    opinion is referred, answered and closed."""
    o = ctx.record(event)
    if not getattr(o, "citizen_notify", False):
        return
    zh, en = CITIZEN_STEPS[topic.rsplit(".", 1)[1]]
    body = (getattr(o, "route", None) or {}).get("body") or "—"
    values = {
        "s": {"title": o.content[:30], "id": str(o.id)},
        "what": zh.format(body=body),
        "what_en": en.format(body=body),
        "phone": o.citizen_phone,
    }
    yield Draft(f"citizen:{o.id}", "citizen_update", values, str(o.id))


BUILTIN_RULES: tuple[FunctionRule, ...] = (
    FunctionRule("unit.assigned", (S + "Assigned", S + "Reassigned"), _assigned),
    FunctionRule("unit.objection", (S + "ObjectionDenied", S + "Reassigned"), _objection),
    FunctionRule("unit.extension", (S + "ExtensionDecided", S + "Extended"), _extension),
    FunctionRule("unit.reminder", ("renda:Reminder.Issued",), _reminder),
    FunctionRule("deputy.update", tuple(S + n for n in WHAT), _deputy_update),
    FunctionRule("citizen.opinion", tuple(f"renda:Opinion.{n}" for n in CITIZEN_STEPS), _citizen),
)
